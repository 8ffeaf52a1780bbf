"""Search in the reader's language: hurried queries land on the right page, in the reader's language only.

The browser tests type into the real search box of the built site; the others read the built pages and
the search index.
"""
from __future__ import annotations

import html
import json
import posixpath
import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest

import yaml

from conftest import ROOT
from kb.rendering import searching
from kb.content.corpus import Corpus
from kb.content.languages import Languages
from kb.content.model import LANGUAGES
from kb.rendering.printing import page_url

PREFIX = {lang: "" if lang == "en" else f"{lang}/" for lang in LANGUAGES}

# Queries staff type, one file per language written by a native speaker (tests/search_queries/<lang>.yml):
# colloquial words, typos, no accents, two words; each names the page that must come first.
QUERY_FILES = ROOT / "tests" / "search_queries"


def staff_queries(lang: str) -> list[tuple[str, str]]:
    path = QUERY_FILES / f"{lang}.yml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    return [(str(query), str(expected)) for query, expected in entries or []]


QUERIES = {lang: staff_queries(lang) for lang in LANGUAGES}


def expected_address(lang: str, expected: str) -> str:
    """The address of a page named as in the query files ("playbooks/angry-customer", "faq/index")."""
    rel = expected[: -len("index")] if expected == "index" or expected.endswith("/index") else expected + "/"
    return f"/{PREFIX[lang]}{rel}"


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


JOINING = Languages.load(ROOT).joining   # languages being added (make add-language): no staff queries yet


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_staff_queries_of_every_kind(lang):
    """At least 12 queries per language, each naming a page that exists in that language (a language that
    is joining gets its own once its staff can write them)."""
    queries = QUERIES[lang]
    if lang in JOINING and not queries:
        return
    assert len(queries) >= 12, f"tests/search_queries/{lang}.yml: {len(queries)} queries"
    assert sum(1 for query, _ in queries if len(query.split()) >= 2) >= 2, "two-word queries"
    for query, expected in queries:
        assert (ROOT / "docs" / lang / f"{expected}.md").is_file(), (query, expected)


SNAPSHOT = """() => [document.querySelector('.md-search-result__meta').textContent,
    ...[...document.querySelectorAll('.md-search-result__item')].map(item => item.querySelector('a').href)]"""


def type_query(page, query: str) -> list[str]:
    """Type a query key by key into the open search box, as a person does; the result paths, best first
    (empty when the search says it found nothing). Results answer each key press: they are read once they
    have stopped changing, so that those of a part of the query are never taken for the query's."""
    from playwright.sync_api import expect

    box = page.locator(".md-search__input")
    box.fill("")
    expect(page.locator(RESULTS)).to_have_count(0)
    box.press_sequentially(query)
    none = page.evaluate("JSON.parse(document.getElementById('__config').textContent).translations['search.result.none']")
    expect(page.locator(f"{RESULTS}, .md-search-result__meta:text-is({json.dumps(none, ensure_ascii=False)})").first).to_be_visible()
    shown, steady = page.evaluate(SNAPSHOT), 0
    for _ in range(100):                       # at most 10 s; the worker answers in milliseconds
        page.wait_for_timeout(100)
        now = page.evaluate(SNAPSHOT)
        steady = steady + 1 if now == shown else 0
        shown = now
        if steady >= 4:
            break
    if shown[0].strip() == none.strip():
        return []
    return [urlsplit(href).path for href in shown[1:]]


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_staff_queries_land_on_the_right_page_first(page, served_site, lang):
    """Typed on the language's home page, each query of tests/search_queries/<lang>.yml puts its page first,
    and the results are of the reader's language only."""
    page.goto(f"{served_site}/{PREFIX[lang]}")
    page.locator(".md-search__input").click()
    wrong = []
    for query, expected in QUERIES[lang]:
        results = type_query(page, query)
        if not results or results[0] != expected_address(lang, expected):
            wrong.append((query, expected, results[:3]))
        assert all(in_language(path, lang) for path in results[:5]), (query, results[:5])
    assert wrong == [], f"{len(wrong)} of {len(QUERIES[lang])} queries: {wrong}"
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
    # a page the language lacks shows another language's text and is left out of the language's search
    stand_ins = {address(CORPUS.pages[other, rel])[len(f"/{PREFIX[other]}"):]
                 for code, rel, other in CORPUS.fallbacks() if code == lang}
    expected = built_pages(site_dir, lang) - GENERATED - stand_ins
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


