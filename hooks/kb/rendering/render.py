"""What the hooks add to a page: to its Markdown (decorate: step counts, the quote-card grid) and to its
HTML (finish: meta line, step labels, dates, notices, signature and footer), and the translation status
page. Print furniture and the checklist print pack are in kb.rendering.printing.

Insertions are placed by the model's line numbers and ids; nothing here parses Markdown or HTML again.
"""
from __future__ import annotations

import dataclasses
import html
import posixpath
import re
from dataclasses import dataclass

from kb.rendering import navigation
from kb.translation import status
from kb.rendering.context import PageContext
from kb.content.corpus import Corpus
from kb.content.locales import Interface, language_in, language_name
from kb.content.model import Page
from kb.rendering.printing import PACK_SHEETS, page_url, print_button, print_footer, signature_block
from kb.util.text import plain


def N_(message: str) -> str:
    """Marks a string for extraction; translated where it is used."""
    return message


TAG_NAMES = {
    "complaints": N_("Complaints"), "loyalty": N_("Loyalty"), "referrals": N_("Referrals"),
    "recovery": N_("Service recovery"), "qualities": N_("Service qualities"),
    "communication": N_("Communication"), "compensation": N_("Compensation"),
    "rewards": N_("Rewards"), "quotes": N_("Quote cards"),
}
# Interface text of the sync notices and the status page (marked here: extraction skips f-strings).
CHANGED_SECTIONS = N_("Changed in the original since this page was translated:")
REMOVED = N_("removed")
WORD_DIFF = N_("What changed, word by word")
NEEDS_HISTORY = N_("The changed sections can be listed only with the project’s git history.")
TO_UPDATE = N_("To update:")
ORIGIN = N_("origin")
WHAT_CHANGED = N_("What changed in the originals")
BEFORE = N_("Before")
AFTER = N_("After")
# A page's status in one cell of the status table.
CELL_NAMES = {"ok": N_("up to date"), "outdated": N_("outdated"), "missing": N_("missing"), "error": N_("error")}
# A count of pages by status beside a language's bar: the words agree with the number through the
# catalog's plural forms (CLDR: 1 / 2 / 5 / 21 read differently in ru and lt), which no "label: n" does.
COUNT_LABELS = {
    "ok": lambda ui, n: ui.ngettext("{n} page up to date", "{n} pages up to date", n),
    "outdated": lambda ui, n: ui.ngettext("{n} page outdated", "{n} pages outdated", n),
    "missing": lambda ui, n: ui.ngettext("{n} page missing", "{n} pages missing", n),
    "error": lambda ui, n: ui.ngettext("{n} page with errors", "{n} pages with errors", n),
}


def tag_names(tags, ui: Interface) -> list[str]:
    """Tag names in the reader's language, html-escaped: Material's tags plugin writes them into its
    templates, the tags index and its table of contents as they are, and its search results render
    them as HTML (so an escaped name shows as its text everywhere)."""
    return [html.escape(ui.gettext(TAG_NAMES.get(str(tag), str(tag))), quote=True) for tag in tags or []]


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
        body += "\n\n" + pack_contents(page, ctx) + "\n\n" + PACK_SHEETS
    elif page.generate == "section-index":
        body += "\n\n" + section_list(page, ctx)
    return body


PACK_CONTENTS_TITLE = N_("Checklists in this pack")


def _href(source: Page, target: Page) -> str:
    """The link from `source` to `target` in the source's language (a fallback page has the same address)."""
    here = posixpath.dirname(page_url("/", source).rstrip("/") + "/x")
    there = page_url("/", dataclasses.replace(target, lang=source.lang) if target.lang != source.lang else target)
    return html.escape(posixpath.relpath(there, here).rstrip("/") + "/", quote=True)


def _description(page: Page) -> str:
    value = page.meta.get("description")
    return f" — {html.escape(value.strip())}" if isinstance(value, str) and value.strip() else ""


def section_list(page: Page, ctx: PageContext) -> str:
    """The pages of the index page's folder, in navigation order, each with its description from its own
    front matter (and, for a playbook, its step count). Pages not in this language are left out."""
    folder = posixpath.dirname(page.rel)
    items = []
    for rel in navigation.section_rels(ctx.corpus, folder, ctx.corpus.rels):
        target = ctx.corpus.shown(page.lang, rel)   # not yet translated: this language shows its stand-in's text
        if target is None:
            continue
        count = ""
        if target.type == "playbook":
            steps = ctx.ui.ngettext("{n} step", "{n} steps", len(target.steps))
            count = f' <span class="kb-count">({html.escape(steps)})</span>'
        items.append(f'<li><a href="{_href(page, target)}">{html.escape(target.plain_title)}</a>{count}{_description(target)}</li>')
    return '<ul class="kb-section-list">\n' + "\n".join(items) + "\n</ul>" if items else ""


