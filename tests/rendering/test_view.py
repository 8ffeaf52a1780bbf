"""kb.rendering.view: every language read once into one view of the site that nothing changes after, and its build run."""
from __future__ import annotations

import dataclasses

import pytest

from conftest import make_tree
from kb.rendering.view import WARNING, SiteBuild, read_site


def test_a_page_a_language_lacks_shows_its_origin(tmp_path):
    tree = make_tree(tmp_path, "page-missing")
    view = read_site(tree / "docs", tree)
    shown = view.corpus.stand_in("tr", "checklists/keys.md").lang   # Turkish readers' next-best language
    assert shown != "tr"
    assert view.fallbacks[("tr", "checklists/keys.md")] == shown
    assert view.fallbacks_by_rel["checklists/keys.md"] == {"tr": shown}
    assert view.shown_language("tr", "checklists/keys.md") == shown
    assert view.model("tr", "checklists/keys.md") is view.corpus.pages[shown, "checklists/keys.md"]
    assert view.fallback_text("tr", "checklists/keys.md") == (tree / f"docs/{shown}/checklists/keys.md").read_text(encoding="utf-8")
    assert view.fallback_text("el", "checklists/keys.md") is None   # its own page
    assert view.dates[("el", "checklists/keys.md")]                    # every page has its date


def test_the_view_cannot_be_changed(tmp_path):
    tree = make_tree(tmp_path, "page-missing")
    view = read_site(tree / "docs", tree)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.status_rel = "x.md"
    with pytest.raises(TypeError):
        view.fallbacks[("ru", "index.md")] = "en"
    with pytest.raises(TypeError):
        view.fallbacks_by_rel["checklists/keys.md"]["ru"] = "en"


def test_errors_stop_a_strict_build_but_not_serve(tmp_path):
    tree = make_tree(tmp_path, "step-missing")
    built = read_site(tree / "docs", tree, "build")
    assert built.errors and "content error(s)" in built.stops(strict=True)
    assert built.stops(strict=False) is None
    warnings = [line.text for line in built.lines if line.level == WARNING]
    assert any(text.startswith("docs/el/playbooks/gift.md:") for text in warnings)
    served = read_site(tree / "docs", tree, "serve")
    assert served.serving and served.stops(strict=True) is None


def test_a_clean_tree_does_not_stop(tmp_path):
    tree = make_tree(tmp_path)
    view = read_site(tree / "docs", tree)
    assert view.errors == 0 and view.stops(strict=True) is None
    assert any("read and checked" in line.text for line in view.lines)


def test_unreadable_pages_are_left_out_except_under_serve(tmp_path):
    tree = make_tree(tmp_path, "not-utf8")
    assert read_site(tree / "docs", tree, "build").left_out("lt/index.md")
    assert not read_site(tree / "docs", tree, "serve").left_out("lt/index.md")
    assert not read_site(tree / "docs", tree, "build").left_out("en/index.md")


def test_a_line_is_said_once_per_build(tmp_path):
    tree = make_tree(tmp_path)
    build = SiteBuild(read_site(tree / "docs", tree))
    assert build.first_time("docs/en/index.md: a line")
    assert not build.first_time("docs/en/index.md: a line")


@pytest.mark.parametrize("epoch, day", [("1767225600", "2026-01-01"), ("", None), ("soon", None), ("9" * 30, None)])
def test_the_status_report_is_as_of_source_date_epoch_when_set(tmp_path, monkeypatch, epoch, day):
    """Parts built on different days (make build, a CI matrix) date the status page alike, as MkDocs the sitemap."""
    import datetime as dt
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    tree = make_tree(tmp_path / "tree")
    before = dt.datetime.now(dt.timezone.utc).date()
    built_on = read_site(tree / "docs", tree).built_on
    after = dt.datetime.now(dt.timezone.utc).date()
    assert str(built_on) == day if day else built_on in (before, after)   # (a build across midnight)
