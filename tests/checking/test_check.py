"""make check (kb/checking/check.py): the lines that stop a strict build, found without building, on fixture trees."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from conftest import ENV, ROOT, mkdocs_build, run


def check(root) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb.checking.check"], cwd=root, env=ENV, capture_output=True, text=True,
                          timeout=600)


def build_warnings(root) -> tuple[int, list[str]]:
    """A strict build's exit status and its WARNING lines, without MkDocs' prefix."""
    result = mkdocs_build(root)
    return result.returncode, [re.sub(r"^WARNING\s+-\s+", "", line) for line in result.lines if line.startswith("WARNING")]


def break_catalog(root) -> None:
    po = root / "locales" / "lt" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "Spausdinti"' in text
    po.write_text(text.replace('msgstr "Spausdinti"', 'msgstr ""'), encoding="utf-8")


# A valid tree, a page that cannot be read, a translation whose structure differs, a link that leads nowhere,
# a file that is not UTF-8, and a broken interface catalog.
@pytest.mark.parametrize("case", [None, "broken-yaml", "step-missing", "link-missing", "not-utf8", "catalog"])
def test_check_prints_the_lines_a_strict_build_stops_on(tree, case):
    root = tree(None if case == "catalog" else case)
    if case == "catalog":
        break_catalog(root)
    checked = check(root)
    status, warnings = build_warnings(root)
    assert checked.stdout.splitlines() == warnings
    assert (checked.returncode != 0) == (status != 0) == bool(warnings)
    assert "Traceback" not in checked.stdout + checked.stderr
    if case is not None:
        assert checked.returncode == 1
        assert checked.stderr.strip().splitlines()[-1] == f"make check: {len(warnings)} problem(s) above stop make build"
    else:
        assert checked.returncode == 0 and checked.stdout == ""
        assert re.fullmatch(r"make check: no problem stops make build \(\d+ pages in 5 languages\)",
                            checked.stderr.strip().splitlines()[-1])


def test_check_names_the_file_and_line(tree):
    root = tree("step-missing")
    lines = check(root).stdout.splitlines()
    assert lines and all(re.match(r"docs/[a-z]{2}/\S+\.md:\d+: ", line) for line in lines), lines


def test_check_runs_no_generator(tree):
    """The core alone: neither MkDocs, its theme nor Jinja is imported, and no site is written."""
    root = tree("step-missing")
    probe = ("import runpy, sys\n"
             "try:\n    runpy.run_module('kb.checking.check', run_name='__main__')\n"
             "except SystemExit as exit_:\n    status = exit_.code\n"
             "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'mkdocs_static_i18n', 'jinja2'))\n"
             "print('loaded', loaded, 'status', status)\n")
    result = run([sys.executable, "-c", probe], cwd=root)
    assert result.lines[-1] == "loaded [] status 1", result.output
    assert not (root / "site").exists()


def test_make_check_exits_non_zero_with_the_problem_lines_only(tree):
    root = tree("step-missing")
    shutil.copytree(ROOT / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "requirements.lock"):
        shutil.copy2(ROOT / name, root / name)   # keeps the lock file's time: no reinstall
    done = subprocess.run(["make", "-s", "check", f"VENV={ROOT / '.venv'}"], cwd=root, env=ENV,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode != 0
    assert done.stdout.splitlines() == check(root).stdout.splitlines() != []
    assert "make: ***" not in done.stderr and "Traceback" not in done.stderr
    (root / "docs" / "el" / "playbooks" / "gift.md").write_bytes((ROOT / "tests" / "fixtures" / "base" / "docs" / "el" / "playbooks" / "gift.md").read_bytes())
    done = subprocess.run(["make", "-s", "check", f"VENV={ROOT / '.venv'}"], cwd=root, env=ENV,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout == "", done.stdout + done.stderr
