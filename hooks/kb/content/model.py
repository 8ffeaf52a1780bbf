"""The content model: one Markdown page parsed once into front matter, sections, steps,
checklist items, figures and links, each with its line number.

Every check, report and renderer reads this model; nothing else parses Markdown source.
The only exception parsing raises is `ContentError`, which carries a file and a line.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from kb.content import figures as figures_mod
from kb.content.languages import Languages

# The project's languages, as its mkdocs.yml lists them (kb/content/languages.py); a build or a command reads those
# of the tree it works on (Corpus.languages).
_PROJECT_LANGUAGES = Languages.load()
LANGUAGES = _PROJECT_LANGUAGES.codes
DEFAULT_LANGUAGE = _PROJECT_LANGUAGES.default
PAGE_TYPES = ("playbook", "checklist", "quotes", "faq", "page")
TAGS = (
    "complaints", "loyalty", "referrals", "recovery", "qualities",
    "communication", "compensation", "rewards", "quotes",
)
# Front-matter keys the model knows; others are passed to MkDocs untouched.
TRANSLATED_FROM = "translated_from"
# The words staff type to find a page, in the page's language (README, "Search words"): searched, never
# shown, and left out of the structure and terminology checks (they differ by language by design).
SEARCH_WORDS = "search_words"
SEARCH_WORD_LIMIT = 80      # characters of one entry: a word or a short phrase
GENERATE_KINDS = ("checklist-pack", "translation-status", "tags-index", "section-index")


# Characters that must not reach a terminal or a log raw: C0/C1 controls (ESC starts terminal commands),
# bidirectional overrides and isolates (they reorder what a reader sees), and invisible format characters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029]")
MESSAGE_LIMIT = 400   # characters of one message: a 3 MB line must not become megabytes of log


def printable(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """`text` as it may be shown on a terminal: control and invisible characters escaped (\\x1b,
    \\u202e), at most `limit` characters."""
    if len(text) > limit:
        text = text[:limit] + f"… ({len(text) - limit} more characters)"
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class ContentError(Exception):
    """A problem in a content file that stops it from being read: `path:line: message`."""

    def __init__(self, path: str, line: int, message: str):
        message = printable(message)
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Link:
    target: str          # docs-relative page path ("checklists/be-sure.md"), "" for the same page
    anchor: str          # "" when the link has no #anchor
    line: int

    @property
    def key(self) -> str:
        return f"{self.target}#{self.anchor}" if self.anchor else self.target


@dataclass
class Item:
    text: str
    line: int


@dataclass
class Section:
    """A level-2 heading and everything under it, or the part before the first one (`heading_line` 0)."""

    title: str
    id: str | None
    line: int
    number: int | None = None          # "## 3. Ask questions" -> 3
    position: int = 0                  # index among the page's sections (0: before the first heading)
    items: list[Item] = field(default_factory=list)
    figures: list[figures_mod.Figure] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """How the section is matched across languages."""
        return self.id or ("" if self.position == 0 else f"section {self.position}")


@dataclass
class Page:
    path: str                          # as shown in messages, e.g. "docs/el/faq/index.md"
    lang: str
    rel: str                           # the same in every language, e.g. "faq/index.md"
    meta: dict
    meta_lines: dict[str, int]         # front-matter key -> line number
    body_line: int                     # line of the first non-blank body line (where page.markdown starts)
    title: str
    title_line: int
    sections: list[Section]
    links: list[Link]
    fingerprint: str                   # hash of what a translation is made from
    body: list[str] = field(default_factory=list, repr=False, compare=False)   # lines after the front matter
    body_start: int = 0                # how many file lines precede `body`
    # Fenced code blocks as (first, last) indices into `body`, fences included: not prose (kb/checking/terms.py)
    code_blocks: list[tuple[int, int]] = field(default_factory=list, repr=False)
    # The front matter's lines as written (file line 2 first): their comments, e.g. "# term-ok: …" (kb/checking/terms.py)
    front_matter: list[str] = field(default_factory=list, repr=False, compare=False)

    @property
    def plain_title(self) -> str:
        """The title as text, without Markdown (escape it where it goes into HTML)."""
        from kb.util.text import plain
        return plain(self.title)

    @property
    def credit_line(self) -> int | None:
        """The line crediting the source articles (the last one linking to sources.md)."""
        lines = [link.line for link in self.links if link.target == "sources.md"]
        return lines[-1] if lines else None

    @property
    def type(self) -> str:
        return str(self.meta.get("type", ""))

    @property
    def origin(self) -> str:
        return str(self.meta.get("origin", ""))

    @property
    def steps(self) -> list[Section]:
        return [s for s in self.sections if s.number is not None]

    @property
    def units(self) -> list[Section]:
        """Level-2 sections with ids that are matched by id across languages (FAQ questions, cards…)."""
        return [s for s in self.sections if s.line and s.id != "related"]

    @property
    def items(self) -> list[Item]:
        return [i for s in self.sections for i in s.items]

    @property
    def generate(self) -> str | None:
        value = self.meta.get("generate")
        return str(value) if value else None

    @property
    def search_words(self) -> list[str]:
        """The words and phrases staff type for this page (validated by `_invalid_value`)."""
        return [str(word) for word in self.meta.get(SEARCH_WORDS) or []]

    def line_of(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


FRONT_MATTER_FENCE = "---"
# Every pattern below runs in time linear in the line: no two quantifiers can match the same characters
# (`## a` + 3,000 spaces + `b {#x}` took 23 s with the former heading pattern).
HEADING = re.compile(r"^(#{1,6})[ \t]+(.*)$")
_LONG_BLANK_RUN = re.compile(r"[ \t]{40,}")   # linear: a single character class
NUMBERED_TITLE = re.compile(r"^(\d+)[.)]\s+(.*)$")
TASK_ITEM = re.compile(r"^[-*+][ \t]+\[[ xX]\][ \t]+(.*)$")
FENCE = re.compile(r"^(`{3,}|~{3,})")
# A link's target, read at the "](" that ends its text: `[text](target "title")`. The target stops at
# "(" and at spaces, so that no two candidate matches scan the same characters.
LINK_TARGET = re.compile(r"[ \t]*<?([^()\s>]*)>?(?:[ \t]+\"[^\"]*\")?[ \t]*\)")
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
# Leading list, quote and indentation markers of a line: how deeply it is nested (possessive: linear).
NESTING = re.compile(r"[ \t]*+(?:(?:[-*+]|\d{1,9}[.)])[ \t]++|>[ \t]*+)*+")
NESTING_LIMIT = 50    # Python-Markdown recurses once per level and fails near 150 (RecursionError)
NEST_START = frozenset(" \t>-*+0123456789")
HTML_BLOCK_OPEN = re.compile(r"[ \t]*<[A-Za-z][\w-]*[^>]*\bmarkdown\b")
HTML_BLOCK_CLOSE = re.compile(r"[ \t]*</[A-Za-z]")
ID_CHARS = re.compile(r"[A-Za-z0-9_-]+")
FRONT_MATTER_LIMIT = 65536   # characters: front matter is a few short lines

# What the renderer (Python-Markdown) can take in proportionate time (README, "What a page may not hold"). Its
# time grows with the square of the unclosed '[' of a paragraph (20,000: two minutes), with the tags left
# open times the page's length, and with a table's cells (a 2,000 x 300 table: half a minute), and the build
# renders a page once per language that lacks it. The largest real page is about 12 kB with 35 '[' and 2 tags.
PAGE_LIMIT = 131072          # bytes of one page file: ten times the largest
LINE_LIMIT = 4000            # characters of one line (a paragraph is one line)
BRACKETS_PER_BLOCK = 200     # '[' in one paragraph, list item, table row or heading
BRACKETS_PER_PAGE = 2000
EMPHASIS_PER_BLOCK = 500     # '*' and '_' in one of these
TAGS_PER_PAGE = 100          # '<' starting a tag or comment ('<a', '</', '<!')
COLUMNS_LIMIT = 32           # '|' in one line: a table's columns
CELLS_PER_PAGE = 4000        # '|' in the whole page
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_OWN_INLINE_TEXT = re.compile(r"[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|\||#)")   # an item, a table row, a heading


def _too_big(size: int) -> str:
    return f"the page is {size:,} bytes long (at most {PAGE_LIMIT:,}): split it into several pages"


def _within_limits(text: str, lines: list[str], path: str) -> None:
    """A ContentError at the first line past one of the limits above. Counting the whole text settles
    nearly every page at once; only a page with many of some mark is walked block by block."""
    longest = max(map(len, lines))
    if longest > LINE_LIMIT:
        number = next(i for i, line in enumerate(lines, start=1) if len(line) > LINE_LIMIT)
        raise ContentError(path, number, f"the line is {longest:,} characters long (at most {LINE_LIMIT:,}): break "
                                         f"it into paragraphs or list items")
    brackets, emphasis, bars = text.count("["), text.count("*") + text.count("_"), text.count("|")
    if text.count("<") > TAGS_PER_PAGE and len(_TAG_START.findall(text)) > TAGS_PER_PAGE:
        seen = 0
        for number, line in enumerate(lines, start=1):
            seen += len(_TAG_START.findall(line)) if "<" in line else 0
            if seen > TAGS_PER_PAGE:
                raise ContentError(path, number, f"the page has more than {TAGS_PER_PAGE} HTML tags (by this line): "
                                                 f"write it in Markdown")
    if brackets <= BRACKETS_PER_BLOCK and emphasis <= EMPHASIS_PER_BLOCK and bars <= COLUMNS_LIMIT:
        return
    block_brackets = block_emphasis = page_brackets = page_bars = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip() or _OWN_INLINE_TEXT.match(line):
            # Markdown reads each list item, table row and heading's text apart: a long list of links is fine
            block_brackets = block_emphasis = 0
            if not line.strip():
                continue
        count = line.count("[") - line.count("\\[")   # an escaped bracket starts no link
        block_brackets, page_brackets = block_brackets + count, page_brackets + count
        block_emphasis += line.count("*") + line.count("_")
        columns = line.count("|")
        page_bars += columns
        if block_brackets > BRACKETS_PER_BLOCK or page_brackets > BRACKETS_PER_PAGE:
            where = "paragraph (or list item)" if block_brackets > BRACKETS_PER_BLOCK else "page"
            limit = BRACKETS_PER_BLOCK if block_brackets > BRACKETS_PER_BLOCK else BRACKETS_PER_PAGE
            raise ContentError(path, number, f"the {where} has more than {limit:,} '[' by this line (links, pictures, "
                                             f"tick boxes): split it, or write a bracket that is not a link as \\[")
        if block_emphasis > EMPHASIS_PER_BLOCK:
            raise ContentError(path, number, f"the paragraph (or list item) has more than {EMPHASIS_PER_BLOCK} '*' "
                                             f"and '_' by this line: split it")
        if columns > COLUMNS_LIMIT:
            raise ContentError(path, number, f"the line has {columns} '|' (at most {COLUMNS_LIMIT}: a table of at "
                                             f"most {COLUMNS_LIMIT - 1} columns): split the table")
        if page_bars > CELLS_PER_PAGE:
            raise ContentError(path, number, f"the page has more than {CELLS_PER_PAGE:,} '|' by this line (table "
                                             f"cells): split its tables into several pages")
PLAIN_SKIP = frozenset("`~#-*+")   # first characters of lines that need the full treatment
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def read_page(abs_path: Path, display_path: str, lang: str, rel: str) -> Page:
    """Read and parse one file; every failure becomes a ContentError naming the file."""
    try:
        size = abs_path.stat().st_size
        if size > PAGE_LIMIT:   # not read at all: a page of gigabytes would fill the memory first
            raise ContentError(display_path, 1, _too_big(size))
        raw = abs_path.read_bytes()
    except OSError as exc:
        raise ContentError(display_path, 1, f"cannot read the file ({exc.strerror})") from None
    return parse_bytes(raw, display_path, lang, rel)


def parse_bytes(raw: bytes, display_path: str, lang: str, rel: str) -> Page:
    """Parse a file's bytes (as read_page does, for a caller that has read them already)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError(
            display_path, line, f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        ) from None
    return parse_page(text, display_path, lang, rel)


