"""What the hooks add to pages, checked in the built site: counts, step labels, dates, cards, status."""
from __future__ import annotations

import re
from html import unescape

import pytest

from conftest import ROOT, checklists_of
from kb.content.corpus import Corpus
from kb.content.model import parse_page
from kb.rendering.printing import sheet

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


@pytest.mark.parametrize("lang", PREFIX)
def test_each_step_count_follows_its_own_playbook_link(site_dir, lang):
    """A line linking two playbooks (the home page's finder) gets each count after its own link."""
    html = html_of(site_dir, lang, "")
    counts = re.findall(r'href="playbooks/([a-z-]+)/"[^>]*>[^<]*</a> <span class="kb-count">\(([^)]*)\)</span>', html)
    assert counts, lang
    for rel, count in counts:
        assert count.startswith(str(len(CORPUS.pages[lang, f"playbooks/{rel}.md"].steps))), (lang, rel, count)
    assert "</span> <span class=\"kb-count\">" not in html   # never two counts side by side


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


def test_status_page_lists_every_page_by_title_linked_in_every_language(site_dir):
    html = html_of(site_dir, "lt", "status")
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>(.*?)</tr>", html, re.S)
    by_title = {(CORPUS.pages.get(("lt", rel)) or CORPUS.origin_page(rel)).plain_title: rel for rel in CORPUS.rels}
    assert [unescape(title) for title, _ in rows] == sorted(by_title, key=str.casefold)
    for title, cells in rows:
        # each language's cell links to what that language's reader gets: its own page, else its stand-in
        rel = by_title[unescape(title)]
        assert re.findall(r'<a href="[^"]+" hreflang="(\w+)"', cells) == [CORPUS.shown(lang, rel).lang for lang in CORPUS.languages]
        assert cells.count('class="kb-origin"') == 1
    assert "<th>Puslapis</th>" in html   # the heading in the page's language


@pytest.mark.parametrize("lang", PREFIX)
def test_print_pack_sheets_are_the_checklist_pages_themselves(site_dir, lang):
    """Each sheet of the pack is its checklist page's own HTML (items, signature, footer), without the
    Print button and the "Related" links, its title one level down, and every id unique in the pack."""
    pack = html_of(site_dir, lang, "checklists/print")
    sheets = re.findall(r'<section class="kb-sheet">(.*?)</section>', pack, re.S)
    checklists = checklists_of(CORPUS, lang)
    assert len(sheets) == len(checklists) >= 1
    for sheet, rel in zip(sheets, checklists):
        page = CORPUS.shown(lang, rel)
        slug = rel.rsplit("/", 1)[-1][:-3]
        own = html_of(site_dir, lang, rel[:-3])
        assert sheet.lstrip().startswith(f'<h2 id="{slug}">{page.title}<a class="headerlink" href="#{slug}">')
        items = re.findall(r'<li class="task-list-item">.*?</li>', own)
        assert len(items) == len(page.items) and all(item in sheet for item in items)
        assert sheet.count('class="kb-sign"') == 1 and sheet.count('class="kb-print-footer"') == 1
        assert re.search(r'<p class="kb-print-footer">[^<]*/checklists/' + slug + "/", sheet)
        assert "kb-print-button" not in sheet and 'id="related"' not in sheet and "<h1" not in sheet
    ids = re.findall(r'\bid="([^"]+)"', pack)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    toc = pack[pack.index('class="md-nav md-nav--secondary"'):]
    toc = toc[: toc.index("</nav>")]
    assert re.findall(r'href="#([^"]+)"', toc) == [rel.rsplit("/", 1)[-1][:-3] for rel in checklists]


@pytest.mark.browser
@pytest.mark.parametrize("lang", PREFIX)
def test_status_table_shows_all_five_languages_at_1280_px(page, served_site, lang):
    """On a desktop screen (1280 px) the real site's status table shows every language's column without
    scrolling sideways: the longest cell words (Greek) wrap between words, and the page gives up its empty
    table of contents for the table."""
    page.goto(f"{served_site}/{PREFIX[lang]}status/")
    heads = page.locator("table.kb-status thead th")
    assert heads.count() == 6
    width = page.viewport_size["width"]
    for index in range(6):
        box = heads.nth(index).bounding_box()
        assert box["width"] > 0 and box["x"] + box["width"] <= width, (lang, index, box)
    wrap = page.evaluate("(() => { const w = document.querySelector('table.kb-status').closest('.md-typeset__scrollwrap');"
                         " return [w.scrollWidth, w.clientWidth]; })()")
    assert wrap[0] <= wrap[1], wrap          # nothing hidden to the right


