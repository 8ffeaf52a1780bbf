"""`make new-page`: a page of each type in a copy of the real site, then a strict build, the content tests
and the status report pass with no other edit, and the page is in the navigation, on its section's page
and (a checklist) in the print pack. Refusals: one line each, nothing written."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, ROOT, Run, run
from kb.content.model import LANGUAGES

# (type, slug, origin, title): one of each type, each from another origin language
NEW = [
    ("checklist", "first-call", "en", "First call"),
    ("playbook", "callback-promise", "ru", "Обещанный звонок"),
    ("faq", "billing", "el", "Ερωτήσεις για χρεώσεις"),
    ("quotes", "more-cards", "lt", "Daugiau citatų"),
    ("page", "team-notes", "tr", "Ekip notları"),
    ("playbook", "billing/refund-request", "tr", "İade talebi"),   # in a new sub-folder: a sub-section
]
PREFIX = {lang: "" if lang == "en" else f"{lang}/" for lang in LANGUAGES}


def copy_site(dest: Path) -> Path:
    """The project as a clean clone has it (git's files), without site/ and .venv/."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, stdout=subprocess.PIPE, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def new_page(root: Path, **values: str) -> Run:
    return run([sys.executable, "-m", "kb.translation.newpage", *(f"{k}={v}" for k, v in values.items())], cwd=root)


def files_of(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "docs").rglob("*"))


@pytest.fixture(scope="module")
def site_with_new_pages(tmp_path_factory):
    root = copy_site(tmp_path_factory.mktemp("copy"))
    for page_type, slug, origin, title in NEW:
        result = new_page(root, TYPE=page_type, SLUG=slug, ORIGIN=origin, TITLE=title)
        assert result.returncode == 0, result.output
        assert result.lines[0].startswith("created docs/"), result.output
    site = root / "site"
    build = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=root)
    assert build.returncode == 0, build.output
    return root, site


def html_of(site: Path, lang: str, url: str) -> str:
    return (site / PREFIX[lang] / url / "index.html").read_text(encoding="utf-8")