def parse_page(text: str, path: str, lang: str, rel: str) -> Page:
    if text.startswith("\ufeff"):
        text = text[1:]
    if len(text) > PAGE_LIMIT:
        raise ContentError(path, 1, _too_big(len(text.encode("utf-8", "surrogatepass"))))
    nul = text.find("\x00")
    if nul >= 0:
        # A NUL byte would reach the HTML and the search index; no editor writes one on purpose.
        line = text.count("\n", 0, nul) + 1
        raise ContentError(path, line, "the line contains a NUL character (\\x00): delete it "
                                       "(the file may have been saved as UTF-16; save it as UTF-8)")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not text.strip():
        raise ContentError(path, 1, "the file is empty (a page needs front matter and a title)")
    meta, meta_lines, body_start = _front_matter(lines, path)
    body = lines[body_start:]
    sections, title, title_line, links, code_blocks = _body(body, body_start, path, lang, rel)
    _within_limits(text, lines, path)
    return Page(
        path=path, lang=lang, rel=rel, meta=meta, meta_lines=meta_lines,
        body_line=_first_text_line(lines, body_start), title=title, title_line=title_line,
        sections=sections, links=links, fingerprint=_fingerprint(meta, body),
        body=body, body_start=body_start, code_blocks=code_blocks, front_matter=lines[1:body_start - 1],
    )


