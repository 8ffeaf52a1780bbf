"""What the hooks add to a page: to its Markdown (decorate: step counts, the quote-card grid) and to its
HTML (finish: meta line, step labels, dates, notices, signature and footer), and the translation status
page. Print furniture and the checklist print pack are in kb.printing.

Insertions are placed by the model's line numbers and ids; nothing here parses Markdown or HTML again.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

from kb import status
from kb.corpus import Corpus
from kb.locales import Interface, language_name
from kb.model import Page
from kb.printing import PACK_SHEETS, page_url, print_button, print_footer, signature_block


def N_(message: str) -> str:
    """Marks a string for extraction; translated where it is used."""
    return message


TAG_NAMES = {
    "complaints": N_("Complaints"), "loyalty": N_("Loyalty"), "referrals": N_("Referrals"),
    "recovery": N_("Service recovery"), "qualities": N_("Service qualities"),
    "communication": N_("Communication"), "compensation": N_("Compensation"),
    "rewards": N_("Rewards"), "quotes": N_("Quotations"),
}
CELL_NAMES = {"ok": N_("up to date"), "outdated": N_("outdated"), "missing": N_("missing"), "error": N_("error")}


@dataclass
class PageContext:
    """What a renderer needs besides the page: the corpus, the reader's interface text, URLs, dates."""

    corpus: Corpus
    ui: Interface
    changed: dt.date | None
    origin_changed: dt.date | None
    origin_url: str | None
    site_url: str


def tag_names(tags, ui: Interface) -> list[str]:
    return [ui.gettext(TAG_NAMES.get(str(tag), str(tag))) for tag in tags or []]


def _insert(lines: list[str], index: int, *new: str) -> None:
    lines[index:index] = list(new)


def decorate(markdown: str, page: Page, ctx: PageContext) -> str:
    """Return the page's Markdown with what must go through Markdown: step counts in link lists, the
    quote-card grid (its cards hold Markdown), the status summary and the places of generated parts."""
    lines = markdown.split("\n")
    # MkDocs drops the blank lines after the front matter; page.body_line is the first line it keeps.
    at = lambda file_line: max(0, file_line - page.body_line)  # noqa: E731  file line -> index in `lines`
    inserts: list[tuple[int, list[str]]] = []

    count_playbooks(lines, page, ctx, at)
    if page.type == "quotes":
        cards = page.units
        if cards:
            end = at(page.credit_line) if page.credit_line else len(lines)
            inserts.append((end, ["", "</div>", "</div>", ""]))
            for i, card in enumerate(cards):
                opening = ['<div class="grid kb-quotes" markdown>', ""] if i == 0 else ["</div>", ""]
                inserts.append((at(card.line), [*opening, f'<div class="card kb-quote" markdown>', ""]))

    for index, new in sorted(inserts, key=lambda item: item[0], reverse=True):
        _insert(lines, index, *new)
    body = "\n".join(lines)
    if page.generate == "translation-status":
        body += "\n\n" + status_summary(ctx.corpus, ctx.ui) + "\n\n" + STATUS_TABLE
    elif page.generate == "checklist-pack":
        body += "\n\n" + PACK_SHEETS
    return body


def finish(content: str, page: Page, ctx: PageContext) -> str:
    """Return the page's HTML with the interface text the hooks add: meta line, Print button, outdated
    notice, step labels, signature block and print footer. It is all HTML already, so it is put into
    the rendered page rather than into the Markdown, where Python-Markdown would parse it once more
    (a fifth of the Markdown time of a playbook)."""
    ui = ctx.ui
    if page.type == "playbook":
        total = ui.number(len(page.steps))
        for step in page.steps:
            label = ui.gettext("Step {n} of {total}", n=ui.number(step.number), total=total)
            if step.id:
                content = _after(content, f'<h2 id="{step.id}"', "</h2>",
                                 f'\n<p class="kb-step-label" data-search-exclude>{html.escape(label)}</p>')
    if page.type == "checklist" and page.items:
        content = _after(content, 'class="task-list-item"', "</ul>", "\n" + signature_block(ui), last=True)

    header = [meta_line(page, ctx)]
    if page.type in ("checklist", "quotes") or page.generate == "checklist-pack":
        header.append(print_button(ui))
    header += outdated_notice(page, ctx)
    header_html = "\n".join(part for part in header if part)
    if "</h1>" in content:
        content = _after(content, "<h1", "</h1>", "\n" + header_html)
    else:
        content = header_html + "\n" + content

    if page.type == "checklist" or page.generate == "checklist-pack":
        footer = print_footer(page, ctx)
        sheets = content.find(PACK_SHEETS)   # the pack's own footer goes before its sheets
        content = (content[:sheets] + footer + "\n" + content[sheets:]) if sheets >= 0 else content.rstrip("\n") + "\n" + footer + "\n"
    return content


