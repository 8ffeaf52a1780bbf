"""The terminology check (kb/checking/terms.py) on fixture pages: each language, inflected forms, folding,
the exception marker, no false hit on the approved term, what is not prose, the front matter a reader
sees (not search_words); and in a strict build."""
from __future__ import annotations

import shutil

import pytest

from conftest import FIXTURES, mkdocs_build
from kb.content import glossary as glossary_mod
from kb.checking import terms
from kb.content.corpus import Corpus
from kb.content.model import parse_page

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


def test_code_blocks_are_not_checked(fixture_glossary):
    body = "```\nпретензия\n```\n\n~~~\nпретензия\n~~~\n\nпретензия"
    assert hits(fixture_glossary, "ru", body) == ["16: 'претензия' -> 'жалоба'"]
    assert hits(fixture_glossary, "ru", "претензия\n\n````\nпретензия\n```\nпретензия") == ["8: 'претензия' -> 'жалоба'"]   # never closed


def meta_hits(glossary, front_matter: str) -> list[str]:
    page = parse_page(f"---\ntype: page\norigin: ru\n{front_matter}\n---\n\n# Жалоба\n", "x.md", "ru", "x.md")
    return [f"{p.line}: {p.message}" for p in terms.check_terms(page, terms.Matcher(glossary, "ru"))]


def test_front_matter_a_reader_sees_is_checked_on_its_own_line(fixture_glossary):
    """title, description and subtitle are shown on the site; search_words (what staff type, avoided
    variants on purpose) and the other keys are not."""
    front_matter = ("title: Претензия\n"
                    "description: \"Ответ на претензию `претензия` за один звонок\"\n"
                    "search_words: [претензия, претензии, нужны рекомендации]\n"
                    "tags: [complaints]\n"
                    "subtitle: нужны рекомендации")
    assert meta_hits(glossary := fixture_glossary, front_matter) == [
        "4: 'Претензия' is a variant to avoid for 'complaint': use 'жалоба' (glossary.yml; for a deliberate use, "
        "end the line with # term-ok: Претензия)",
        "5: 'претензию' is a variant to avoid for 'complaint': use 'жалоба' (glossary.yml; for a deliberate use, "
        "end the line with # term-ok: претензию)",
        "8: 'нужны рекомендации' is a variant to avoid for 'referral': use 'рекомендация клиента' (glossary.yml; "
        "for a deliberate use, end the line with # term-ok: нужны рекомендации)",
    ]
    assert meta_hits(glossary, "search_words: [претензия]\ndescription: >-\n  Ответ на\n  претензию") == [
        "5: 'претензию' is a variant to avoid for 'complaint': use 'жалоба' (glossary.yml; for a deliberate use, "
        "end the line with # term-ok: претензию)"]   # a folded value: reported at its key's line


def test_front_matter_marker_is_a_yaml_comment_on_the_keys_line(fixture_glossary):
    assert meta_hits(fixture_glossary, "description: «Претензия» — глава книги  # term-ok: Претензия") == []
    assert meta_hits(fixture_glossary, "description: \"«Претензия» — глава\"  # term-ok: претензии, нужны рекомендации") == []
    # the marker exempts what it names only, and a "#" inside the quoted value is not a comment
    assert [line.split(":")[0] for line in meta_hits(fixture_glossary, "description: претензия и нужны рекомендации  # term-ok: претензия")] == ["4"]
    assert len(meta_hits(fixture_glossary, "description: \"претензия # term-ok: претензия\"")) == 2   # text the site shows


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


def test_strict_build_fails_on_an_avoided_variant_in_a_description(tmp_path):
    """The fixture tree's origin playbook has an avoided variant in its description, shown on the
    playbooks' section page, and in its search_words, which are never shown: the description alone is
    reported, at its line of the front matter."""
    from conftest import make_tree
    root = make_tree(tmp_path / "t")
    shutil.copy(TERMS / "glossary.yml", root / "glossary.yml")
    shutil.copytree(TERMS / "description" / "docs", root / "docs", dirs_exist_ok=True)
    page = root / "docs" / "ru" / "playbooks" / "gift.md"
    line = next(i for i, text in enumerate(page.read_text(encoding="utf-8").split("\n"), 1) if text.startswith("description:"))
    expected = (f"docs/ru/playbooks/gift.md:{line}: 'претензию' is a variant to avoid for 'complaint': use 'жалоба' "
                "(glossary.yml; for a deliberate use, end the line with # term-ok: претензию)")
    assert [str(p) for p in Corpus.load(root / "docs", root).errors] == [expected]
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert [line.split("-", 1)[1].strip() for line in result.lines if line.startswith("WARNING")] == [expected]
    assert "Traceback" not in result.output
    page.write_text(page.read_text(encoding="utf-8").replace("на претензию", "на жалобу"), encoding="utf-8")
    assert Corpus.load(root / "docs", root).errors == []


def test_marked_exception_builds_and_the_marker_is_invisible(tmp_path):
    root, _ = tree_with_terms(tmp_path, "Ответьте на претензию <!-- term-ok: претензию --> клиента.")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    html = (root / "site" / "ru" / "index.html").read_text(encoding="utf-8")
    assert "<!-- term-ok: претензию -->" in html   # an HTML comment: not shown