def _first_text_line(lines: list[str], body_start: int) -> int:
    """1-based line of the body's first non-blank line: where MkDocs' Markdown starts (it strips blank lines)."""
    for index in range(body_start, len(lines)):
        if lines[index].strip():
            return index + 1
    return body_start + 1


def _front_matter(lines: list[str], path: str) -> tuple[dict, dict[str, int], int]:
    if lines[0].strip() != FRONT_MATTER_FENCE:
        raise ContentError(path, 1, "front matter is missing: the file must start with a '---' line")
    for end in range(1, len(lines)):
        if lines[end].strip() in (FRONT_MATTER_FENCE, "..."):
            break
    else:
        raise ContentError(path, 1, "front matter is not closed: add a '---' line after it")
    source = "\n".join(lines[1:end])
    if len(source) > FRONT_MATTER_LIMIT:
        raise ContentError(path, 2, f"front matter is {len(source):,} characters long: it is a few short "
                                    f"'key: value' lines (at most {FRONT_MATTER_LIMIT:,} characters)")
    try:
        meta = _load_yaml(source)
    except yaml.YAMLError as exc:
        line, message = _yaml_problem(exc, lines[1:end])
        raise ContentError(path, line, f"front matter: {message}") from None
    except RecursionError:
        raise ContentError(path, 2, "front matter: lists or maps are nested too deeply") from None
    except Exception as exc:  # PyYAML raises a few non-YAMLError types on odd input
        raise ContentError(path, 2, f"front matter is not valid YAML: {exc}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        lint = _lint(lines[1:end])
        raise ContentError(path, lint[0] if lint else 2,
                           f"front matter: {lint[1]}" if lint else "front matter must be 'key: value' lines")
    meta_lines = {}
    for offset, line in enumerate(lines[1:end], start=2):
        match = KEY_LINE.match(line)
        if match:
            key = match.group(1)
            if key in meta_lines:
                raise ContentError(path, offset, f"front matter: '{key}' is given twice (also on line "
                                                 f"{meta_lines[key]}): keep one")
            meta_lines[key] = offset
    meta = {str(k): v for k, v in meta.items()}
    for key, value in meta.items():
        problem = _key_problem(key) or _text_problem(key, value) or _invalid_value(key, value)
        if problem:
            raise ContentError(path, meta_lines.get(key, 2), f"front matter: {problem}")
    return meta, meta_lines, end + 1


# --- front matter values -------------------------------------------------------------------------
# Every value is checked for its type here, so that no check, hook or template of Material meets a
# number where it iterates a list (tags: 5, hide: 5) or a list where it reads a word.

HIDE = ("navigation", "toc", "footer", "path", "tags", "feedback")   # Material's `hide:` values
_SCALAR = (str, int, float, bool, dt.date, type(None))
# Material prints front-matter text into the page as it is, unescaped (title and subtitle in the menu,
# description and author inside <meta content="…">), and other keys may reach other templates: so all
# front-matter text is plain text on one line, without what makes markup (<, >) or ends an attribute (").
_MARKUP = re.compile(r'[<>"]')
_SURROGATE = re.compile("[\ud800-\udfff]")   # half a character ("\ud800" in YAML): no text can hold it
STATUSES = ("new", "deprecated")   # the page statuses Material knows (its CSS: md-status--new, --deprecated)
PAGE_TEMPLATE = "main.html"        # overrides/main.html: every page's template (another would be a trap)
_ICON = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)+", re.ASCII)


