"""The terminology check (kb/terms.py) on fixture pages: each language, inflected forms, folding,
the exception marker, no false hit on the approved term, what is not prose; and in a strict build."""
from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, mkdocs_build
from kb import glossary as glossary_mod
from kb import terms
from kb.corpus import Corpus
from kb.model import parse_page

TERMS = FIXTURES / "terms"


@pytest.fixture(scope="module")
def fixture_glossary():
    loaded = glossary_mod.load(TERMS)
    assert loaded.problems == []
    return loaded


def hits(glossary, lang: str, body: str) -> list[str]:
    page = parse_page(f"---\ntype: page\norigin: {lang}\n---\n\n# Title\n\n{body}\n", f"docs/{lang}/x.md", lang, "x.md")
    return [f"{p.line}: {p.message.split(' is a variant')[0]} -> {p.message.split(': use ')[1].split(' (')[0]}"
            for p in terms.check_terms(page, terms.Matcher(glossary, lang))]


@pytest.mark.parametrize("lang, line, found", [
    # Russian: every case ending of the stem, any letter case
    ("ru", "Клиент написал претензию.", ["'претензию' -> 'жалоба'"]),
    ("ru", "Ответ на ПРЕТЕНЗИИ и претензией", ["'ПРЕТЕНЗИИ' -> 'жалоба'", "'претензией' -> 'жалоба'"]),
    ("ru", "Нам нужны рекомендации.", ["'нужны рекомендации' -> 'рекомендация клиента'"]),
    ("ru", "Отдача денег сразу.", ["'Отдача денег' -> 'возврат денег'"]),
    # Greek: accents folded, final sigma, capitals without accents
    ("el", "Η παρακολούθηση του πελάτη.", ["'παρακολούθηση' -> 'επανεπικοινωνία'"]),
    ("el", "ΠΑΡΑΚΟΛΟΥΘΗΣΗΣ και παρακολουθήστε", ["'ΠΑΡΑΚΟΛΟΥΘΗΣΗΣ' -> 'επανεπικοινωνία'", "'παρακολουθήστε' -> 'επανεπικοινωνία'"]),
    # Turkish: suffixes, İ/ı by Turkish case rules
    ("tr", "Tavsiyeler ve tavsiyenin gücü", ["'Tavsiyeler' -> 'referans'", "'tavsiyenin' -> 'referans'"]),
    ("tr", "TAVSİYE İSTEYİN, İADE yok", ["'TAVSİYE' -> 'referans'", "'İADE' -> 'geri ödeme'"]),
    ("tr", "İadesi ve TAVSIYE", ["'İadesi' -> 'geri ödeme'", "'TAVSIYE' -> 'referans'"]),
    # Lithuanian: a phrase of two stems, inflected
    ("lt", "Užmegzkite pirmąjį kontaktą.", ["'pirmąjį kontaktą' -> 'pirmasis kreipimasis'"]),
    ("lt", "Pirmasis kontaktas svarbus.", ["'Pirmasis kontaktas' -> 'pirmasis kreipimasis'"]),
    # English: a stem that is not the approved term
    ("en", "Follow through with the customer.", ["'Follow' -> 'follow-up'"]),
])
def test_avoided_variants_are_reported_in_every_form(fixture_glossary, lang, line, found):
    assert hits(fixture_glossary, lang, line) == [f"8: {f}" for f in found]


@pytest.mark.parametrize("lang, line", [
    ("en", "Plan the follow-up call; follow-ups matter."),       # the approved term starts with the avoided stem
    ("ru", "Нам нужны рекомендации клиентов."),                     # the approved term inside the variant
    ("ru", "Жалоба — это подарок; повторный контакт."),
    ("el", "Η επανεπικοινωνία με τον πελάτη."),
    ("tr", "Referans isteyin; şikayeti dinleyin."),
    ("lt", "Pirmasis kreipimasis ir pakartotinis kontaktas."),       # "kontaktas" alone is not the phrase
    ("tr", "Tavsiyeye değil referansa <!-- term-ok: tavsiyeye --> bakın."),   # the marker, as written
    ("ru", "Слово «претензия» в цитате <!-- term-ok: претензия -->"),        # the marker, another form
    ("ru", "`претензия` в коде и [ссылка](https://example.com/pretenziya) {#pretenzii}"),
    ("el", "[σύνδεσμος](../παρακολουθηση.md)"),                      # a link target is not prose
])
def test_no_false_hit(fixture_glossary, lang, line):
    assert hits(fixture_glossary, lang, line) == []


