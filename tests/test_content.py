"""The content itself, as the inventory and the content model want it, in all five languages."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT, _ConfigLoader
from kb.content.corpus import Corpus
from kb.content.model import LANGUAGES

CORPUS = Corpus.load(ROOT / "docs", ROOT)
# What exists is read from docs/: the origin version of each page decides (make new-page adds pages).
ORIGINS = {rel: page for (lang, rel), page in CORPUS.pages.items() if page.origin == lang}
PLAYBOOKS = sorted(rel for rel, page in ORIGINS.items() if page.type == "playbook")
CHECKLISTS = sorted(rel for rel, page in ORIGINS.items() if page.type == "checklist")


def test_every_page_has_an_origin_version_and_no_errors():
    assert set(ORIGINS) == set(CORPUS.rels)
    assert PLAYBOOKS and CHECKLISTS
    assert CORPUS.errors == []


def test_every_language_has_the_core_pages():
    for lang in LANGUAGES:
        for rel in ("index.md", "playbooks/index.md", "checklists/index.md", "checklists/print.md", "status.md", "tags.md"):
            assert (lang, rel) in CORPUS.pages, (lang, rel)


def test_the_navigation_is_generated_not_hand_kept():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    assert "nav" not in config


@pytest.mark.parametrize("lang", LANGUAGES)
def test_playbooks_and_checklists_link_both_ways(lang):
    for rel in PLAYBOOKS:
        page = CORPUS.pages.get((lang, rel))
        if page is None:
            continue   # not translated yet: listed as missing
        assert len(page.steps) == page.meta["steps"]
        linked = {l.target for l in page.links if l.target in CHECKLISTS}
        assert linked == {l.target for l in ORIGINS[rel].links if l.target in CHECKLISTS}, (lang, rel)
        for checklist in linked:
            if (lang, checklist) in CORPUS.pages:
                back = {l.target for l in CORPUS.pages[lang, checklist].links}
                assert rel in back, (lang, checklist, rel)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_that_credits_a_source_links_to_its_entry(lang):
    for (code, rel), page in CORPUS.pages.items():
        if code != lang:
            continue
        credits = lambda p: {l.anchor for l in p.links if l.target == "sources.md" and l.anchor}  # noqa: E731
        assert credits(page) == credits(ORIGINS[rel]), (lang, rel)   # a page fed by a source credits it
        if page.type in ("playbook", "checklist"):
            assert any(s.id == "related" for s in page.sections), (lang, rel)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_units_of_quotes_faq_figures_cases_match_the_origin(lang):
    for rel, origin in ORIGINS.items():
        page = CORPUS.pages.get((lang, rel))
        if page is None or origin.type not in ("quotes", "faq") and rel not in ("figures.md", "cases.md"):
            continue
        assert [s.id for s in page.sections if s.id] == [s.id for s in origin.sections if s.id], (lang, rel)
        assert page.units, (lang, rel)


def prose(lang: str):
    for (code, rel), page in CORPUS.pages.items():
        if code == lang:
            # the text after the front matter (search_words are YAML: quoted with straight quotes)
            for number, line in enumerate(page.body, page.body_start + 1):
                yield f"docs/{lang}/{rel}:{number}", line


def test_turkish_percent_sign_comes_first():
    assert [where for where, line in prose("tr") if re.search(r"\d\s?%", line)] == []


def test_greek_questions_end_with_the_greek_question_mark():
    questions = CORPUS.pages["el", "faq/index.md"].units
    assert questions and all(q.title.rstrip().endswith(";") for q in questions)
    assert [where for where, line in prose("el") if re.match(r"#+ .*\?", line)] == []


@pytest.mark.parametrize("lang, opening", [("ru", "«"), ("el", "«"), ("lt", "„")])
def test_quotation_marks_are_the_languages_own(lang, opening):
    # an admonition's title is quoted by Markdown's syntax (!!! warning "Title"), not by the writer
    straight = [where for where, line in prose(lang)
                if re.search(r'(^|\s)"\w', line) and not re.match(r'(!!!|\?\?\?\+?) \w+ "', line)]
    english = [where for where, line in prose(lang) if "“" in line and lang != "lt" and "„" not in line]
    assert straight == [] and english == []
    assert any(opening in line for _, line in prose(lang))