def pack_contents(pack: Page, ctx: PageContext) -> str:
    """The pack's list of contents: every checklist of the language, linked to its page."""
    items = [f'<li><a href="{_href(pack, page)}">{html.escape(page.plain_title)}</a></li>'
             for page in navigation.checklists(ctx.corpus, pack.lang)]
    title = html.escape(ctx.ui.gettext(PACK_CONTENTS_TITLE))
    return (f'<div class="kb-pack-contents">\n<p><strong>{title}</strong></p>\n<ol>\n'
            + "\n".join(items) + "\n</ol>\n</div>")


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
    if page.type == "playbook":
        header.append(steps_at_a_glance(page, ui))
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
    """After each link to a playbook on a list line (the playbooks index, say), its step count: "8 шагов".
    Not in a checklist item, where the link is part of a sentence."""
    for link in page.links:
        target = ctx.corpus.pages.get((page.lang, link.target))
        if target is None or target.type != "playbook" or link.anchor:
            continue
        index = at(link.line)
        line = lines[index] if 0 <= index < len(lines) else ""
        item = line.lstrip()
        if not item.startswith(("- ", "* ")) or item[2:].startswith(("[ ]", "[x]", "[X]")):
            continue   # a checklist item's link is part of its sentence: no count in it
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










def steps_at_a_glance(page: Page, ui: Interface) -> str:
    """The playbook's step titles as a numbered list of links to the steps, for reading mid-call: made
    from the steps, so it never disagrees with them; left out of search and print (the steps are there)."""
    items = [f'<li value="{step.number}"><a href="#{html.escape(step.id, quote=True)}">{html.escape(plain(step.title))}</a></li>'
             for step in page.steps if step.id]
    if not items:
        return ""
    label = html.escape(ui.gettext("Steps at a glance"), quote=True)
    return (f'<nav class="kb-glance" aria-label="{label}" data-search-exclude>\n<ol>\n'
            + "\n".join(items) + "\n</ol>\n</nav>")


def outdated_notice(page: Page, ctx: PageContext) -> list[str]:
    if page.origin == page.lang or not ctx.corpus.outdated(page.lang, page.rel):
        return []
    ui = ctx.ui
    origin = language_in(page.origin, ui.lang)
    title = ui.gettext("This translation is outdated")
    if ctx.origin_changed:
        text = ui.gettext("The original ({language}) was changed on {date}, after this page was translated.",
                          language=origin, date=ui.date(ctx.origin_changed))
    else:
        text = ui.gettext("The original ({language}) has changed since this page was translated.", language=origin)
    link = ui.gettext("Read the original")
    href = html.escape(ctx.origin_url or "", quote=True)
    # The HTML of Material's `!!! warning "title"` admonition
    # An <aside>, not a <div>: Material's search parser ends a data-search-exclude block at the first closing
    # tag of the same name, and the notice holds <div>s (the word diff), which would leak into the index.
    notice = ['<aside class="admonition warning kb-outdated" data-search-exclude>', f'<p class="admonition-title">{html.escape(title)}</p>',
              f'<p>{html.escape(text)} <a href="{href}" hreflang="{page.origin}">{html.escape(link)}</a></p>']
    changes = ctx.changes
    if changes is not None and changes.sections:
        notice.append(f"<p>{html.escape(ui.gettext(CHANGED_SECTIONS))}</p>")
        items = []
        for change in changes.sections:
            name = html.escape(section_name(change, ui))
            if change.kind == "removed":
                items.append(f'<li><span lang="{page.origin}">{name}</span> ({html.escape(ui.gettext(REMOVED))})</li>')
            else:
                anchor = f"#{change.anchor}" if change.anchor else ""
                items.append(f'<li><a href="{href}{html.escape(anchor, quote=True)}" hreflang="{page.origin}" '
                             f'lang="{page.origin}">{name}</a></li>')
        notice.append("<ul>\n" + "\n".join(items) + "\n</ul>")
        # the old and new text, folded away (Material's collapsible block)
        shown = "\n".join(f'<p><strong lang="{page.origin}">{html.escape(section_name(change, ui))}</strong></p>\n'
                          f'{change_html(change, ui, page.origin)}' for change in changes.sections)
        notice.append(f'<details class="note"><summary>{html.escape(ui.gettext(WORD_DIFF))}</summary>\n{shown}\n</details>')
        if ctx.status_url:
            target = html.escape(f"{ctx.status_url}#{diff_anchor(page.lang, page.rel)}", quote=True)
            notice.append(f'<p><a href="{target}">{html.escape(ui.gettext(WHAT_CHANGED))}</a></p>')
    elif changes is not None and changes.unavailable and changes.unavailable.startswith("needs the git history"):
        notice.append(f"<p>{html.escape(ui.gettext(NEEDS_HISTORY))}</p>")
    todo = [p for p in ctx.corpus.problems_for(page.lang, page.rel) if p.message.startswith("to update: ")]
    if todo:
        notice.append(f"<p>{html.escape(ui.gettext(TO_UPDATE))}</p>")
        notice.append('<ul lang="en">\n' + "\n".join(f"<li>{html.escape(p.message.removeprefix('to update: '))} "
                                                       f"(<code>{html.escape(f'{p.path}:{p.line}')}</code>)</li>"
                                                       for p in todo) + "\n</ul>")
    return notice + ["</aside>"]