def _key_problem(key: str) -> str | None:
    if KEY_LINE.match(key + ":") and len(key) <= 40:
        return None
    return f"'{printable(key, 40)}' is not a front-matter key (keys are words, e.g. type, origin, tags)"


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item_key, item in value.items():
            yield from _strings(item_key)
            yield from _strings(item)


def _text_problem(key: str, value) -> str | None:
    """Why some text of a front-matter value is not plain text on one line, or None."""
    for text in _strings(value):
        odd = _MARKUP.search(text) or _UNPRINTABLE.search(text) or _SURROGATE.search(text)
        if odd:
            character = odd.group()
            shown = repr(character) if character in '<>"' else _escaped(character)
            hint = ("write quotation marks as your language does: “…”, «…», „…“" if character == '"'
                    else "front matter holds plain text, never markup" if character in "<>"
                    else "keep it on one line, without control or invisible characters")
            return f"'{key}' has {shown}, which front matter cannot hold: {hint}"
    return None


@functools.lru_cache(maxsize=1)
def _theme_icons() -> Path | None:
    """Material's icon folder, where `icon: material/headset` is looked up (None: no Material here)."""
    import importlib.util
    spec = importlib.util.find_spec("material")
    folder = Path(spec.origin).parent / "templates" / ".icons" if spec and spec.origin else None
    return folder if folder is not None and folder.is_dir() else None