def test_status_table_is_placed_once_and_is_html(site_dir):
    html = html_of(site_dir, "el", "status")
    assert html.count("<table") == 1 and 'class="kb-status-table"' not in html
    assert "<th>Σελίδα</th><th>English</th><th>Ελληνικά</th><th>Русский</th><th>Türkçe</th><th>Lietuvių</th>" in html


# As a native speaker writes 21 pages up to date, 5 outdated, 2 missing and 1 with errors (issue 23).
PROGRESS_TEXT = {
    "en": "21 pages up to date · 5 pages outdated · 2 pages missing · 1 page with errors",
    "el": "21 ενημερωμένες σελίδες · 5 σελίδες χρειάζονται ενημέρωση · 2 σελίδες λείπουν · 1 σελίδα με σφάλματα",
    "ru": "21 актуальная страница · 5 устаревших страниц · 2 страницы без перевода · 1 страница с ошибками",
    "tr": "21 sayfa güncel · 5 sayfa güncel değil · 2 sayfa eksik · 1 sayfada hata var",
    "lt": "21 atnaujintas puslapis · 5 pasenę puslapiai · 2 neišversti puslapiai · 1 puslapis su klaidomis",
}

ONE_PAGE_TEXT = {
    "en": "1 page up to date · 0 pages outdated · 0 pages missing",
    "el": "1 ενημερωμένη σελίδα · 0 σελίδες χρειάζονται ενημέρωση · 0 σελίδες λείπουν",
    "ru": "1 актуальная страница · 0 устаревших страниц · 0 страниц без перевода",
    "tr": "1 sayfa güncel · 0 sayfa güncel değil · 0 sayfa eksik",
    "lt": "1 atnaujintas puslapis · 0 pasenusių puslapių · 0 neišverstų puslapių",
}


@pytest.mark.parametrize("lang", PREFIX)
def test_progress_bar_counts_agree_with_their_numbers(lang):
    """The counts beside a language's bar are words that agree with the number (not "label: n")."""
    from types import SimpleNamespace
    from kb.content.locales import Interface
    from kb.rendering.render import progress_bars
    cells = ["ok"] * 21 + ["outdated"] * 5 + ["missing"] * 2 + ["error"]
    html = progress_bars(SimpleNamespace(languages=[lang]), Interface(lang), [(f"p{i}.md", [c]) for i, c in enumerate(cells)])
    assert re.findall(r'<span class="kb-progress-text">([^<]*)</span>', html) == [PROGRESS_TEXT[lang]]
    one_page = progress_bars(SimpleNamespace(languages=[lang]), Interface(lang), [("p.md", ["ok"])])
    assert re.findall(r'<span class="kb-progress-text">([^<]*)</span>', one_page) == [ONE_PAGE_TEXT[lang]]   # no errors: not shown


def test_a_sheet_takes_group_headings_one_level_down_and_prefixes_every_id():
    page = parse_page(
        "---\ntype: checklist\norigin: en\n---\n\n# Calls {#calls}\n\n## Before {#before}\n\n- [ ] Read\n\n"
        "## Related {#related}\n\n- [Other](other.md)\n", "docs/en/checklists/calls.md", "en", "checklists/calls.md")
    html = ('<h1 id="calls">Calls<a class="headerlink" href="#calls">&para;</a></h1>\n'
            '<p class="kb-print-button" data-search-exclude><button>Print</button></p>\n'
            '<h2 id="before">Before</h2>\n<ul class="task-list">\n<li class="task-list-item">Read <a href="#before">up</a></li>\n</ul>\n'
            '<h2 id="related">Related</h2>\n<ul>\n<li><a href="../other/">Other</a></li>\n</ul>\n'
            '<p class="kb-print-footer">http://kb/checklists/calls/</p>')
    assert sheet(html, "calls", page) == (
        '<section class="kb-sheet">\n'
        '<h2 id="calls">Calls<a class="headerlink" href="#calls">&para;</a></h2>\n'
        '<h3 id="calls--before">Before</h3>\n<ul class="task-list">\n'
        '<li class="task-list-item">Read <a href="#calls--before">up</a></li>\n</ul>\n'
        '<p class="kb-print-footer">http://kb/checklists/calls/</p>\n</section>')
