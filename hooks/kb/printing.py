"""Paper: the Print button, the signature block and footer of a printed checklist, and the print pack
(every checklist of a language, one sheet each, generated from the checklist pages themselves)."""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

from kb.locales import Interface
from kb.model import Page

if TYPE_CHECKING:
    from kb.corpus import Corpus
    from kb.render import PageContext


def print_button(ui: Interface) -> str:
    label = html.escape(ui.gettext("Print"))
    return f'<p class="kb-print-button"><button type="button" class="md-button" onclick="window.print()">{label}</button></p>'


def signature_block(ui: Interface) -> list[str]:
    fields = [ui.gettext("Name"), ui.gettext("Date"), ui.gettext("Signature")]
    cells = "".join(f'<span class="kb-sign-field">{html.escape(f)}</span>' for f in fields)
    return [f'<div class="kb-sign">{cells}</div>']


def print_footer(page: Page, ctx: PageContext) -> str:
    url = page_url(ctx.site_url, page)
    version = ctx.ui.gettext("Content version: {date}", date=ctx.ui.date(ctx.changed)) if ctx.changed else ""
    return f'<p class="kb-print-footer">{html.escape(url)} · {html.escape(version)}</p>'


def page_url(site_url: str, page: Page) -> str:
    rel = page.rel[:-3]
    if rel == "index" or rel.endswith("/index"):
        rel = rel[: -len("index")]
    else:
        rel += "/"
    prefix = "" if page.lang == "en" else f"{page.lang}/"
    return f"{site_url.rstrip('/')}/{prefix}{rel}"


def checklist_pack(corpus: Corpus, pack: Page, ctx: PageContext) -> str:
    """Every checklist of the pack's language, one sheet each, from the checklist pages themselves."""
    sheets = []
    for link in pack.links:
        page = corpus.pages.get((pack.lang, link.target))
        if page is None or page.type != "checklist":
            continue
        intro = "\n".join(page.sections[0].text).strip()
        items = "\n".join(f"- [ ] {item.text}" for item in page.items)
        slug = page.rel.rsplit("/", 1)[-1][:-3]
        sheets.append("\n".join([
            f'<section class="kb-sheet" markdown>',
            "",
            f"## {page.title} {{#{slug}}}",
            "",
            intro,
            "",
            items,
            "",
            *signature_block(ctx.ui),
            "",
            f'<p class="kb-print-footer">{html.escape(page_url(ctx.site_url, page))}</p>',
            "",
            "</section>",
        ]))
    return "\n\n".join(sheets)
