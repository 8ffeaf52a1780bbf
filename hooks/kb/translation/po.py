"""Page content through PO catalogs, for translators' CAT tools (Poedit, OmegaT, Weblate, Crowdin, Lokalize).

`make po LANG=ru` writes po/ru/<page>.po for every page whose origin is another language: one entry per
piece of text a translator writes (the title, each heading's title, paragraph, list item, quotation, table
row, and the front matter's title, description and subtitle), the origin's text as msgid, today's
translation as msgstr. What is not text stays out of the catalog and is kept from the Markdown: front
matter, `## 3.` step numbers, `{#ids}`, list and task markers, code. Where the origin changed since the
translation was marked current, the changed sections' entries are fuzzy with the origin's previous text
(`#| msgid`, from the git history: kb/translation/diff.py). Entries are matched across languages section by section
(by id, as the checks match them); a section whose pieces do not line up with the origin's (a paragraph
split in two, say) is one entry, the section's whole text.

`make po-import LANG=ru` writes each catalog's translations back into docs/ru/ (a page the language lacks is
written once every entry is translated), changing nothing but the text of the entries that differ, then
runs the checks and prints one line per problem of the pages written; a page whose entries are all
translated and none fuzzy is marked current (make mark-current). The format is read and written by polib.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import polib
import yaml

from kb.translation import diff
from kb.content.corpus import Corpus
from kb.content.model import HEADING, NUMBERED_TITLE, TRANSLATED_FROM, Page, printable, split_heading

PO_DIR = "po"
META_KEYS = ("title", "description", "subtitle")   # front-matter text a reader sees (not search_words: per language by design)
ITEM = re.compile(r"([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)(.*)")
QUOTE = re.compile(r"[ \t]*>[ \t]?")
TABLE_RULE = frozenset("|:- \t")   # the characters of a table's rule line (|---|:--|), checked without a regex
REF_DEF = re.compile(r"[ \t]{0,3}\[[^\]]+\]:")
FUZZY = "fuzzy"


@dataclass
class Segment:
    """A piece of text a translator writes, where it is in the file (lines[start:end]) and how it is written
    there: `before` and `after` on its line (a heading's '## 3. ' and ' {#id}', an item's '- [ ] '), or a
    prefix on each line (a quotation's '> ', an indentation)."""

    kind: str            # heading level ("h1", "h3"…), "p", "item", "quote", "row", or "all" (a whole section)
    text: str
    start: int
    end: int
    before: str = ""
    after: str = ""
    indent: str = ""     # continuation lines (an item's), or every line (a paragraph's, a quotation's)

    def lines(self, text: str) -> list[str]:
        """The file lines that write `text` in this segment's place and form."""
        parts = text.split("\n")
        if self.kind.startswith("h") or self.kind == "row":
            return [self.before + text.replace("\n", " ") + self.after]
        if self.kind == "item":
            return [self.before + parts[0]] + [self.indent + part if part else "" for part in parts[1:]]
        if self.kind == "quote":
            return [(self.indent + part).rstrip() if part else self.indent.rstrip() for part in parts]
        return [self.indent + part if part else "" for part in parts]


# --- reading a page into segments ----------------------------------------------------------------

def _heading(line: str, level: int) -> Segment | None:
    match = HEADING.match(line)
    if not match:
        return None
    title, _ = split_heading(match.group(2).rstrip(" \t").rstrip("#").rstrip(" \t"))
    if level == 2:
        numbered = NUMBERED_TITLE.match(title)
        if numbered:
            title = numbered.group(2).strip()
    at = line.find(title, len(match.group(1))) if title else -1
    if at < 0:
        return None
    return Segment(f"h{len(match.group(1))}", title, 0, 0, before=line[:at], after=line[at + len(title):])


def _blocks(lines: list[str], first: int, end: int, code: set[int]) -> list[Segment]:
    """The segments of lines[first:end] (a section's body)."""
    found, i = [], first
    while i < end:
        line = lines[i]
        stripped = line.strip()
        if not stripped or i in code or stripped.startswith(("<", "```", "~~~", "!!!", "???", "---")) \
                or REF_DEF.match(line):
            i += 1
            continue
        if HEADING.match(line):
            segment = _heading(line, len(HEADING.match(line).group(1)))
            if segment is not None:
                segment.start, segment.end = i, i + 1
                found.append(segment)
            i += 1
            continue
        if stripped.startswith("|"):
            if not ("-" in line and set(line) <= TABLE_RULE):
                found.append(Segment("row", line, i, i + 1))
            i += 1
            continue
        item = ITEM.fullmatch(line)
        if item:
            marker, text = item.group(1), [item.group(2)]
            j, indent = i + 1, " " * len(marker)
            while j < end and lines[j].strip() and j not in code and not ITEM.fullmatch(lines[j]) \
                    and lines[j][:1] in (" ", "\t"):
                indent = lines[j][: len(lines[j]) - len(lines[j].lstrip(" \t"))]
                text.append(lines[j].strip())
                j += 1
            found.append(Segment("item", "\n".join(text), i, j, before=marker, indent=indent))
            i = j
            continue
        quote = QUOTE.match(line)
        if quote:
            j = i
            while j < end and lines[j].strip() and QUOTE.match(lines[j]) and j not in code:
                j += 1
            prefix = quote.group()
            found.append(Segment("quote", "\n".join(lines[k][QUOTE.match(lines[k]).end():] for k in range(i, j)),
                                 i, j, indent=prefix if prefix.endswith(" ") else prefix + " "))
            i = j
            continue
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        j = i
        while j < end and lines[j].strip() and j not in code and (j == i or not (
                ITEM.fullmatch(lines[j]) or HEADING.match(lines[j]) or QUOTE.match(lines[j])
                or lines[j].strip().startswith(("<", "|", "```", "~~~")))):
            j += 1
        found.append(Segment("p", "\n".join(lines[k][len(indent):] if lines[k].startswith(indent) else lines[k].strip()
                                            for k in range(i, j)), i, j, indent=indent))
        i = j
    return found


@dataclass
class Part:
    """One section of a page as segments: its heading's title (None for the introduction, whose title is
    the page's) and the body's pieces."""

    key: str
    heading: Segment | None
    body: list[Segment]
    first: int          # the body's lines: lines[first:end]
    end: int


def parts(page: Page, lines: list[str]) -> dict[str, Part]:
    """The page's sections by key ('' for the introduction), from its file's lines."""
    code = {page.body_start + i for first, last in page.code_blocks for i in range(first, last + 1)}
    heads = [s for s in page.sections if s.line]
    found = {}
    for index, section in enumerate(page.sections):
        if not section.line and section.position:
            continue
        first = section.line if section.line else page.body_start
        end = heads[heads.index(section) + 1].line - 1 if section.line and heads.index(section) + 1 < len(heads) else \
            (heads[0].line - 1 if not section.line and heads else len(lines))
        heading = None
        if section.line:
            heading = _heading(lines[section.line - 1], 2)
            if heading is not None:
                heading.start, heading.end = section.line - 1, section.line
        found[section.key] = Part(section.key, heading, _blocks(lines, first, end, code), first, end)
    return found


def _kinds(part: Part) -> list[str]:
    return [segment.kind for segment in part.body]


def _whole(part: Part, lines: list[str]) -> Segment | None:
    """The section's body as one segment (when its pieces do not line up with the origin's)."""
    rows = [i for i in range(part.first, part.end) if lines[i].strip()]
    if not rows:
        return None
    start, end = rows[0], rows[-1] + 1
    return Segment("all", "\n".join(lines[start:end]), start, end)


@dataclass
class Pair:
    context: str                 # msgctxt: the section's key and the piece ("ask-questions:2", "intro:title")
    origin: Segment
    translation: Segment | None
    section: str                 # the section's key


def _context(key: str, piece: str) -> str:
    return f"{key or 'intro'}:{piece}"


def pairs(origin: Page, origin_lines: list[str], page: Page | None, lines: list[str] | None) -> list[Pair]:
    """The origin's segments with the translation's that stand for them (None where the translation has none)."""
    theirs = parts(origin, origin_lines)
    mine = parts(page, lines) if page is not None else {}
    found = []
    for key, part in theirs.items():
        own = mine.get(key)
        if part.heading is not None:
            found.append(Pair(_context(key, "title"), part.heading, own.heading if own else None, key))
        if own is None or _kinds(own) == _kinds(part):
            for index, segment in enumerate(part.body, start=1):
                found.append(Pair(_context(key, str(index)), segment, own.body[index - 1] if own else None, key))
        else:
            whole = _whole(part, origin_lines)
            if whole is not None:
                found.append(Pair(_context(key, "all"), whole, _whole(own, lines), key))
    return found


def _read_lines(path: Path) -> tuple[list[str], str, bool]:
    """The file's lines (without line ends), its line end, and whether it starts with a byte-order mark."""
    text = path.read_bytes().decode("utf-8")
    bom = text.startswith("\ufeff")
    text = text.removeprefix("\ufeff")
    newline = "\r\n" if "\r\n" in text else "\n"
    return text.replace("\r\n", "\n").split("\n"), newline, bom


# --- make po --------------------------------------------------------------------------------------------

def _meta_entries(origin: Page, page: Page | None) -> list[tuple[str, str, str]]:
    found = []
    for key in META_KEYS:
        value = origin.meta.get(key)
        if isinstance(value, str) and value.strip():
            own = page.meta.get(key) if page is not None else None
            found.append((f"meta:{key}", value, own if isinstance(own, str) else ""))
    return found


def _previous(change: diff.SectionChange, part: Part) -> dict[str, str]:
    """The origin's text of a changed section before the change, by msgctxt (kb/translation/diff.py keeps it as text:
    its heading line, a blank line, its body)."""
    if part.key == "":   # the introduction: its text starts with the page's "# title", a piece of its body here
        head, body = "", change.old
    else:
        head, _, body = change.old.partition("\n\n")
    previous = {}
    if part.heading is not None and head:
        numbered = NUMBERED_TITLE.match(head)
        previous[_context(part.key, "title")] = numbered.group(2).strip() if numbered else head
    old_lines = body.split("\n")
    old = _blocks(old_lines, 0, len(old_lines), set())
    if [segment.kind for segment in old] == _kinds(part):
        for index, segment in enumerate(old, start=1):
            previous[_context(part.key, str(index))] = segment.text
    else:
        whole = body.strip("\n")
        for index in range(1, len(part.body) + 1):
            previous[_context(part.key, str(index))] = whole
    previous[_context(part.key, "all")] = body.strip("\n")
    return previous


def catalog(corpus: Corpus, lang: str, rel: str, git=None) -> polib.POFile | None:
    """The catalog of page `rel` in `lang`; None when the language is the page's origin or it has none."""
    origin = corpus.origin_page(rel)
    if origin is None or origin.lang == lang:
        return None
    page = corpus.pages.get((lang, rel))
    origin_path = corpus.docs / origin.lang / rel
    origin_lines, _, _ = _read_lines(origin_path)
    lines = _read_lines(corpus.docs / lang / rel)[0] if page is not None else None
    po = polib.POFile()
    po.metadata = {"Project-Id-Version": f"{rel} ({origin.lang} → {lang})", "Language": lang,
                   "X-Source-Language": origin.lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}
    shown_origin = corpus.path_of(origin.lang, rel)
    changed, unknown = {}, None
    if page is not None and corpus.outdated(lang, rel):
        changes = diff.changes_for(corpus, page, git)
        if changes is not None and changes.unavailable:
            unknown = f"the origin changed since this translation; which sections is not known ({changes.unavailable})"
        elif changes is not None:
            changed = {change.key: change for change in changes.sections}
    for context, source, own in _meta_entries(origin, page):
        po.append(polib.POEntry(msgctxt=context, msgid=source, msgstr=own,
                                occurrences=[(shown_origin, str(origin.line_of(context[5:])))],
                                comment=f"front matter: {context[5:]}"))
    origin_parts = parts(origin, origin_lines)
    previous = {key: _previous(change, origin_parts[key]) for key, change in changed.items()
                if change.kind == diff.CHANGED and key in origin_parts}
    for pair in pairs(origin, origin_lines, page, lines):
        entry = polib.POEntry(msgctxt=pair.context, msgid=pair.origin.text,
                              msgstr=pair.translation.text if pair.translation is not None else "",
                              occurrences=[(shown_origin, str(pair.origin.start + 1))])
        if pair.context.endswith(":all"):
            entry.comment = "the whole section: its paragraphs and items do not line up with the origin's"
        if entry.msgstr and (pair.section in changed or unknown):
            # In a changed section, the pieces whose text changed (all of them when the pieces no longer line up)
            old = previous.get(pair.section, {}).get(pair.context)
            if unknown or old != entry.msgid:
                entry.flags.append(FUZZY)
                if old is not None:
                    entry.previous_msgid = old
                if unknown:
                    entry.comment = unknown
        po.append(entry)
    return po


def _unimported(path: Path, fresh: polib.POFile) -> bool:
    """Whether the catalog on disk has translations the Markdown does not have yet (make po-import first)."""
    try:
        old = polib.pofile(str(path))
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    now = {(e.msgctxt, e.msgid): e.msgstr for e in fresh}
    return any(e.msgstr and not e.obsolete and now.get((e.msgctxt, e.msgid), e.msgstr) != e.msgstr for e in old)


def export(corpus: Corpus, lang: str, force: bool = False) -> list[str]:
    """make po LANG=…: one catalog per page whose origin is another language."""
    out = corpus.root / PO_DIR / lang
    git = diff._Git(corpus.root)
    done = []
    for rel in corpus.rels:
        if (lang, rel) in corpus.broken:
            done.append(f"{corpus.path_of(lang, rel)}: not written: {corpus.broken[lang, rel].message}")
            continue
        po = catalog(corpus, lang, rel, git)
        if po is None:
            continue
        path = out / Path(rel).with_suffix(".po")
        shown = path.relative_to(corpus.root).as_posix()
        if path.exists() and not force and _unimported(path, po):
            done.append(f"{shown}: kept: it has translations not yet in the Markdown (make po-import LANG={lang} "
                        f"first; FORCE=1 writes it anew)")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(path))
        fuzzy = len(po.fuzzy_entries())
        untranslated = len(po.untranslated_entries())
        state = ", ".join(part for part in (f"{fuzzy} fuzzy" if fuzzy else "", f"{untranslated} untranslated" if untranslated else "") if part)
        done.append(f"{shown}: {len(po)} entries" + (f" ({state})" if state else ""))
    return done


# --- make po-import -------------------------------------------------------------------------------------

def _meta_line(key: str, value: str) -> str:
    return yaml.safe_dump({key: value}, allow_unicode=True, width=1 << 20, default_flow_style=False).rstrip("\n")


def _front_matter_end(lines: list[str]) -> int:
    return next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)


