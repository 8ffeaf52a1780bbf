"""make publish (kb/translation/slips.py): a translator's slip is published as its fallback page, listed, and said in the
exit status; make build stays strict."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import ENV, ROOT, mkdocs_build, run
from kb.translation import slips

GIFT_EL = "docs/el/playbooks/gift.md"


def publish(root, report=None):
    """The build of make publish: strict, KB_PUBLISH naming the report."""
    report = report or root / "report.json"
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")]
    done = subprocess.run(args, cwd=root, env={**ENV, slips.VARIABLE: str(report)}, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600)
    return done, report


def test_a_translation_with_an_error_is_published_as_its_fallback(tree):
    root = tree("step-missing")   # docs/el/playbooks/gift.md lacks step 2 while marked current
    assert mkdocs_build(root, root / "strict").returncode != 0   # make build stays strict
    done, report = publish(root)
    assert done.returncode == 0, done.stdout
    page = (root / "site" / "el" / "playbooks" / "gift" / "index.html").read_text(encoding="utf-8")
    # the reader's next-best language (en, current) stands in, under a notice in the reader's language
    assert "Gift (en)" in page and "Gift (el)" not in page and '<html lang="en"' in page
    assert "Η μετάφραση αυτής της σελίδας στα ελληνικά διορθώνεται: αυτή είναι η έκδοση στα αγγλικά." in page
    # the other languages are published as written
    assert "Gift (ru)" in (root / "site" / "ru" / "playbooks" / "gift" / "index.html").read_text(encoding="utf-8")
    data = json.loads(report.read_text(encoding="utf-8"))
    assert [(p["path"], p["shown"]) for p in data["pages"]] == [(GIFT_EL, "en")]
    assert data["pages"][0]["problems"][0].startswith(f"{GIFT_EL}:17: step 2 'fix-it-fast' is missing")
    listed = run([sys.executable, "-m", "kb.translation.slips", str(report)], root)
    assert listed.returncode == slips.REPLACED
    assert listed.lines[0] == f"{GIFT_EL}: published as its fallback (en) because of:"
    assert listed.lines[-1].startswith("make publish: site/ is ready, with 1 page(s) published as their fallback")


def test_an_unreadable_translation_is_published_as_its_fallback(tree):
    root = tree("broken-yaml")   # docs/el/faq/index.md: front matter cannot be read
    done, report = publish(root)
    assert done.returncode == 0, done.stdout
    assert "FAQ (en)" in (root / "site" / "el" / "faq" / "index.html").read_text(encoding="utf-8")
    assert [p["path"] for p in json.loads(report.read_text(encoding="utf-8"))["pages"]] == ["docs/el/faq/index.md"]


def test_an_error_nothing_can_stand_in_for_stops_publishing(tree):
    root = tree("steps-count-disagrees")   # the origin's own error: it is every language's reference
    done, _ = publish(root)
    assert done.returncode != 0
    assert "docs/ru/playbooks/gift.md:5: front matter says steps: 2 but the page has 3 numbered steps" in done.stdout


def test_interface_text_with_a_slip_shows_in_the_default_language(tree):
    root = tree()
    catalog = root / "locales" / "ru" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text(encoding="utf-8")
    entry = text.index('msgid "Print"\n')
    end = text.index("\n", text.index("msgstr", entry))
    catalog.write_text(text[:entry] + 'msgid "Print"\nmsgstr ""' + text[end:], encoding="utf-8")
    assert mkdocs_build(root, root / "strict").returncode != 0
    done, report = publish(root)
    assert done.returncode == 0, done.stdout
    assert ">Print</button>" in (root / "site" / "ru" / "checklists" / "keys" / "index.html").read_text(encoding="utf-8")
    listed = run([sys.executable, "-m", "kb.translation.slips", str(report)], root)
    assert listed.returncode == slips.REPLACED and "'Print' is not translated" in listed.output


def test_nothing_replaced_exits_zero(tree):
    root = tree()
    done, report = publish(root)
    assert done.returncode == 0, done.stdout
    listed = run([sys.executable, "-m", "kb.translation.slips", str(report)], root)
    assert (listed.returncode, listed.lines) == (0, ["make publish: site/ is ready; every page as written"])


@pytest.fixture
def make_tree_with_project(tree):
    """A fixture tree that the project's Makefile can run in (its .venv, hooks and lock file linked)."""
    def build(case=None):
        root = tree(case)
        for name in (".venv", "hooks", "requirements.lock"):
            os.symlink(ROOT / name, root / name)
        return root
    return build


def make(root, target):
    env = {k: v for k, v in ENV.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "KB_PUBLISH")}
    return subprocess.run(["make", "-s", "-f", str(ROOT / "Makefile"), target], cwd=root, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)


def test_make_publish_swaps_site_in_and_says_so_in_its_exit_status(make_tree_with_project):
    root = make_tree_with_project("step-missing")
    (root / "site").mkdir()
    (root / "site" / "old.txt").write_text("the previous site", encoding="utf-8")
    strict = make(root, "build")
    assert strict.returncode == 2 and "make build: stopped; site/ is as it was" in strict.stdout
    assert (root / "site" / "old.txt").exists()
    done = make(root, "publish")
    # published, with replacements (README, Deploying): make ends by SIGPIPE, status 141 in a shell
    assert done.returncode == -signal.SIGPIPE, done.stdout
    lines = done.stdout.splitlines()
    assert f"{GIFT_EL}: published as its fallback (en) because of:" in lines
    assert lines[-1].startswith("make publish: site/ is ready, with 1 page(s) published as their fallback")
    assert "Error" not in done.stdout   # make reports nothing more
    assert not (root / "site" / "old.txt").exists() and (root / "site" / "el" / "playbooks" / "gift" / "index.html").exists()
    assert not list(root.glob("site.tmp*")) and not list(root.glob("site.old*"))


def test_make_publish_with_nothing_to_replace_exits_zero(make_tree_with_project):
    root = make_tree_with_project()
    done = make(root, "publish")
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines()[-1] == "make publish: site/ is ready; every page as written"