def _icon_problem(value) -> str | None:
    if isinstance(value, str) and _ICON.fullmatch(value):
        icons = _theme_icons()
        if icons is None or (icons / f"{value}.svg").is_file():
            return None
    return f"'icon' must name one of the theme's icons, e.g. icon: material/headset (not {_shown(value)})"


def _shown(value) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:60] + "…"


def _word(key: str, value, example: str) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    return f"'{key}' must be one word, e.g. {key}: {example} (not {_shown(value)})"


def _invalid_value(key: str, value) -> str | None:
    """Why a front-matter value cannot be used, or None."""
    if key == "type":
        return _word(key, value, "playbook")
    if key == "origin":
        return _word(key, value, "en")
    if key == "generate":
        return _word(key, value, GENERATE_KINDS[0])
    if key == TRANSLATED_FROM:
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return None
        return f"'{key}' must be the code written by make mark-current (not {_shown(value)})"
    if key == "steps":
        if isinstance(value, int) and not isinstance(value, bool):
            return None
        return f"'steps' must be a whole number, e.g. steps: 7 (not {_shown(value)})"
    if key == "tags":
        if value is None or (isinstance(value, list) and all(isinstance(t, str) for t in value)):
            return None
        return f"'tags' must be a list of tag ids, e.g. tags: [complaints, loyalty] (not {_shown(value)})"
    if key == "hide":
        if isinstance(value, list) and all(isinstance(v, str) and v in HIDE for v in value):
            return None
        return f"'hide' must be a list of {', '.join(HIDE)} (not {_shown(value)})"
    if key == "search":
        if isinstance(value, dict) and all(
                (k == "exclude" and isinstance(v, bool))
                or (k == "boost" and isinstance(v, (int, float)) and not isinstance(v, bool))
                for k, v in value.items()):
            return None
        return f"'search' must be e.g. search: {{exclude: true}} or search: {{boost: 2}} (not {_shown(value)})"
    if key == SEARCH_WORDS:
        return _search_words_problem(value)
    if key == "status":
        return None if value in STATUSES else f"'status' must be one of {', '.join(STATUSES)} (not {_shown(value)})"
    if key == "template":
        return None if value == PAGE_TEMPLATE else f"'template' can only be {PAGE_TEMPLATE}, the pages' template (not {_shown(value)})"
    if key == "icon":
        return _icon_problem(value)
    if key in ("title", "description", "subtitle"):
        return None if isinstance(value, str) else f"'{key}' must be text (not {_shown(value)})"
    if isinstance(value, _SCALAR) or (isinstance(value, list) and all(isinstance(v, _SCALAR) for v in value)):
        return None
    return f"'{key}' must be a word, a number or a [list, of, them] (not {_shown(value)})"


def _search_words_problem(value) -> str | None:
    example = "search_words: [shouting, rude, money back]"
    if value is None:
        return None
    if not isinstance(value, list):
        return f"'{SEARCH_WORDS}' must be a list of words and phrases, e.g. {example} (not {_shown(value)})"
    for word in value:
        if isinstance(word, bool) or not isinstance(word, (str, int, float)) or not str(word).strip():
            return f"'{SEARCH_WORDS}' holds {_shown(word)}: each entry must be a word or a short phrase, e.g. {example}"
        if len(str(word)) > SEARCH_WORD_LIMIT or _UNPRINTABLE.search(str(word)) or "<" in str(word):
            return (f"'{SEARCH_WORDS}' entry {_shown(word)} is not a word or a short phrase (at most "
                    f"{SEARCH_WORD_LIMIT} characters of plain text on one line)")
    return None


# --- YAML problems in words ----------------------------------------------------------------------

