"""Paper: the Print button, the signature block and footer of a printed checklist, and the print pack
(every checklist of a language, one sheet each, generated from the checklist pages themselves).

How it looks on screen and on A4 is in overrides/assets/stylesheets/print.css.
"""
from __future__ import annotations

import datetime as dt
import html
from typing import TYPE_CHECKING

from kb.locales import Interface, language_name
from kb.model import TASK_ITEM, Page

if TYPE_CHECKING:
    from kb.corpus import Corpus
    from kb.render import PageContext


def print_button(ui: Interface) -> str:
    label = html.escape(ui.gettext("Print"))
    return f'<p class="kb-print-button" data-search-exclude><button type="button" class="md-button" onclick="window.print()">{label}</button></p>'


def signature_block(ui: Interface) -> list[str]:
    fields = [ui.gettext("Name"), ui.gettext("Date"), ui.gettext("Signature")]
    cells = "".join(f'<span class="kb-sign-field">{html.escape(f)}</span>' for f in fields)
    return [f'<div class="kb-sign" data-search-exclude>{cells}</div>']


def print_footer(page: Page, ctx: PageContext) -> str:
    return _footer(page_url(ctx.site_url, page), ctx.changed, ctx.ui)


def _footer(url: str, version: dt.date | None, ui: Interface) -> str:
    parts = [url]
    if version:
        parts.append(ui.gettext("Content version: {date}", date=ui.date(version)))
    return f'<p class="kb-print-footer">{" · ".join(html.escape(p) for p in parts)}</p>'


def page_url(site_url: str, page: Page) -> str:
    rel = page.rel[:-3]
    if rel == "index" or rel.endswith("/index"):
        rel = rel[: -len("index")]
    else:
        rel += "/"
    prefix = "" if page.lang == "en" else f"{page.lang}/"
    return f"{site_url.rstrip('/')}/{prefix}{rel}"


def checklist_pack(corpus: Corpus, pack: Page, ctx: PageContext) -> str:
    """Every checklist the pack links to, in the pack's language, one sheet each, from the pages themselves."""
    pages = []
    for link in pack.links:
        page = corpus.pages.get((pack.lang, link.target))
        if page is not None and page.type == "checklist" and all(p.rel != page.rel for p in pages):
            pages.append(page)
    # each sheet carries its own checklist's version date, not the pack's
    return "\n\n".join(_sheet(page, ctx.date_of(page), ctx) for page in pages)


def _sheet(page: Page, version: dt.date | None, ctx: PageContext) -> str:
    slug = page.rel.rsplit("/", 1)[-1][:-3]
    lines = [
        '<section class="kb-sheet" markdown>',
        "",
        f"## {page.title} {{#{slug}}}",
        "",
        f'<p class="kb-meta" data-search-exclude><span class="kb-lang">{html.escape(language_name(page.lang))}</span></p>',
        "",
        *_intro(page),
        "",
    ]
    for section in page.sections:
        if not section.items:
            continue
        if section.line:  # a group of items under its own heading
            lines += [f"### {section.title}", ""]
        lines += [f"- [ ] {item.text}" for item in section.items]
        lines.append("")
    lines += [
        *signature_block(ctx.ui),
        "",
        _footer(page_url(ctx.site_url, page), version, ctx.ui),
        "",
        "</section>",
    ]
    return "\n".join(lines)


def _intro(page: Page) -> list[str]:
    """The text between the title and the first item (the items themselves are laid out by _sheet)."""
    intro = []
    for line in page.sections[0].text:
        if TASK_ITEM.match(line.strip()):
            break
        intro.append(line)
    return intro