def section_name(change, ui: Interface) -> str:
    """A changed section as the reader sees it: its heading in the origin, or "Introduction"."""
    return change.title or ui.gettext("Introduction")


_NOT_ID = re.compile(r"[^A-Za-z0-9]+")


def diff_anchor(lang: str, rel: str) -> str:
    return "diff-" + lang + "-" + _NOT_ID.sub("-", rel.removesuffix(".md")).strip("-")


def relative_url(lang: str, rel: str, to_lang: str, to_rel: str) -> str:
    """The URL of page to_rel in to_lang, relative to page rel in lang (directory URLs)."""
    here = posixpath.dirname(page_url("/", _Where(lang, rel)))
    url = posixpath.relpath(page_url("/", _Where(to_lang, to_rel)), here or "/")
    return url.rstrip("/") + "/"


@dataclass
class _Where:
    """What page_url needs of a page: its language and path."""
    lang: str
    rel: str


def fallback_notice(content: str, shown: Page, reader: str, ui: Interface, origin_url: str | None,
                    replaced: bool = False) -> str:
    """Another language's page standing in for a missing translation (the origin, or the reader's next-best
    language: Corpus.stand_in), or for one that make publish replaced: a notice in the reader's language on top."""
    language, other = language_in(reader, reader), language_in(shown.lang, reader)
    if replaced:
        text = ui.gettext("The {language} translation of this page is being corrected: this is the {shown} version.",
                          language=language, shown=other)
    elif shown.lang == shown.origin:
        text = ui.gettext("Not yet translated into {language}: this is the {origin} original.", language=language, origin=other)
    else:
        text = ui.gettext("Not yet translated into {language}: this is the {shown} translation.", language=language, shown=other)
    link = ""
    if origin_url:
        link = (f' <a href="{html.escape(origin_url, quote=True)}" hreflang="{shown.origin}">'
                f'{html.escape(ui.gettext("Read the original"))}</a>')
    notice = (f'\n<div class="admonition info kb-fallback" lang="{reader}" data-search-exclude>\n'
              f'<p>{html.escape(text)}{link}</p>\n</div>')
    if "</h1>" in content:
        return _after(content, "<h1", "</h1>", notice)
    return notice + "\n" + content


STATUS_TABLE = '<div class="kb-status-table"></div>'   # filled in after rendering: see status_table


def status_summary(corpus: Corpus, ui: Interface) -> str:
    counts = status.summary_counts(corpus)
    share = ui.percent(counts["ok"] / (sum(counts.values()) or 1))
    # Goes through Markdown: escaped, as catalog text is data, not HTML.
    return html.escape(ui.gettext("{share} of pages are up to date in every language.", share=share))