def _yaml_problem(exc: yaml.YAMLError, lines: list[str]) -> tuple[int, str]:
    """The file line and a plain-words message for a YAML error (front matter starts on file line 2)."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = "\n".join(lines)[: exc.position].count("\n") + 2
        character = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        return line, f"a control character ({_escaped(character)}) that front matter cannot hold: delete it"
    if isinstance(exc, _AliasUsed):
        return exc.line + 2, ("'*' refers back to another value (a YAML alias), which front matter does not "
                              "allow: write the value out")
    problem = str(getattr(exc, "problem", "") or "")
    context = str(getattr(exc, "context", "") or "")
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    at = (problem_mark or context_mark).line + 2 if (problem_mark or context_mark) else 2
    opened = context_mark.line + 2 if context_mark else at
    lint = _lint(lines)
    if lint and lint[0] <= at and "quoted scalar" not in context and "flow" not in context:
        return lint
    if "quoted scalar" in context:
        return opened, f"the quote opened on line {opened} is never closed (end the value with the same quote)"
    if "flow sequence" in context:
        return opened, f"the '[' opened on line {opened} is never closed (add ']' where the list ends)"
    if "flow mapping" in context:
        return opened, f"the '{{' opened on line {opened} is never closed (add '}}' where it ends)"
    if "'\\t'" in problem:
        return at, "a tab character: indent and separate front matter with spaces, not tabs"
    if "could not find expected ':'" in problem:
        return opened, "a 'key: value' line needs a ':' and a space after the key"
    if "mapping values are not allowed" in problem:
        line = lines[at - 2] if 0 <= at - 2 < len(lines) else ""
        if line[:1] in (" ", "\t"):
            return at, "this line is indented: start it at the beginning of the line, as the others"
        return at, "a second ':' in the value: put the value in quotes (title: \"Before: after\")"
    if "expected <block end>" in problem or "block mapping" in context or "block collection" in context:
        return at, "the indentation of this line does not match the lines above"
    if "alias" in problem:
        return at, "'*' refers back to another value (a YAML alias), which front matter does not allow"
    if "constructor for the tag" in problem or "tag" in problem:
        return at, "'!' tags are not allowed in front matter: write plain values"
    return at, f"this is not valid YAML ({problem or context or 'unreadable'})"


_KEY_VALUE = re.compile(r"[^\s:#'\"\[{][^:]*:(?:[ ]|$)")


def _lint(lines: list[str]) -> tuple[int, str] | None:
    """The first top-level line that is not `key: value`, in words (PyYAML reports such slips on a later line)."""
    for offset, line in enumerate(lines, start=2):
        if not line.strip() or line[:1] in (" ", "#", "-"):
            continue
        if line[:1] == "\t" or ":\t" in line:
            return offset, "a tab character: indent and separate front matter with spaces, not tabs"
        if _KEY_VALUE.match(line):
            continue
        key, colon, _ = line.partition(":")
        if colon and key.strip() and " " not in key.strip():
            return offset, f"put a space after the ':' (write '{key.strip()}: …')"
        return offset, f"'{printable(line.strip(), 40)}' is not a 'key: value' line (write e.g. 'type: page')"
    return None


class _AliasUsed(yaml.YAMLError):
    def __init__(self, line: int):
        super().__init__("alias")
        self.line = line


class _FrontMatterLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: nine aliases of nine aliases make 387 million values."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _AliasUsed(self.peek_event().start_mark.line)
        return super().compose_node(parent, index)


def _safe_load(source: str):
    return yaml.load(source, Loader=_FrontMatterLoader)  # noqa: S506  a safe loader


# libyaml (when PyYAML has it) reads front matter about ten times faster than the pure-Python loader;
# anything it rejects goes to the pure-Python loader, so results and error messages stay as they were.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# libyaml scans some inputs differently (a tab after "key:", "|#", "!" alone, a byte-order mark), so it
# only gets what front matter is made of: `key: value` lines whose values are plain words, numbers or a
# [list, of, them] (no '*' or '&': no aliases), in any script, the list's items also "double-quoted" without
# escapes or control characters (search_words: ["вышел из себя", …]; the pure-Python loader read those ten
# times slower: a fifth of a build at 1,000 pages per language); anything else goes to the pure-Python loader.
# (Linear: an item is words, spaces included, or a space and a quoted string; never both, so a line that does
# not match is given up in one pass.)
_WORDS, _ITEM = r"[\w. -]*", r'(?:[\w. -]*| ?"[^"\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*")'
_FAST_SAFE = re.compile(rf"(?:[A-Za-z_][\w-]*:(?: {_WORDS}| \[{_ITEM}(?:,{_ITEM})*\])?)?")


def _load_yaml(source: str):
    if not all(_FAST_SAFE.fullmatch(line) for line in source.split("\n")):
        return _safe_load(source)
    try:
        return _fresh(_load_yaml_cached(source))
    except Exception:
        return _safe_load(source)


@functools.lru_cache(maxsize=16384)
def _load_yaml_cached(source: str):
    """Front matter recurs: every translation of a page has the same (type, origin, tags, translated_from)."""
    return yaml.load(source, Loader=_FAST_LOADER)  # noqa: S506  a safe loader


def _fresh(value):
    """A copy of the mutable parts of a cached value, so that no two pages share a list or a dict."""
    if isinstance(value, dict):
        return {key: _fresh(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh(item) for item in value]
    if isinstance(value, set):
        return set(value)
    return value


def split_heading(raw: str) -> tuple[str, str | None]:
    """'Ask questions {#ask-questions}' -> ('Ask questions', 'ask-questions').

    The attribute list is the last `{…}` of the heading, as attr_list reads it; found with string
    searches, not a regular expression, so that the time stays linear in the length of the line."""
    text = raw.rstrip()
    if not text.endswith("}"):
        return raw.strip(), None
    close = len(text) - 1
    start = text.find("{", text.rfind("}", 0, close) + 1, close)
    if start < 0:
        return raw.strip(), None
    ident = None
    # Split at ASCII spaces only, as attr_list does: a no-break space stays part of the id it follows.
    for token in text[start + 1:close].removeprefix(":").replace("\t", " ").split(" "):
        if token.startswith("#") and len(token) > 1:
            ident = token[1:]
    return raw[:start].strip(), ident


# Letters that look like English ones in ids: Cyrillic and Greek look-alikes.
_LOOKALIKES = str.maketrans("аеорсухіјѕАВЕКМНОРСТХІЈЅοαιντκΑΒΕΗΙΚΜΝΟΡΤΥΧ",
                            "aeopcyxijsABEKMHOPCTXIJSoaivtkABEHIKMNOPTYX")


def id_problem(ident: str) -> str | None:
    """Why an id cannot be used as it is, with the culprit characters escaped, or None.

    Ids are English slugs, the same in every language: a no-break space, a zero-width space or a
    Cyrillic 'і' makes an id that looks right and matches nothing."""
    if ID_CHARS.fullmatch(ident):
        return None
    odd = [ch for ch in dict.fromkeys(ident) if not ID_CHARS.fullmatch(ch)]
    names = ", ".join(f"{_escaped(ch)} ({unicodedata.name(ch, 'unnamed character')})" for ch in odd[:4])
    suggestion = "".join(ch for ch in ident.translate(_LOOKALIKES) if ID_CHARS.fullmatch(ch))
    hint = f": write {{#{suggestion}}}" if suggestion else ""
    return (f"id '{_escaped(ident)}' has characters other than English letters, digits and '-': "
            f"{names}{hint}")


def _escaped(text: str) -> str:
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _nesting(line: str) -> int:
    """How deeply a line is nested: list and quote markers at its start, and two columns of indentation per level."""
    prefix = NESTING.match(line).group()
    body = prefix.lstrip(" \t")
    indent = prefix[: len(prefix) - len(body)]
    markers = sum(len(token) if token[0] == ">" else 1 for token in body.split())
    return (indent.count("\t") * 4 + indent.count(" ")) // 2 + markers


def _body(body: list[str], offset: int, path: str, lang: str, rel: str):
    intro = Section(title="", id=None, line=0)
    sections = [intro]
    links: list[Link] = []
    title, title_line = "", 0
    fence, fence_start, code_blocks = None, 0, []
    html_depth = 0
    has_digit = figures_mod.DIGIT.search
    for index, line in enumerate(body):
        stripped = line.strip()
        if fence is None and line[:1] in NEST_START:
            depth = _nesting(line) + html_depth
            if depth > NESTING_LIMIT:
                raise ContentError(path, offset + index + 1, f"lists, quotes or indentation are nested {depth} levels "
                                                             f"deep here (at most {NESTING_LIMIT}): flatten them")
        if fence is None and stripped[:1] == "<":
            # <div markdown> blocks nest too (md_in_html recurses once per level)
            if stripped[1:2] == "/":
                html_depth = max(0, html_depth - 1)
            elif "markdown" in stripped[: stripped.find(">") + 1 or None] and "</" not in stripped:
                html_depth += 1   # an element closed on its own line does not nest
                if html_depth > NESTING_LIMIT:
                    raise ContentError(path, offset + index + 1, f"HTML blocks with markdown are nested {html_depth} "
                                                                 f"levels deep here (at most {NESTING_LIMIT})")
        if (fence is None and stripped[:1] not in PLAIN_SKIP and "](" not in line and "]:" not in line
                and not has_digit(line)):
            # Plain prose (most lines): no fence, heading, item, link or figure can start here.
            sections[-1].text.append(line)
            continue
        number = offset + index + 1
        # The first-character tests only skip regexes that could not match: parsing is the hot path.
        fence_match = FENCE.match(stripped) if stripped[:1] in "`~" else None
        if fence:
            if fence_match and stripped.startswith(fence):
                fence = None
                code_blocks.append((fence_start, index))
            continue
        if fence_match:
            fence, fence_start = fence_match.group(1), index
            continue
        heading = HEADING.match(line) if line[:1] == "#" else None
        if heading and _LONG_BLANK_RUN.search(line):
            # Python-Markdown's own heading pattern takes time that grows with the cube of such a run: a
            # page with one would stall `make build` and `make serve`; nothing a title needs looks like it.
            run = len(_LONG_BLANK_RUN.search(line).group(0))
            raise ContentError(path, number, f"the heading has a run of {run} spaces or tabs: "
                                             f"use one space between words")
        if heading and len(heading.group(1)) <= 2:
            # Closing hashes and spaces are not part of the title ("## Title ##"): stripped, not matched.
            text, ident = split_heading(heading.group(2).rstrip(" \t").rstrip("#").rstrip(" \t"))
            if len(heading.group(1)) == 1:
                if not title:
                    title, title_line = text, number
                continue
            numbered = NUMBERED_TITLE.match(text)
            section = Section(title=text, id=ident, line=number, position=len(sections))
            if numbered:
                section.number = int(numbered.group(1))
                section.title = numbered.group(2).strip()
            section.figures.extend(figures_mod.extract(section.title, lang, number))
            sections.append(section)
            continue
        current = sections[-1]
        task = TASK_ITEM.match(stripped) if stripped[:1] in "-*+" else None
        if task and not line.startswith((" ", "\t")):
            current.items.append(Item(text=task.group(1).strip(), line=number))
        if "](" in line or "]:" in line:   # every link form has one of these
            for target in _link_targets(line):
                link = _resolve_link(target, rel, number)
                if link is not None:
                    links.append(link)
        current.text.append(line)
        if has_digit(line):
            current.figures.extend(figures_mod.extract(line, lang, number))
    if fence:   # not closed: the code runs to the end of the page, as in Python-Markdown
        code_blocks.append((fence_start, len(body) - 1))
    return sections, title, title_line, links, code_blocks


def _link_targets(line: str) -> list[str]:
    return [target for _, _, target in link_spans(line)]


def link_spans(line: str) -> list[tuple[int, int, str]]:
    """(start, end, target) of the line's link targets (kb/translation/move.py rewrites them in place). Each "](" is
    read once, its text looked for back to the previous one: linear in the length of the line, however
    many brackets it has."""
    spans = []
    barrier, at = 0, line.find("](")
    while at >= 0:
        close = line.rfind("]", barrier, at)
        while close > barrier and line[close - 1] == "\\":   # an escaped \] is part of the link text
            close = line.rfind("]", barrier, close - 1)
        if line.find("[", max(close + 1, barrier), at) >= 0:
            match = LINK_TARGET.match(line, at + 2)
            if match:
                spans.append((match.start(1), match.end(1), match.group(1)))
        barrier = at + 1
        at = line.find("](", at + 2)
    ref = REF_DEF.match(line)
    if ref:
        spans.append((ref.start(1), ref.end(1), ref.group(1)))
    return spans


def _resolve_link(target: str, rel: str, line: int) -> Link | None:
    """Internal links only, as a docs-relative page path and an anchor."""
    if not target or SCHEME.match(target) or target.startswith("//"):
        return None
    page, _, anchor = target.partition("#")
    if not page:
        return Link(target="", anchor=anchor, line=line)
    return Link(target=_docs_path(page, rel), anchor=anchor, line=line)


@functools.lru_cache(maxsize=65536)
def _docs_path(page: str, rel: str) -> str:
    """A link's page as a docs-relative path; cached, as the same links recur on every language's page."""
    if page.startswith("/"):
        resolved = PurePosixPath(page.lstrip("/"))
    else:
        resolved = PurePosixPath(rel).parent / page
    parts: list[str] = []
    for part in resolved.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    normalized = "/".join(parts)
    if normalized and not normalized.endswith(".md") and "." not in parts[-1]:
        normalized += "/index.md"
    return normalized


def _fingerprint(meta: dict, body: list[str]) -> str:
    """What a translation is made from: the body text and the structural front matter."""
    digest = hashlib.sha256()
    digest.update(repr((meta.get("type"), meta.get("steps"))).encode())
    if body:   # the same bytes as hashing line by line, in one call
        digest.update(("\n".join(line.rstrip() for line in body) + "\n").encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:12]