def _set_meta(lines: list[str], key: str, value: str) -> bool:
    end = _front_matter_end(lines)
    pattern = re.compile(rf"{re.escape(key)}[ \t]*:")
    for i in range(1, end):
        if pattern.match(lines[i]):
            try:
                current = yaml.safe_load(lines[i])
            except yaml.YAMLError:
                current = None
            if isinstance(current, dict) and current.get(key) == value:
                return False
            lines[i] = _meta_line(key, value)
            return True
    lines.insert(end, _meta_line(key, value))
    return True


class ImportResult:
    def __init__(self):
        self.lines: list[str] = []       # one line per problem or per page written
        self.written: list[Path] = []
        self.complete: list[Path] = []   # written pages whose catalog had every entry translated, none fuzzy


def import_catalog(corpus: Corpus, lang: str, po_path: Path, result: ImportResult) -> None:
    shown_po = po_path.relative_to(corpus.root).as_posix() if po_path.is_relative_to(corpus.root) else po_path.as_posix()
    rel = po_path.relative_to(corpus.root / PO_DIR / lang).with_suffix(".md").as_posix()
    say = lambda line, message: result.lines.append(f"{shown_po}:{line}: {printable(message)}" if line else f"{shown_po}: {printable(message)}")  # noqa: E731
    try:
        po = polib.pofile(str(po_path))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        say(0, f"cannot read the catalog ({exc}); nothing imported from it")
        return
    origin = corpus.origin_page(rel)
    if origin is None or origin.lang == lang:
        say(0, f"docs/{lang}/{rel} has no origin in another language (moved or deleted?); nothing imported")
        return
    page = corpus.pages.get((lang, rel))
    if page is None and (lang, rel) in corpus.broken:
        say(0, f"{corpus.broken[lang, rel]}: fix the page first; nothing imported")
        return
    target = corpus.docs / lang / rel
    origin_lines, _, _ = _read_lines(corpus.docs / origin.lang / rel)
    lines, newline, bom = _read_lines(target) if page is not None else (None, "\n", False)
    by_context = {pair.context: pair for pair in pairs(origin, origin_lines, page, lines)}
    meta = {context: (source, own) for context, source, own in _meta_entries(origin, page)}
    entries = [e for e in po if not e.obsolete and e.msgid]
    complete = all(e.msgstr and FUZZY not in e.flags for e in entries) and \
        {e.msgctxt for e in entries} >= set(by_context) | set(meta)
    replace: list[tuple[Segment, str]] = []
    new_sections: dict[str, list[tuple[Pair, str]]] = {}
    meta_values: dict[str, str] = {}
    for entry in entries:
        context, line = entry.msgctxt or "", entry.linenum
        if context in meta:
            if entry.msgid != meta[context][0]:
                say(line, f"'{context}': the origin's text changed since this catalog was written; not imported "
                          f"(make po LANG={lang} again: it keeps the translations)")
            elif entry.msgstr and "\n" in entry.msgstr:
                say(line, f"'{context}': front matter text is one line; not imported")
            elif entry.msgstr:
                meta_values[context[5:]] = entry.msgstr
            continue
        pair = by_context.get(context)
        if pair is None:
            say(line, f"'{context}' is not in the origin as it is now; not imported (make po LANG={lang} again)")
            continue
        if entry.msgid != pair.origin.text:
            say(line, f"'{context}': the origin's text changed since this catalog was written; not imported "
                      f"(make po LANG={lang} again: it keeps the translations)")
            continue
        if not entry.msgstr:
            continue
        if (pair.origin.kind.startswith("h") or pair.origin.kind == "row") and "\n" in entry.msgstr.strip("\n"):
            say(line, f"'{context}': a heading or table row is one line; not imported")
            continue
        if pair.translation is not None:
            if entry.msgstr != pair.translation.text:
                replace.append((pair.translation, entry.msgstr))
        else:
            new_sections.setdefault(pair.section, []).append((pair, entry.msgstr))
    if page is None:
        if not complete:
            missing = sum(1 for e in entries if not e.msgstr or FUZZY in e.flags)
            say(0, f"docs/{lang}/{rel} not written: {missing} entr{'y' if missing == 1 else 'ies'} untranslated or fuzzy "
                   f"(the page is written once every entry is translated)")
            return
        texts = {p.context: text for pieces in new_sections.values() for p, text in pieces}
        if not set(by_context) <= set(texts):
            say(0, f"docs/{lang}/{rel} not written: some entries do not match the origin as it is now (lines above)")
            return
        lines = _new_page(origin, origin_lines, texts, by_context)
        for key, value in meta_values.items():
            _set_meta(lines, key, value)
        changed = True
    else:
        changed = False
        for key, value in meta_values.items():
            changed |= _set_meta(lines, key, value) if meta.get(f"meta:{key}", ("", ""))[1] != value else False
        shift = _front_matter_shift(lines, page)
        edits = [(segment.start + shift, segment.end + shift, segment.lines(text)) for segment, text in replace]
        edits += _added_sections(origin, origin_lines, page, new_sections, by_context, shift, say)
        for start, end, new in sorted(edits, key=lambda edit: edit[0], reverse=True):
            lines[start:end] = new
            changed = True
    if not changed:
        if complete:
            result.complete.append(target)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes((("\ufeff" if bom else "") + newline.join(lines)).encode("utf-8"))
    result.written.append(target)
    if complete:
        result.complete.append(target)


