"""Checks on the content model: one page on its own, and a translation against its origin.

Each problem is one line, `path:line: what is wrong (what the origin has)`.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from babel.numbers import format_percent

from kb.checking import rawhtml
from kb.content.figures import SPACES, describe
from kb.content.model import GENERATE_KINDS, HEADING, LANGUAGES, PAGE_TYPES, TAGS, Page, Section, id_problem, printable, split_heading

ERROR, OUTDATED = "error", "outdated"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    kind: str = ERROR
    # A translation check that knows the origin says more than the page check it replaces (the message
    # of that page's problem): one mistake, one line.
    replaces: tuple[str, ...] = field(default=(), compare=False)

    def __str__(self) -> str:
        # Content reaches the terminal through messages: controls escaped, length capped.
        message = printable(self.message)
        return f"{self.path}:{self.line}: {message}" if self.line else f"{self.path}: {message}"


def check_page(page: Page) -> list[Problem]:
    """Rules that need no other language: front matter, title, step numbering, ids, number forms."""
    found: list[Problem] = []

    def problem(line: int, message: str) -> None:
        found.append(Problem(page.path, line, message))

    meta = page.meta
    if "type" not in meta:
        problem(1, f"front matter has no 'type' (one of {', '.join(PAGE_TYPES)})")
    elif page.type not in PAGE_TYPES:
        problem(page.line_of("type"), f"unknown type '{page.type}' (known: {', '.join(PAGE_TYPES)})")
    if "origin" not in meta:
        problem(1, f"front matter has no 'origin' (one of {', '.join(LANGUAGES)})")
    elif page.origin not in LANGUAGES:
        problem(page.line_of("origin"), f"unknown origin '{page.origin}' (one of {', '.join(LANGUAGES)})")
    tags = meta.get("tags", [])
    if not isinstance(tags, list):
        problem(page.line_of("tags"), "tags must be a list, e.g. tags: [complaints, loyalty]")
    else:
        for tag in tags:
            if str(tag) not in TAGS:
                problem(page.line_of("tags"), f"unknown tag '{tag}' (known: {', '.join(TAGS)})")
    if page.generate and page.generate not in GENERATE_KINDS:
        problem(page.line_of("generate"), f"unknown generate '{page.generate}' (known: {', '.join(GENERATE_KINDS)})")
    order = meta.get("nav_order")
    if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
        problem(page.line_of("nav_order"), f"'nav_order' must be a whole number, e.g. nav_order: 30 (not '{order}')")
    section = meta.get("nav_section")
    if section is not None and section != "editors":
        problem(page.line_of("nav_section"), f"unknown nav_section '{section}' (the only one is 'editors'; leave it out for the staff menu)")
    description = meta.get("description")
    if description is not None and not isinstance(description, str):
        problem(page.line_of("description"), 'description must be one line of text, e.g. description: "what the page is for"')
    if not page.title:
        problem(page.body_line, "the page has no title (a '# Title' line)")

    seen_ids: dict[str, int] = {}
    for section in page.sections[1:]:
        unusable = id_problem(section.id) if section.id else None
        if unusable:
            problem(section.line, unusable)
        if section.id and section.id in seen_ids:
            problem(section.line, f"id '{section.id}' is used twice (also on line {seen_ids[section.id]})")
        elif section.id:
            seen_ids[section.id] = section.line

    if page.type == "playbook":
        found += _check_steps(page)
    elif "steps" in meta:
        problem(page.line_of("steps"), f"'steps' is only for playbooks, not for type '{page.type}'")
    if page.type == "checklist" and not page.items:
        problem(page.title_line or 1, "the checklist has no items (write them as '- [ ] Item')")
    if page.type in ("faq", "quotes"):
        unit = "question" if page.type == "faq" else "quote card"
        for section in page.units:
            if not section.id:
                problem(section.line, _no_id_message(section, unit))

    for section in page.sections:
        for figure in section.figures:
            if not figure.readable:
                problem(figure.line, f"'{figure.text}' is not a number as '{page.lang}' writes numbers")
            elif "%" in figure.text:
                expected = percent_as_typed(figure.text, page.lang)
                if expected is not None:
                    spaced = " " in expected
                    problem(figure.line, f"'{figure.text}' is not how '{page.lang}' writes a percentage: type "
                                         f"'{expected}'" + (" (with a plain space: the build makes it a no-break one)"
                                                            if spaced else ""))
    # No script, event handler or javascript:/data: address in a page (kb/checking/rawhtml.py)
    for line, message in rawhtml.page_problems(page):
        problem(line, message)
    return found


@functools.lru_cache(maxsize=None)
def _percent_form(lang: str) -> tuple[bool, bool]:
    """(sign first, space between) of the language's percentages, from CLDR: 95% (en, el), 95 % (ru, lt), %95 (tr)."""
    sample = format_percent(0.95, locale=lang)
    return sample.startswith("%"), any(ch in sample for ch in SPACES)


