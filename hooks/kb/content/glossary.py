"""The glossary as data (glossary.yml beside mkdocs.yml): for each concept and language, the approved
term, a note on its meaning and the variants to avoid. The glossary pages are made from it
(`table`) and the terminology check reads it (kb.checking.terms), so the two never disagree.

Bad input (broken YAML, a missing language, a duplicate concept, a wrong type, an avoided variant
that is another concept's approved term) is one Problem each, with the file and line.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from kb.checking.checks import Problem
from kb.content.locales import Interface
from kb.content.model import LANGUAGES

FILE_NAME = "glossary.yml"
TABLE = '<div class="kb-glossary-table"></div>'   # the place of the table on docs/<lang>/glossary.md
KEYS = ("term", "note", "avoid")


def N_(message: str) -> str:
    """Marks a string for extraction; translated where it is used."""
    return message


@dataclass
class Entry:
    """One concept in one language."""

    term: str
    note: str = ""
    avoid: list[str] = field(default_factory=list)
    line: int = 0
    avoid_lines: list[int] = field(default_factory=list)


@dataclass
class Concept:
    id: str
    line: int
    entries: dict[str, Entry] = field(default_factory=dict)


@dataclass
class Glossary:
    path: str                                   # as shown in messages
    concepts: list[Concept] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def terms(self, lang: str) -> list[tuple[Concept, Entry]]:
        return [(c, c.entries[lang]) for c in self.concepts if lang in c.entries]


def load(root: Path, display: str = FILE_NAME, languages=LANGUAGES, joining=()) -> Glossary | None:
    """The glossary beside mkdocs.yml, or None when the project has none (a fixture tree, say)."""
    path = root / FILE_NAME
    if not path.is_file():
        return None
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return Glossary(display, problems=[Problem(display, 1, f"the file is not UTF-8 (byte at offset {exc.start}); save it as UTF-8")])
    except OSError as exc:
        return Glossary(display, problems=[Problem(display, 1, f"cannot read the file ({exc.strerror})")])
    return parse(text, display, languages, joining)


NOTE = "note"   # a Problem kind that is neither an error nor an outdated page: a joining language's terms to add


def parse(text: str, path: str, languages=LANGUAGES, joining=()) -> Glossary:
    """`joining`: languages being added (mkdocs.yml, kb/content/languages.py), whose missing terms are listed as
    still to add, not as errors."""
    glossary = Glossary(path)
    to_add: dict[str, int] = {}

    def problem(node_or_line, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else node_or_line.start_mark.line + 1
        glossary.problems.append(Problem(path, line, message))

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem(mark.line + 1 if mark else 1, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")
        return glossary
    except Exception as exc:  # PyYAML raises a few non-YAMLError types on odd input
        problem(1, f"not valid YAML: {exc}")
        return glossary
    if root is None:
        problem(1, "the glossary is empty (one entry per concept: 'complaint:' with en, el, ru, tr, lt under it)")
        return glossary
    if not isinstance(root, yaml.MappingNode):
        problem(root, "the glossary must be a mapping of concept ids ('complaint:') to languages")
        return glossary

    seen: dict[str, int] = {}
    for key, value in root.value:
        cid = _scalar(key)
        if cid is None or not cid.strip():
            problem(key, "a concept id must be a word, e.g. 'complaint:'")
            continue
        if cid in seen:
            problem(key, f"concept '{cid}' is defined twice (also on line {seen[cid]})")
            continue
        seen[cid] = key.start_mark.line + 1
        concept = Concept(cid, key.start_mark.line + 1)
        if not isinstance(value, yaml.MappingNode):
            problem(value, f"concept '{cid}' must list its languages ({', '.join(languages)}), each with a term")
            continue
        for lang_node, entry_node in value.value:
            lang = _scalar(lang_node)
            if lang not in languages:
                problem(lang_node, f"concept '{cid}': unknown language '{lang}' (one of {', '.join(languages)})")
                continue
            if lang in concept.entries:
                problem(lang_node, f"concept '{cid}': language '{lang}' is given twice")
                continue
            entry = _entry(entry_node, cid, lang, problem)
            if entry is not None:
                concept.entries[lang] = entry
        missing = [lang for lang in languages if lang not in concept.entries]
        for lang in [lang for lang in missing if lang in joining]:
            to_add[lang] = to_add.get(lang, 0) + 1
        missing = [lang for lang in missing if lang not in joining]
        if missing:
            problem(key, f"concept '{cid}' has no term in {', '.join(missing)}")
        glossary.concepts.append(concept)
    _check_conflicts(glossary, languages)
    for lang, count in to_add.items():
        glossary.problems.append(Problem(path, 0, f"{lang} is joining: {count} concept(s) have no '{lang}' term yet "
                                                  f"(add them, e.g. '  {lang}: {{term: …}}' under each concept)", NOTE))
    return glossary


def _scalar(node) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _text(node, what: str, problem) -> str | None:
    value = _scalar(node)
    if value is None or node.tag != "tag:yaml.org,2002:str" or not value.strip():
        problem(node, f"{what} must be text")
        return None
    return value.strip()


def _entry(node, cid: str, lang: str, problem) -> Entry | None:
    where = f"concept '{cid}', {lang}"
    if isinstance(node, yaml.ScalarNode):   # `en: complaint`, the short form
        term = _text(node, f"{where}: the term", problem)
        return Entry(term, line=node.start_mark.line + 1) if term else None
    if not isinstance(node, yaml.MappingNode):
        problem(node, f"{where}: give 'term:' (and optionally 'note:' and 'avoid:')")
        return None
    values = {}
    for key, value in node.value:
        name = _scalar(key)
        if name not in KEYS:
            problem(key, f"{where}: unknown key '{name}' (known: {', '.join(KEYS)})")
            continue
        values[name] = value
    if "term" not in values:
        problem(node, f"{where}: the approved term is missing ('term:')")
        return None
    term = _text(values["term"], f"{where}: the term", problem)
    if not term:
        return None
    entry = Entry(term, line=values["term"].start_mark.line + 1)
    if "note" in values:
        entry.note = _text(values["note"], f"{where}: the note", problem) or ""
    avoid = values.get("avoid")
    if avoid is not None:
        if not isinstance(avoid, yaml.SequenceNode):
            problem(avoid, f"{where}: 'avoid' must be a list, e.g. avoid: [претензи*]")
        else:
            for item in avoid.value:
                variant = _text(item, f"{where}: each variant to avoid", problem)
                if variant:
                    entry.avoid.append(variant)
                    entry.avoid_lines.append(item.start_mark.line + 1)
    return entry


def _check_conflicts(glossary: Glossary, languages) -> None:
    """An avoided variant must not be (or match) an approved term: the check would report the glossary's own words."""
    from kb.checking import terms   # terms reads the glossary's types

    for lang in languages:
        approved = [(c, e) for c, e in glossary.terms(lang)]
        for concept, entry in approved:
            for variant, line in zip(entry.avoid, entry.avoid_lines):
                pattern = terms.Pattern.parse(variant, lang)
                if pattern is None:
                    glossary.problems.append(Problem(glossary.path, line,
                                                     f"concept '{concept.id}', {lang}: '{variant}' has no word to match"))
                    continue
                for other, other_entry in approved:
                    # Its own approved term may start with the variant ("follow*" beside "follow-up"): the
                    # check leaves the approved term alone. Another concept's term would be reported.
                    if other is not concept and pattern.matches_whole(terms.words(other_entry.term, lang)):
                        glossary.problems.append(Problem(
                            glossary.path, line,
                            f"concept '{concept.id}', {lang}: the variant to avoid '{variant}' matches the approved term "
                            f"'{other_entry.term}' of concept '{other.id}'"))


