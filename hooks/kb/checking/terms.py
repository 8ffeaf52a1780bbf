"""The terminology check: every page against the glossary's variants to avoid (kb.content.glossary).

Words are compared folded: lower case (Turkish I/İ by Turkish rules), accents and other marks removed
(so Russian ё is е), Greek final ς as σ, Turkish dotless ı as i. A variant is a word or a phrase;
a word ending in * matches every ending ("претензи*": претензия, претензии, претензией…).

Matching is linear in the text: each line is split into words once; each word is looked up in a dict
of whole words and in a dict of prefixes (one lookup per distinct prefix length); a phrase's further
words are compared only where its first word matched.

Checked: everything a reader sees of a page: its body (title, headings, text) and the front-matter text
shown on the site (`title`, `description`: the page's line on its section page, `subtitle`).
Not checked: `search_words` (words staff type, avoided variants included on purpose, never shown), the
other front-matter keys, fenced code, `inline code`, link targets, {attribute lists} and HTML tags.
A deliberate use is marked on its line: <!-- term-ok: претензия --> (the word as written, or several,
comma-separated); the marker is an HTML comment, so the site does not show it. In front matter the
marker is a YAML comment at the end of the key's line: description: "…"  # term-ok: претензия
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from kb.checking.checks import Problem
from kb.content.model import Page

WORD = re.compile(r"\w+")
# What is not prose on a line: each class excludes its own opening character, so no scan runs twice
# over the same characters (linear time on any input).
NOT_PROSE = re.compile(r"`[^`]*`|\]\([^()]*\)|\{[^{}]*\}|<[^<>]*>|https?://\S+")
MARKER = re.compile(r"<!--\s*term-ok:([^<>]*)-->")
YAML_MARKER = re.compile(r"#[ \t]*term-ok:([^#]*)$")
# Front-matter text the site shows: Material's page title and subtitle, and our section lists' description.
SHOWN_META = ("title", "description", "subtitle")


@functools.lru_cache(maxsize=65536)
def fold(word: str, lang: str) -> str:
    if lang == "tr":
        word = word.replace("I", "ı").replace("İ", "i")
    decomposed = unicodedata.normalize("NFD", word.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("ı", "i").replace("ς", "σ")


def words(text: str, lang: str) -> list[str]:
    return [fold(m.group(), lang) for m in WORD.finditer(text)]


@dataclass(frozen=True)
class Pattern:
    """A variant to avoid, as folded words; a word ending in * is a prefix."""

    text: str
    parts: tuple[tuple[str, bool], ...]   # (folded word, is prefix)

    @classmethod
    def parse(cls, text: str, lang: str) -> "Pattern | None":
        parts = []
        for raw in text.split():
            prefix = raw.endswith("*")
            folded = words(raw.rstrip("*"), lang)
            if not folded:
                continue
            # "e-mail*" is two words: all but the last are whole words
            parts += [(w, False) for w in folded[:-1]] + [(folded[-1], prefix)]
        return cls(text, tuple(parts)) if parts else None

    def match_at(self, tokens: list[str], i: int) -> bool:
        if i + len(self.parts) > len(tokens):
            return False
        return all(tokens[i + k].startswith(w) if prefix else tokens[i + k] == w
                   for k, (w, prefix) in enumerate(self.parts))

    def matches_whole(self, tokens: list[str]) -> bool:
        """Whether the words of an approved term start with this variant (which would report the term itself)."""
        return any(self.match_at(tokens, i) for i in range(len(tokens)))


def _stem(word: str) -> str:
    # An approved term is inflected on the page: its words are compared without their last letters.
    return word[: max(3, len(word) - 2)] if len(word) > 3 else word


@dataclass
class Rule:
    concept: str
    term: str
    pattern: Pattern
    approved: tuple[str, ...]    # stems of the approved term's words


class Matcher:
    """All variants to avoid of one language, indexed by their first word."""

    def __init__(self, glossary, lang: str):
        self.lang = lang
        self.whole: dict[str, list[Rule]] = {}
        self.prefix: dict[str, list[Rule]] = {}
        for concept, entry in glossary.terms(lang):
            approved = tuple(_stem(w) for w in words(entry.term, lang))
            for variant in entry.avoid:
                pattern = Pattern.parse(variant, lang)
                if pattern is None:
                    continue
                rule = Rule(concept.id, entry.term, pattern, approved)
                first, is_prefix = pattern.parts[0]
                (self.prefix if is_prefix else self.whole).setdefault(first, []).append(rule)
        self.lengths = sorted({len(p) for p in self.prefix})
        self._seen: dict[str, tuple] = {}

    def __bool__(self) -> bool:
        return bool(self.whole or self.prefix)

    def candidates(self, token: str) -> list[Rule]:
        found = list(self.whole.get(token, ()))
        for n in self.lengths:
            if n > len(token):
                break
            found += self.prefix.get(token[:n], ())
        return found

    def _first_words(self, word: str) -> tuple:
        """The rules a word as written may start: cached, as the words of a site recur (most have none)."""
        rules = self._seen.get(word)
        if rules is None:
            if len(self._seen) > 500_000:   # bounded memory on any input
                self._seen.clear()
            rules = self._seen[word] = tuple(self.candidates(fold(word, self.lang)))
        return rules

    def scan(self, line: str, exempt: tuple[str, ...] | None = None) -> list[tuple[Rule, str]]:
        """The variants on one line of prose: (rule, the words as written), longest match first. The words
        marked deliberate are the line's <!-- term-ok: … --> markers, or `exempt` when given (front matter,
        where such a comment would be shown as text and the mark is a YAML comment)."""
        prose = NOT_PROSE.sub(" ", line)
        written = WORD.findall(prose)
        first = list(map(self._seen.get, written))
        if None in first:
            first = [rules if rules is not None else self._first_words(word) for rules, word in zip(first, written)]
        if not any(first):   # most lines: one dict look-up per word
            return []
        if exempt is None:
            exempt = [word for marker in MARKER.finditer(line) for word in marker.group(1).split(",")] \
                if "term-ok" in line else ()
        allowed = set()
        for word in exempt:
            allowed.update(self._rules_in(word.strip()))
        tokens = [fold(word, self.lang) for word in written]
        spans = None
        hits, i = [], 0
        while i < len(tokens):
            best = None
            for rule in first[i]:
                if rule.pattern.match_at(tokens, i) and (best is None or len(rule.pattern.parts) > len(best.pattern.parts)):
                    best = rule
            if best is None:
                i += 1
                continue
            width = len(best.pattern.parts)
            if id(best) not in allowed and not self._approved_within(best, tokens, i, width):
                spans = spans or [m.span() for m in WORD.finditer(prose)]
                hits.append((best, prose[spans[i][0]:spans[i + width - 1][1]]))
            i += width
        return hits

    def _rules_in(self, text: str) -> set[int]:
        tokens = words(text, self.lang)
        return {id(rule) for i in range(len(tokens)) for rule in self.candidates(tokens[i]) if rule.pattern.match_at(tokens, i)}

    @staticmethod
    def _approved_within(rule: Rule, tokens: list[str], i: int, width: int) -> bool:
        """Whether the approved term overlaps the match: "нужны рекомендации клиентов" holds the approved
        "рекомендация клиента" though "нужны рекомендации" is a variant to avoid; "follow-up" is approved
        though "follow*" is to avoid."""
        stems = rule.approved
        for start in range(max(0, i - len(stems) + 1), i + width):
            if start + len(stems) <= len(tokens) and all(tokens[start + k].startswith(s) for k, s in enumerate(stems)):
                return True
        return False


def prose_lines(page: Page):
    """(line number, text) of each body line outside fenced code (the model found the fences)."""
    code = {index for first, last in page.code_blocks for index in range(first, last + 1)}
    for index, line in enumerate(page.body):
        if index not in code:
            yield page.body_start + 1 + index, line


def shown_meta(page: Page):
    """(line number, text, words marked deliberate) of each front-matter value the site shows."""
    for key in SHOWN_META:
        value, number = page.meta.get(key), page.meta_lines.get(key)
        if not isinstance(value, str) or not value.strip() or number is None:
            continue
        written = page.front_matter[number - 2] if 0 <= number - 2 < len(page.front_matter) else ""
        marker = YAML_MARKER.search(written) if "term-ok" in written and "term-ok" not in value else None
        yield number, value, tuple(marker.group(1).split(",")) if marker else ()


def check_terms(page: Page, matcher: Matcher) -> list[Problem]:
    found = []
    for number, text, exempt in shown_meta(page):
        for rule, written in matcher.scan(text, exempt):
            found.append(Problem(page.path, number,
                                 f"'{written}' is a variant to avoid for '{rule.concept}': use '{rule.term}' "
                                 f"(glossary.yml; for a deliberate use, end the line with # term-ok: {written})"))
    for number, line in prose_lines(page):
        for rule, written in matcher.scan(line):
            found.append(Problem(page.path, number,
                                 f"'{written}' is a variant to avoid for '{rule.concept}': use '{rule.term}' "
                                 f"(glossary.yml; for a deliberate use, add <!-- term-ok: {written} --> to the line)"))
    return found


def check_corpus(pages, glossary) -> list[Problem]:
    if glossary is None or not glossary.concepts:
        return []
    matchers: dict[str, Matcher] = {}
    found = []
    for page in pages:
        matcher = matchers.get(page.lang)
        if matcher is None:
            matcher = matchers[page.lang] = Matcher(glossary, page.lang)
        if matcher:
            found += check_terms(page, matcher)
    return found
