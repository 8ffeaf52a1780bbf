"""The content model: one Markdown page parsed once into front matter, sections, steps,
checklist items, figures and links, each with its line number.

Every check, report and renderer reads this model; nothing else parses Markdown source.
The only exception parsing raises is `ContentError`, which carries a file and a line.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from kb import figures as figures_mod

LANGUAGES = ("en", "el", "ru", "tr", "lt")
DEFAULT_LANGUAGE = "en"
PAGE_TYPES = ("playbook", "checklist", "quotes", "faq", "page")
TAGS = (
    "complaints", "loyalty", "referrals", "recovery", "qualities",
    "communication", "compensation", "rewards", "quotes",
)
# Front-matter keys the model knows; others are passed to MkDocs untouched.
TRANSLATED_FROM = "translated_from"
GENERATE_KINDS = ("checklist-pack", "translation-status", "tags-index")


class ContentError(Exception):
    """A problem in a content file that stops it from being read: `path:line: message`."""

    def __init__(self, path: str, line: int, message: str):
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

    @property
    def plain_title(self) -> str:
        """The title as text, without Markdown (escape it where it goes into HTML)."""
        from kb.text import plain
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

    def line_of(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


FRONT_MATTER_FENCE = "---"
HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
ATTR_LIST = re.compile(r"\s*\{:?\s*([^}]*)\}\s*$")
NUMBERED_TITLE = re.compile(r"^(\d+)[.)]\s+(.*)$")
TASK_ITEM = re.compile(r"^[-*+][ \t]+\[[ xX]\][ \t]+(.*)$")
FENCE = re.compile(r"^(`{3,}|~{3,})")
INLINE_LINK = re.compile(r"\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_ATTR_LIST_AT_BRACE = re.compile(ATTR_LIST.pattern.removeprefix(r"\s*"))
PLAIN_SKIP = frozenset("`~#-*+")   # first characters of lines that need the full treatment
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def read_page(abs_path: Path, display_path: str, lang: str, rel: str) -> Page:
    """Read and parse one file; every failure becomes a ContentError naming the file."""
    try:
        raw = abs_path.read_bytes()
    except OSError as exc:
        raise ContentError(display_path, 1, f"cannot read the file ({exc.strerror})") from None
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
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not text.strip():
        raise ContentError(path, 1, "the file is empty (a page needs front matter and a title)")
    meta, meta_lines, body_start = _front_matter(lines, path)
    body = lines[body_start:]
    sections, title, title_line, links = _body(body, body_start, path, lang, rel)
    return Page(
        path=path, lang=lang, rel=rel, meta=meta, meta_lines=meta_lines,
        body_line=_first_text_line(lines, body_start), title=title, title_line=title_line,
        sections=sections, links=links, fingerprint=_fingerprint(meta, body),
        body=body, body_start=body_start,
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
    try:
        meta = _load_yaml(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 2) if mark is not None else 2
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ContentError(path, line, f"front matter is not valid YAML: {problem}") from None
    except Exception as exc:  # PyYAML raises a few non-YAMLError types on odd input
        raise ContentError(path, 2, f"front matter is not valid YAML: {exc}") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front matter must be 'key: value' lines")
    meta_lines = {}
    for offset, line in enumerate(lines[1:end], start=2):
        match = KEY_LINE.match(line)
        if match:
            meta_lines.setdefault(match.group(1), offset)
    meta = {str(k): v for k, v in meta.items()}
    return meta, meta_lines, end + 1


# libyaml (when PyYAML has it) reads front matter about ten times faster than the pure-Python loader;
# anything it rejects goes to the pure-Python loader, so results and error messages stay as they were.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# libyaml scans some inputs differently (a tab after "key:", "|#", "!" alone, a byte-order mark), so it
# only gets what front matter is made of: `key: value` lines whose values are plain words, numbers or a
# [list, of, them]; anything else goes to the pure-Python loader.
_FAST_SAFE = re.compile(r"(?:[A-Za-z_][\w-]*:(?: [\w. -]*| \[[\w., -]*\])?)?", re.ASCII)


def _load_yaml(source: str):
    if not all(_FAST_SAFE.fullmatch(line) for line in source.split("\n")):
        return yaml.safe_load(source)
    try:
        return _fresh(_load_yaml_cached(source))
    except Exception:
        return yaml.safe_load(source)


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
    """'Ask questions {#ask-questions}' -> ('Ask questions', 'ask-questions')."""
    # ATTR_LIST without its leading \s*: the same match found faster (the text before it is stripped anyway).
    match = _ATTR_LIST_AT_BRACE.search(raw)
    if not match:
        return raw.strip(), None
    ident = None
    for token in match.group(1).split():
        if token.startswith("#") and len(token) > 1:
            ident = token[1:]
    return raw[: match.start()].strip(), ident


def _body(body: list[str], offset: int, path: str, lang: str, rel: str):
    intro = Section(title="", id=None, line=0)
    sections = [intro]
    links: list[Link] = []
    title, title_line = "", 0
    fence = None
    has_digit = figures_mod.DIGIT.search
    for index, line in enumerate(body):
        stripped = line.strip()
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
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        heading = HEADING.match(line) if line[:1] == "#" else None
        if heading and len(heading.group(1)) <= 2:
            text, ident = split_heading(heading.group(2))
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
    return sections, title, title_line, links


def _link_targets(line: str) -> list[str]:
    targets = [m.group(1) for m in INLINE_LINK.finditer(line)]
    ref = REF_DEF.match(line)
    if ref:
        targets.append(ref.group(1))
    return targets


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
