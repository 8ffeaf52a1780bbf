"""The menu a page carries (kb/generator/menu.py, overrides/partials/nav*.html): short lists as Material writes them,
long ones cut to a window with a link to the section's page listing all, so that a page's size does not
grow with the number of pages and every page can still be reached from the menu. No test asserts a time."""
from __future__ import annotations

import html as htmllib
import posixpath
import re
import shutil
import statistics
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, _ConfigDumper, make_tree, mkdocs_build, site_config
from kb.generator import menu
from kb.content.model import LANGUAGES

sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402


# --- which entries: on objects shaped like MkDocs' navigation ------------------------------------------

class Item:
    """A page (no children) or a section of MkDocs' navigation, with the attributes menu.py reads."""

    def __init__(self, title: str, children: list | None = None, index: bool = False):
        self.title, self.children, self.parent = title, children, None
        self.is_section, self.is_page, self.is_index = children is not None, children is None, index
        for child in children or []:
            child.parent = self

    def __repr__(self):
        return self.title


class Navigation:
    def __init__(self, items: list):
        self.items = items


def section(name: str, pages: int, index: bool = True) -> Item:
    return Item(name, ([Item(f"{name} index", index=True)] if index else [])
                + [Item(f"{name} {n}") for n in range(1, pages + 1)])


def titles(cut) -> list[str]:
    return [entry.title for _, entry in cut.entries]


def test_a_short_list_is_written_whole():
    playbooks = section("playbooks", menu.WHOLE)
    assert menu.entries(playbooks, playbooks.children[3]) is None
    assert menu.entries(Navigation([playbooks, section("faq", 2)]), None) is None


def test_the_list_the_reader_is_in_shows_the_entries_around_the_page():
    playbooks = section("playbooks", 40)
    page = playbooks.children[20]          # "playbooks 20"
    cut = menu.entries(playbooks, page)
    assert len(cut.entries) == menu.AROUND and page in [entry for _, entry in cut.entries]
    at = titles(cut).index("playbooks 20")
    assert at == menu.AROUND // 2                     # as many before as after
    # numbered as Material numbers the whole list (the index page is entry 1): ids stay what they were
    assert [number for number, _ in cut.entries] == list(range(21 - at, 21 - at + menu.AROUND))
    assert cut.index is playbooks.children[0]         # the section's page, which lists them all
    # at either end the window stays full
    assert titles(menu.entries(playbooks, playbooks.children[1]))[0] == "playbooks 1"
    assert titles(menu.entries(playbooks, playbooks.children[-1]))[-1] == "playbooks 40"
    assert len(menu.entries(playbooks, playbooks.children[-1]).entries) == menu.AROUND


def test_the_section_page_shows_the_first_entries_and_other_lists_their_head():
    playbooks, checklists = section("playbooks", 40), section("checklists", 30)
    on_index = menu.entries(playbooks, playbooks.children[0])
    assert titles(on_index) == [f"playbooks {n}" for n in range(1, menu.AROUND + 1)]
    elsewhere = menu.entries(playbooks, checklists.children[7])
    assert titles(elsewhere) == [f"playbooks {n}" for n in range(1, menu.HEAD + 1)]
    assert elsewhere.index is playbooks.children[0]
    assert menu.entries(playbooks, None).entries == elsewhere.entries    # a page outside the menu (404)


def test_a_page_in_a_sub_section_is_found_through_its_section():
    inner = section("billing", 3)
    playbooks = Item("playbooks", [Item("playbooks index", index=True)]
                     + [Item(f"playbooks {n}") for n in range(1, 31)] + [inner])
    cut = menu.entries(playbooks, inner.children[2])
    assert cut.entries[-1] == (32, inner)   # the sub-section holding the page, counted as Material counts
    assert len(cut.entries) == menu.AROUND