def percent_as_typed(text: str, lang: str) -> str | None:
    """How a percentage written `text` is to be typed in `lang`, or None when it is typed so already."""
    sign_first, spaced = _percent_form(lang)
    number = text.strip("%" + SPACES)
    if text.startswith("%") == sign_first and any(ch in text for ch in SPACES) == spaced:
        return None
    space = " " if spaced else ""
    return f"%{space}{number}" if sign_first else f"{number}{space}%"


_ATTR_LIST = re.compile(r"\{[^{}\n]*\}")                  # linear: the class stops at braces
_HTML_ID = re.compile(r"""\bid=["']([^"'<>\s]+)["']""")


@functools.lru_cache(maxsize=1)
def _slugify():
    # The toc extension's slugify of mkdocs.yml: the id MkDocs gives a heading written without one.
    from pymdownx.slugs import slugify
    return slugify(case="lower")


def page_anchors(page: Page) -> frozenset[str]:
    """The ids a link's #anchor can reach on the page: explicit ids (`{#id}` anywhere, `id="id"`) and
    the ones MkDocs makes of headings written without one (a repeated one gets `_1`, `_2`: see has_anchor)."""
    found: set[str] = {s.id for s in page.sections if s.id}
    in_code = set()
    for first, last in page.code_blocks:
        in_code.update(range(first, last + 1))
    for index, line in enumerate(page.body):
        if index in in_code or ("{" not in line and "id=" not in line and not line.startswith("#")):
            continue
        for attrs in _ATTR_LIST.findall(line) if "{" in line else ():
            found.update(token[1:] for token in attrs[1:-1].split() if token.startswith("#") and len(token) > 1)
        if "id=" in line:
            found.update(_HTML_ID.findall(line))
        heading = HEADING.match(line) if line.startswith("#") else None
        if heading:
            text, ident = split_heading(heading.group(2).rstrip(" \t").rstrip("#").rstrip(" \t"))
            if not ident:
                from kb.util.text import plain
                found.add(_slugify()(plain(text), "-"))
    return frozenset(found)


def has_anchor(anchors: frozenset[str], anchor: str) -> bool:
    base, _, number = anchor.rpartition("_")
    return anchor in anchors or (number.isdigit() and base in anchors)


def _count_message(declared: int, actual: int) -> str:
    return f"front matter says steps: {declared} but the page has {actual} numbered steps"


def _no_id_message(section: Section, unit: str = "") -> str:
    if section.number is not None:
        return f"step {section.number} '{section.title}' has no id (add {{#some-id}} after the title)"
    return f"{unit} '{section.title}' has no id (add {{#some-id}} after it)"