def _front_matter_shift(lines: list[str], page: Page) -> int:
    """Lines added to the front matter (a key the translation lacked) move the body down."""
    return _front_matter_end(lines) + 1 - page.body_start


def _section_lines(pair_texts: dict[str, str], part: Part, origin_lines: list[str], key: str, by_context) -> list[str] | None:
    """A section of the origin written with its translated entries (None when one is missing)."""
    out = list(origin_lines[part.first - 1 if part.heading else part.first: part.end])
    edits = []
    if part.heading is not None:
        text = pair_texts.get(_context(key, "title"))
        if text is None:
            return None
        edits.append((0, 1, part.heading.lines(text)))
    offset = part.first - 1 if part.heading else part.first
    if _context(key, "all") in by_context:
        whole = by_context[_context(key, "all")].origin
        text = pair_texts.get(_context(key, "all"))
        if text is None:
            return None
        edits.append((whole.start - offset, whole.end - offset, whole.lines(text)))
    else:
        for index, segment in enumerate(part.body, start=1):
            text = pair_texts.get(_context(key, str(index)))
            if text is None:
                return None
            edits.append((segment.start - offset, segment.end - offset, segment.lines(text)))
    for start, end, new in sorted(edits, key=lambda edit: edit[0], reverse=True):
        out[start:end] = new
    return out