def test_a_folder_without_an_index_page_has_no_link_to_one():
    topics = section("topics", 30, index=False)
    cut = menu.entries(topics, topics.children[10])
    assert cut.index is None and titles(cut)[menu.AROUND // 2] == "topics 11"


def test_the_top_of_the_menu_keeps_the_entries_around_the_page():
    pages = [Item(f"top {n}") for n in range(1, menu.TOP_WHOLE + 11)]
    top = Navigation([*pages, section("playbooks", 3)])
    assert menu.entries(Navigation(pages[:menu.TOP_WHOLE]), pages[0]) is None
    cut = menu.entries(top, top.items[-1].children[1])     # a page of the last section
    assert cut.index is None and titles(cut)[-1] == "playbooks" and len(cut.entries) == menu.TOP_AROUND
    assert titles(menu.entries(top, None))[0] == "top 1"


# --- built sites -------------------------------------------------------------------------------------

SMALL, LARGE = 40, 160   # pages per language: lists whole and cut in the first, all long ones cut in the second


@pytest.fixture(scope="module")
def synthetic_sites(tmp_path_factory) -> dict[int, Path]:
    """Two synthetic trees (bench/synth.py) of different sizes, built strictly with the project's configuration."""
    sites = {}
    for pages in (SMALL, LARGE):
        tree = tmp_path_factory.mktemp(f"p{pages}")
        synth.write_tree(tree, pages)
        result = mkdocs_build(tree)
        assert result.returncode == 0, result.output[-3000:]
        sites[pages] = tree / "site"
    return sites


def pages_of(site: Path) -> dict[str, str]:
    """Every built page by its address ('el/playbooks/x/'), its HTML."""
    return {f.parent.relative_to(site).as_posix().removeprefix(".") + ("/" if f.parent != site else ""): f.read_text(encoding="utf-8")
            for f in site.rglob("index.html")}


def primary_menu(page: str) -> str:
    start = page.find('<nav class="md-nav md-nav--primary"')
    end = page.find('md-sidebar--secondary', start)
    assert start >= 0 and end > start
    return page[start:end]


def links(url: str, fragment: str) -> set[str]:
    found = set()
    for href in re.findall(r'<a href="([^"#]+)[^"]*"', fragment):
        target = posixpath.normpath(posixpath.join("/" + url, htmllib.unescape(href))).lstrip("/")
        found.add("" if target in (".", "") else target + "/")
    return found


def test_a_page_does_not_grow_with_the_number_of_pages(synthetic_sites):
    mean = {size: statistics.mean(len(html.encode("utf-8")) for html in pages_of(site).values())
            for size, site in synthetic_sites.items()}
    assert mean[LARGE] <= 1.2 * mean[SMALL], mean
    # In the larger site no section puts more than menu.WHOLE of its pages into any page's menu (the page's own
    # headings, #links, left out): the bound does not depend on the number of pages.
    longest = 0
    for url, html in pages_of(synthetic_sites[LARGE]).items():
        by_section: dict[str, set] = {}
        for target in links(url, primary_menu(html)):
            folder, _, rest = target.partition("/") if not target.startswith(tuple(f"{l}/" for l in LANGUAGES)) \
                else target.split("/", 1)[1].partition("/")
            if rest:   # a page inside a section, not the section's own page
                by_section.setdefault(folder, set()).add(target)
        longest = max([longest, *map(len, by_section.values())])
    assert 0 < longest <= menu.WHOLE


def test_every_page_is_reached_from_the_menu_and_the_section_pages(synthetic_sites):
    """From each language's home page, following only the links of the menu and of the section pages' lists,
    a reader reaches every page of the language; every cut list links to its section's page."""
    pages = pages_of(synthetic_sites[LARGE])
    others = tuple(f"{lang}/" for lang in LANGUAGES[1:])
    for lang in LANGUAGES:
        home = "" if lang == LANGUAGES[0] else f"{lang}/"
        own = {url for url in pages if url.startswith(home) and (home or not url.startswith(others))}
        seen, todo = {home}, [home]
        while todo:
            url = todo.pop()
            html = pages[url]
            reachable = links(url, primary_menu(html))
            listed = re.search(r'<ul class="kb-section-list">.*?</ul>', html, re.S)
            if listed:
                reachable |= links(url, listed.group(0))
            for target in reachable & own - seen:
                seen.add(target)
                todo.append(target)
        assert seen == own, sorted(own - seen)[:10]
    cut = [url for url, html in pages.items() if "kb-nav-all" in html]
    assert cut, "no list was long enough to be cut"
    for url in cut:
        for item in re.findall(r'<li class="md-nav__item kb-nav-all">.*?</li>', pages[url], re.S):
            (target,) = links(url, item)
            assert "kb-section-list" in pages[target], (url, target)


def test_a_cut_list_shows_the_neighbours_of_the_page_and_its_section_page(synthetic_sites):
    site = synthetic_sites[LARGE]
    folder = site / "el" / "playbooks"
    ordered = sorted(p.name for p in folder.iterdir() if p.is_dir())   # no nav_order in the synthetic tree: by slug
    middle = ordered[len(ordered) // 2]
    page = (folder / middle / "index.html").read_text(encoding="utf-8")
    nav = primary_menu(page)
    shown = [href for href in re.findall(r'<a href="\.\./([a-z-]+)/" class="md-nav__link', nav) if href in ordered]
    assert middle not in shown and f'href="./" class="md-nav__link md-nav__link--active"' in nav   # itself, active
    assert {ordered[ordered.index(middle) - 1], ordered[ordered.index(middle) + 1]} <= set(shown)
    assert len(shown) == menu.AROUND - 1
    assert re.search(r'<li class="md-nav__item kb-nav-all">\s*<a href="\.\./" class="md-nav__link">\s*'
                     r'<span class="md-ellipsis">Όλες οι σελίδες της ενότητας</span>', nav)
    ids = re.findall(r' id="(__nav_[\d_]+)"', page)
    assert ids and len(ids) == len(set(ids))
    # elsewhere, the same section shows its first entries
    faq = primary_menu((site / "el" / "faq" / "index.html").read_text(encoding="utf-8"))
    assert [href for href in re.findall(r'<a href="\.\./playbooks/([a-z-]+)/" class="md-nav__link', faq)] == ordered[:menu.HEAD]


def test_short_lists_are_written_as_material_writes_them(tmp_path):
    """With lists no longer than menu.WHOLE (the fixture tree, like the real site) the pages are byte for byte
    those of Material's own menu templates."""
    tree = make_tree(tmp_path / "tree")
    ours = tmp_path / "ours"
    assert mkdocs_build(tree, ours).returncode == 0
    material = tmp_path / "material-overrides"
    shutil.copytree(ROOT / "overrides", material)
    for name in ("nav.html", "nav-item.html"):
        (material / "partials" / name).unlink()
    config = site_config(tree / "docs")
    config["theme"]["custom_dir"] = str(material)
    (tree / "mkdocs.yml").write_text(yaml.dump(config, Dumper=_ConfigDumper, allow_unicode=True), encoding="utf-8")
    assert mkdocs_build(tree, tmp_path / "theirs").returncode == 0
    built = sorted(p.relative_to(ours) for p in ours.rglob("*.html"))
    assert built and built == sorted(p.relative_to(tmp_path / "theirs") for p in (tmp_path / "theirs").rglob("*.html"))
    for rel in built:
        assert (ours / rel).read_bytes() == (tmp_path / "theirs" / rel).read_bytes(), rel


# --- in Chromium -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served_large(synthetic_sites):
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(synthetic_sites[LARGE])))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.browser
def test_a_cut_menu_is_accessible_and_leads_to_the_section_page_on_a_phone(browser, served_large, synthetic_sites):
    """axe-core finds nothing serious on a page whose menu is cut; on a phone the menu shows the section's window
    and its last entry opens the section's page, which lists every page of the section."""
    from test_a11y import serious_violations

    folder = synthetic_sites[LARGE] / "el" / "playbooks"
    middle = sorted(p.name for p in folder.iterdir() if p.is_dir())[len(list(folder.iterdir())) // 2]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    try:
        tab.goto(f"{served_large}/el/playbooks/{middle}/")
        assert serious_violations(tab) == []
        tab.click("label.md-header__button[for=__drawer]")
        # the drawer opens on the section being read: its window, then the link to the section's page
        link = tab.locator(".md-nav--primary .md-nav__item--active > nav > ul > li.kb-nav-all > a")
        assert link.count() == 1 and link.inner_text().strip() == "Όλες οι σελίδες της ενότητας"
        # in the drawer once it has slid in (at the end of the window: the drawer scrolls to it)
        link.evaluate("a => new Promise(done => { const wait = () => a.getBoundingClientRect().left >= 0 ? done() : "
                      "requestAnimationFrame(wait); wait(); })")
        assert 0 <= link.bounding_box()["x"] < 390
        link.click()
        tab.wait_for_url(f"{served_large}/el/playbooks/")
        listed = tab.locator(".kb-section-list li a").count()
        assert listed == len([p for p in folder.iterdir() if p.is_dir()])
    finally:
        context.close()
