"""What the hooks add to a page's Markdown: counts, step labels, dates, notices, the quote-card grid
and the translation status page. Print furniture and the checklist print pack are in kb.printing.

Insertions are placed by the model's line numbers; nothing here parses Markdown again.
"""
from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from kb import status
from kb.corpus import Corpus
from kb.locales import Interface, language_name
from kb.model import Page
from kb.printing import checklist_pack, page_url, print_button, print_footer, signature_block


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
    dates: dict = field(default_factory=dict)   # resolved file path -> when it last changed (kb.history)

    def date_of(self, page: Page) -> dt.date | None:
        return self.dates.get((self.corpus.docs / page.lang / page.rel).resolve())


def tag_names(tags, ui: Interface) -> list[str]:
    return [ui.gettext(TAG_NAMES.get(str(tag), str(tag))) for tag in tags or []]


def _insert(lines: list[str], index: int, *new: str) -> None:
    lines[index:index] = list(new)


def decorate(markdown: str, page: Page, ctx: PageContext) -> str:
    """Return the page's Markdown with the interface text the hooks add."""
    ui = ctx.ui
    lines = markdown.split("\n")
    # MkDocs drops the blank lines after the front matter; page.body_line is the first line it keeps.
    at = lambda file_line: max(0, file_line - page.body_line)  # noqa: E731  file line -> index in `lines`
    inserts: list[tuple[int, list[str]]] = []

    count_playbooks(lines, page, ctx, at)
    if page.type == "playbook":
        total = len(page.steps)
        for step in page.steps:
            label = ui.gettext("Step {n} of {total}", n=ui.number(step.number), total=ui.number(total))
            inserts.append((at(step.line) + 1, ["", f'<p class="kb-step-label" data-search-exclude>{html.escape(label)}</p>', ""]))

    if page.type == "checklist" and page.items:
        inserts.append((at(page.items[-1].line) + 1, ["", *signature_block(ui)]))
    if page.type == "quotes":
        cards = page.units
        if cards:
            end = at(page.credit_line) if page.credit_line else len(lines)
            inserts.append((end, ["", "</div>", "</div>", ""]))
            for i, card in enumerate(cards):
                opening = ['<div class="grid kb-quotes" markdown>', ""] if i == 0 else ["</div>", ""]
                inserts.append((at(card.line), [*opening, f'<div class="card kb-quote" markdown>', ""]))

    header = [meta_line(page, ctx)]
    if page.type in ("checklist", "quotes") or page.generate == "checklist-pack":
        header.append(print_button(ui))
    notice = outdated_notice(page, ctx)
    title_index = at(page.title_line) + 1 if page.title_line else 0
    inserts.append((title_index, ["", *header, "", *notice]))
    if page.type == "checklist" or page.generate == "checklist-pack":
        inserts.append((len(lines), ["", print_footer(page, ctx)]))

    for index, new in sorted(inserts, key=lambda item: item[0], reverse=True):
        _insert(lines, index, *new)
    body = "\n".join(lines)
    if page.generate == "translation-status":
        body += "\n\n" + status_table(ctx.corpus, ui, page.lang)
    elif page.generate == "checklist-pack":
        body += "\n\n" + checklist_pack(ctx.corpus, page, ctx)
    return body


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
        end = line.find(")", line.find("](")) + 1
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
    return [f'!!! warning "{title}"', "", f'    {html.escape(text)} <a href="{href}" hreflang="{page.origin}">{html.escape(link)}</a>', ""]


def status_table(corpus: Corpus, ui: Interface, lang: str) -> str:
    header = "| " + ui.gettext("Page") + " | " + " | ".join(language_name(code) for code in corpus.languages) + " |"
    lines = [header, "|" + "---|" * (len(corpus.languages) + 1)]
    for rel, cells in status.rows(corpus):
        names = [f'<span class="kb-cell kb-cell-{c}">{html.escape(ui.gettext(CELL_NAMES[c]))}</span>' for c in cells]
        lines.append(f"| `{rel}` | " + " | ".join(names) + " |")
    counts = status.summary_counts(corpus)
    total = sum(counts.values()) or 1
    share = ui.percent(counts["ok"] / total)
    summary = ui.gettext("{share} of pages are up to date in every language.", share=share)
    return summary + "\n\n" + "\n".join(lines)
