"""`make move-page`: a page moved in every language on a fixture repository with a small history: git mv,
links rewritten everywhere, current translations kept current and outdated ones left outdated, `make diff`
across the rename, the old address redirected in every language; one-line refusals; and `make status`
reporting a broken link as the strict build does."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import mkdocs_build, run, status
from kb.content import moves
from kb.content.corpus import Corpus
from test_sync import GIFT, edit, git, make, repository

KEYS, MOVED = "checklists/keys.md", "checklists/billing/keys.md"
LANGS = ("en", "el", "ru", "tr", "lt")


def cells(root: Path) -> dict[tuple[str, str], str]:
    corpus = Corpus.load(root / "docs", root)
    return {(lang, rel): corpus.cell(lang, rel) for rel in corpus.rels for lang in corpus.languages}


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "docs").rglob("*")) if p.is_file()}


@pytest.fixture
def moved(tree):
    """A repository where tr lacks the checklist (it shows the origin's text), the checklist's origin (el) and the
    playbook's (ru) changed since some translations were marked, then `make move-page` into a sub-folder."""
    root = repository(tree, "page-missing")
    edit(root, "el", KEYS, "Tick each key.", "Tick each key, one by one.")       # en, ru, lt of the checklist: outdated
    edit(root, "ru", GIFT, "within a day", "within an hour")                      # en, el, tr, lt of the playbook: outdated
    git(root, "commit", "-q", "-am", "Origins edited")
    before = cells(root)
    result = make(root, "move-page", "FROM=checklists/keys", "TO=checklists/billing/keys")
    assert result.returncode == 0, result.output
    return root, before, result


def test_the_page_moves_in_every_language_with_its_history(moved):
    root, _, result = moved
    for lang in ("en", "el", "ru", "lt"):
        assert not (root / "docs" / lang / KEYS).exists() and (root / "docs" / lang / MOVED).is_file()
        assert f"moved docs/{lang}/{KEYS} -> docs/{lang}/{MOVED} (git mv)" in result.lines
        # history follows the file: the commit that made the page is in its log under the new name
        assert "Pages" in git(root, "log", "--follow", "--format=%s", "--", f"docs/{lang}/{MOVED}").splitlines()
    assert not (root / "docs/tr" / MOVED).exists()
    assert git(root, "status", "--porcelain") == ""        # committed: the move, then the re-recorded translations
    assert git(root, "log", "-2", "--format=%s").splitlines() == [
        "Translations current after moving checklists/keys to checklists/billing/keys",
        "Move checklists/keys to checklists/billing/keys in every language"]


def test_every_link_is_rewritten_with_its_anchor(moved):
    root, _, _ = moved
    corpus = Corpus.load(root / "docs", root)
    targets = [link.key for page in corpus.pages.values() for link in page.links]
    assert KEYS not in targets and targets.count(MOVED) == 10      # home page and playbook, five languages each
    home = (root / "docs/el/index.md").read_text(encoding="utf-8")
    assert "[keys](checklists/billing/keys.md)" in home
    playbook = (root / "docs/lt/playbooks/gift.md").read_text(encoding="utf-8")
    assert "- [Keys](../checklists/billing/keys.md)" in playbook
    # the moved page's own relative link, one folder deeper, keeps its anchor
    assert "- [Gift](../../playbooks/gift.md#fix-it-fast)" in (root / "docs/en" / MOVED).read_text(encoding="utf-8")
    assert corpus.errors == []


def test_current_translations_stay_current_and_outdated_ones_stay_outdated(moved):
    root, before, result = moved
    after = cells(root)
    assert after == {(lang, MOVED if rel == KEYS else rel): cell for (lang, rel), cell in before.items()}
    assert [lang for lang in LANGS if after[lang, MOVED] == "outdated"] == ["en", "ru", "lt"]
    assert [lang for lang in LANGS if after[lang, GIFT] == "outdated"] == ["en", "el", "tr", "lt"]
    assert after["tr", MOVED] == "missing"
    kept = next(line for line in result.lines if line.startswith("kept current"))
    assert all(f"docs/{lang}/index.md" in kept for lang in ("el", "ru", "tr", "lt"))     # their origin's link changed
    left = next(line for line in result.lines if line.startswith("left outdated"))
    assert f"docs/en/{MOVED}" in left and "docs/el/playbooks/gift.md" in left and "index.md" not in left


def test_make_diff_follows_the_rename(moved):
    root, _, _ = moved
    shown = run([sys.executable, "-m", "kb.translation.diff", f"docs/ru/{MOVED}"], cwd=root)
    assert shown.returncode == 0 and "not in origin commit" not in shown.output, shown.output
    assert "Tick each key{+, one by one+}." in shown.output


def test_the_old_address_redirects_in_every_language(moved):
    root, _, _ = moved
    assert moves.load(root) == ({KEYS: MOVED}, [])
    result = mkdocs_build(root)
    assert result.returncode == 0 and "WARNING" not in result.output, result.output
    for lang in LANGS:
        prefix = "" if lang == "en" else f"{lang}/"
        old = (root / "site" / prefix / "checklists/keys/index.html").read_text(encoding="utf-8")
        assert 'http-equiv="refresh" content="0; url=../billing/keys/"' in old, lang
        assert (root / "site" / prefix / "checklists/billing/keys/index.html").is_file()   # tr: the origin's text


def test_moving_again_keeps_every_old_address_and_an_untracked_page_moves_as_it_is(moved):
    root, _, _ = moved
    edit(root, "en", "index.md", "Start with", "Begin with")   # a change not committed, in a file the move touches
    refused = make(root, "move-page", "FROM=checklists/billing/keys", "TO=checklists/keys-list")
    assert refused.returncode != 0 and refused.lines == [
        "move-page: docs/en/index.md has changes that are not committed: commit them first (the move is "
        "committed on its own), then run make move-page again"]
    git(root, "commit", "-q", "-am", "Home edited")
    (root / "docs/tr" / MOVED).parent.mkdir(parents=True)
    (root / "docs/tr" / MOVED).write_bytes((root / "docs/lt" / MOVED).read_bytes())   # a translation not committed yet
    result = make(root, "move-page", "FROM=checklists/billing/keys", "TO=checklists/keys-list")
    assert result.returncode == 0, result.output
    assert f"moved docs/tr/{MOVED} -> docs/tr/checklists/keys-list.md (not in git yet: moved as it is)" in result.lines
    assert git(root, "status", "--porcelain", "--untracked-files=all") == "?? docs/tr/checklists/keys-list.md"
    assert not (root / "docs/en/checklists/billing").exists()          # no empty folder left behind
    assert moves.load(root)[0] == {KEYS: "checklists/keys-list.md", MOVED: "checklists/keys-list.md"}
    # moving it back makes the first address a page again, no longer a redirect
    back = make(root, "move-page", "FROM=checklists/keys-list", "TO=checklists/keys")
    assert back.returncode == 0, back.output
    assert moves.load(root)[0] == {"checklists/keys-list.md": KEYS, MOVED: KEYS}


@pytest.mark.parametrize("source, target, line", [
    ("checklists/none", "checklists/other",
     "move-page: no page checklists/none: docs/<lang>/checklists/none.md is in no language (FROM is a path under "
     "docs/<lang>/, without .md)"),
    ("checklists/keys", "playbooks/gift",
     "move-page: docs/en/playbooks/gift.md already exists: choose another TO"),
    ("checklists/keys", "checklists/Keys To Service",
     "move-page: TO 'checklists/Keys To Service' is not a page path of lower-case ASCII words joined by hyphens "
     "(e.g. checklists/keys-to-service): it is the page's file name and address in every language"),
    ("checklists/keys", "playbooks/keys", "move-page: TO 'playbooks/keys': a checklist stays in its section's folder "
                                          "(e.g. TO=checklists/keys)"),
    ("faq/index", "faq/questions", "move-page: FROM 'faq/index' is a section's own page (index.md): move-page moves "
                                   "one page, not a section"),
    ("", "checklists/x", "move-page: FROM is missing: make move-page FROM=checklists/be-sure TO=checklists/keys-to-service"),
])
def test_refusals_are_one_line_and_change_nothing(tree, source, target, line):
    root = repository(tree)
    before, head = files(root), git(root, "rev-parse", "HEAD")
    result = make(root, "move-page", f"FROM={source}", f"TO={target}")
    assert result.returncode != 0 and result.lines == [line]
    assert files(root) == before and git(root, "rev-parse", "HEAD") == head and not (root / moves.FILE_NAME).exists()


def test_without_git_the_page_moves_all_the_same_and_from_may_be_a_files_path(tree):
    root = tree()
    result = run([sys.executable, "-m", "kb.translation.move", "FROM=docs/el/checklists/keys.md", "TO=checklists/keys-list"], cwd=root)
    assert result.returncode == 0, result.output
    assert "(not in git yet: moved as it is)" in result.lines[0]
    corpus = Corpus.load(root / "docs", root)
    assert corpus.errors == [] and not any(corpus.outdated(lang, rel) for lang, rel in corpus.pages)


# --- make status tells every broken link the strict build stops on -------------------------------

@pytest.mark.parametrize("old, new, message", [
    ("[keys](checklists/keys.md)", "[keys](checklists/key.md)",
     "docs/en/index.md:9: link to 'checklists/key.md' leads nowhere: there is no page docs/en/checklists/key.md: "
     "check the path (relative to this page's folder)"),
    ("[keys](checklists/keys.md)", "[keys](checklists/keys.md#related-pages)",
     "docs/en/index.md:9: link to 'checklists/keys.md#related-pages' leads nowhere: docs/en/checklists/keys.md has "
     "no heading or element with id 'related-pages'"),
])
def test_status_reports_a_broken_link_in_an_origin_as_the_build_does(tree, old, new, message):
    root = tree()
    edit(root, "en", "index.md", old, new)
    report = status(root)
    assert report.returncode == 1 and message in report.lines, report.output
    build = mkdocs_build(root)
    assert build.returncode != 0 and message in build.output


def test_a_link_to_a_moved_page_says_where_it_went_and_anchors_of_untitled_headings_are_known(tree):
    root = tree()
    (root / moves.FILE_NAME).write_text("checklists/old-keys.md: checklists/keys.md\nfaq/gone.md: faq/nowhere.md\n",
                                        encoding="utf-8")
    edit(root, "en", "index.md", "[keys](checklists/keys.md)", "[keys](checklists/old-keys.md)")
    edit(root, "en", "faq/index.md", "See [the gift]", "See [the top](#faq-en) and [the gift]")   # the id MkDocs gives the title
    report = status(root)
    assert "docs/en/index.md:9: link to 'checklists/old-keys.md' leads nowhere: there is no page " \
           "docs/en/checklists/old-keys.md: the page moved to 'checklists/keys.md' (moved-pages.yml), link there" in report.lines
    assert "moved-pages.yml:2: 'faq/gone.md' redirects to 'faq/nowhere.md', which is no page in any language: " \
           "write the page's present path, or delete the line" in report.lines
    assert not any(line.startswith("docs/en/faq/index.md") for line in report.lines), report.output


def test_moves_map_follows_chains():
    assert moves.moved({}, "a.md", "b.md") == {"a.md": "b.md"}
    assert moves.moved({"a.md": "b.md"}, "b.md", "c.md") == {"a.md": "c.md", "b.md": "c.md"}
    assert moves.moved({"a.md": "b.md", "b.md": "c.md"}, "c.md", "a.md") == {"b.md": "a.md", "c.md": "a.md"}
    assert moves.redirect_maps({"a/b.md": "a/c.md", "x.md": "y.md"}, "el", "en", {"x.md"}) == {"el/a/b.md": "el/a/c.md"}
    assert moves.redirect_maps({"a/b.md": "a/c.md"}, "en", "en", set()) == {"a/b.md": "en/a/c.md"}