# --- typos, dead ends, the glossary's avoided words --------------------------------------------------

CORPUS = Corpus.load(ROOT / "docs", ROOT)
WORD = re.compile(r"[^\W\d_]{7,}")


def typos(word: str) -> dict[str, str]:
    """One edit of each kind a hurried hand makes, in the middle of the word: a letter wrong, one
    missing, one added, two swapped."""
    middle = len(word) // 2
    other = next(c for c in word[::-1] if c != word[middle])   # a letter of the word's own alphabet
    return {
        "wrong": word[:middle] + other + word[middle + 1:],
        "missing": word[:middle] + word[middle + 1:],
        "added": word[:middle] + word[middle] + word[middle:],
        "swapped": word[:middle - 1] + word[middle] + word[middle - 1] + word[middle + 1:],
    }


def _start(word: str) -> str:
    """A word's first five letters, lower case and without accents (inflections share them)."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))[:5]


def distinctive_title_word(lang: str, key) -> str | None:
    """The longest word of a page's title whose start no word of another page's title shares."""
    titles = {k: set(WORD.findall(p.plain_title)) for k, p in CORPUS.pages.items() if k[0] == lang}
    others = {_start(w) for k, words in titles.items() if k != key for w in words}
    candidates = sorted((w.lower() for w in titles[key] if _start(w) not in others), key=lambda w: (-len(w), w))
    return candidates[0] if candidates else None


TYPO_CASES = [(lang, rel) for lang, rel in sorted(CORPUS.pages)
              if CORPUS.pages[lang, rel].type == "playbook" and distinctive_title_word(lang, (lang, rel))]


def address(page) -> str:
    return "/" + page_url("", page).lstrip("/")


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_word_with_one_letter_wrong_missing_added_or_swapped_finds_its_page(page, served_site, lang):
    """Each playbook's most distinctive title word, typed with each kind of typo: the playbook is found."""
    cases = [rel for code, rel in TYPO_CASES if code == lang]
    if lang in JOINING and not any(p.type == "playbook" for (code, _), p in CORPUS.pages.items() if code == lang):
        return   # a language being added has no playbook of its own yet
    assert cases, f"no playbook title in {lang} has a word of 7 letters or more of its own"
    page.goto(f"{served_site}/{PREFIX[lang]}")
    page.locator(".md-search__input").click()
    missed = []
    for rel in cases:
        target = CORPUS.pages[lang, rel]
        for kind, typo in typos(distinctive_title_word(lang, (lang, rel))).items():
            results = type_query(page, typo)
            if address(target) not in results[:3]:
                missed.append((kind, typo, address(target), results[:3]))
    assert missed == []


@pytest.mark.browser
def test_an_exact_word_ranks_above_a_near_one(page, served_site):
    """A word that is in the index is not taken for a typo of another: its own pages come first."""
    lang, rel = TYPO_CASES[0]
    word = distinctive_title_word(lang, (lang, rel))
    page.goto(f"{served_site}/{PREFIX[lang]}")
    page.locator(".md-search__input").click()
    assert type_query(page, word)[0] == address(CORPUS.pages[lang, rel])