def _added_sections(origin: Page, origin_lines, page: Page, new_sections, by_context, shift, say):
    """Sections of the origin that the translation lacks, written where the origin has them."""
    edits = []
    theirs = parts(origin, origin_lines)
    mine = {s.key: s for s in page.sections}
    keys = list(theirs)
    for key, pieces in new_sections.items():
        if key in mine:
            continue   # a piece of a section the translation has: its pieces did not line up (reported by the checks)
        texts = {pair.context: text for pair, text in pieces}
        written = _section_lines(texts, theirs[key], origin_lines, key, by_context)
        if written is None:
            say(0, f"section '{key}' not added: some of its entries are untranslated")
            continue
        following = next((mine[k] for k in keys[keys.index(key) + 1:] if k in mine and mine[k].line), None)
        if following is not None:
            edits.append((following.line - 1 + shift, following.line - 1 + shift, written))
        else:   # after the page's last line of text, a blank line between
            while written and not written[-1].strip():
                written.pop()
            last = page.body_start + shift + max((i + 1 for i, line in enumerate(page.body) if line.strip()), default=0)
            edits.append((last, last, [""] + written))
    return edits


def _new_page(origin: Page, origin_lines: list[str], texts: dict[str, str], by_context) -> list[str]:
    """A translation the language lacked: the origin's file with every entry translated, its front matter
    without what belongs to the origin's version (translated_from, search_words)."""
    end = _front_matter_end(origin_lines)
    head = [line for line in origin_lines[: end + 1]
            if not re.match(rf"(?:{TRANSLATED_FROM}|search_words)[ \t]*:", line)]
    body = list(origin_lines[end + 1:])
    offset = end + 1
    edits = []
    for context, pair in by_context.items():
        segment = pair.origin
        edits.append((segment.start - offset, segment.end - offset, segment.lines(texts[context])))
    for start, stop, new in sorted(edits, key=lambda edit: edit[0], reverse=True):
        body[start:stop] = new
    return head + body