def _check_steps(page: Page) -> list[Problem]:
    found: list[Problem] = []
    steps = page.steps
    declared = page.meta.get("steps")
    if declared is None:
        found.append(Problem(page.path, 1, f"playbook front matter has no 'steps' (the page has {len(steps)} numbered steps)"))
    elif isinstance(declared, bool) or not isinstance(declared, int) or declared < 1:
        found.append(Problem(page.path, page.line_of("steps"), f"'steps' must be a whole number, not '{declared}'"))
    elif declared != len(steps):
        found.append(Problem(page.path, page.line_of("steps"), _count_message(declared, len(steps))))
    numbers = [step.number for step in steps]
    if numbers != sorted(numbers) and sorted(numbers) == list(range(1, len(numbers) + 1)):
        # Every number is there once, just not in order: one message, not a gap plus a repeat.
        first = next(i for i, n in enumerate(numbers) if n != i + 1)
        found.append(Problem(page.path, steps[first].line,
                             f"step {numbers[first]} comes before step {first + 1}: steps are out of order "
                             f"(the headings are numbered {', '.join(map(str, numbers))})"))
        numbers = []
    first_line: dict[int, int] = {}
    expected = 1
    for step in steps:
        if not step.id:
            found.append(Problem(page.path, step.line, _no_id_message(step)))
        number = step.number
        if not numbers:
            continue
        if number in first_line:
            found.append(Problem(page.path, step.line, f"step {number} is numbered twice (also on line {first_line[number]})"))
        elif number < expected:
            found.append(Problem(page.path, step.line, f"step {number} comes after step {expected - 1}: steps are out of order"))
        elif number > expected:
            gap = f"step {expected} is missing" if number == expected + 1 else f"steps {expected}–{number - 1} are missing"
            found.append(Problem(page.path, step.line, f"{gap}: the numbering jumps from {expected - 1} to {number}"))
        first_line.setdefault(number, step.line)
        expected = max(expected, number + 1)
    if not steps:
        found.append(Problem(page.path, page.title_line or 1, "the playbook has no steps ('## 1. Title {#id}')"))
    return found


def check_translation(page: Page, origin: Page, exists=None) -> list[Problem]:
    """Rules 2–4 of 'in sync': structure, figures and links match the origin page. `exists(key)` tells
    whether a link target ("page.md#anchor", docs-relative) is there in the page's language."""
    found: list[Problem] = []
    o = origin.lang

    def problem(line: int, message: str) -> None:
        found.append(Problem(page.path, line, message))

    if page.type not in PAGE_TYPES or origin.type not in PAGE_TYPES:
        return found  # an unknown type is reported on its own page
    if page.type != origin.type:
        problem(page.line_of("type"), f"type is '{page.type}' (origin {o} has '{origin.type}')")
        return found
    if sorted(map(str, page.meta.get("tags") or [])) != sorted(map(str, origin.meta.get("tags") or [])):
        problem(page.line_of("tags"), f"tags differ from the origin (origin {o} has {origin.meta.get('tags') or []})")

    if page.type == "playbook":
        found += _compare_steps(page, origin)
    elif page.type == "checklist":
        found += _compare_groups(page, origin)
    elif page.type in ("faq", "quotes"):
        unit = "question" if page.type == "faq" else "quote card"
        found += _compare_ids(page, origin, page.units, origin.units, unit)
    found += _compare_figures(page, origin)
    found += _compare_links(page, origin, exists)
    return found


def _fallback_line(page: Page, sections: list[Section], index: int) -> int:
    if index < len(sections):
        return sections[index].line
    return sections[-1].line if sections else (page.title_line or 1)


def _compare_steps(page: Page, origin: Page) -> list[Problem]:
    mine, theirs = page.steps, origin.steps
    o, found = origin.lang, []
    by_number = {s.number: s for s in theirs}
    for step in mine:
        twin = by_number.get(step.number)
        if not step.id and twin is not None and twin.id:
            found.append(Problem(page.path, step.line,
                                 f"step {step.number} '{step.title}' has no id: add {{#{twin.id}}} after the title "
                                 f"(the id of origin {o}'s step {twin.number})", replaces=(_no_id_message(step),)))
    my_ids, their_ids = [s.id for s in mine], [s.id for s in theirs]
    if my_ids == their_ids or None in my_ids or None in their_ids:
        # A step without an id is reported on its own; ids cannot be compared until it has one.
        return found
    counts = f"origin {o} has {len(theirs)} steps, this page has {len(mine)}"
    missing = [(i, sid) for i, sid in enumerate(their_ids) if sid not in my_ids]
    extra = [(i, s) for i, s in enumerate(mine) if s.id not in their_ids]
    if len(missing) == 1 and len(extra) == 1 and missing[0][0] == extra[0][0]:
        (i, sid), (_, step) = missing[0], extra[0]
        return found + [Problem(page.path, step.line, f"step {step.number} has id '{step.id}' (origin {o} has '{sid}' as step {i + 1})")]
    declared = page.meta.get("steps")
    for i, sid in missing:
        # One line per deleted step: what it is in the origin and where its translation goes. The step
        # count and numbering gap it causes on this page are the same mistake, so they are not repeated.
        replaces, renumber = [], ""
        if declared == len(theirs) and declared != len(mine):
            replaces.append(_count_message(declared, len(mine)))
        if i < len(mine):
            where, line = "before this heading", mine[i].line
            if mine[i].number == i + 2 and (i == 0 or mine[i - 1].number == i):
                replaces.append(f"step {i + 1} is missing: the numbering jumps from {i} to {i + 2}")
            elif mine[i].number == i + 1:
                renumber = ", then renumber the steps after it"
        else:
            where, line = "after the last step", mine[-1].line if mine else (page.title_line or 1)
        found.append(Problem(page.path, line,
                             f"step {i + 1} '{sid}' is missing (origin {o}: '{theirs[i].title}'): add its translation "
                             f"{where} as '## {i + 1}. … {{#{sid}}}'{renumber}", replaces=tuple(replaces)))
    for i, step in extra:
        found.append(Problem(page.path, step.line, f"step {step.number} '{step.id}' is not in the origin ({counts})"))
    if not missing and not extra:
        for i, (mid, tid) in enumerate(zip(my_ids, their_ids)):
            if mid != tid:
                found.append(Problem(
                    page.path, mine[i].line,
                    f"step {mine[i].number} is '{mid}' but origin {o} has '{tid}' there: steps are out of order",
                ))
                break
    return found


