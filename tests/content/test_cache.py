"""The cache of parsed pages (kb/content/cache.py) never changes a result: cached and uncached loads give the same
pages and problems on the real site and on every fixture tree, and a bad cache costs one line and a
parse of every page."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys

import pytest

import kb.content.cache
import kb.content.corpus
import kb.content.workers
from conftest import CASES, ENV, ROOT, mkdocs_build
from kb.content.corpus import Corpus


def outcome(corpus: Corpus):
    """Everything a load gives that the checks, reports and hooks read."""
    return (corpus.pages, {key: str(error) for key, error in corpus.broken.items()},
            [(p.path, p.line, p.message, p.kind) for p in corpus.problems], corpus.origins)


@pytest.fixture
def counted(monkeypatch):
    """How many pages the next loads parse (the rest came from the cache)."""
    calls = []
    for name in ("read_page", "parse_bytes"):   # from the file, or from the bytes the cache has read
        monkeypatch.setattr(kb.content.workers, name, _counting(getattr(kb.content.workers, name), calls))
    return calls


def _counting(parse, calls):
    def counted_parse(*args):
        calls.append(args[3])
        return parse(*args)
    return counted_parse


def cache_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "kb.content.cache"]


def test_real_site_cached_equals_uncached(tmp_path, counted):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    uncached = Corpus.load(tmp_path / "docs", tmp_path, cache=False)
    counted.clear()
    first = Corpus.load(tmp_path / "docs", tmp_path, cache=True)     # parses, writes the cache
    parsed = len(counted)
    assert (tmp_path / ".cache" / "kb" / "pages.json").is_file()
    second = Corpus.load(tmp_path / "docs", tmp_path, cache=True)    # every page from the cache
    assert len(counted) == parsed
    assert outcome(first) == outcome(uncached) == outcome(second)
    assert uncached.pages and parsed == len(uncached.pages) + len(uncached.broken)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_fixture_trees_cached_equal_uncached(tree, case, counted):
    root = tree(case)
    uncached = outcome(Corpus.load(root / "docs", root, cache=False))
    assert outcome(Corpus.load(root / "docs", root, cache=True)) == uncached
    parsed = len(counted)
    assert outcome(Corpus.load(root / "docs", root, cache=True)) == uncached
    assert len(counted) == parsed   # broken pages (ContentError) come from the cache too


def test_an_edited_page_is_parsed_again_even_with_the_same_size_and_time(tree, counted, monkeypatch):
    monkeypatch.setattr(kb.content.cache, "SETTLE_NS", -10**15)   # keep file signatures at once (normally: after 2 s)
    root = tree()
    Corpus.load(root / "docs", root, cache=True)
    Corpus.load(root / "docs", root, cache=True)
    page = root / "docs" / "el" / "playbooks" / "gift.md"
    before = page.stat()
    text = page.read_text(encoding="utf-8")
    step = text.index("{#fix-it-fast}")
    page.write_text(text[:step] + "{#fix-it-fass}" + text[step + 14:], encoding="utf-8")   # same size
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))                             # same mtime
    counted.clear()
    cached = Corpus.load(root / "docs", root, cache=True)
    assert counted == ["playbooks/gift.md"]
    assert outcome(cached) == outcome(Corpus.load(root / "docs", root, cache=False))
    assert any("fix-it-fass" in p.message for p in cached.errors)


def _warm(root):
    Corpus.load(root / "docs", root, cache=True)
    return root / ".cache" / "kb" / "pages.json"


@pytest.mark.parametrize("damage", ["garbage", "partly written", "empty"])
def test_a_corrupt_cache_costs_one_line_and_a_full_parse(tree, caplog, counted, damage):
    root = tree("step-missing")
    cache = _warm(root)
    data = cache.read_bytes()
    cache.write_bytes({"garbage": b"not a cache \x00\xff" * 10, "partly written": data[: len(data) // 2],
                       "empty": b""}[damage])
    expected = outcome(Corpus.load(root / "docs", root, cache=False))
    counted.clear()
    caplog.set_level(logging.INFO)
    assert outcome(Corpus.load(root / "docs", root, cache=True)) == expected
    lines = cache_lines(caplog)
    assert len(lines) == 1 and "cannot be read" in lines[0] and ".cache/kb/pages.json" in lines[0]
    assert len(counted) == 25   # every page parsed
    caplog.clear()
    assert outcome(Corpus.load(root / "docs", root, cache=True)) == expected   # repaired
    assert cache_lines(caplog) == []


def test_a_cache_of_another_parser_version_is_not_used(tree, caplog, counted):
    root = tree("figure-changed")
    cache = _warm(root)
    version, stored = cache.read_bytes().split(b"\n", 1)
    cache.write_bytes(bytes(reversed(version)) + b"\n" + stored)   # another parser's version, same length
    expected = outcome(Corpus.load(root / "docs", root, cache=False))
    counted.clear()
    caplog.set_level(logging.INFO)
    assert outcome(Corpus.load(root / "docs", root, cache=True)) == expected
    lines = cache_lines(caplog)
    assert len(lines) == 1 and "another version of the parser" in lines[0]
    assert len(counted) == 25


def test_the_version_follows_the_parser_sources(tmp_path):
    """A change to any module of hooks/kb/ (the parser and what it calls) makes another cache version."""
    def version(hooks):
        return subprocess.run([sys.executable, "-c", "import kb.content.cache; print(kb.content.cache.VERSION)"],
                              env={**ENV, "PYTHONPATH": str(hooks)}, capture_output=True, text=True,
                              check=True).stdout.strip()
    shutil.copytree(ROOT / "hooks" / "kb", tmp_path / "kb", ignore=shutil.ignore_patterns("__pycache__"))
    assert version(tmp_path) == kb.content.cache.VERSION
    with (tmp_path / "kb" / "content" / "figures.py").open("a", encoding="utf-8") as source:
        source.write("\n# a changed parser\n")
    assert version(tmp_path) != kb.content.cache.VERSION


def test_an_unwritable_cache_folder_costs_one_line(tree, caplog):
    root = tree("step-missing")
    (root / ".cache").mkdir()
    (root / ".cache" / "kb").write_text("a file where the folder should be", encoding="utf-8")
    caplog.set_level(logging.INFO)
    expected = outcome(Corpus.load(root / "docs", root, cache=False))
    assert outcome(Corpus.load(root / "docs", root, cache=True)) == expected
    lines = cache_lines(caplog)
    assert len(lines) == 1 and "cannot be written" in lines[0]
    assert list((root / ".cache").iterdir()) == [root / ".cache" / "kb"]   # no temporary file left


def test_status_says_so_in_one_line_and_prints_the_same_report(tree):
    root = tree("step-missing")
    def status():
        return subprocess.run([sys.executable, "-m", "kb.translation.status"], cwd=root, env=ENV, capture_output=True, text=True)
    first = status()
    (root / ".cache" / "kb" / "pages.json").write_bytes(b"\x80\x05garbage")
    second = status()
    assert second.stdout == first.stdout and second.returncode == first.returncode == 1
    assert first.stderr == ""
    assert len(second.stderr.splitlines()) == 1 and "page cache" in second.stderr


def test_kb_cache_0_turns_the_cache_off(tree, monkeypatch):
    root = tree()
    monkeypatch.setenv("KB_CACHE", "0")
    Corpus.load(root / "docs", root)
    assert not (root / ".cache").exists()


def test_a_strict_build_with_a_corrupt_cache_passes_with_one_line(tree):
    root = tree()
    cache = _warm(root)
    cache.write_bytes(b"\x80\x05partly")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    assert [line for line in result.lines if "page cache" in line] == [
        "kb: the page cache .cache/kb/pages.json cannot be read (ValueError): every page is parsed anew"]


def test_a_process_that_loads_again_reuses_what_it_read_and_checked(tree, monkeypatch):
    """Each `mkdocs serve` rebuild loads the corpus again in the same process: an unchanged cache file is not
    decoded again and an unchanged page not checked again, and a changed page is read and checked anew."""
    root = tree(None)
    first = Corpus.load(root / "docs", root)
    assert not first.errors
    decoded, checked = [], []
    monkeypatch.setattr(kb.content.cache, "_decode", lambda data: decoded.append(1) or {})
    check_page = kb.content.corpus.checks.check_page
    monkeypatch.setattr(kb.content.corpus.checks, "check_page", lambda page: checked.append(page.path) or check_page(page))
    again = Corpus.load(root / "docs", root)
    assert outcome(again) == outcome(first)
    assert decoded == [] and checked == []
    gift = root / "docs/el/playbooks/gift.md"
    gift.write_text((CASES / "step-missing/docs/el/playbooks/gift.md").read_text(encoding="utf-8"), encoding="utf-8")
    changed = Corpus.load(root / "docs", root)
    assert checked == ["docs/el/playbooks/gift.md"]
    assert [p for p in changed.errors if p.path == "docs/el/playbooks/gift.md"]


def test_under_serve_a_rebuild_keeps_its_pages_in_the_process_and_writes_them_when_it_ends(tree, monkeypatch, counted):
    """After the first load, a `mkdocs serve` rebuild does not write the whole cache file again for one saved
    page: the process keeps the entries, the next load takes them, and the file is written when the process ends."""
    monkeypatch.setattr(kb.content.cache, "_DEFERRING", [])
    monkeypatch.setattr(kb.content.cache, "_PENDING", {})
    monkeypatch.setattr(kb.content.cache.atexit, "register", lambda function: None)
    root = tree(None)
    Corpus.load(root / "docs", root)   # a first load writes the file, so that a server killed outright left one
    cache_file = root / kb.content.cache.FOLDER / kb.content.cache.FILE_NAME
    written = cache_file.read_bytes()
    kb.content.cache.defer_saves()
    gift = root / "docs/el/playbooks/gift.md"
    gift.write_text(gift.read_text(encoding="utf-8") + "\nΜία ακόμη πρόταση.\n", encoding="utf-8")
    counted.clear()
    edited = Corpus.load(root / "docs", root)
    assert counted == ["playbooks/gift.md"]
    assert cache_file.read_bytes() == written   # not written on this load
    counted.clear()
    assert outcome(Corpus.load(root / "docs", root)) == outcome(edited)
    assert counted == []                        # the page saved is not parsed again by the next rebuild
    kb.content.cache.write_deferred()           # as at exit
    assert cache_file.read_bytes() != written
    kb.content.cache._REMEMBERED.clear()        # a new process: from the file alone
    counted.clear()
    assert outcome(Corpus.load(root / "docs", root)) == outcome(edited)
    assert counted == []
