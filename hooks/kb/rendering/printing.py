"""Paper: the Print button, the signature block and footer of a printed checklist, and the print pack
(every checklist of a language, one sheet each, generated from the checklist pages themselves).

How it looks on screen and on A4 is in overrides/assets/stylesheets/print.css.
"""
from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from kb.content.locales import Interface
from kb.content.model import Page
from kb.rendering.navigation import checklists

if TYPE_CHECKING:
    from kb.content.corpus import Corpus
    from kb.rendering.context import PageContext


def print_button(ui: Interface) -> str:
    label = html.escape(ui.gettext("Print"))
    # No onclick: kb.js prints on a click, as the Content-Security-Policy runs no inline script.
    return f'<p class="kb-print-button" data-search-exclude><button type="button" class="md-button">{label}</button></p>'


def signature_block(ui: Interface) -> str:
    fields = [ui.gettext("Name"), ui.gettext("Date"), ui.gettext("Signature")]
    cells = "".join(f'<span class="kb-sign-field">{html.escape(f)}</span>' for f in fields)
    return f'<div class="kb-sign" data-search-exclude>{cells}</div>'


def print_footer(page: Page, ctx: PageContext) -> str:
    """The page's intranet address and the date of this version of its content."""
    parts = [page_url(ctx.site_url, page)]
    if ctx.changed:
        parts.append(ctx.ui.gettext("Content version: {date}", date=ctx.ui.date(ctx.changed)))
    return f'<p class="kb-print-footer">{" · ".join(html.escape(p) for p in parts)}</p>'


def page_url(site_url: str, page: Page) -> str:
    rel = page.rel[:-3]
    if rel == "index" or rel.endswith("/index"):
        rel = rel[: -len("index")]
    else:
        rel += "/"
    prefix = "" if page.lang == "en" else f"{page.lang}/"
    return f"{site_url.rstrip('/')}/{prefix}{rel}"


# Where the pack's sheets go. They are filled in from the checklist pages' own HTML once every page of
# the language is rendered (fill_pack): rendering each checklist's Markdown a second time for the pack
# would cost as much as the checklists themselves.
PACK_SHEETS = '<div class="kb-pack-sheets" data-search-exclude></div>'


def pack_checklists(corpus: Corpus, pack: Page) -> list[Page]:
    """Every checklist of the pack's language, in navigation order (kb.rendering.navigation)."""
    return checklists(corpus, pack.lang)


def fill_pack(content: str, pack: Page, corpus: Corpus, rendered: dict[tuple[str, str], str]) -> tuple[str, list[tuple[str, str]]]:
    """The pack page's HTML with one sheet per checklist, and (title, anchor) of each sheet for its TOC."""
    sheets, toc = [], []
    for page in pack_checklists(corpus, pack):
        # a checklist this language lacks is printed as the origin's page standing in for it (kb_hooks)
        html = rendered.get((pack.lang, page.rel)) or rendered.get((page.lang, page.rel))
        if html is None:   # left out of the build (unreadable): the build has already said why
            continue
        slug = sheet_slug(page)
        sheets.append(sheet(html, slug, page))
        toc.append((page.plain_title, slug))
    return content.replace(PACK_SHEETS, "\n".join(sheets)), toc


def sheet_slug(page: Page) -> str:
    return page.rel.rsplit("/", 1)[-1][:-3]


_PRINT_BUTTON = re.compile(r'<p class="kb-print-button"[^>]*>.*?</p>\n?', re.S)
_HEADING = re.compile(r"<(/?)h([1-5])\b")
_ANCHOR = re.compile(r'(\bid="|\bhref="#)([^"]*)"')
_FIRST_ID = re.compile(r'<h1 id="([^"]*)"')


def sheet(content: str, slug: str, page: Page) -> str:
    """A checklist page's HTML as a sheet of the pack: without its Print button and its "Related" links
    (they lead to web pages), headings one level down (the sheet is a section of the pack), and every
    id and in-page link prefixed with the checklist's slug, so that ids stay unique in the pack."""
    content = _PRINT_BUTTON.sub("", content)
    related = next((s for s in page.sections if s.id == "related"), None)
    if related is not None:
        start, footer = content.find(f'<h2 id="{related.id}"'), content.find('<p class="kb-print-footer"')
        if 0 <= start < footer:
            content = content[:start] + content[footer:]
    title = _FIRST_ID.search(content)
    title_id = title.group(1) if title else None
    content = _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", content)
    content = _ANCHOR.sub(lambda m: f'{m[1]}{slug if m[2] == title_id else f"{slug}--{m[2]}"}"', content)
    return f'<section class="kb-sheet">\n{content.strip()}\n</section>'