def test_each_type_gets_its_template_in_its_origin_language_only(site_with_new_pages):
    root, _ = site_with_new_pages
    for page_type, slug, origin, title in NEW:
        folder = {"playbook": "playbooks/", "checklist": "checklists/", "faq": "faq/", "quotes": "quotes/"}.get(page_type, "")
        made = [lang for lang in LANGUAGES if (root / "docs" / lang / f"{folder}{slug}.md").exists()]
        assert made == [origin]
        text = (root / "docs" / origin / f"{folder}{slug}.md").read_text(encoding="utf-8")
        assert text.startswith(f"---\ntype: {page_type}\n") and f"\norigin: {origin}\n" in text and f"\n# {title}\n" in text
    playbook = (root / "docs/ru/playbooks/callback-promise.md").read_text(encoding="utf-8")
    assert "steps: 2" in playbook and "## 1. Первый шаг {#first-step}" in playbook and "## 2. Второй шаг {#second-step}" in playbook
    assert (root / "docs/en/checklists/first-call.md").read_text(encoding="utf-8").count("- [ ] ") == 3
    assert "## Η πρώτη ερώτηση; {#first-question}" in (root / "docs/el/faq/billing.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("origin", LANGUAGES)
def test_placeholders_are_in_the_origins_language_and_pass_every_check(tmp_path, origin):
    """Every type's template in every origin language: the writer replaces text written in their own language,
    and the page as written passes the checks, the glossary's terms included."""
    from conftest import make_tree
    from kb.translation import newpage
    from kb.content.corpus import Corpus

    root = make_tree(tmp_path / origin)
    shutil.copy(ROOT / "glossary.yml", root / "glossary.yml")
    for lang in LANGUAGES:   # the section pages the templates link to, as the real site has them
        for section in ("playbooks", "checklists"):
            (root / "docs" / lang / section / "index.md").write_text(
                f"---\ntype: page\norigin: en\ngenerate: section-index\n---\n\n# {section}\n", encoding="utf-8")
    for page_type in ("playbook", "checklist", "faq", "quotes", "page"):
        newpage.create(root, page_type, f"new-{page_type}", origin, "Title")
    corpus = Corpus.load(root / "docs", root)
    assert [str(p) for p in corpus.errors] == []
    words = newpage.PLACEHOLDERS[origin]
    playbook = (root / "docs" / origin / "playbooks/new-playbook.md").read_text(encoding="utf-8")
    assert f"## 1. {words['first step']} {{#first-step}}" in playbook and words["say"] in playbook
    assert f"description: {words['description']}\n" in playbook
    checklist = (root / "docs" / origin / "checklists/new-checklist.md").read_text(encoding="utf-8")
    assert [f"- [ ] {item}" for item in words["items"]] == [line for line in checklist.splitlines() if line.startswith("- [ ]")]
    assert f"## {words['related']} {{#related}}" in checklist
    assert words["answer"] in (root / "docs" / origin / "faq/new-faq.md").read_text(encoding="utf-8")
    assert words["quotation"] in (root / "docs" / origin / "quotes/new-quotes.md").read_text(encoding="utf-8")
    assert words["page"] in (root / "docs" / origin / "new-page.md").read_text(encoding="utf-8")
    if origin != "en":   # written in the language, not English
        assert all(words[key] != newpage.PLACEHOLDERS["en"][key] for key in words), origin


def test_new_pages_are_in_the_navigation_section_page_and_print_pack(site_with_new_pages):
    _, site = site_with_new_pages
    checks = [("checklist", "checklists/first-call/", "en", "checklists/", "First call"),
              ("playbook", "playbooks/callback-promise/", "ru", "playbooks/", "Обещанный звонок")]
    for page_type, url, lang, section, title in checks:
        home = html_of(site, lang, "")
        nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', home, re.S).group(0)
        assert title in nav, (lang, url)
        listing = html_of(site, lang, section)
        listed = re.search(r'<ul class="kb-section-list">.*?</ul>', listing, re.S).group(0)
        assert f'href="{url[len(section):]}">{title}</a>' in listed
    # the playbook's step count is on its section's page
    assert re.search('Обещанный звонок</a> <span class="kb-count">\\(2[ \xa0]шага\\)</span>', html_of(site, "ru", "playbooks/"))
    pack = html_of(site, "en", "checklists/print/")
    assert '<a href="../first-call/">First call</a>' in pack
    sheets = re.findall(r'<section class="kb-sheet">\s*<h2 id="([^"]+)"', pack)
    assert sheets[-1] == "first-call"
    for page_type, slug, origin, title in NEW[2:]:
        # reached from the home page's menu, or (a page of a sub-section: the menu is bounded) from its section's page
        folder = {"playbook": "playbooks/", "checklist": "checklists/", "faq": "faq/", "quotes": "quotes/"}.get(page_type, "")
        section = folder + (slug.rsplit("/", 1)[0] + "/" if "/" in slug else "")
        assert title in html_of(site, origin, "") or title in html_of(site, origin, section), (origin, slug)
    # The new sub-folder: its index page, written with the playbook, names the sub-section and lists its pages
    index = (site_with_new_pages[0] / "docs/tr/playbooks/billing/index.md").read_text(encoding="utf-8")
    assert "generate: section-index" in index and "\n# Billing\n" in index
    # the menu of a page in the sub-section shows the sub-section with its pages (the menu is bounded: the home
    # page's shows the sections)
    menu = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>',
                     html_of(site, "tr", "playbooks/billing/refund-request/"), re.S).group(0)
    assert re.search(r'Billing.*İade talebi', menu, re.S)
    listed = re.search(r'<ul class="kb-section-list">.*?</ul>', html_of(site, "tr", "playbooks/billing/"), re.S).group(0)
    assert 'href="../refund-request/">İade talebi</a>' in listed or 'href="refund-request/">İade talebi</a>' in listed
    refund = html_of(site, "tr", "playbooks/billing/refund-request/")
    assert 'href="../../../checklists/"' in refund   # the template's link, one folder deeper