def _groups(page: Page) -> dict[str, tuple[Section, int]]:
    return {s.key: (s, len(s.items)) for s in page.sections if s.items}


def _compare_groups(page: Page, origin: Page) -> list[Problem]:
    found, o = [], origin.lang
    mine, theirs = _groups(page), _groups(origin)
    for key, (section, count) in theirs.items():
        name = f"group '{key}'" if key else "the checklist"
        if key not in mine:
            found.append(Problem(page.path, page.title_line or 1, f"{name} is missing (origin {o} has it with {count} items)"))
            continue
        my_section, my_count = mine[key]
        if my_count < count:
            found += _missing_items(page, my_section, section, o)
        elif my_count > count:
            extra_item = my_section.items[count]
            found.append(Problem(page.path, extra_item.line,
                                 f"{name} has {my_count} items: {my_count - count} more than the origin (origin {o} has {count})"))
    for key, (section, count) in mine.items():
        if key not in theirs:
            found.append(Problem(page.path, section.line or section.items[0].line,
                                 f"group '{key or '(top)'}' is not in the origin (origin {o} has {', '.join(repr(k) for k in theirs) or 'none'})"))
    return found


_SHORT_BOLD = re.compile(r"\*\*([^*]{1,3})\*\*")
_LINK_TARGET = re.compile(r"\]\(([^)\s]*)")
_DIGITS = re.compile(r"\d+")


def _shape(text: str) -> tuple:
    """What an item keeps in every language: short bold markers (the letters of an acronym), link
    targets and digits. Items are matched by it where they have any, by position otherwise."""
    return (tuple(_SHORT_BOLD.findall(text)), tuple(_LINK_TARGET.findall(text)), tuple(_DIGITS.findall(text)))


def _missing_items(page: Page, mine: Section, theirs: Section, o: str) -> list[Problem]:
    """One line per item of the origin that this group lacks: its position and the origin's text."""
    lacking, i = len(theirs.items) - len(mine.items), 0
    missing: list[tuple[int, int]] = []   # (index in the origin, index in this page where it goes)
    for j, item in enumerate(theirs.items):
        if len(missing) == lacking:
            break
        if i < len(mine.items) and _shape(mine.items[i].text) == _shape(item.text):
            i += 1
        else:
            missing.append((j, i))
    whose = f"group '{theirs.key}'" if theirs.key else "the checklist"
    found = []
    for j, at in missing:
        text = theirs.items[j].text
        text = text if len(text) <= 80 else text[:79] + "…"
        if at < len(mine.items):
            line, where = mine.items[at].line, "before this item"
        else:
            line, where = mine.items[-1].line if mine.items else (mine.line or page.title_line or 1), "after this item"
        found.append(Problem(page.path, line, f"item {j + 1} of {whose} is missing (origin {o}: '{text}'): add its translation {where}"))
    return found


