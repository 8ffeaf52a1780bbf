"""What the hooks add to pages, checked in the built site: counts, step labels, dates, cards, status."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from kb.corpus import Corpus

PREFIX = {"en": "", "el": "el/", "ru": "ru/", "tr": "tr/", "lt": "lt/"}
CORPUS = Corpus.load(ROOT / "docs", ROOT)


def html_of(site_dir, lang: str, path: str) -> str:
    return (site_dir / PREFIX[lang] / path / "index.html").read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&para;", "")


@pytest.mark.parametrize("lang", PREFIX)
def test_each_step_heading_is_followed_by_its_label(site_dir, lang):
    labels = {"en": "Step {n} of {m}", "el": "Βήμα {n} από {m}", "ru": "Шаг {n} из {m}",
              "tr": "Adım {n}/{m}", "lt": "Žingsnis {n} iš {m}"}
    page = CORPUS.pages[lang, "playbooks/complaint-is-a-gift.md"]
    html = html_of(site_dir, lang, "playbooks/complaint-is-a-gift")
    for step in page.steps:
        after = html.split(f'id="{step.id}"', 1)[1]
        label = re.search(r'<p class="kb-step-label"[^>]*>([^<]*)</p>', after).group(1)
        assert label == labels[lang].format(n=step.number, m=8)
        assert after.index("kb-step-label") < after.index("</h2>") + 40   # right under the heading


@pytest.mark.parametrize("lang", PREFIX)
def test_playbooks_index_shows_each_playbooks_step_count(site_dir, lang):
    html = html_of(site_dir, lang, "playbooks")
    for rel in ("asking-for-referrals", "complaint-is-a-gift"):
        link = re.search(rf'href="{rel}/"[^>]*>[^<]*</a> <span class="kb-count">\(([^)]*)\)</span>', html)
        assert link, (lang, rel)
        assert link.group(1).startswith(str(len(CORPUS.pages[lang, f"playbooks/{rel}.md"].steps)))


def test_meta_line_has_language_count_and_date(site_dir):
    meta = re.search(r'<p class="kb-meta"[^>]*>(.*?)</p>', html_of(site_dir, "ru", "playbooks/complaint-is-a-gift")).group(1)
    assert re.fullmatch(r'<span class="kb-lang">Русский</span> · 8 шагов · Обновлено: \d{1,2} [а-я]+ \d{4}\u202fг\.', meta)


@pytest.mark.parametrize("lang", PREFIX)
def test_quote_cards_are_cards_with_heading_quote_and_role(site_dir, lang):
    html = html_of(site_dir, lang, "quotes")
    cards = re.findall(r'<div class="card kb-quote">(.*?)</div>', html, re.S)
    assert len(cards) == 11
    for card in cards:
        assert card.lstrip().startswith("<h2 id=") and "<blockquote>" in card


def test_status_page_lists_every_page_in_every_language(site_dir):
    html = html_of(site_dir, "lt", "status")
    rows = re.findall(r"<tr>\s*<td><code>([^<]+)</code></td>", html)
    assert rows == CORPUS.rels
    assert "<th>Puslapis</th>" in html   # the heading in the page's language
