"""Figures read in each page's locale with Babel: one value whatever the local form."""
from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from kb.content.figures import _read_number, extract
from kb.content.model import LANGUAGES


def values(line: str, lang: str) -> list[Decimal]:
    return [f.value for f in extract(line, lang, 1)]


@pytest.mark.parametrize("line, lang", [
    ("95% of customers", "en"), ("95% των πελατών", "el"), ("95 % клиентов", "ru"),
    ("95\u00a0% klientų", "lt"), ("müşterilerin %95'i", "tr"),
])
def test_percentages_in_every_form_are_one_figure(line, lang):
    assert values(line, lang) == [Decimal(95)]


@pytest.mark.parametrize("line, lang", [
    ("2,000 dollars", "en"), ("2.000 δολάρια", "el"), ("2.000 dolar", "tr"),
    ("2 000 долларов", "ru"), ("2\u00a0000 долларов", "ru"), ("2\u202f000 dolerių", "lt"),
])
def test_thousands_in_every_form_are_one_figure(line, lang):
    assert values(line, lang) == [Decimal(2000)]


def test_decimals_follow_the_locale():
    assert values("10.5 times", "en") == [Decimal("10.5")]
    assert values("10,5 раза", "ru") == [Decimal("10.5")]
    assert values("10,5 kat", "tr") == [Decimal("10.5")]


def test_years_dates_numbering_and_markup_are_not_figures():
    assert values("In 2017 the blog wrote", "en") == []
    assert values("on 14.12.2017 and 2017-12-14", "en") == []
    assert values("3. Ask questions", "en") == []
    assert values("- [ ] 2) tick", "en") == []
    assert values("see [step](#s2) and `code 42` {#id-3}", "en") == []


def test_a_number_the_locale_does_not_write_is_flagged():
    [figure] = extract("2 000 dollars", "en", 7)
    assert figure.readable is False and figure.line == 7
    assert [f.readable for f in extract("1.000,5 times", "en", 1)] == [False]


def test_a_thousands_figure_in_another_locales_form_reads_differently():
    # "2,000" on a Russian page is two (comma = decimal point), so the parity check catches it
    assert values("2,000 долларов", "ru") == [Decimal(2)]


def test_a_changed_figure_has_another_value():
    assert values("62%", "en") != values("26 %", "ru")


@given(st.from_regex(r"[0-9]{1,15}", fullmatch=True), st.sampled_from(LANGUAGES))
def test_plain_digits_are_read_as_babel_reads_them(digits, lang):
    """The shortcut for plain digits gives what Babel's strict parsing gives, in every locale."""
    assert _read_number.__wrapped__(digits, digits, lang) == (parse_decimal(digits, locale=lang, strict=True), True)
