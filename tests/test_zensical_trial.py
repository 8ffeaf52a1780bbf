"""The Zensical trial (tools/zensical_trial.py): its reading of Zensical's output and its comparison of two sites.

The trial itself installs from the package index and builds the whole site (make zensical-trial); these tests
run its parts on recorded output and on small sites written here.
"""
from __future__ import annotations

import importlib.util

from conftest import ROOT

spec = importlib.util.spec_from_file_location("zensical_trial", ROOT / "tools" / "zensical_trial.py")
trial = importlib.util.module_from_spec(spec)
spec.loader.exec_module(trial)

# What zensical-i18n 0.3.0 printed when a template called _() (colours as on a terminal, source boxes).
RECORDED = """\x1b[0mBuilding 'en' (en)
Build started
\x1b[33mWarning:\x1b[0m page does not exist
    \x1b[38;5;246m╭\x1b[0m─[ cases.md:22:64 ]
    │
 22 │ Put it into practice: [B-E S-U-R-E](checklists/be-sure.md)
────╯
Warning: page does not exist
    ╭─[ playbooks/angry-customer.md:9:5 ]
────╯
Warning: page does not exist
    ╭─[ sources.md:57:289 ]
────╯
3 issues found
Traceback (most recent call last):
  File "/x/zensical_i18n/runner.py", line 151, in main
RuntimeError: unknown function: _ is unknown (in 404.html:4)
Error: Build of 'en' failed.
"""


def test_zensical_output_becomes_one_line_per_problem_with_file_and_line():
    assert trial.build_output_findings(RECORDED) == [
        "differs: docs/en/cases.md:22: page does not exist (and 2 more like it)",
        "fails: zensical-i18n stopped building 'en': unknown function: _ is unknown (in 404.html:4)",
        "fails: Build of 'en' failed.",
    ]
    assert trial.build_output_findings("Building 'el' (el)\nBuild started\nNo issues found\n") == []


def page(lang: str, body: str = "", nav: str = "", classes: str = "") -> str:
    return (f'<!doctype html><html lang="{lang}"><body><nav class="md-nav md-nav--primary">{nav}</nav>'
            f'<article class="{classes}">{body}</article></body></html>')


def write(site, pages: dict[str, str]) -> None:
    for rel, text in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")


def test_two_sites_are_compared_page_by_page(tmp_path):
    menu = '<a class="md-nav__link" href="./">Home</a><a class="md-nav__link" href="playbooks/">Playbooks</a>'
    other_menu = '<a class="md-nav__link" href="#toc">x</a><a class="md-nav__link" href="./playbooks/">Playbooks</a>'
    mkdocs, zensical = tmp_path / "site-mkdocs", tmp_path / "site"
    write(mkdocs, {
        "index.html": page("en", nav=menu), "404.html": page("en", "<h1>Page not found</h1>"),
        "el/index.html": page("el", nav=menu), "el/404.html": page("el", "<h1>Η σελίδα δεν βρέθηκε</h1>"),
        "el/playbooks/a/index.html": page("el", '<div class="kb-glance"></div>', classes="kb-meta"),
    })
    write(zensical, {
        "index.html": page("en", nav=other_menu), "404.html": page("en", "<h1>Page not found</h1>"),
        "el/index.html": page("el", nav=menu), "el/404.html": page("el", "<h1>Page not found</h1>"),
        "el/playbooks/a/index.html": page("en"),
    })
    (tmp_path / "docs" / "en").mkdir(parents=True)
    (tmp_path / "docs" / "el").mkdir()
    (tmp_path / "docs" / "en" / "a.md").write_text("# A\n", encoding="utf-8")
    found = trial.compare_sites(mkdocs, zensical, tmp_path)
    assert "works: the same 5 HTML pages as MkDocs, at the same addresses" in found
    assert "differs: 1 page(s) in another <html lang> than MkDocs', e.g. el/playbooks/a/index.html: 'en', MkDocs 'el'" in found
    assert any(f.startswith("differs: what hooks/kb adds to pages is on none") and f.endswith("kb-glance 1, kb-meta 1")
               for f in found), found
    assert any(f.startswith("differs: el/404.html says 'Page not found', MkDocs 'Η σελίδα δεν βρέθηκε'") for f in found)
    assert any(f.startswith("differs: the menu of index.html lists 1 pages, MkDocs' 2") for f in found), found
    assert "works: the menu of el/index.html lists the same 2 pages in the same order" in found
    assert "works: nothing is loaded from another host" in found
    assert any(f.startswith("tried: 1 page(s) a language lacks, e.g. docs/el/a.md") for f in found), found


def test_a_site_zensical_did_not_write_is_one_line(tmp_path):
    write(tmp_path / "site-mkdocs", {"index.html": page("en")})
    assert trial.compare_sites(tmp_path / "site-mkdocs", tmp_path / "site", tmp_path) == ["fails: Zensical wrote no page"]


def test_zensical_stays_out_of_the_project_dependencies():
    for name in ("pyproject.toml", "requirements.lock"):
        assert "zensical" not in (ROOT / name).read_text(encoding="utf-8").lower(), name
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "/.venv-zensical/" in ignored and "/.zensical-trial/" in ignored
