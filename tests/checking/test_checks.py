"""Every rule of the content model, broken by one tiny fixture tree: the exact message, file and line,
the failing exit of `mkdocs build --strict` and of `make status` (python -m kb.translation.status)."""
from __future__ import annotations

import re

import pytest

from conftest import CASES, mkdocs_build, status
from kb.checking.checks import check_page
from kb.content.corpus import Corpus
from kb.content.model import ContentError, parse_page

GIFT_EL = "docs/el/playbooks/gift.md"

# case -> the error lines it must print, and nothing else
BROKEN = {
    # one mistake, one line: not the step count and numbering it also upsets, and no hint to edit steps:
    "step-missing": [
        f"{GIFT_EL}:17: step 2 'fix-it-fast' is missing (origin ru: 'Fix it fast'): add its translation before "
        "this heading as '## 2. … {#fix-it-fast}', then renumber the steps after it",
    ],
    "step-number-skipped": [f"{GIFT_EL}:21: step 3 is missing: the numbering jumps from 2 to 4"],
    "step-number-repeated": [f"{GIFT_EL}:21: step 2 is numbered twice (also on line 17)"],
    "step-numbers-out-of-order": [
        f"{GIFT_EL}:17: step 3 comes before step 2: steps are out of order (the headings are numbered 1, 3, 2)",
    ],
    "steps-out-of-order": [
        f"{GIFT_EL}:17: step 2 is 'prevent-recurrence' but origin ru has 'fix-it-fast' there: steps are out of order",
    ],
    # the referral article's trap: the front matter announces one count, the headings give another
    "steps-count-disagrees": ["docs/ru/playbooks/gift.md:5: front matter says steps: 2 but the page has 3 numbered steps"],
    "step-id-renamed": [f"{GIFT_EL}:17: step 2 has id 'fix-quickly' (origin ru has 'fix-it-fast' as step 2)"],
    "step-without-id": [f"{GIFT_EL}:17: step 2 'Fix it fast' has no id: add {{#fix-it-fast}} after the title "
                        "(the id of origin ru's step 2)"],
    "checklist-item-missing": [
        "docs/ru/checklists/keys.md:13: item 3 of the checklist is missing (origin el: '**S** — Sincere interest'): "
        "add its translation after this item",
    ],
    "checklist-item-extra": [
        "docs/lt/checklists/keys.md:15: the checklist has 4 items: 1 more than the origin (origin el has 3)",
    ],
    "faq-question-missing": [
        "docs/tr/faq/index.md:10: question 'what-they-want' is missing: translate origin en's 'What do they want?' "
        "and add it with {#what-they-want} (origin en has 2, this page has 1)",
    ],
    "faq-question-without-id": [
        "docs/el/faq/index.md:14: question 'What do they want;' has no id: add {#what-they-want} after it "
        "(the id of origin en's question 2)",
    ],
    "quote-card-missing": [
        "docs/en/quotes/index.md:10: quote card 'rohn' is missing: translate origin lt's 'Jim Rohn' "
        "and add it with {#rohn} (origin lt has 2, this page has 1)",
    ],
    "figure-changed": [
        f"{GIFT_EL}:19: figure 26% in step 2 'fix-it-fast' does not match the origin (origin ru has 62\u00a0%, 2\u00a0000)",
    ],
    "link-in-one-language": [
        "docs/lt/playbooks/gift.md:28: link to 'faq/index.md' is not in the origin (origin ru has no link to it)",
    ],
    "link-missing": [
        "docs/tr/checklists/keys.md:16: link to 'playbooks/gift.md#fix-it-fast' is missing (origin el has it on line 17)",
    ],
    "link-wrong-target": [
        "docs/tr/checklists/keys.md:18: link to 'playbooks/gift.md#fix-it-quick' leads nowhere: "
        "did you mean 'playbooks/gift.md#fix-it-fast'? (origin el has it on line 17)",
    ],
    "broken-yaml": ["docs/el/faq/index.md:4: front matter: the '[' opened on line 4 is never closed (add ']' where the list ends)"],
    "unknown-type": ["docs/el/index.md:2: unknown type 'recipe' (known: playbook, checklist, quotes, faq, page)"],
    "empty-file": ["docs/el/index.md:1: the file is empty (a page needs front matter and a title)"],
    "not-utf8": ["docs/lt/index.md:10: the file is not UTF-8 (byte 0xeb); save it as UTF-8"],
    "missing-language-folder": [
        "docs/lt: the language folder is missing (every language needs docs/lt/ with the same pages)",
    ],
}