def import_all(corpus: Corpus, lang: str) -> tuple[list[str], int]:
    """make po-import LANG=…: every catalog of po/<lang>/; the lines to print and the exit status."""
    from kb.translation import staleness

    folder = corpus.root / PO_DIR / lang
    if not folder.is_dir():
        return [f"{PO_DIR}/{lang}/: no catalogs (make po LANG={lang} writes them)"], 1
    result = ImportResult()
    for po_path in sorted(folder.rglob("*.po")):
        import_catalog(corpus, lang, po_path, result)
    after = Corpus.load(corpus.docs, corpus.root)
    for path in result.written:
        result.lines.append(f"{after.display(path)}: written")
    marked = []
    for path in result.complete:   # every entry translated, none fuzzy: the translator has gone through it all
        rel = path.relative_to(after.docs / lang).as_posix()
        if after.outdated(lang, rel) and after.cell(lang, rel) != "error":
            try:
                marked.append(staleness.mark_current(after, path))
            except staleness.Refused as refused:
                marked.append(str(refused))
    if marked:
        result.lines += marked
        after = Corpus.load(corpus.docs, corpus.root)
    errors = 0
    for path in sorted(set(result.written) | set(result.complete)):
        shown = after.display(path)
        for problem in after.problems:
            if problem.path == shown:
                result.lines.append(str(problem))
                errors += problem.kind == "error"
    if errors:
        result.lines.append(f"make po-import: {errors} problem(s) above in the pages written: fix them in the catalog "
                            f"or the page (make status shows them all)")
    elif not result.written:
        result.lines.append(f"make po-import: nothing to write: docs/{lang}/ has every translation of the catalogs")
    return result.lines, 1 if errors else 0


def main(argv: list[str]) -> int:
    lang = os.environ.get("KB_ONLY_LANGUAGE", "").strip()
    command = argv[0] if argv else ""
    if command not in ("export", "import") or not lang:
        print("usage: make po LANG=ru   (or make po-import LANG=ru)")
        return 2
    corpus = Corpus.load(Path("docs"), Path.cwd())
    if lang not in corpus.languages:
        print(f"make po: unknown language '{printable(lang, 40)}': LANG=… takes one of {' '.join(corpus.languages)}")
        return 2
    if command == "export":
        for line in export(corpus, lang, force=os.environ.get("FORCE", "") not in ("", "0")):
            print(line)
        return 0
    lines, status = import_all(corpus, lang)
    for line in lines:
        print(line)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
