"""The content itself, as the inventory and the content model want it, in all five languages."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT, _ConfigLoader
from kb.corpus import Corpus
from kb.model import LANGUAGES

CORPUS = Corpus.load(ROOT / "docs", ROOT)

PLAYBOOKS = {  # slug -> (steps, checklists it links to and that link back)
    "asking-for-referrals": (6, {"loyalty-challenges", "rewarding-loyal-customers", "customer-emails"}),
    "resolving-complaints": (7, {"be-sure", "service-qualities"}),
    "when-things-go-wrong": (5, {"compensation-options", "outstanding-service"}),
    "complaint-is-a-gift": (8, {"compensation-options", "inviting-complaints"}),
    "angry-customer": (5, {"agent-traits", "service-qualities"}),
}
CHECKLISTS = ["be-sure", "loyalty-challenges", "outstanding-service", "service-qualities", "agent-traits",
              "compensation-options", "inviting-complaints", "rewarding-loyal-customers", "customer-emails"]
PAGES = {"index.md", "quotes/index.md", "faq/index.md", "figures.md", "cases.md", "glossary.md", "sources.md",
         "playbooks/index.md", "checklists/index.md", "checklists/print.md", "tags.md", "status.md",
         *(f"playbooks/{slug}.md" for slug in PLAYBOOKS), *(f"checklists/{slug}.md" for slug in CHECKLISTS)}
FED_BY_SOURCES = {*(f"playbooks/{s}.md" for s in PLAYBOOKS), *(f"checklists/{s}.md" for s in CHECKLISTS),
                  "quotes/index.md", "faq/index.md", "figures.md", "cases.md"}


def test_every_page_of_the_inventory_exists_in_every_language():
    for lang in LANGUAGES:
        assert {rel for (code, rel) in CORPUS.pages if code == lang} == PAGES, lang
    assert CORPUS.errors == []


def test_every_page_is_in_the_navigation():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    listed = set(re.findall(r"[\w/-]+\.md", str(config["nav"])))
    assert listed == PAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_playbooks_and_checklists_link_both_ways(lang):
    for slug, (steps, checklists) in PLAYBOOKS.items():
        page = CORPUS.pages[lang, f"playbooks/{slug}.md"]
        assert len(page.steps) == steps == page.meta["steps"]
        assert {l.target[len("checklists/"):-3] for l in page.links if l.target.startswith("checklists/")} == checklists
        for checklist in checklists:
            back = {l.target for l in CORPUS.pages[lang, f"checklists/{checklist}.md"].links}
            assert f"playbooks/{slug}.md" in back, (lang, checklist, slug)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_fed_by_a_source_credits_it(lang):
    for rel in FED_BY_SOURCES:
        page = CORPUS.pages[lang, rel]
        assert any(l.target == "sources.md" and l.anchor for l in page.links), (lang, rel)
        if page.type in ("playbook", "checklist"):
            assert any(s.id == "related" for s in page.sections), (lang, rel)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_units_of_quotes_faq_figures_cases(lang):
    assert len(CORPUS.pages[lang, "quotes/index.md"].units) == 11
    assert len(CORPUS.pages[lang, "faq/index.md"].units) >= 10
    assert [s.id for s in CORPUS.pages[lang, "figures.md"].sections if s.id] == [
        "loyalty", "willingness-to-pay", "responsiveness", "competence", "word-of-mouth"]
    assert [s.id for s in CORPUS.pages[lang, "cases.md"].sections if s.id] == [
        "ritz-carlton", "amazon", "zappos", "tesla", "lexus", "telecom-email", "car-maker-rose",
        "publisher-story-books"]


def prose(lang: str):
    for (code, rel), page in CORPUS.pages.items():
        if code == lang:
            for number, line in enumerate((ROOT / "docs" / lang / rel).read_text(encoding="utf-8").split("\n"), 1):
                yield f"docs/{lang}/{rel}:{number}", line


@pytest.mark.parametrize("lang", ["ru", "lt"])
def test_russian_and_lithuanian_numbers_use_no_break_spaces(lang):
    bad = [where for where, line in prose(lang) if re.search(r"\d %|\d \d{3}\b", line)]
    assert bad == []


def test_turkish_percent_sign_comes_first():
    assert [where for where, line in prose("tr") if re.search(r"\d\s?%", line)] == []


def test_greek_questions_end_with_the_greek_question_mark():
    questions = CORPUS.pages["el", "faq/index.md"].units
    assert questions and all(q.title.rstrip().endswith(";") for q in questions)
    assert [where for where, line in prose("el") if re.match(r"#+ .*\?", line)] == []


@pytest.mark.parametrize("lang, opening", [("ru", "«"), ("el", "«"), ("lt", "„")])
def test_quotation_marks_are_the_languages_own(lang, opening):
    straight = [where for where, line in prose(lang) if re.search(r'(^|\s)"\w', line)]
    english = [where for where, line in prose(lang) if "“" in line and lang != "lt" and "„" not in line]
    assert straight == [] and english == []
    assert any(opening in line for _, line in prose(lang))