def _compare_ids(page: Page, origin: Page, mine: list[Section], theirs: list[Section], unit: str) -> list[Problem]:
    found, o = [], origin.lang
    my_ids, their_ids = [s.id for s in mine], [s.id for s in theirs]
    if None in my_ids or None in their_ids:
        # A unit without an id: where the units line up with the origin's, say which id it needs.
        if len(mine) == len(theirs):
            for i, (section, twin) in enumerate(zip(mine, theirs)):
                if not section.id and twin.id and twin.id not in my_ids:
                    found.append(Problem(page.path, section.line,
                                         f"{unit} '{section.title}' has no id: add {{#{twin.id}}} after it "
                                         f"(the id of origin {o}'s {unit} {i + 1})", replaces=(_no_id_message(section, unit),)))
        return found
    counts = f"origin {o} has {len(theirs)}, this page has {len(mine)}"
    for i, sid in enumerate(their_ids):
        if sid not in my_ids:
            found.append(Problem(page.path, _fallback_line(page, mine, i),
                                 f"{unit} '{sid}' is missing: translate origin {o}'s '{theirs[i].title}' and add it "
                                 f"with {{#{sid}}} ({counts})"))
    for section in mine:
        if section.id not in their_ids:
            found.append(Problem(page.path, section.line, f"{unit} '{section.id}' is not in the origin ({counts})"))
    return found


def _label(section: Section) -> str:
    if section.number is not None:
        return f"step {section.number} '{section.id}'"
    if section.position == 0:
        return "the introduction"
    return f"section '{section.key}'"


def _compare_figures(page: Page, origin: Page) -> list[Problem]:
    found, o = [], origin.lang
    mine = {s.key: s for s in page.sections}
    for theirs in origin.sections:
        section = mine.get(theirs.key)
        if section is None:
            continue  # a missing section is reported by the structure checks
        if not theirs.figures and not section.figures:
            continue  # most sections have none: skip building two empty Counters
        want = Counter(f.value for f in theirs.figures)
        have = Counter(f.value for f in section.figures)
        if want == have:
            continue
        origin_text = describe(f.text for f in theirs.figures)
        extra = have - want
        reported = False
        for figure in section.figures:
            if extra[figure.value] > 0:
                extra[figure.value] -= 1
                reported = True
                found.append(Problem(page.path, figure.line,
                                     f"figure {figure.text} in {_label(section)} does not match the origin (origin {o} has {origin_text})"))
        if not reported:
            missing = describe(f.text for f in theirs.figures if (want - have)[f.value] > 0)
            found.append(Problem(page.path, section.line or page.title_line or 1,
                                 f"{_label(section)} lacks figure {missing} (origin {o} has {origin_text})"))
    return found


def _compare_links(page: Page, origin: Page, exists=None) -> list[Problem]:
    found, o = [], origin.lang
    want = Counter(link.key for link in origin.links)
    have = Counter(link.key for link in page.links)
    if want == have:
        return found

    def section_key(of: Page, line: int) -> str:
        return next((s.key for s in reversed(of.sections) if s.line <= line), "")

    missing_count = want - have
    missing = []
    for link in origin.links:
        if missing_count[link.key] > 0:
            missing_count[link.key] -= 1
            missing.append(link)
    extra_count = have - want
    for link in page.links:
        if extra_count[link.key] <= 0:
            continue
        extra_count[link.key] -= 1
        key = section_key(page, link.line)
        twin = next((m for m in missing if section_key(origin, m.line) == key), None)
        if twin is not None and exists is not None and not exists(link.key):
            # A mistyped target where the origin has a link: one line, the likely fix.
            missing.remove(twin)
            found.append(Problem(page.path, link.line, f"link to '{link.key}' leads nowhere: did you mean "
                                                        f"'{twin.key}'? (origin {o} has it on line {twin.line})"))
            continue
        found.append(Problem(page.path, link.line, f"link to '{link.key}' is not in the origin ({_times(o, want[link.key])})"))
    section_lines = {s.key: s.line for s in page.sections}
    for link in missing:
        found.append(Problem(page.path, section_lines.get(section_key(origin, link.line)) or page.title_line or 1,
                             f"link to '{link.key}' is missing (origin {o} has it on line {link.line})"))
    return found


def _times(origin: str, count: int) -> str:
    if count == 0:
        return f"origin {origin} has no link to it"
    return f"origin {origin} links to it once" if count == 1 else f"origin {origin} links to it {count} times"