MEANING, AVOID = N_("Meaning"), N_("Avoid")   # column headings


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def table(glossary: Glossary | None, ui: Interface, languages=LANGUAGES) -> str:
    """The concepts × languages table in the reader's language: the approved term in every language
    (the reader's first), then the variants to avoid and the meaning, in the reader's language."""
    if glossary is None:
        return ""
    lang = ui.lang
    order = [lang, *(code for code in languages if code != lang)]
    names = ui.locale.languages
    # Babel's names are lower case inside a sentence in some languages (английский); a heading starts with a capital.
    head = [_capital(names.get(code, code)) for code in order] + [ui.gettext(AVOID), ui.gettext(MEANING)]
    rows = []
    for concept in glossary.concepts:
        cells = []
        for code in order:
            entry = concept.entries.get(code)
            text = html.escape(entry.term) if entry else ""
            cells.append(f'<td lang="{code}"><strong>{text}</strong></td>' if code == lang else f'<td lang="{code}">{text}</td>')
        own = concept.entries.get(lang)
        avoid = ", ".join(html.escape(v.replace("*", "…")) for v in own.avoid) if own else ""
        cells.append(f"<td>{avoid}</td>")
        cells.append(f"<td>{html.escape(own.note) if own else ''}</td>")
        rows.append(f'<tr id="{html.escape(concept.id, quote=True)}">' + "".join(cells) + "</tr>")
    header = "".join(f"<th>{html.escape(name)}</th>" for name in head)
    return (f'<div class="kb-glossary"><table>\n<thead><tr>{header}</tr></thead>\n'
            f"<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table></div>")
