"""No-break spaces are the build's job: a page typed with plain spaces renders with them where its
language wants them, and nothing changes in code, attributes or in languages that want none."""
from __future__ import annotations

import pytest

from conftest import mkdocs_build
from kb.checking.typography import apply_html

NB = "\u00a0"


@pytest.mark.parametrize("lang, typed, rendered", [
    ("ru", "<p>95 % из 2 000 клиентов</p>", f"<p>95{NB}% из 2{NB}000 клиентов</p>"),
    ("ru", "<p>1 250 000 руб., 10 ч 43 мин, т. 9, 2019 г.</p>", f"<p>1{NB}250{NB}000{NB}руб., 10{NB}ч 43{NB}мин, т.{NB}9, 2019{NB}г.</p>"),
    ("lt", "<li>95 % ir 2 000, 10 val. 43 min., 2019 m.</li>", f"<li>95{NB}% ir 2{NB}000, 10{NB}val. 43{NB}min., 2019{NB}m.</li>"),
    # a year before a number is not a thousands group; a decimal's digits are not either
    ("ru", "<p>в 2019 300 человек, 3,141 592</p>", "<p>в 2019 300 человек, 3,141 592</p>"),
    # not in code, preformatted text, scripts or attributes
    ("ru", '<p title="95 %"><code>95 %</code> <pre>2 000</pre> 95 %</p>', f'<p title="95 %"><code>95 %</code> <pre>2 000</pre> 95{NB}%</p>'),
    # Greek and Turkish group with "." and put "%" without a space (tr: first): nothing to do
    ("el", "<p>95 % 2 000</p>", "<p>95 % 2 000</p>"),
    ("tr", "<p>%95 2 000</p>", "<p>%95 2 000</p>"),
])
def test_no_break_spaces_where_the_language_wants_them(lang, typed, rendered):
    assert apply_html(typed, lang) == rendered


def test_a_page_typed_with_plain_spaces_renders_with_no_break_spaces(tree):
    root = tree()
    origin = root / "docs/ru/playbooks/gift.md"   # the origin page: its translations become outdated, not wrong
    text = origin.read_text(encoding="utf-8").replace(NB, " ")
    origin.write_text(text.replace("Fix the process, not the people.",
                                   "Fix the process, not the people: 10 ч 43 мин, т. 9, 2019 г.\n\n```\n95 % 2 000\n```"),
                      encoding="utf-8")
    assert NB not in origin.read_text(encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    html = (root / "site/ru/playbooks/gift/index.html").read_text(encoding="utf-8")
    assert f"62{NB}% of customers" in html and f"2{NB}000 dollars" in html
    assert f"10{NB}ч 43{NB}мин, т.{NB}9, 2019{NB}г." in html
    assert "95 % 2 000" in html     # the code block is left as typed


@pytest.mark.parametrize("lang", ["ru", "lt"])
def test_the_real_sites_russian_and_lithuanian_numbers_have_no_break_spaces(site_dir, lang):
    import re
    bad = []
    for page in (site_dir / lang).rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        article = re.search(r"<article.*?</article>", html, re.S)
        text = re.sub(r"<(code|pre|script|style)\b.*?</\1>|<[^>]*>", " ", article.group(0) if article else "", flags=re.S)
        bad += [f"{page}: {m.group(0)!r}" for m in re.finditer(r"\d %|(?<![\d.,])\d{1,3} \d{3}(?!\d)", text)]
    assert bad == []
