"""`mkdocs serve` shows a writer's mistakes in the browser: a banner on the page (file:line and message,
its heading in the reader's language) and an error page for a file that cannot be read, never a 404.
A strict build of the same tree still fails (tests/checking/test_checks.py)."""
from __future__ import annotations

import pytest

from conftest import ROOT, mkdocs_serve
from kb.checking.checks import Problem
from kb.content.locales import Interface
from kb.content.model import ContentError
from kb.rendering.serving import banner, error_page

ARTIFACTS = ROOT / "tests" / "artifacts"


def test_banner_lists_errors_escaped_and_nothing_when_there_are_none():
    ui = Interface("ru")
    problems = [Problem("docs/ru/a.md", 4, "link to '<b>x</b>' is missing"), Problem("docs/ru/a.md", 6, "outdated: …", "outdated")]
    html = banner(problems, ui)
    assert '<p class="admonition-title">На этой странице 1 ошибка</p>' in html
    assert "<li><code>docs/ru/a.md:4</code> link to &#x27;&lt;b&gt;x&lt;/b&gt;&#x27; is missing</li>" in html
    assert "outdated" not in html
    assert banner(problems[1:], ui) == ""


def test_error_page_says_why_in_the_readers_language():
    text = error_page(ContentError("docs/tr/faq/index.md", 4, "front matter is not valid YAML: <oops>"), Interface("tr"))
    assert text.startswith("# Bu sayfa gösterilemiyor\n")
    assert "<code>docs/tr/faq/index.md:4</code> front matter is not valid YAML: &lt;oops&gt;" in text


@pytest.fixture
def served_broken_tree(tree):
    """`mkdocs serve` on a tree with a missing step (el) and an unreadable page (el/faq)."""
    root = tree("step-missing")
    (root / "docs/el/faq/index.md").write_text("---\ntype: faq\ntags: [complaints\n---\n\n# FAQ\n", encoding="utf-8")
    with mkdocs_serve(root) as (url, output):
        assert "Serving on" in output, output
        yield url, output


@pytest.mark.browser
def test_serve_shows_problems_on_the_page_and_an_error_page_for_unreadable_files(page, served_broken_tree):
    url, output = served_broken_tree
    assert "Traceback" not in output
    response = page.goto(f"{url}/el/playbooks/gift/")
    assert response.status == 200
    box = page.locator("article .kb-problems")
    assert box.locator(".admonition-title").inner_text() == "Αυτή η σελίδα έχει 1 πρόβλημα"
    assert box.locator("li").all_inner_texts() == [
        "docs/el/playbooks/gift.md:17 step 2 'fix-it-fast' is missing (origin ru: 'Fix it fast'): add its translation "
        "before this heading as '## 2. … {#fix-it-fast}', then renumber the steps after it"]
    # at the top of the page, above its title
    assert box.bounding_box()["y"] < page.locator("article h1").bounding_box()["y"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-banner-el.png"))
    # a page without problems has no banner
    page.goto(f"{url}/el/")
    assert page.locator(".kb-problems").count() == 0
    # the unreadable page: an error page saying why, not a 404
    response = page.goto(f"{url}/el/faq/")
    assert response.status == 200
    assert page.locator("article h1").inner_text().strip().rstrip("¶") == "Αυτή η σελίδα δεν μπορεί να εμφανιστεί"
    assert page.locator("article .kb-problems li").inner_text().startswith("docs/el/faq/index.md:")
    page.screenshot(path=str(ARTIFACTS / "serve-error-page-el.png"))
    assert page.external_requests == []