def status_table(corpus: Corpus, ui: Interface, reader: str | None = None, changes: dict | None = None) -> str:
    """Progress per language, the pages × languages table and what changed in the origins, as HTML. It takes
    the place of STATUS_TABLE in the rendered page rather than going through Markdown: one row per page
    and language would cost more to render than the content pages themselves on a large site."""
    reader = reader or ui.lang
    changes = changes or {}
    status_rel = next((p.rel for p in corpus.pages.values() if p.generate == "translation-status"), "status.md")
    table = status.rows(corpus)
    parts = [progress_bars(corpus, ui, table)]
    head = "".join(f"<th>{html.escape(name)}</th>" for name in
                   [ui.gettext("Page"), *(language_name(code) for code in corpus.languages)])
    origin_mark = f' <span class="kb-origin">({html.escape(ui.gettext(ORIGIN))})</span>'
    rows = []
    for rel, cells in table:
        shown = corpus.pages.get((reader, rel)) or corpus.origin_page(rel) \
            or next((corpus.pages[l, rel] for l in corpus.languages if (l, rel) in corpus.pages), None)
        plain = shown.plain_title if shown is not None and shown.title else rel
        title = html.escape(plain)
        tds = []
        for lang, cell in zip(corpus.languages, cells):
            name = html.escape(ui.gettext(CELL_NAMES[cell]))
            exists = (lang, rel) in corpus.pages or (lang, rel) in corpus.broken or cell == "missing" and rel in corpus.origins
            stand_in = corpus.stand_in(lang, rel) if cell == "missing" else None   # a missing page shows its stand-in
            text_lang = stand_in.lang if stand_in is not None else lang
            label = (f'<a href="{html.escape(relative_url(reader, status_rel, lang, rel), quote=True)}" hreflang="{text_lang}" '
                     f'class="kb-cell kb-cell-{cell}">{name}</a>') if exists else f'<span class="kb-cell kb-cell-{cell}">{name}</span>'
            if corpus.origins.get(rel) == lang:
                label += origin_mark
            if (lang, rel) in changes and changes[lang, rel].sections:
                label += (f'<br><a class="kb-diff-link" href="#{diff_anchor(lang, rel)}">'
                          f'{html.escape(ui.gettext(WORD_DIFF))}</a>')
            tds.append(f"<td>{label}</td>")
        rows.append((plain.casefold(), f"<tr>\n<td>{title}</td>\n" + "\n".join(tds) + "\n</tr>"))
    # Material puts Markdown tables in a scrolling wrapper; ours (it has a class) is wrapped here, so that a
    # phone scrolls the table, not the page.
    parts.append(f'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">\n<table class="kb-status">\n'
                 f'<thead>\n<tr>\n{head}\n</tr>\n</thead>\n<tbody>\n'
                 + "\n".join(row for _, row in sorted(rows)) + "\n</tbody>\n</table>\n</div></div>")
    parts.append(diff_sections(corpus, ui, changes, reader))
    return "\n".join(part for part in parts if part)


def progress_bars(corpus: Corpus, ui: Interface, table) -> str:
    """One bar per language: the shares of pages up to date, outdated, missing (and with errors), with the
    counts as text too (the bar itself is decoration for screen readers)."""
    bars = []
    for index, lang in enumerate(corpus.languages):
        counts = {cell: 0 for cell in CELL_NAMES}
        for _, cells in table:
            counts[cells[index]] += 1
        total = sum(counts.values()) or 1
        segments = "".join(f'<span class="kb-bar-{cell}" style="width:{100 * n / total:.2f}%"></span>'
                           for cell, n in counts.items() if n)
        text = " · ".join(COUNT_LABELS[cell](ui, n) for cell, n in counts.items() if n or cell != "error")
        bars.append(f'<div class="kb-progress-row"><span class="kb-progress-lang">{html.escape(language_name(lang))}</span>'
                    f'<span class="kb-progress" aria-hidden="true">{segments}</span>'
                    f'<span class="kb-progress-text">{html.escape(text)}</span></div>')
    return f'<div class="kb-progress-bars">\n' + "\n".join(bars) + "\n</div>"


def diff_sections(corpus: Corpus, ui: Interface, changes: dict, reader: str) -> str:
    """What changed in the origin of each outdated translation, word by word: where the status table's
    "What changed" links lead."""
    shown = [(key, c) for key, c in sorted(changes.items()) if c.sections]
    if not shown:
        return ""
    out = [f'<h2 id="what-changed">{html.escape(ui.gettext(WHAT_CHANGED))}</h2>']
    for (lang, rel), change_set in shown:
        origin = change_set.origin
        title = (corpus.pages.get((reader, rel)) or change_set.page).plain_title
        out.append(f'<h3 id="{diff_anchor(lang, rel)}">{html.escape(title)} '
                   f'({html.escape(language_name(lang))})</h3>')
        for change in change_set.sections:
            name = html.escape(section_name(change, ui))
            if change.kind == "removed":
                name += f' ({html.escape(ui.gettext(REMOVED))})'
            out.append(f'<h4><span lang="{origin.lang}">{name}</span></h4>')
            out.append(change_html(change, ui, origin.lang))
    return "\n".join(out)


def change_html(change, ui: Interface, origin_lang: str) -> str:
    """A changed section's old and new text side by side, removed words struck out, added ones marked."""
    before = "".join(_run(op, text) for op, text in change.words if op != "insert")
    after = "".join(_run(op, text) for op, text in change.words if op != "delete")
    return (f'<div class="kb-diff" lang="{origin_lang}">'
            f'<div><p class="kb-diff-label" lang="{ui.lang}">{html.escape(ui.gettext(BEFORE))}</p><p class="kb-diff-text">{before}</p></div>'
            f'<div><p class="kb-diff-label" lang="{ui.lang}">{html.escape(ui.gettext(AFTER))}</p><p class="kb-diff-text">{after}</p></div>'
            "</div>")


def _run(op: str, text: str) -> str:
    escaped = html.escape(text)
    return {"delete": f"<del>{escaped}</del>", "insert": f"<ins>{escaped}</ins>"}.get(op, escaped)