def _after(content: str, start: str, end: str, new: str, last: bool = False) -> str:
    """`content` with `new` after the first `end` that follows the first (or last) `start`."""
    found = content.rfind(start) if last else content.find(start)
    close = content.find(end, found) if found >= 0 else -1
    if close < 0:
        return content
    close += len(end)
    return content[:close] + new + content[close:]


def count_playbooks(lines: list[str], page: Page, ctx: PageContext, at) -> None:
    """After each link to a playbook on a list line (the playbooks index, say), its step count: "8 шагов"."""
    for link in page.links:
        target = ctx.corpus.pages.get((page.lang, link.target))
        if target is None or target.type != "playbook" or link.anchor:
            continue
        index = at(link.line)
        line = lines[index] if 0 <= index < len(lines) else ""
        if not line.lstrip().startswith(("- ", "* ")):
            continue
        # this link's own "(…name.md)", not the line's first link: a line may link two playbooks
        own = line.find(link.target.rsplit("/", 1)[-1] + ")", line.find("]("))
        end = line.find(")", own if own >= 0 else line.find("](")) + 1
        count = ctx.ui.ngettext("{n} step", "{n} steps", len(target.steps))
        lines[index] = f'{line[:end]} <span class="kb-count">({html.escape(count)})</span>{line[end:]}'


def meta_line(page: Page, ctx: PageContext) -> str:
    ui, parts = ctx.ui, []
    if page.type == "playbook":
        n = len(page.steps)
        parts.append(ui.ngettext("{n} step", "{n} steps", n))
    if ctx.changed:
        parts.append(ui.gettext("Last updated: {date}", date=ui.date(ctx.changed)))
    language = html.escape(language_name(page.lang))
    joined = " · ".join(html.escape(p) for p in parts)
    return f'<p class="kb-meta" data-search-exclude><span class="kb-lang">{language}</span> · {joined}</p>' if joined else ""










def outdated_notice(page: Page, ctx: PageContext) -> list[str]:
    if page.origin == page.lang or not ctx.corpus.outdated(page.lang, page.rel):
        return []
    ui = ctx.ui
    origin = language_name(page.origin)
    title = ui.gettext("This translation is outdated")
    if ctx.origin_changed:
        text = ui.gettext("The original ({language}) was changed on {date}, after this page was translated.",
                          language=origin, date=ui.date(ctx.origin_changed))
    else:
        text = ui.gettext("The original ({language}) has changed since this page was translated.", language=origin)
    link = ui.gettext("Read the original")
    href = html.escape(ctx.origin_url or "", quote=True)
    # The HTML of Material's `!!! warning "title"` admonition
    return ['<div class="admonition warning">', f'<p class="admonition-title">{html.escape(title)}</p>',
            f'<p>{html.escape(text)} <a href="{href}" hreflang="{page.origin}">{html.escape(link)}</a></p>', "</div>"]


STATUS_TABLE = '<div class="kb-status-table"></div>'   # filled in after rendering: see status_table


def status_summary(corpus: Corpus, ui: Interface) -> str:
    counts = status.summary_counts(corpus)
    share = ui.percent(counts["ok"] / (sum(counts.values()) or 1))
    return ui.gettext("{share} of pages are up to date in every language.", share=share)


def status_table(corpus: Corpus, ui: Interface) -> str:
    """The pages × languages table as HTML. It takes the place of STATUS_TABLE in the rendered page
    rather than going through Markdown: one row per page and language would cost more to render
    than the content pages themselves on a large site."""
    head = "".join(f"<th>{html.escape(name)}</th>" for name in
                   [ui.gettext("Page"), *(language_name(code) for code in corpus.languages)])
    names = {c: f'<span class="kb-cell kb-cell-{c}">{html.escape(ui.gettext(CELL_NAMES[c]))}</span>' for c in CELL_NAMES}
    rows = [f"<tr>\n<td><code>{html.escape(rel)}</code></td>\n" + "\n".join(f"<td>{names[c]}</td>" for c in cells)
            + "\n</tr>" for rel, cells in status.rows(corpus)]
    return f"<table>\n<thead>\n<tr>\n{head}\n</tr>\n</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