# cases that must build: the same figure in another locale's form, an origin edited after translation
PASSING = ["figure-same-in-locale-form", "origin-edited", "origin-lost-step"]
# a page not (yet) in some languages is not an error: the status lists it as missing (content model, rule 1),
# and the site falls back to the origin's text (tests/test_sync.py)
MISSING = {"page-missing": [("tr", "checklists/keys.md")],
           "page-in-one-language": [(lang, "extra.md") for lang in ("el", "ru", "tr", "lt")]}


def test_every_fixture_case_is_tested():
    assert {p.name for p in CASES.iterdir()} == set(BROKEN) | set(PASSING) | set(MISSING)


@pytest.mark.parametrize("case", sorted(MISSING))
def test_a_missing_page_is_listed_as_missing_not_an_error(tree, case):
    root = tree(case)
    corpus = Corpus.load(root / "docs", root)
    assert errors(corpus) == []
    assert sorted((lang, rel) for rel in corpus.rels for lang in corpus.languages
                  if corpus.cell(lang, rel) == "missing") == sorted(MISSING[case])
    result = status(root)
    assert result.returncode == 0 and "missing" in result.output


def test_an_origin_that_lost_a_step_makes_its_translations_outdated_not_wrong(tree):
    root = tree("origin-lost-step")
    corpus = Corpus.load(root / "docs", root)
    assert errors(corpus) == []
    assert [lang for lang in corpus.languages if corpus.outdated(lang, "playbooks/gift.md")] == ["en", "el", "tr", "lt"]
    # what to update is listed, as outdated, once per translation
    assert [str(p) for p in corpus.problems if "prevent-recurrence" in p.message] == [
        f"docs/{lang}/playbooks/gift.md:21: to update: step 3 'prevent-recurrence' is not in the origin (origin ru has 2 steps, this page has 3)"
        for lang in ("el", "en", "lt", "tr")]
    assert mkdocs_build(root).returncode == 0


def errors(corpus: Corpus) -> list[str]:
    return [str(p) for p in corpus.problems if p.kind == "error"]


def test_base_tree_is_clean(tree):
    root = tree()
    assert Corpus.load(root / "docs", root).problems == []
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    assert "WARNING" not in result.output
    # mkdocs-static-i18n runs the pipeline once per language; our cross-language work runs once per build
    assert result.output.count("kb: read and checked 25 pages in 5 languages once for this build") == 1
    assert status(root).returncode == 0


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_checks_name_file_line_and_problem(tree, case):
    root = tree(case)
    assert errors(Corpus.load(root / "docs", root)) == BROKEN[case]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_strict_build_fails_with_one_line_per_problem(tree, case):
    root = tree(case)
    result = mkdocs_build(root)
    assert result.returncode != 0
    warnings = [line.split("-", 1)[1].strip() for line in result.lines if line.startswith("WARNING")]
    assert warnings == BROKEN[case]
    assert "Traceback" not in result.output
    assert not (root / "site").exists(), "a failed build must not leave a site behind"


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_status_fails_and_lists_the_problem(tree, case):
    root = tree(case)
    result = status(root)
    assert result.returncode == 1
    for line in BROKEN[case]:
        assert line in result.lines
    assert "Traceback" not in result.output


