"""Figures: the numbers a page states, read in the page's own locale with Babel.

`95%`, `95 %` and `%95` are one figure; so are `2,000` (en), `2.000` (el, tr) and `2 000` (ru, lt).
Step and list numbering, years and dates are not figures.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import NumberFormatError, get_group_symbol, parse_decimal

SPACES = " \u00a0\u202f"
NUMBER = re.compile(
    r"(?=[%\d])"                  # every figure starts so: lets the scan skip other characters fast
    r"(?<![\w.,\u00a0\u202f/])"
    r"(?P<pre>%[\u00a0 ]?)?"
    r"(?P<num>\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?P<post>[\u00a0\u202f ]?%)?"
    r"(?![\w])"
)
# Each pattern with a string that any match of it contains ("" for always): a pattern is only
# run on lines that have that string, which gives the same result faster. No pattern's repeat can
# cross its own opening character, so that a line of 30,000 "<" is read in linear time, not quadratic.
NOT_PROSE = [
    (re.compile(r"`[^`]*`"), "`"),                                 # inline code
    (re.compile(r"\]\([^)\]]*\)"), "]("),                            # link targets
    (re.compile(r"<[^<>]+>"), "<"),                                 # HTML tags
    (re.compile(r"\{[:#.][^{}]*\}"), "{"),                          # attribute lists
    (re.compile(r"\b\d{4}-\d{2}-\d{2}\b"), "-"),                   # ISO dates
    (re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"), ""),         # numeric dates
    (re.compile(r"^\s*(?:[-*+]\s+)?(?:\[[ xX]\]\s+)?\d+[.)]\s"), ""),  # list numbering
]


@dataclass(frozen=True)
class Figure:
    text: str          # as written, e.g. "%95"
    value: Decimal
    line: int
    readable: bool = True   # False: not a number as the locale writes it

    def __str__(self) -> str:
        return self.text


def _is_year(value: Decimal, token: str) -> bool:
    return value == value.to_integral_value() and 1900 <= value <= 2100 and token.isdigit()


DIGIT = re.compile(r"\d")
_group_symbol = functools.lru_cache(maxsize=None)(get_group_symbol)


@functools.lru_cache(maxsize=4096)
def _read_number(normalized: str, token: str, locale: str) -> tuple[Decimal, bool]:
    """The number's value and whether the locale writes it so; cached, as figures recur across pages."""
    if normalized.isascii() and normalized.isdigit():
        return Decimal(normalized), True   # what Babel gives for plain digits in every locale, without its work
    try:
        return parse_decimal(normalized, locale=locale, strict=True), True
    except NumberFormatError:
        return Decimal(re.sub(r"\D", "", token) or 0), False


def extract(line: str, locale: str, line_number: int) -> list[Figure]:
    if not DIGIT.search(line):   # most lines have no number: skip the substitutions (the hot path)
        return []
    for pattern, needed in NOT_PROSE:
        if needed in line:
            line = pattern.sub(" ", line)
            if needed and not DIGIT.search(line):
                return []   # the only digits were in code, a link target, a tag or an id
    found = []
    for match in NUMBER.finditer(line):
        token = match.group("num")
        percent = bool(match.group("pre") or match.group("post"))
        group = _group_symbol(locale)
        normalized = token
        if group in SPACES:
            normalized = "".join(group if ch in SPACES else ch for ch in token)
        value, readable = _read_number(normalized, token, locale)
        if not percent and readable and _is_year(value, token):
            continue
        found.append(Figure(text=match.group(0).strip(), value=value, line=line_number, readable=readable))
    return found


def describe(values, limit: int = 12) -> str:
    """'62 %, 2 000': the first `limit` figures (a line of a million numbers must not make a message of megabytes)."""
    values = [str(v) for v in values]
    shown = ", ".join(values[:limit])
    return (f"{shown} … ({len(values)} figures)" if len(values) > limit else shown) or "none"
