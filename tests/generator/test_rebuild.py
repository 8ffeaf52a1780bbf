"""kb/generator/rebuild.py: under `mkdocs serve` a rebuild reuses the Markdown, theme and search results of the pages that
did not change, and the site it writes is byte for byte the site a fresh build writes. Builds run in a child
process (the reuse is installed process-wide, as `mkdocs serve` runs it). No test asserts a time."""
from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

from conftest import ENV, make_tree

# Serve-mode builds in one process, as `mkdocs serve` makes them: the first, then one after each step, each
# into <out>/<n>; with "fresh", the steps are made first and the one build goes to <out>/<number of steps>. A
# step is "path|old|new" (replace text in a page) or "-path" (delete a page in every language).
DRIVER = r"""
import json, shutil, sys
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.commands.build import build
from kb.generator import rebuild
import logging
logging.basicConfig(format="%(levelname)s - %(message)s")   # as `mkdocs serve` shows what MkDocs says
tree, out, steps, fresh = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4] == "fresh"
def once(site):
    # Every build into one folder, as `mkdocs serve` makes them (a rebuild leaves files that did not change and
    # removes what it did not write); a copy of each build's site is kept for the comparison.
    config = load_config(config_file=str(tree / "mkdocs.yml"), site_dir=str(out / "serving"))
    config.site_url = "http://127.0.0.1:8000/"
    if not rebuild._INSTALLED:
        config.plugins.on_startup(command="serve", dirty=False)
    rebuild.STATS.clear()
    build(config, serve_url="http://127.0.0.1:8000/")
    shutil.copytree(out / "serving", site)
    print(json.dumps(dict(rebuild.STATS)), flush=True)
def change(step):
    if step.startswith("-"):
        for lang in ("en", "el", "ru", "tr", "lt"):
            (tree / "docs" / lang / step[1:]).unlink(missing_ok=True)
        return
    path, old, new = step.split("|")
    file = tree / "docs" / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
if fresh:
    for step in steps:
        change(step)
    once(out / str(len(steps)))
else:
    once(out / "0")
    for number, step in enumerate(steps, start=1):
        change(step)
        once(out / str(number))
"""


def serve_builds(tree: Path, out: Path, steps: list[str], fresh: bool = False, said: list | None = None,
                 only: str = "") -> list[dict]:
    """What each build reused and made anew (kb.generator.rebuild.STATS): the first build's, then one per step; what the
    builds logged goes into `said`; `only`: the one language of make serve LANG=…"""
    done = subprocess.run([sys.executable, "-c", DRIVER, str(tree), str(out), json.dumps(steps), "fresh" if fresh else ""],
                          cwd=tree, env={**ENV, "KB_REBUILD_CACHE": "0" if fresh else "1", "KB_ONLY_LANGUAGE": only},
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    if said is not None:
        said += done.stderr.splitlines()
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def differences(a: Path, b: Path) -> list[str]:
    """Files of two sites that differ, or that one of them lacks."""
    found = []

    def walk(cmp: filecmp.dircmp, at: str):
        found.extend(f"{at}{name}" for name in cmp.left_only + cmp.right_only + cmp.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        found.extend(f"{at}{name}" for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{at}{name}/")
    walk(filecmp.dircmp(a, b), "")
    return found


STEPS = [
    "el/playbooks/gift.md|## 1.|Edited body for the rebuild test.\n\n## 1.",   # a translation's text
    "ru/playbooks/gift.md|\n# |\n# Renamed ",                                   # a title: every menu of ru
    "el/checklists/keys.md|- [ ]|- [ ] **A** — Added item\n- [ ]",             # an origin: its translations
    "-faq/index.md",                                                             # a page deleted everywhere
]


PACK = "---\ntype: page\norigin: en\ntags: []\ngenerate: checklist-pack\n---\n\n# Print all checklists\n\nEvery checklist.\n"


def tree_with_pack(dest: Path) -> Path:
    """The fixture tree with a print pack (its headings grow by one per checklist as it is built: a page whose
    reused headings must not keep what an earlier build added)."""
    tree = make_tree(dest)
    (tree / "docs" / "en" / "checklists" / "print.md").write_text(PACK, encoding="utf-8")
    return tree


def test_rebuilds_write_what_a_fresh_build_writes(tmp_path):
    tree = tree_with_pack(tmp_path / "tree")
    stats = serve_builds(tree, tmp_path / "reused", STEPS)
    assert len(stats) == len(STEPS) + 1
    assert stats[0].get("page hit", 0) == 0 < stats[0].get("page miss", 0)   # the first build has nothing to reuse
    # after a change of one page's text, the rebuild reuses nearly everything
    assert stats[1].get("page hit", 0) > 3 * stats[1].get("page miss", 0) > 0, stats[1]
    assert stats[1].get("markdown hit", 0) > 0 and stats[1].get("search hit", 0) > 0, stats[1]
    # files holding the bytes they held are left as they are; the deleted page's files are removed
    assert stats[1].get("file kept", 0) >= stats[1].get("page hit", 0) > 0 < stats[1].get("file written", 0), stats[1]
    assert stats[len(STEPS)].get("file removed", 0) > 0, stats[-1]
    # each state of the tree, built once in a fresh process without reuse, gives the same site, byte for byte
    for number in range(1, len(STEPS) + 1):
        fresh = tree_with_pack(tmp_path / f"fresh{number}")
        assert serve_builds(fresh, tmp_path / f"fresh-site{number}", STEPS[:number], fresh=True) == [{}]
        assert differences(tmp_path / "reused" / str(number), tmp_path / f"fresh-site{number}" / str(number)) == [], number


def test_one_language_rebuilds_write_what_a_fresh_build_of_it_writes(tmp_path):
    """make serve LANG=el: the preview's own files (its root page sending the reader to el/) stay from build to build."""
    steps = [STEPS[0], STEPS[3]]
    stats = serve_builds(make_tree(tmp_path / "tree"), tmp_path / "reused", steps, only="el")
    assert stats[1].get("file kept", 0) >= stats[1].get("page hit", 0) > 0, stats[1]
    for number in range(1, len(steps) + 1):
        assert serve_builds(make_tree(tmp_path / f"fresh{number}"), tmp_path / f"fresh-site{number}", steps[:number],
                            fresh=True, only="el") == [{}]
        assert differences(tmp_path / "reused" / str(number), tmp_path / f"fresh-site{number}" / str(number)) == [], number


def test_a_reused_page_says_its_warnings_again(tmp_path):
    """MkDocs' own warnings about a page (a link to a page that is not there) are said at every rebuild, also when
    the page's HTML is reused."""
    tree = make_tree(tmp_path / "tree")
    page = tree / "docs" / "el" / "playbooks" / "gift.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Use this when", "See [the lost page](lost.md). Use this when", 1),
                    encoding="utf-8")
    said: list[str] = []
    stats = serve_builds(tree, tmp_path / "reused", ["en/index.md|\n# |\n# Home "], said=said)
    assert stats[1].get("markdown hit", 0) > 0
    warned = [line for line in said if "el/playbooks/gift.md" in line and "lost.md" in line and "not found" in line]
    assert len(warned) == 2, said[-20:]    # the first build and the rebuild