def test_marker_exempts_only_what_it_names(fixture_glossary):
    line = "претензия и нужны рекомендации <!-- term-ok: претензии -->"
    assert hits(fixture_glossary, "ru", line) == ["8: 'нужны рекомендации' -> 'рекомендация клиента'"]
    line = "претензия <!-- term-ok: претензия --> и претензия на другой строке"
    assert hits(fixture_glossary, "ru", line) == []
    assert hits(fixture_glossary, "ru", "претензия\n\nи претензия <!-- term-ok: претензия -->") == ["8: 'претензия' -> 'жалоба'"]


def test_code_blocks_and_front_matter_are_not_checked(fixture_glossary):
    body = "```\nпретензия\n```\n\n~~~\nпретензия\n~~~\n\nпретензия"
    assert hits(fixture_glossary, "ru", body) == ["16: 'претензия' -> 'жалоба'"]
    assert hits(fixture_glossary, "ru", "претензия\n\n````\nпретензия\n```\nпретензия") == ["8: 'претензия' -> 'жалоба'"]   # never closed
    page = parse_page("---\ntype: page\norigin: ru\ntitle: претензия\n---\n\n# Жалоба\n", "x.md", "ru", "x.md")
    assert terms.check_terms(page, terms.Matcher(fixture_glossary, "ru")) == []


def test_folding():
    assert terms.fold("ΠΑΡΆΠΟΝΟΣ", "el") == "παραπονοσ" == terms.fold("παράπονος", "el")
    assert terms.fold("Ещё", "ru") == "еще"
    assert terms.fold("İADE", "tr") == "iade" == terms.fold("IADE", "tr")
    assert terms.fold("ŞİKÂYET", "tr") == "sikayet"
    assert terms.fold("Skundą", "lt") == "skunda"


def test_matching_is_linear_on_hostile_lines(fixture_glossary):
    matcher = terms.Matcher(fixture_glossary, "ru")
    for hostile in ("<" * 50_000, "`" * 50_001, "{" * 50_000 + "претензия", "](" * 30_000, "претензи" * 20_000):
        matcher.scan(hostile)   # returns at once: no pattern scans the same characters twice


def tree_with_terms(tmp_path, text: str):
    from conftest import make_tree
    root = make_tree(tmp_path / "t")
    shutil.copy(TERMS / "glossary.yml", root / "glossary.yml")
    page = root / "docs" / "ru" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
    return root, page


def test_strict_build_fails_on_an_avoided_variant(tmp_path):
    root, page = tree_with_terms(tmp_path, "Ответьте на претензию клиента.")
    line = page.read_text(encoding="utf-8").split("\n").index("Ответьте на претензию клиента.") + 1
    expected = (f"docs/ru/index.md:{line}: 'претензию' is a variant to avoid for 'complaint': use 'жалоба' "
                "(glossary.yml; for a deliberate use, add <!-- term-ok: претензию --> to the line)")
    assert [str(p) for p in Corpus.load(root / "docs", root).errors] == [expected]
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert [line.split("-", 1)[1].strip() for line in result.lines if line.startswith("WARNING")] == [expected]
    assert "Traceback" not in result.output


def test_marked_exception_builds_and_the_marker_is_invisible(tmp_path):
    root, _ = tree_with_terms(tmp_path, "Ответьте на претензию <!-- term-ok: претензию --> клиента.")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    html = (root / "site" / "ru" / "index.html").read_text(encoding="utf-8")
    assert "<!-- term-ok: претензию -->" in html   # an HTML comment: not shown