def finder_links(site_dir, lang) -> list[str]:
    """The targets of the home page's "What do I do when…" list, as paths."""
    home = (site_dir / PREFIX[lang] / "index.html").read_text(encoding="utf-8")
    section = home[home.index('id="finder"'):]
    items = section[section.index("<ul>"):section.index("</ul>")]
    base = f"/{PREFIX[lang]}"
    return [urlsplit(base + href).path if not href.startswith("/") else href
            for href in re.findall(r'<a href="([^"#]+)', items)]


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_search_that_finds_nothing_offers_the_finder(page, served_site, site_dir, lang):
    page.goto(f"{served_site}/{PREFIX[lang]}playbooks/")
    page.locator(".md-search__input").click()
    assert type_query(page, "qxzvvj") == []
    finder = page.locator(".kb-search-finder")
    finder.wait_for(state="visible")
    shown = [urlsplit(href).path for href in finder.locator("a").evaluate_all("links => links.map(a => a.href)")]
    expected = [posixpath.normpath(path) + "/" if not path.endswith("/") else path for path in finder_links(site_dir, lang)]
    assert shown and [posixpath.normpath(p) for p in shown] == [posixpath.normpath(p) for p in expected]
    text, background = finder.evaluate("p => [getComputedStyle(p.querySelector('li')).color, getComputedStyle(p).backgroundColor]")
    assert text != background   # readable: Material's panel text is light, for the header
    # a word that finds something hides it again
    type_query(page, CORPUS.pages[lang, "index.md"].plain_title.split()[0] if (lang, "index.md") in CORPUS.pages else "a")
    assert not finder.is_visible()


AVOIDED = [(lang, avoided, entry.term) for lang in LANGUAGES for avoided, term in searching.synonyms(CORPUS.glossary, lang)
           for entry in [next(e for _c, e in CORPUS.glossary.terms(lang) if e.term == term)]]


@pytest.mark.browser
@pytest.mark.skipif(not AVOIDED, reason="the glossary lists no avoided single word")
def test_an_avoided_word_of_the_glossary_leads_to_the_approved_terms_pages(page, served_site):
    for lang, avoided, term in AVOIDED:
        page.goto(f"{served_site}/{PREFIX[lang]}")
        page.locator(".md-search__input").click()
        word = avoided.rstrip("*") + ("а" if avoided.endswith("*") and lang == "ru" else "")
        approved = type_query(page, term)[:3]
        found = type_query(page, word)
        assert found and found[0] in approved, (lang, word, found[:3], term, approved)


# --- the words staff type: in the index, never on the page --------------------------------------------

def test_search_words_are_in_the_index_and_not_on_the_page(site_dir):
    pages = [p for p in CORPUS.pages.values() if p.search_words]
    assert pages, "no page has search_words"
    checked = 0
    for page in pages:
        index = {doc["location"]: doc for doc in language_index(site_dir, page.lang)["docs"]}
        location = page_url("", page).lstrip("/")[len(PREFIX[page.lang]):]
        indexed = index[location].get("words")
        assert indexed[:len(page.search_words)] == page.search_words, page.path   # then two-word phrases as one word
        if CORPUS.outdated(page.lang, page.rel):   # its notice quotes the origin's text
            continue
        # words no page of the language has in its text are nowhere in this page's article
        written = "\n".join("\n".join(p.body) + p.title for p in CORPUS.pages.values() if p.lang == page.lang).lower()
        article = built_article(site_dir, page).lower()
        for word in page.search_words:
            if word.lower() not in written:
                checked += 1
                assert not re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", article), (page.path, word)
    assert checked


def built_article(site_dir, page) -> str:
    text = (site_dir / page_url("", page).lstrip("/") / "index.html").read_text(encoding="utf-8")
    article = text[text.index("<article"):text.index("</article>")]
    article = re.sub(r'<nav class="md-tags".*?</nav>', " ", article, flags=re.S)   # tag names are shown, not search words
    return re.sub(r"\S*/\S*", " ", html.unescape(re.sub(r"<[^>]+>", " ", article)))   # without addresses


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_rank_by_what_they_are_for(site_dir, lang):
    """A playbook's entries weigh more than a checklist's, and both more than reference pages'."""
    boost = {}
    for doc in language_index(site_dir, lang)["docs"]:
        boost.setdefault(doc["location"].split("#")[0], doc.get("boost", 1))
    by_type = {}
    for page in CORPUS.pages.values():
        location = page_url("", page).lstrip("/")[len(PREFIX[lang]):]
        if page.lang == lang and location in boost:
            by_type.setdefault(page.type, set()).add(boost[location])
    assert min(by_type["playbook"]) > max(by_type["checklist"]) > max(by_type["page"])
