"""Translations in sync with their origins, on fixture trees with a small git history made here: per-section
diffs of outdated translations, mark-current and its guards, no-retranslation, the missing-page fallback,
outdated-is-not-an-error versus current-and-broken-is-an-error, and the status dashboard in Chromium."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, ROOT, mkdocs_build, run, status
from kb.translation import diff
from kb.content.corpus import Corpus
from kb.content.history import last_changed
from kb.translation.staleness import Refused, mark_current, no_retranslation

IDENTITY = {"GIT_AUTHOR_NAME": "Ada Origin", "GIT_AUTHOR_EMAIL": "ada@example.org",
            "GIT_COMMITTER_NAME": "Ada Origin", "GIT_COMMITTER_EMAIL": "ada@example.org",
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
GIFT = "playbooks/gift.md"
FAQ = "faq/index.md"


@pytest.fixture(autouse=True)
def identity(monkeypatch):
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


def git(root: Path, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                          env={**ENV, **IDENTITY, **(env or {})})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def translations(root: Path) -> list[Path]:
    corpus = Corpus.load(root / "docs", root)
    return [root / "docs" / lang / rel for (lang, rel) in sorted(corpus.pages) if corpus.origins.get(rel) != lang]


def repository(tree, case=None) -> Path:
    """A fixture tree under git whose translations record their origins' commit."""
    root = tree(case)
    for lang in ("en", "el", "ru", "tr", "lt"):   # the translation status page, as the real site has it
        (root / "docs" / lang / "status.md").write_text(
            "---\ntype: page\norigin: en\ngenerate: translation-status\n---\n\n# Status\n", encoding="utf-8")
    # as the project's own .gitignore: the build's output and the checks' page cache are not content
    (root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Pages")
    for file in translations(root):
        mark_current(Corpus.load(root / "docs", root), file)
    git(root, "commit", "-q", "-am", "Translations record their origin's commit")
    return root


def edit(root: Path, lang: str, rel: str, old: str, new: str) -> None:
    path = root / "docs" / lang / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edited_origins(tree) -> Path:
    """The origin of the playbook (ru) changes a step, the introduction, gains a section and loses one; the
    origin of the FAQ (en) changes one answer. Both are committed."""
    root = repository(tree)
    edit(root, "ru", GIFT, "within a day", "within an hour")
    edit(root, "ru", GIFT, "Use this when a customer complains.", "Use this whenever a customer complains.")
    edit(root, "ru", GIFT, "## Related {#related}\n\n- [Keys](../checklists/keys.md)\n\n",
         "## Notes {#notes}\n\nWrite it down.\n\n")
    edit(root, "en", FAQ, "Because nobody cares.", "Because nobody seems to care.")
    git(root, "commit", "-q", "-am", "Origins edited")
    return root


def kinds(changes: diff.Changes) -> dict[str, str]:
    return {change.key: change.kind for change in changes.sections}


def test_sections_changed_in_the_origin_by_id_with_old_and_new_text(tree):
    root = edited_origins(tree)
    corpus = Corpus.load(root / "docs", root)
    assert corpus.errors == []
    changes = diff.changes_of_outdated(corpus)
    assert set(changes) == {(lang, GIFT) for lang in ("en", "el", "tr", "lt")} | {
        (lang, FAQ) for lang in ("el", "ru", "tr", "lt")}
    gift = changes["el", GIFT]
    assert kinds(gift) == {"": "changed", "fix-it-fast": "changed", "notes": "added", "related": "removed"}
    step = next(c for c in gift.sections if c.key == "fix-it-fast")
    assert "within a day" in step.old and "within an hour" in step.new
    assert ("delete", "a day") in step.words and ("insert", "an hour") in step.words
    assert step.label == "step 2 'fix-it-fast'" and step.anchor == "fix-it-fast"
    intro = next(c for c in gift.sections if c.key == "")
    assert ("insert", "whenever") in intro.words and ("delete", "when") in intro.words
    removed = next(c for c in gift.sections if c.key == "related")
    assert removed.new == "" and "[Keys](../checklists/keys.md)" in removed.old
    faq = changes["ru", FAQ]
    assert kinds(faq) == {"why-customers-leave": "changed"}
    assert faq.sections[0].label == "question 'why-customers-leave'"
    assert diff.problems(changes) == []


def test_word_diff_keeps_spaces_and_marks_words():
    assert diff.word_diff("a day b", "a whole hour b") == [("equal", "a "), ("delete", "day"),
                                                           ("insert", "whole hour"), ("equal", " b")]
    # neighbouring changed words make one run; punctuation is a word of its own
    assert diff.word_diff("within a day; then", "within an hour; then") == [
        ("equal", "within "), ("delete", "a day"), ("insert", "an hour"), ("equal", "; then")]


def test_outdated_differences_are_to_update_but_a_current_broken_translation_is_an_error(tree):
    root = edited_origins(tree)
    corpus = Corpus.load(root / "docs", root)
    lines = [str(p) for p in corpus.problems_for("el", GIFT)]
    assert "docs/el/playbooks/gift.md:27: to update: link to 'checklists/keys.md' is not in the origin (origin ru has no link to it)" in lines
    assert all(p.kind == "outdated" for p in corpus.problems_for("el", GIFT))
    assert mkdocs_build(root).returncode == 0
    # Marked current (forced) without updating it: the same difference is now a translator's slip.
    print(mark_current(corpus, root / "docs/el/playbooks/gift.md", force=True))
    again = Corpus.load(root / "docs", root)
    assert [str(p) for p in again.errors] == [
        "docs/el/playbooks/gift.md:27: link to 'checklists/keys.md' is not in the origin (origin ru has no link to it)"]
    result = mkdocs_build(root)
    assert result.returncode != 0 and "docs/el/playbooks/gift.md:27: link to 'checklists/keys.md'" in result.output


def test_build_status_notice_and_diff_name_the_changed_step(tree):
    root = edited_origins(tree)
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output
    html = (root / "site/el/playbooks/gift/index.html").read_text(encoding="utf-8")
    start = html.index('<aside class="admonition warning kb-outdated"')
    notice = html[start:html.index("<h2", start)]
    # none of the notice reaches the search index (the origin's text is in another language)
    index = json.loads((root / "site/search/search_index.json").read_text(encoding="utf-8"))   # one index: no kb_search
    indexed = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"] if doc["location"].startswith("el/playbooks/gift/"))
    assert "an hour" not in indexed and "Εισαγωγή" not in indexed
    assert 'href="../../../ru/playbooks/gift/#fix-it-fast" hreflang="ru" lang="ru">Fix it fast</a>' in notice
    assert "<del>a day</del>" in notice and "<ins>an hour</ins>" in notice   # old and new text, folded
    assert "Εισαγωγή" in notice                                   # the introduction, in the reader's language
    assert "Το πρωτότυπο στα ρωσικά άλλαξε στις" in notice and "Русский" not in notice   # the origin, in Greek words
    assert 'href="../../status/#diff-el-playbooks-gift"' in notice
    page = (root / "site/el/status/index.html").read_text(encoding="utf-8")
    section = page[page.index('id="diff-el-playbooks-gift"'):]
    assert "<del>a day</del>" in section and "<ins>an hour</ins>" in section
    assert 'href="#diff-el-playbooks-gift"' in page               # the outdated cell links to it
    report = status(root)
    assert report.returncode == 0
    assert ("docs/el/playbooks/gift.md: changed in origin ru since commit" in report.output
            and "step 2 'fix-it-fast' (changed)" in report.output)
    assert "    step 2 'fix-it-fast': " in report.output and "within [-a day-]{+an hour+}; the hotel" in report.output
    assert report.lines[-1] == "lt: 4 current, 2 outdated, 0 missing of 6 pages"
    shown = run([sys.executable, "-m", "kb.translation.diff", "docs/el/playbooks/gift.md"], cwd=root)
    assert shown.returncode == 0 and "\x1b[" not in shown.output          # plain when piped
    assert "step 2 'fix-it-fast' — changed" in shown.output
    assert "within [-a day-]{+an hour+}" in shown.output
    assert "to update in the translation:" in shown.output


def test_without_history_everything_builds_and_says_how_to_get_it(tree, tmp_path):
    root = edited_origins(tree)
    tarball = tmp_path / "from-a-tarball"
    shutil.copytree(root, tarball, ignore=shutil.ignore_patterns(".git", "site"))
    result = mkdocs_build(tarball)
    assert result.returncode == 0, result.output
    html = (tarball / "site/el/playbooks/gift/index.html").read_text(encoding="utf-8")
    assert "ιστορικό git" in html                                   # details need the history
    shown = run([sys.executable, "-m", "kb.translation.diff", "docs/el/playbooks/gift.md"], cwd=tarball)
    assert "git fetch --unshallow" in shown.output and "Traceback" not in shown.output


@pytest.mark.parametrize("value, message", [
    ("banana", "docs/el/playbooks/gift.md:6: outdated: translated_from 'banana' is not a value make mark-current writes"),
    ("{fingerprint} deadbeef1234", "docs/el/playbooks/gift.md:6: translated_from names commit deadbeef1234, which is not in this repository"),
    ("{fingerprint} {before}", "docs/el/playbooks/gift.md:6: docs/ru/playbooks/gift.md is not in origin commit"),
])
def test_bad_translated_from_gives_one_line_and_the_build_publishes(tree, value, message):
    root = tree()
    git(root, "init", "-q", "-b", "main")
    git(root, "commit", "-q", "--allow-empty", "-m", "Before the pages")
    before = git(root, "rev-parse", "--short=12", "HEAD")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Pages")
    edit(root, "ru", GIFT, "within a day", "within an hour")
    git(root, "commit", "-q", "-am", "Origin edited")
    edit(root, "el", GIFT, "translated_from: 22e3ebdbc7b1", "translated_from: " + value.format(fingerprint="22e3ebdbc7b1", before=before))
    report = status(root)
    assert report.returncode == 0
    assert any(line.startswith(message) for line in report.lines), report.output
    result = mkdocs_build(root)
    assert result.returncode == 0 and "Traceback" not in result.output + report.output


def test_mark_current_refuses_an_unchanged_translation_unless_forced(tree):
    root = edited_origins(tree)
    corpus = Corpus.load(root / "docs", root)
    with pytest.raises(Refused, match=r"^docs/el/playbooks/gift.md:6: not marked: the file has not changed since its origin ru changed"):
        mark_current(corpus, root / "docs/el/playbooks/gift.md")
    edit(root, "el", GIFT, "within a day", "within an hour")          # the translator updates it
    assert "marked as translated from origin ru" in mark_current(corpus, root / "docs/el/playbooks/gift.md")
    assert "marked as translated" in mark_current(corpus, root / "docs/tr/playbooks/gift.md", force=True)


def test_mark_current_changes_no_other_byte(tree):
    root = edited_origins(tree)
    path = root / "docs/el/playbooks/gift.md"
    crlf = path.read_bytes().replace(b"\n", b"\r\n").replace(b"within a day", b"within an hour")
    path.write_bytes(crlf)
    corpus = Corpus.load(root / "docs", root)
    mark_current(corpus, path)
    after = path.read_bytes()
    before_lines, after_lines = crlf.split(b"\r\n"), after.split(b"\r\n")
    assert len(before_lines) == len(after_lines) and b"\n" not in after.replace(b"\r\n", b"")
    changed = [(a, b) for a, b in zip(before_lines, after_lines) if a != b]
    assert len(changed) == 1 and changed[0][1].startswith(b"translated_from: ")
    origin = Corpus.load(root / "docs", root).origin_page(GIFT)
    assert changed[0][1] == f"translated_from: {origin.fingerprint} {git(root, 'log', '-1', '--format=%H')[:12]}".encode()


def make(root: Path, *args: str):
    """The project's Makefile, run in a fixture tree with this interpreter."""
    return run(["make", "-s", "-C", str(root), "-f", str(ROOT / "Makefile"), "STAMP=",
                f"KB=PYTHONPATH={ROOT / 'hooks'} {sys.executable} -m", *args], cwd=root)


def test_make_mark_current_takes_a_path_with_spaces_whole_and_a_folder_marks_its_outdated_pages(tree):
    root = repository(tree)
    # A path with a space reaches the command whole (never split by a shell); a page name is a slug, so
    # this one is not a page (issue 24), and the command says why in one line.
    text = (root / "docs" / "el" / "index.md").read_text(encoding="utf-8")
    (root / "docs" / "el" / "my page.md").write_text(text, encoding="utf-8")
    named = make(root, "mark-current", "FILE=docs/el/my page.md")
    assert named.returncode != 0 and named.lines == [
        "docs/el/my page.md: the page name 'my page' is not lower-case English letters, digits and hyphens: rename "
        "it, e.g. 'my-page' (it is the address in every language); this is not published"], named.output
    (root / "docs" / "el" / "my page.md").unlink()
    edit(root, "ru", GIFT, "within a day", "within an hour")
    edit(root, "en", FAQ, "Because nobody cares.", "Because nobody seems to care.")
    git(root, "commit", "-q", "-am", "Origins edited")
    folder = make(root, "mark-current", "FILE=docs/el", "FORCE=1")
    assert folder.returncode == 0
    assert [line.split(":")[0] for line in folder.lines] == ["docs/el/faq/index.md", "docs/el/playbooks/gift.md"]
    refused = make(root, "mark-current", "FILE=docs/tr/playbooks/gift.md")
    assert refused.returncode != 0 and refused.lines == [
        "docs/tr/playbooks/gift.md:6: not marked: the file has not changed since its origin ru changed "
        "(update it first; see make diff FILE=docs/tr/playbooks/gift.md; FORCE=1 marks it anyway)"]


def test_make_status_fails_on_errors_without_makes_noise(tree):
    root = tree("step-missing")
    result = make(root, "status")
    assert result.returncode != 0
    assert "Error 1" not in result.output and "***" not in result.output
    assert result.lines[-1].startswith("error: ") and "must be fixed before publishing" in result.lines[-1]


def test_make_status_lang_shows_one_language(tree):
    root = edited_origins(tree)
    edit(root, "el", "index.md", "Start with", "Start with [nothing](nowhere.md) or")   # an error in another language
    result = make(root, "status", "LANG=ru")
    assert result.returncode == 0, result.output
    assert not [line for line in result.lines if line.startswith("docs/") and not line.startswith("docs/ru/")]
    assert "docs/ru/faq/index.md: changed in origin en since commit" in result.output
    header = next(line for line in result.lines if line.startswith("page "))
    assert header.split() == ["page", "ru"]
    assert re.search(r"^faq/index\.md +outdated$", result.output, re.M)
    assert result.lines[-2:] == ["ru: 5 current, 1 outdated, 0 missing of 6 pages",
                                 "(1 problem(s) in other languages: make status shows them)"]
    assert make(root, "status").returncode != 0                      # all languages: the error counts
    unknown = make(root, "status", "LANG=de")
    assert unknown.returncode != 0 and unknown.lines == [
        "make status: unknown language 'de': LANG=… takes one of en el ru tr lt"]


def test_no_retranslation_marks_every_translation_current_and_commits_who_and_when(tree):
    root = repository(tree)
    edit(root, "ru", GIFT, "Fix the process, not the people.", "Fix the process, not the people!")
    with pytest.raises(SystemExit, match="commit the change to the origin first"):
        no_retranslation(Corpus.load(root / "docs", root), root / "docs/ru/playbooks/gift.md")
    git(root, "commit", "-q", "-am", "Typo in the origin")
    corpus = Corpus.load(root / "docs", root)
    assert [lang for lang in corpus.languages if corpus.outdated(lang, GIFT)] == ["en", "el", "tr", "lt"]
    with pytest.raises(SystemExit, match="not an origin page"):
        no_retranslation(corpus, root / "docs/el/playbooks/gift.md")
    done = no_retranslation(corpus, root / "docs/ru/playbooks/gift.md")
    assert len(done) == 5 and done[-1].startswith("committed as ") and "by Ada Origin" in done[-1]
    after = Corpus.load(root / "docs", root)
    assert not any(after.outdated(lang, GIFT) for lang in after.languages)
    assert git(root, "status", "--porcelain") == ""
    log = git(root, "log", "-1", "--format=%an|%s", "--name-only")
    assert log.startswith("Ada Origin|No retranslation needed after the last change to docs/ru/playbooks/gift.md")
    assert sorted(log.split("\n")[2:]) == [f"docs/{lang}/playbooks/gift.md" for lang in ("el", "en", "lt", "tr")]


def test_no_retranslation_marks_only_the_translations_that_were_current_before_the_change(tree):
    root = repository(tree)
    edit(root, "ru", GIFT, "within a day", "within an hour")                       # a change to translate
    git(root, "commit", "-q", "-am", "Origin: a figure changed")
    edit(root, "el", GIFT, "within a day", "within an hour")                       # el translates it
    mark_current(Corpus.load(root / "docs", root), root / "docs/el/playbooks/gift.md")
    git(root, "commit", "-q", "-am", "el: updated")
    edit(root, "ru", GIFT, "Fix the process, not the people.", "Fix the process, not the people!")   # a typo
    git(root, "commit", "-q", "-am", "Origin: typo")
    done = no_retranslation(Corpus.load(root / "docs", root), root / "docs/ru/playbooks/gift.md")
    assert done[0].startswith("docs/el/playbooks/gift.md: marked as translated from origin ru")
    assert done[1] == ("left outdated (they were outdated before this change; make diff shows what each still needs): "
                       "docs/en/playbooks/gift.md, docs/tr/playbooks/gift.md, docs/lt/playbooks/gift.md")
    assert re.fullmatch(r"committed as \w+ by Ada Origin, [-\d]+ \(to undo: git revert \w+\)", done[2]), done[2]
    after = Corpus.load(root / "docs", root)
    assert [lang for lang in after.languages if after.outdated(lang, GIFT)] == ["en", "tr", "lt"]
    assert git(root, "log", "-1", "--format=", "--name-only") == "docs/el/playbooks/gift.md"
    # the pending change is still there, in make diff and the build's notice
    shown = run([sys.executable, "-m", "kb.translation.diff", "docs/tr/playbooks/gift.md"], cwd=root)
    assert "within [-a day-]{+an hour+}" in shown.output
    # the README's undo: git revert of that commit makes el outdated again
    git(root, "revert", "--no-edit", done[2].split()[-1].rstrip(")"))
    again = Corpus.load(root / "docs", root)
    assert [lang for lang in again.languages if again.outdated(lang, GIFT)] == ["en", "el", "tr", "lt"]


# A missing page shows the reader's next-best language with the page current (tr → en: kb/content/languages.py), else
# the origin (tests/content/test_languages.py).
@pytest.mark.parametrize("case, lang, rel, origin, notice", [
    ("page-missing", "tr", "checklists/keys", "en", "Bu sayfanın henüz Türkçe çevirisi yok: aşağıdaki metin İngilizce çeviridir."),
    ("page-in-one-language", "lt", "extra", "en", "Šis puslapis dar neišverstas į lietuvių kalbą: čia originalas anglų kalba."),
])
def test_a_missing_page_shows_the_origin_under_a_notice_and_stays_out_of_search(tree, case, lang, rel, origin, notice):
    root = tree(case)
    corpus = Corpus.load(root / "docs", root)
    assert corpus.errors == [] and corpus.cell(lang, rel + ".md") == "missing"
    result = mkdocs_build(root)
    assert result.returncode == 0 and "WARNING" not in result.output, result.output
    html = (root / "site" / lang / rel / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{origin}"' in html
    assert f'<div class="admonition info kb-fallback" lang="{lang}" data-search-exclude>' in html and notice in html
    assert f'hreflang="{origin}"' in html
    # no page claims a translation into that language: the switcher's link says the text's language
    assert f'hreflang="{lang}"' not in html
    other = (root / "site" / ("" if origin == "en" else origin) / rel / "index.html").read_text(encoding="utf-8")
    assert f'hreflang="{lang}"' not in other and f'<html lang="{origin}"' in other
    origin_title = corpus.pages[origin, rel + ".md"].title
    assert f"<h1" in html and origin_title in html
    index = json.loads((root / "site/search/search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert f"{lang}/{rel}/" not in locations
    assert (f"{origin}/{rel}/" if origin != "en" else f"{rel}/") in locations
    report = status(root)
    assert report.returncode == 0 and re.search(rf"^{lang}: .*1 missing", report.output, re.M)


def test_dates_of_files_with_non_ascii_names_come_from_git(tree):
    root = tree()
    page = root / "docs/el/σελίδα με κενά.md"
    shutil.copy(root / "docs/el/index.md", page)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Pages", env={"GIT_COMMITTER_DATE": "2020-01-02T12:00:00Z"})
    dates = last_changed(root, [page])
    assert str(dates[page]) == "2020-01-02"


@pytest.mark.browser
def test_status_dashboard_in_chromium_on_a_phone(tree, browser, tmp_path):
    import functools
    import http.server
    import threading

    root = edited_origins(tree)
    (root / "docs/lt/index.md").unlink()
    assert mkdocs_build(root).returncode == 0
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        tab = context.new_page()
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/el/status/")
        rows = tab.locator(".kb-progress-row")
        assert rows.count() == 5
        assert "1 σελίδα λείπει" in rows.nth(4).inner_text()         # lt: one page missing, as text
        assert tab.locator(".kb-progress-row").nth(4).locator(".kb-bar-missing").count() == 1
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390   # the page does not scroll sideways
        tab.screenshot(path=str(tmp_path / "status-390.png"))   # looked at: bars, counts, then the table
        link = tab.locator('a.kb-diff-link[href="#diff-el-playbooks-gift"]')
        link.click()
        assert tab.locator("#diff-el-playbooks-gift").is_visible()
        assert "a day" in tab.locator("#diff-el-playbooks-gift ~ .kb-diff del").all_inner_texts()
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/el/status/")
        tab.locator("table.kb-status a[hreflang=ru]").first.click()
        assert "/ru/" in tab.url
        context.close()
    finally:
        server.shutdown()
