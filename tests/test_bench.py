"""The benchmark keeps working: synthetic trees are valid, and `bench/run.py` runs end to end at a tiny
size. No test here asserts a time."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

from conftest import ENV, ROOT
from kb.content.corpus import Corpus
from kb.content.model import LANGUAGES, PAGE_TYPES

sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402


def test_synthetic_tree_is_valid_in_every_language(tmp_path):
    summary = synth.write_tree(tmp_path / "tree", 40)
    assert summary["pages_per_language"] == 40
    corpus = Corpus.load(tmp_path / "tree" / "docs", tmp_path / "tree")
    assert corpus.problems == []          # no error, nothing outdated: every check runs and passes
    assert not corpus.broken
    for lang in LANGUAGES:
        pages = [page for (language, _), page in corpus.pages.items() if language == lang]
        assert len(pages) == 40
        assert set(Counter(page.type for page in pages)) == set(PAGE_TYPES)
        assert {page.generate for page in pages} >= {"translation-status", "checklist-pack"}
    translations = [p for p in corpus.pages.values() if p.lang != p.origin]
    assert translations and all(p.meta.get("translated_from") for p in translations)
    assert any(len({s.key for s in p.sections if s.items}) > 1 for p in corpus.pages.values() if p.type == "checklist")
    assert any(p.steps and any(s.figures for s in p.steps) for p in corpus.pages.values())


def test_synthetic_tree_configuration_inherits_the_project(tmp_path):
    synth.write_tree(tmp_path / "tree", synth.MIN_PAGES)
    config = yaml.safe_load((tmp_path / "tree" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["INHERIT"] == str(ROOT / "mkdocs.yml")
    assert config["hooks"] == [str(path) for path in synth.hook_paths(ROOT / "mkdocs.yml")]
    assert str(ROOT / "hooks" / "kb_hooks.py") in config["hooks"]
    assert "nav" not in config   # the hooks make it from the pages, as for the site


def test_synthetic_tree_with_sub_folders_is_valid(tmp_path):
    synth.write_tree(tmp_path / "tree", 40, subsection=4)
    corpus = Corpus.load(tmp_path / "tree" / "docs", tmp_path / "tree")
    assert corpus.problems == [] and not corpus.broken     # links and credits resolve from the sub-folders
    nested = [rel for (lang, rel) in corpus.pages if lang == "en" and rel.count("/") == 2]
    assert nested and all(re.fullmatch(r"(playbooks|checklists|faq|quotes|topics)/group-\d\d/[a-z-]+\.md", rel)
                          for rel in nested), nested


def test_benchmark_runs_end_to_end_at_a_tiny_size(tmp_path):
    out = tmp_path / "results.md"
    readme = tmp_path / "README.md"
    readme.write_text("# Project\n\n## Performance\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nAfter.\n",
                      encoding="utf-8")
    project_readme = (ROOT / "README.md").read_bytes()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--pages", f"{synth.MIN_PAGES} {synth.MIN_PAGES * 2}", "--runs", "1",
         "--checks-pages", "0", "--real-runs", "0", "--serve-edits", "1", "--prune-pages", str(synth.MIN_PAGES * 3),
         "--search-pages", str(synth.MIN_PAGES), "--search-queries", "2", "--scale-serve-pages", str(synth.MIN_PAGES * 2),
         "--trees", str(tmp_path / "trees"), "--out", str(out), "--readme", str(readme)],
        cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert report.strip() in done.stdout     # printed as well as written
    # The README's Performance section gets the same table, between its markers and nowhere else.
    updated = readme.read_text(encoding="utf-8")
    assert "old table" not in updated and updated.endswith("<!-- bench:end -->\n\nAfter.\n")
    assert next(line for line in report.splitlines() if line.startswith("| Tree")) in updated
    assert (ROOT / "README.md").read_bytes() == project_readme   # a run with --out elsewhere leaves ours alone
    assert re.search(r"on \d+ CPUs .*Python 3\.\d+.*mkdocs \d.*mkdocs-material \d.*mkdocs-static-i18n \d", report)
    rows = [line for line in report.splitlines() if line.startswith("| ")]
    header = next(line for line in rows if line.startswith("| Tree"))
    body = [line for line in rows if line != header]
    assert "Build with hooks" in header and "Without hooks" in header and "Peak memory" in header
    tree = next(row for row in body if row.startswith(f"| synthetic, {synth.MIN_PAGES} pages per language"))
    cells = [cell.strip() for cell in tree.strip("|").split("|")]
    assert cells[1] == str(synth.MIN_PAGES * len(LANGUAGES))
    assert all(re.fullmatch(r"\d+(\.\d+)? s", cell) for cell in cells[2:4])        # with, without hooks
    assert cells[5] == "—"                                                       # instructions: not asked for
    assert re.fullmatch(r"\d+(\.\d+)? s \(\d+ %\)", cells[6])                    # time in our hook code
    assert re.fullmatch(r"\d+ / \d+ MiB", cells[9])                              # peak memory
    assert re.fullmatch(r"\d+ MiB", cells[10])                                   # site size
    assert re.fullmatch(r"\d+(\.\d+)? s / \d+(\.\d+)? s", cells[11])               # checks alone, cold / warm
    serve = next(row for row in body if row.startswith("| `make serve`: save"))
    assert re.search(r"\| \d+(\.\d+)? s \| \d+(\.\d+)? s \|", serve)
    # What people wait for: the one-language preview next to the full `make serve`, as a share of it
    preview = next(row for row in body if row.startswith("| `make serve LANG="))
    assert re.search(r"\| \d+(\.\d+)? s \(\d+ % of `make serve`\) \| ≤ 40 % of `make serve` and < 1 s \| (met|missed) \|", preview)
    assert re.search(r"^- One-language preview \(real site\): .* — (met|missed)$", report, re.M)
    assert "| What people wait for |" in updated
    # Search as a reader meets it: the index downloaded and the time from the last key to the results
    if Path("/usr/bin/chromium").exists():
        for name in ("real site", f"synthetic, {synth.MIN_PAGES} pages per language"):
            row = next(line for line in body if line.startswith(f"| Search, {name} |"))
            assert re.search(r"\| [\d,]+ kB \(\w+\) \| \d+ ms / \d+ ms \(\d+ queries\) \| \d+ ms / \d+ ms \(\d+ queries\) \|$", row), row
        assert "| Search as staff meet it |" in updated
    # Growth with the number of pages: per size, ms and KiB per page with and without our hooks, and the targets
    growth = [line for line in report.splitlines() if line.startswith("| Growth: pages per language |")]
    assert growth and growth[0] in updated
    for size in (synth.MIN_PAGES, synth.MIN_PAGES * 2):
        row = next(line for line in body if line.startswith(f"| {size} ({size * len(LANGUAGES)} pages) |"))
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert re.fullmatch(r"\d+(\.\d+)? s", cells[1]), row
        assert all(re.fullmatch(r"\d+\.\d", cell) for cell in (cells[2], cells[3], cells[5], cells[6])), row
        assert re.fullmatch(r"\d+ MiB", cells[4]) and re.fullmatch(r"\d+ MiB", cells[7]), row
    assert re.search(rf"^- A page does not grow with the site: [\d.]+ KiB per page at {synth.MIN_PAGES * 2} pages per "
                     rf"language, [\d.]+ KiB at {synth.MIN_PAGES} \([\d.]+ ×; target ≤ 1.2 ×\) — (met|missed)$", report, re.M)
    assert re.search(rf"^- `make serve LANG=\w+` at {synth.MIN_PAGES * 2} pages per language, save → page served ≤ 5 s: "
                     r"[\d.]+ s .* — (met|missed)$", report, re.M)
    # Sub-sections, and what navigation.prune leaves out of each page
    pruned = re.search(r"with `navigation.prune` \S+ s, (\d+) KiB per page \((\d+) %\)", report)
    assert pruned and int(pruned.group(2)) < 100, report
    nested = tmp_path / "trees" / f"p{synth.MIN_PAGES * 3}-subsections" / "docs" / "en"
    assert {p.name for p in nested.glob("*/group-*") if p.is_dir()} >= {"group-01", "group-02"}
    # The builds without hooks really had none; the builds with hooks ran every hook of the project, timed.
    trees = tmp_path / "trees" / f"p{synth.MIN_PAGES}"
    assert "hooks: []" in (trees / "mkdocs.bench-nohooks.yml").read_text(encoding="utf-8")
    timed = yaml.safe_load((trees / "mkdocs.bench-hooks.yml").read_text(encoding="utf-8"))["hooks"]
    assert [Path(h).name for h in timed] == [f"timed_{p.stem}.py" for p in synth.hook_paths(ROOT / "mkdocs.yml")]


FAKE_VALGRIND = """#!/bin/sh
# Stands in for valgrind: runs the program without its options and reports an instruction count that
# depends on whether the build had hooks (the configuration file names say so).
while [ "${1#--}" != "$1" ]; do shift; done
"$@" || exit $?
case "$*" in *nohooks*) echo "==1== I   refs:      1,000,000" >&2 ;; *) echo "==1== I   refs:      1,051,000" >&2 ;; esac
"""


def test_instructions_are_counted_with_and_without_hooks(tmp_path):
    """--instructions runs both builds under valgrind and reports the difference (here a stand-in for
    valgrind, so that the test runs where valgrind is not installed and in seconds, not minutes)."""
    fake = tmp_path / "bin" / "valgrind"
    fake.parent.mkdir()
    fake.write_text(FAKE_VALGRIND, encoding="utf-8")
    fake.chmod(0o755)
    out = tmp_path / "results.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--pages", str(synth.MIN_PAGES), "--runs", "0",
         "--checks-pages", "0", "--real-runs", "0", "--serve-edits", "0", "--search-queries", "0", "--instructions",
         "--trees", str(tmp_path / "trees"), "--out", str(out), "--readme", str(tmp_path / "README.md")],
        cwd=ROOT, env={**ENV, "PATH": f"{fake.parent}:{ENV.get('PATH', '')}"}, capture_output=True, text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    row = next(line for line in report.splitlines() if line.startswith(f"| synthetic, {synth.MIN_PAGES} pages"))
    assert [cell.strip() for cell in row.strip("|").split("|")][5] == "+5.1 %"
    assert "1,051,000 instructions with hooks, 1,000,000 without (+5.1 %)" in done.stderr