def test_other_languages_list_the_new_pages_as_missing_and_the_build_passes(site_with_new_pages):
    root, site = site_with_new_pages
    report = run([sys.executable, "-m", "kb.translation.status"], cwd=root)
    assert report.returncode == 0, report.output
    row = next(line for line in report.lines if line.startswith("checklists/first-call.md"))
    assert row.split()[1:] == ["ok", "missing", "missing", "missing", "missing"]
    for lang in LANGUAGES[1:]:   # the other languages show the origin's text (the fallback): menu, section page, pack
        listing = html_of(site, lang, "checklists/")
        listed = re.search(r'<ul class="kb-section-list">.*?</ul>', listing, re.S).group(0)
        assert 'href="first-call/">First call</a>' in listed, lang
        assert '<html lang="en"' in html_of(site, lang, "checklists/first-call/")
        pack = html_of(site, lang, "checklists/print/")
        assert '<a href="../first-call/">First call</a>' in pack, lang
        assert re.findall(r'<section class="kb-sheet">\s*<h2 id="([^"]+)"', pack)[-1] == "first-call", lang


def test_content_tests_pass_on_the_copy_with_the_new_pages(site_with_new_pages):
    root, _ = site_with_new_pages
    result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_content.py"], cwd=root)
    assert result.returncode == 0, result.output


def not_a_slug(slug: str) -> str:
    return (f"new-page: SLUG '{slug}' is not lower-case ASCII words joined by hyphens (e.g. first-call, or "
            "billing/first-call in a sub-folder); it is the page's file name and address in every language")


REFUSALS = [
    ({"TYPE": "checklist", "SLUG": "be-sure"},
     "new-page: docs/en/checklists/be-sure.md already exists: choose another SLUG (or edit that page)"),
    ({"TYPE": "checklist", "SLUG": "first call"}, not_a_slug("first call")),
    ({"TYPE": "checklist", "SLUG": "πρώτη-κλήση"}, not_a_slug("πρώτη-κλήση")),
    ({"TYPE": "recipe", "SLUG": "soup"}, "new-page: unknown TYPE 'recipe' (one of playbook, checklist, quotes, faq, page)"),
    ({"TYPE": "page", "SLUG": "notes", "ORIGIN": "de"}, "new-page: unknown ORIGIN 'de' (one of en, el, ru, tr, lt)"),
    ({"TYPE": "page", "SLUG": "playbooks"},
     "new-page: SLUG 'playbooks' is a section of the site (docs/en/playbooks/): choose another slug"),
    ({"TYPE": "page", "SLUG": "team/notes"},
     "new-page: SLUG 'team/notes': only pages in a section (playbook, checklist, faq, quotes) go into a "
     "sub-folder; a page of TYPE page stays at the top"),
    ({"TYPE": "playbook", "SLUG": "billing/index"},
     "new-page: SLUG 'billing/index' is the section's own page (playbooks/billing/index.md); choose another slug"),
    ({"TYPE": "playbook", "SLUG": "billing//late"}, not_a_slug("billing//late")),
    ({"TYPE": "checklist", "SLUG": "a/b/c/d"}, not_a_slug("a/b/c/d")),
]


@pytest.mark.parametrize("values, line", REFUSALS, ids=[v["SLUG"] + "-" + v["TYPE"] for v, _ in REFUSALS])
def test_refusals_are_one_line_and_write_nothing(tmp_path, values, line):
    root = copy_site(tmp_path)
    # a broken page elsewhere in the tree changes nothing
    (root / "docs/el/faq/index.md").write_text("---\ntags: [a\n---\n", encoding="utf-8")
    before = files_of(root)
    result = new_page(root, **values)
    assert result.returncode == 2
    assert result.lines == [line]
    assert files_of(root) == before


def test_make_new_page_passes_the_title_as_it_is(tmp_path):
    root = copy_site(tmp_path)
    (root / ".venv").symlink_to(ROOT / ".venv")
    done = subprocess.run(["make", "-s", "new-page", "TYPE=checklist", "SLUG=first-call", 'TITLE=The "first" call; it\'s `here` & <now>'],
                          cwd=root, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert done.returncode == 0, done.stdout
    assert "\n# The \"first\" call; it's `here` & <now>\n" in (root / "docs/en/checklists/first-call.md").read_text(encoding="utf-8")
