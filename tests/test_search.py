"""Search in the reader's language: hurried queries land on the right page, in the reader's language only.

The browser tests type into the real search box of the built site; the others read the built pages and
the search index.
"""
from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from kb.model import LANGUAGES

PREFIX = {lang: "" if lang == "en" else f"{lang}/" for lang in LANGUAGES}

# Queries typed as a hurried reader types them: no accents, capitals, inflected forms, and the page
# that must come first. Words from each language's pages and glossary (complaint, referral, ...).
QUERIES = {
    "en": [
        ("ANGRY customer", "playbooks/angry-customer/"),
        ("Referrals", "playbooks/asking-for-referrals/"),
        ("compensate", "checklists/compensation-options/"),
        ("complaint gift", "playbooks/complaint-is-a-gift/"),
        ("complaining", "checklists/inviting-complaints/"),
    ],
    "el": [
        ("παραπονα", "checklists/inviting-complaints/"),
        ("ΠΑΡΑΠΟΝΑ", "checklists/inviting-complaints/"),
        ("θυμωμενος πελατης", "playbooks/angry-customer/"),
        ("ΣΥΣΤΑΣΕΙΣ", "playbooks/asking-for-referrals/"),
        ("παραπονο δωρο", "playbooks/complaint-is-a-gift/"),
        ("αποζημιωση", "checklists/compensation-options/"),
    ],
    "ru": [
        ("жалобы", "checklists/inviting-complaints/"),
        ("жалоба подарок", "playbooks/complaint-is-a-gift/"),
        ("РАССЕРЖЕННЫЙ клиент", "playbooks/angry-customer/"),
        ("рекомендации", "playbooks/asking-for-referrals/"),
        ("компенсации", "checklists/compensation-options/"),
        ("завоевывают лояльность", "checklists/loyalty-challenges/"),   # the title writes «завоёвывают»
    ],
    "tr": [
        ("ŞİKAYET", "checklists/inviting-complaints/"),
        ("sikayet hediye", "playbooks/complaint-is-a-gift/"),
        ("ofkeli musteri", "playbooks/angry-customer/"),
        ("REFERANS", "playbooks/asking-for-referrals/"),
        ("telafi", "checklists/compensation-options/"),
    ],
    "lt": [
        ("skundai", "checklists/inviting-complaints/"),
        ("skundas dovana", "playbooks/complaint-is-a-gift/"),
        ("piktas klientas", "playbooks/angry-customer/"),
        ("REKOMENDACIJOS", "playbooks/asking-for-referrals/"),
        ("kompensacija", "checklists/compensation-options/"),
        ("isspresti skunda", "playbooks/resolving-complaints/"),
    ],
}

# Spellings that must read as one word: case, accents, Turkish dotted and dotless i, е/ё, Lithuanian letters.
SAME_WORD = [
    ("παράπονα", "παραπονα", "ΠΑΡΑΠΟΝΑ", "Παράπονα"),
    ("şikayet", "ŞİKAYET", "sikayet", "SIKAYET", "şikâyet"),
    ("ısrar", "israr", "ISRAR"),
    ("её", "ее", "ЕЁ"),
    ("skundą", "skunda", "SKUNDĄ"),
    ("užtikrinti", "uztikrinti"),
]

RESULTS = ".md-search-result__item"


def run_search(page, query: str) -> list[str]:
    """Type a query into the open search box; the paths of the result pages, best first."""
    from playwright.sync_api import expect

    box = page.locator(".md-search__input")
    box.fill("")                                # the previous results go once the empty query is answered
    expect(page.locator(RESULTS)).to_have_count(0)
    box.fill(query)
    expect(page.locator(RESULTS).first).to_be_visible()
    hrefs = page.locator(RESULTS).evaluate_all("items => items.map(item => item.querySelector('a').href)")
    return [urlsplit(href).path for href in hrefs]


def in_language(path: str, lang: str) -> bool:
    first = path.lstrip("/").split("/")[0]
    others = {p.rstrip("/") for p in PREFIX.values() if p}
    return first == PREFIX[lang].rstrip("/") if PREFIX[lang] else first not in others


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_hurried_queries_land_on_the_right_page_in_the_readers_language(page, served_site, lang):
    page.goto(f"{served_site}/{PREFIX[lang]}")
    page.locator(".md-search__input").click()
    for query, expected in QUERIES[lang]:
        results = run_search(page, query)
        assert results[0] == f"/{PREFIX[lang]}{expected}", (query, results[:5])
        assert len(results) >= 5, (query, results)
        assert all(in_language(path, lang) for path in results[:5]), (query, results[:5])
    assert page.external_requests == []


@pytest.mark.browser
def test_enter_opens_the_best_result_with_its_words_highlighted(page, served_site):
    page.goto(f"{served_site}/el/")
    page.locator(".md-search__input").click()
    assert run_search(page, "ΘΥΜΩΜΕΝΟΣ")[0] == "/el/playbooks/angry-customer/"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/el/playbooks/angry-customer/\?h="))
    marked = page.locator("article mark[data-md-highlight]").all_inner_texts()
    assert any(word.lower() == "θυμωμένο" for word in marked), marked


@pytest.mark.browser
def test_case_and_accents_fold_alike(page, served_site):
    page.goto(f"{served_site}/")
    for spellings in SAME_WORD:
        folded = page.evaluate("words => words.map(kbSearchText.fold)", list(spellings))
        assert len(set(folded)) == 1, dict(zip(spellings, folded))
    # folding leaves letters that are not accents: Russian й, Greek words keep their letters
    assert page.evaluate("kbSearchText.fold('Новый')") == "новый"
    assert page.evaluate("kbSearchText.fold('ΠΕΛΆΤΗΣ')") == "πελατησ"


