"""Checks on the content model: one page on its own, and a translation against its origin.

Each problem is one line, `path:line: what is wrong (what the origin has)`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from kb.figures import describe
from kb.model import GENERATE_KINDS, LANGUAGES, PAGE_TYPES, TAGS, Page, Section

ERROR, OUTDATED = "error", "outdated"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    kind: str = ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


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
                problem(section.line, f"{unit} '{section.title}' has no id (add {{#some-id}} after it)")

    for section in page.sections:
        for figure in section.figures:
            if not figure.readable:
                problem(figure.line, f"'{figure.text}' is not a number as '{page.lang}' writes numbers")
    return found


def _check_steps(page: Page) -> list[Problem]:
    found: list[Problem] = []
    steps = page.steps
    declared = page.meta.get("steps")
    if declared is None:
        found.append(Problem(page.path, 1, f"playbook front matter has no 'steps' (the page has {len(steps)} numbered steps)"))
    elif isinstance(declared, bool) or not isinstance(declared, int) or declared < 1:
        found.append(Problem(page.path, page.line_of("steps"), f"'steps' must be a whole number, not '{declared}'"))
    elif declared != len(steps):
        found.append(Problem(
            page.path, page.line_of("steps"),
            f"front matter says steps: {declared} but the page has {len(steps)} numbered steps",
        ))
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
            found.append(Problem(page.path, step.line, f"step {step.number} '{step.title}' has no id (add {{#some-id}} after the title)"))
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


def check_translation(page: Page, origin: Page) -> list[Problem]:
    """Rules 2–4 of 'in sync': structure, figures and links match the origin page."""
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
    found += _compare_links(page, origin)
    return found


def _fallback_line(page: Page, sections: list[Section], index: int) -> int:
    if index < len(sections):
        return sections[index].line
    return sections[-1].line if sections else (page.title_line or 1)


def _compare_steps(page: Page, origin: Page) -> list[Problem]:
    mine, theirs = page.steps, origin.steps
    my_ids, their_ids = [s.id for s in mine], [s.id for s in theirs]
    if my_ids == their_ids or None in my_ids or None in their_ids:
        # A step without an id is reported on its own page; ids cannot be compared until it has one.
        return []
    o, counts = origin.lang, f"origin {origin.lang} has {len(theirs)} steps, this page has {len(mine)}"
    missing = [(i, sid) for i, sid in enumerate(their_ids) if sid not in my_ids]
    extra = [(i, s) for i, s in enumerate(mine) if s.id not in their_ids]
    found = []
    if len(missing) == 1 and len(extra) == 1 and missing[0][0] == extra[0][0]:
        (i, sid), (_, step) = missing[0], extra[0]
        return [Problem(page.path, step.line, f"step {step.number} has id '{step.id}' (origin {o} has '{sid}' as step {i + 1})")]
    for i, sid in missing:
        found.append(Problem(page.path, _fallback_line(page, mine, i), f"step {i + 1} '{sid}' is missing ({counts})"))
    for i, step in extra:
        found.append(Problem(page.path, step.line, f"step {step.number} '{step.id}' is not in the origin ({counts})"))
    if not found:
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
            found.append(Problem(page.path, my_section.items[-1].line,
                                 f"{name} has {my_count} items: {count - my_count} missing (origin {o} has {count})"))
        elif my_count > count:
            extra_item = my_section.items[count]
            found.append(Problem(page.path, extra_item.line,
                                 f"{name} has {my_count} items: {my_count - count} more than the origin (origin {o} has {count})"))
    for key, (section, count) in mine.items():
        if key not in theirs:
            found.append(Problem(page.path, section.line or section.items[0].line,
                                 f"group '{key or '(top)'}' is not in the origin (origin {o} has {', '.join(repr(k) for k in theirs) or 'none'})"))
    return found


def _compare_ids(page: Page, origin: Page, mine: list[Section], theirs: list[Section], unit: str) -> list[Problem]:
    found, o = [], origin.lang
    my_ids, their_ids = [s.id for s in mine], [s.id for s in theirs]
    if None in my_ids or None in their_ids:
        return found  # reported on its own page as a unit without an id
    counts = f"origin {o} has {len(theirs)}, this page has {len(mine)}"
    for i, sid in enumerate(their_ids):
        if sid not in my_ids:
            found.append(Problem(page.path, _fallback_line(page, mine, i), f"{unit} '{sid}' is missing ({counts})"))
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


def _compare_links(page: Page, origin: Page) -> list[Problem]:
    found, o = [], origin.lang
    want = Counter(link.key for link in origin.links)
    have = Counter(link.key for link in page.links)
    if want == have:
        return found
    for link in page.links:
        if (have - want)[link.key] > 0:
            found.append(Problem(page.path, link.line, f"link to '{link.key}' is not in the origin ({_times(o, want[link.key])})"))
            have[link.key] -= 1
    section_lines = {s.key: s.line for s in page.sections}
    missing = Counter(l.key for l in origin.links) - Counter(l.key for l in page.links)
    for link in origin.links:
        if missing[link.key] > 0:
            missing[link.key] -= 1
            key = next((s.key for s in reversed(origin.sections) if s.line <= link.line), "")
            found.append(Problem(page.path, section_lines.get(key) or page.title_line or 1,
                                 f"link to '{link.key}' is missing (origin {o} has it on line {link.line})"))
    return found


def _times(origin: str, count: int) -> str:
    if count == 0:
        return f"origin {origin} has no link to it"
    return f"origin {origin} links to it once" if count == 1 else f"origin {origin} links to it {count} times"