def test_failed_build_leaves_the_previous_site_untouched(tree):
    root = tree("step-missing")
    site = root / "published"
    site.mkdir()
    (site / "index.html").write_text("the site as it was", encoding="utf-8")
    assert mkdocs_build(root, site).returncode != 0
    assert (site / "index.html").read_text(encoding="utf-8") == "the site as it was"


def test_serve_warns_but_keeps_going(tree):
    """`mkdocs serve` must keep serving a broken tree: the same lines, as warnings, and no abort."""
    from conftest import mkdocs_serve

    with mkdocs_serve(tree("step-missing"), wait=120) as (_, text):
        pass
    assert "Serving on" in text, text
    for line in BROKEN["step-missing"]:
        assert line in text


def test_same_figure_in_each_locale_form_passes(tree):
    root = tree("figure-same-in-locale-form")
    assert errors(Corpus.load(root / "docs", root)) == []
    assert mkdocs_build(root).returncode == 0


def test_page_checks_work_on_a_single_page():
    page = parse_page("---\ntype: playbook\norigin: en\nsteps: 6\n---\n\n# Referrals\n\n"
                      + "".join(f"## {n}. Step {n} {{#s{n}}}\n\nDo it.\n\n" for n in range(1, 7)),
                      "x.md", "en", "playbooks/x.md")
    assert check_page(page) == []
    five = parse_page("---\ntype: playbook\norigin: el\nsteps: 5\n---\n\n# Referrals\n\n"
                      + "".join(f"## {n}. Step {n} {{#s{n}}}\n\nDo it.\n\n" for n in range(1, 7)),
                      "x.md", "el", "playbooks/x.md")
    assert [str(p) for p in check_page(five)] == ["x.md:4: front matter says steps: 5 but the page has 6 numbered steps"]


@pytest.mark.parametrize("front, message", [
    ("nav_order: first", "x.md:4: 'nav_order' must be a whole number, e.g. nav_order: 30 (not 'first')"),
    ("nav_section: staff", "x.md:4: unknown nav_section 'staff' (the only one is 'editors'; leave it out for the staff menu)"),
])
def test_navigation_front_matter_is_validated(front, message):
    page = parse_page(f"---\ntype: page\norigin: en\n{front}\n---\n\n# Notes\n", "x.md", "en", "notes.md")
    assert [str(p) for p in check_page(page)] == [message]


def test_a_description_that_is_not_text_stops_the_page_at_its_line():
    with pytest.raises(ContentError) as error:
        parse_page("---\ntype: page\norigin: en\ndescription: [a, b]\n---\n\n# Notes\n", "x.md", "en", "notes.md")
    assert str(error.value) == "x.md:4: front matter: 'description' must be text (not ['a', 'b'])"


@pytest.mark.parametrize("lang, line, written, typed, note", [
    ("ru", 18, "62 %", "62%", "62 %"), ("lt", 19, "62 %", "62%", "62 %"),
    ("tr", 19, "%62", "62%", "%62"), ("en", 19, "62%", "62 %", "62%"),
])
def test_a_percentage_typed_another_languages_way_is_reported_with_what_to_type(tree, lang, line, written, typed, note):
    root = tree()
    path = root / "docs" / lang / "playbooks/gift.md"
    text = path.read_text(encoding="utf-8")
    assert written in text.replace("\u00a0", " ")
    path.write_text(re.sub(r"62[ \u00a0]?%|%62", typed, text, count=1), encoding="utf-8")
    spaced = " (with a plain space: the build makes it a no-break one)" if " " in note else ""
    expected = (f"docs/{lang}/playbooks/gift.md:{line}: '{typed}' is not how '{lang}' writes a percentage: "
                f"type '{note}'{spaced}")
    assert [str(p) for p in Corpus.load(root / "docs", root).errors] == [expected]
    result = status(root)
    assert result.returncode == 1 and expected in result.lines