@pytest.mark.browser
def test_lithuanian_inflections_meet_in_one_stem(page, served_site):
    page.goto(f"{served_site}/lt/")
    groups = [("skundas", "skundai", "skundą", "skundų", "skundams"), ("klientas", "klientai", "klientų", "klientui"),
              ("rekomendacija", "rekomendacijos", "rekomendacijų"), ("aptarnavimas", "aptarnavimo")]
    for words in groups:
        stems = page.evaluate("words => words.map(w => kbSearchText.stemLithuanian(kbSearchText.fold(w)))", list(words))
        assert len(set(stems)) == 1, dict(zip(words, stems))


# --- without a browser: what the pages and the index tell the search worker ---------------------------

def page_config(html: str) -> dict:
    return json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S).group(1))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_name_the_site_worker_with_their_language(site_dir, lang):
    for rel in ("", "playbooks/angry-customer/", "faq/"):
        path = site_dir / PREFIX[lang] / rel / "index.html"
        config = page_config(path.read_text(encoding="utf-8"))
        worker = urlsplit(config["search"])
        assert worker.path.endswith("assets/javascripts/workers/kb-search.js"), (path, worker)
        params = {key: values[0] for key, values in parse_qs(worker.query, keep_blank_values=True).items()}
        assert params["lang"] == lang
        material = (path.parent / worker.path).resolve().parent / params["material"]
        assert material.is_file(), material
        # Material fetches base + "search/search_index.json": the page's language folder, its own index
        assert (path.parent / config["base"]).resolve() == (site_dir / PREFIX[lang]).resolve(), (path, config["base"])


def language_index(site_dir, lang) -> dict:
    return json.loads((site_dir / PREFIX[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))


def built_pages(site_dir, lang) -> set[str]:
    """The pages built for a language, relative to its folder ("" for its home page)."""
    root = site_dir / PREFIX[lang]
    built = {"" if html.parent == root else html.parent.relative_to(root).as_posix() + "/"
             for html in root.rglob("index.html")}
    return {rel for rel in built if in_language(f"/{PREFIX[lang]}{rel}", lang) and rel != "search/"}


GENERATED = {"status/", "tags/", "checklists/print/"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_has_an_index_of_its_own_pages_and_no_generated_page(site_dir, lang):
    """One index per language, in the language's folder, with locations relative to it: every page of the
    language (i18n's merging of entries that look alike across languages must not drop any), no other."""
    index = language_index(site_dir, lang)
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    expected = built_pages(site_dir, lang) - GENERATED
    assert len(expected) >= 20
    assert pages == expected, (sorted(pages - expected), sorted(expected - pages))
    titles = {doc["location"]: doc["title"] for doc in index["docs"]}
    built = (site_dir / PREFIX[lang] / "playbooks" / "angry-customer" / "index.html").read_text(encoding="utf-8")
    assert f"<title>{titles['playbooks/angry-customer/']} - " in built   # this language's title, not another's
    assert index["config"]["separator"] and index["config"]["fields"]


def test_search_scripts_are_served_from_the_site(site_dir):
    for script in ("assets/javascripts/workers/kb-search.js", "assets/javascripts/kb-search-text.js",
                   "assets/javascripts/kb.js", "assets/javascripts/lunr/min/lunr.el.min.js"):
        assert (site_dir / script).is_file(), script
    worker = (site_dir / "assets/javascripts/workers/kb-search.js").read_text(encoding="utf-8")
    assert not re.search(r"https?://", worker)


def full_index_bytes(site_dir) -> int:
    """The size of the one index of all languages that Material and mkdocs-static-i18n write (before it
    is split): every language's entries with their folder, as Material's search plugin writes JSON."""
    docs = [{**doc, "location": PREFIX[lang] + doc["location"]}
            for lang in LANGUAGES for doc in language_index(site_dir, lang)["docs"]]
    data = {"config": language_index(site_dir, "en")["config"], "docs": docs}
    return len(json.dumps(data, separators=(",", ":"), default=str).encode("utf-8"))


def search_bytes(page, url: str, query: str) -> dict[str, int]:
    """Bytes of every search file (the index, the workers, the stemmers) a reader's browser fetches when
    opening `url` and searching once."""
    fetched: dict[str, int] = {}

    def count(response):
        path = urlsplit(response.url).path
        if "/search/" in path or "/workers/" in path or "/lunr/" in path or path.endswith("kb-search-text.js"):
            fetched[path] = len(response.body())

    page.on("response", count)
    page.goto(url)
    page.locator(".md-search__input").click()
    run_search(page, query)
    page.wait_for_load_state("networkidle")
    return fetched


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_reader_downloads_the_index_of_their_language_only(page, served_site, site_dir, lang):
    fetched = search_bytes(page, f"{served_site}/{PREFIX[lang]}playbooks/angry-customer/", QUERIES[lang][0][0])
    indexes = [path for path in fetched if path.endswith("search_index.json")]
    assert indexes == [f"/{PREFIX[lang]}search/search_index.json"], fetched
    # Everything search-related a reader fetches: at most 30 % of the one index of all languages
    assert sum(fetched.values()) <= 0.30 * full_index_bytes(site_dir), (fetched, full_index_bytes(site_dir))
