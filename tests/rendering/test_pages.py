"""kb.rendering.pages: what a build does to each page, as functions of the page and the site view — no generator involved.
kb.rendering.output: the site folder's 404 pages and a preview's home."""
from __future__ import annotations

from conftest import make_tree
from kb.rendering import output, pages, render
from kb.content.locales import Interface
from kb.rendering.view import SiteBuild, read_site

SITE = "http://kb.example.intranet/"


def _build(tmp_path, case=None, command="build"):
    tree = make_tree(tmp_path, case)
    return tree, SiteBuild(read_site(tree / "docs", tree, command))


def test_a_fallback_page_stays_out_of_its_languages_search_and_names_tags_in_the_readers_language(tmp_path):
    tree, build = _build(tmp_path, "page-missing")
    text = (tree / "docs/el/checklists/keys.md").read_text(encoding="utf-8")
    _, meta = pages.markdown(build.view, "tr/checklists/keys.md", text, {"search": {"boost": 2}}, SITE)
    assert meta["search"] == {"boost": 2, "exclude": True}
    _, own = pages.markdown(build.view, "el/checklists/keys.md", text, {}, SITE)
    assert "search" not in own
    # tags named in the reader's language (Turkish), not the shown text's (Greek)
    assert meta["tags"] == render.tag_names(["qualities"], Interface("tr", tree / "locales"))
    assert own["tags"] == render.tag_names(["qualities"], Interface("el", tree / "locales"))


def test_a_page_nothing_is_known_of_is_left_as_it_is(tmp_path):
    _, build = _build(tmp_path)
    assert pages.markdown(build.view, "en/nowhere.md", "# Hi", {}, SITE) == ("# Hi", {})
    assert pages.content(build, "en/nowhere.md", "<h1>Hi</h1>", SITE) == ("<h1>Hi</h1>", [])


def test_checklists_are_kept_for_the_print_pack_and_a_fallback_says_its_language(tmp_path):
    _, build = _build(tmp_path, "page-missing")
    own, warnings = pages.content(build, "el/checklists/keys.md", '<h1 id="keys">Keys</h1>\n<ul>\n<li class="task-list-item">B</li>\n</ul>', SITE)
    assert not warnings and build.sheets["el", "checklists/keys.md"] == own
    shown, _ = pages.content(build, "tr/checklists/keys.md", '<h1 id="keys">Keys</h1>\n<ul>\n<li class="task-list-item">B</li>\n</ul>', SITE)
    assert 'class="admonition info kb-fallback" lang="tr"' in shown
    assert build.sheets["tr", "checklists/keys.md"] == shown


def test_a_page_whose_html_carries_a_program_is_withheld_and_said_once(tmp_path):
    _, build = _build(tmp_path)
    first, warnings = pages.content(build, "en/index.md", '<h1>Home</h1><script>alert(1)</script>', SITE)
    assert "<script>" not in first and warnings and all(w.startswith("docs/en/index.md:") for w in warnings)
    _, again = pages.content(build, "en/index.md", '<h1>Home</h1><script>alert(1)</script>', SITE)
    assert again == []


def test_the_written_page_of_a_fallback_says_the_language_of_its_text(tmp_path):
    _, build = _build(tmp_path, "page-missing")
    written = ('<html lang="tr"><head><link rel="alternate" href="/tr/checklists/keys/" hreflang="tr">\n'
               '<link rel="alternate" href="/el/checklists/keys/" hreflang="el">\n</head>'
               '<a href="/tr/checklists/keys/" hreflang="tr" class="md-select__link">Türkçe</a></html>')
    html, warnings = pages.written(build, "tr/checklists/keys.md", written, "kb.example.intranet")
    assert 'hreflang="tr">' not in html
    shown = build.view.shown_language("tr", "checklists/keys.md")
    assert html.startswith(f'<html lang="{shown}">')
    assert f'hreflang="{shown}" class="md-select__link"' in html and 'hreflang="el">' in html
    assert not warnings
    other, _ = pages.written(build, "el/checklists/keys.md", written, "kb.example.intranet")
    assert other.startswith('<html lang="tr">')   # the html lang of a page of its own is left alone
    assert 'hreflang="tr">' not in other           # …but no alternate claims the missing translation


def test_a_written_page_loading_from_another_host_is_warned_about(tmp_path):
    _, build = _build(tmp_path)
    _, warnings = pages.written(build, "en/index.md", '<img src="https://cdn.example.com/x.png">', "kb.example.intranet")
    assert warnings and "cdn.example.com" in warnings[0] and warnings[0].startswith("docs/en/index.md:")


def test_an_unreadable_page_is_an_error_page_under_serve_only(tmp_path):
    _, served = _build(tmp_path, "not-utf8", "serve")
    assert pages.error_page(served.view, "lt/index.md")
    assert pages.error_page(served.view, "en/index.md") is None
    _, built = _build(tmp_path / "b", "not-utf8", "build")
    assert pages.error_page(built.view, "lt/index.md") is None


def test_each_language_keeps_its_404_and_the_default_languages_is_at_the_root(tmp_path):
    _, build = _build(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "404.html").write_text("en", encoding="utf-8")
    output.place_not_found(build, site, "en", "en")
    (site / "404.html").write_text("ru", encoding="utf-8")
    output.place_not_found(build, site, "ru", "en")
    assert (site / "404.html").read_text(encoding="utf-8") == "en"
    assert (site / "ru/404.html").read_text(encoding="utf-8") == "ru"


def test_a_preview_of_another_language_sends_the_root_to_it(tmp_path):
    output.preview_home(tmp_path, "ru", "en")
    assert 'url=ru/' in (tmp_path / "index.html").read_text(encoding="utf-8")
    (tmp_path / "index.html").unlink()
    output.preview_home(tmp_path, "en", "en")
    assert not (tmp_path / "index.html").exists()
