"""No-break spaces where a language wants them, written by the build so that translators type plain spaces.

From CLDR through Babel: the space between a number and "%" (ru, lt: `95 %`) and the thousands separator
when it is a space (ru, lt: `2 000`). By hand, per language: a number and the short unit after it
(`10 ч 43 мин`, `2019 г.`, `10 val.`) and an abbreviation before a number (`т. 9`, `№ 5`).

Only rendered text changes: never tags and attributes, nor code, preformatted text, scripts or styles.
Every pattern reads each character a bounded number of times: linear in the page's length.
"""
from __future__ import annotations

import functools
import re

from babel.numbers import format_percent, get_group_symbol

NBSP = "\u00a0"
SPACES = {"\u00a0", "\u202f"}
# Short units written after a number, and abbreviations written before one, as each language has them.
UNITS_AFTER = {
    "ru": ("ч", "мин", "сек", "с", "дн", "мес", "г.", "гг.", "тыс.", "млн", "млрд", "руб.", "₽", "км", "кг", "м", "%"),
    "lt": ("val.", "min.", "sek.", "d.", "mėn.", "m.", "tūkst.", "mln.", "mlrd.", "Eur", "€", "km", "kg", "%"),
}
BEFORE_NUMBER = {
    "ru": ("т.", "с.", "п.", "рис.", "гл.", "№", "ст."),
    "lt": ("t.", "p.", "str.", "pav.", "Nr."),
}
_TAG = re.compile(r"<[^>]*>")
_SKIP = re.compile(r"<(/?)(code|pre|script|style|kbd|samp|textarea)\b", re.I)


@functools.lru_cache(maxsize=8)
def _rules(lang: str) -> tuple[tuple[re.Pattern, str], ...]:
    rules = []
    percent = format_percent(0.5, locale=lang)
    if percent.startswith("50") and percent[2:-1] in SPACES and percent.endswith("%"):
        rules.append((re.compile(r"(?<=\d) (?=%)"), percent[2:-1]))
    group = get_group_symbol(lang)
    if group in SPACES:
        # "2 000", "1 250 000": groups of three after one to three digits, not inside a longer number.
        rules.append((re.compile(r"(?<![\d.,])(\d{1,3})((?: \d{3})+)(?![\d])"),
                      lambda m, g=group: m.group(1) + m.group(2).replace(" ", g)))
    units = UNITS_AFTER.get(lang)
    if units:
        alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
        rules.append((re.compile(rf"(?<=\d) (?=(?:{alternatives})(?![\w]))"), NBSP))
    before = BEFORE_NUMBER.get(lang)
    if before:
        alternatives = "|".join(re.escape(b) for b in sorted(before, key=len, reverse=True))
        rules.append((re.compile(rf"(?<![\w.])((?:{alternatives})) (?=\d)"), lambda m: m.group(1) + NBSP))
    return tuple(rules)


def apply_text(text: str, lang: str) -> str:
    for pattern, replacement in _rules(lang):
        text = pattern.sub(replacement, text)
    return text


def apply_html(html: str, lang: str) -> str:
    """The page's HTML with no-break spaces in its text (not in tags, attributes, code or scripts)."""
    if not _rules(lang) or " " not in html:
        return html
    out, depth, position = [], 0, 0
    for tag in _TAG.finditer(html):
        text = html[position:tag.start()]
        out.append(apply_text(text, lang) if depth == 0 and text else text)
        out.append(tag.group(0))
        skip = _SKIP.match(tag.group(0))
        if skip:
            depth = max(0, depth + (-1 if skip.group(1) else 1))
        position = tag.end()
    tail = html[position:]
    out.append(apply_text(tail, lang) if depth == 0 else tail)
    return "".join(out)
