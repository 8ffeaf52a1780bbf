"""The glossary data (glossary.yml, kb/content/glossary.py): bad input gives one line each with file and line;
the real glossary is valid; the glossary pages are made from it in the reader's language."""
from __future__ import annotations

import html
import re
import shutil

import pytest

from conftest import FIXTURES, ROOT, make_tree, mkdocs_build
from kb.content import glossary as glossary_mod
from kb.content.locales import Interface
from kb.content.model import LANGUAGES

GOOD = """\
complaint:
  en: {term: complaint, note: "What fell short."}
  el: {term: παράπονο}
  ru: {term: жалоба, avoid: [претензи*]}
  tr: {term: şikayet}
  lt: {term: skundas}
"""


def problems(text: str) -> list[str]:
    return [str(p) for p in glossary_mod.parse(text, "glossary.yml").problems]


def test_a_good_glossary_has_no_problems():
    assert problems(GOOD) == []


@pytest.mark.parametrize("text, expected", [
    (GOOD.replace("  tr: {term: şikayet}\n", ""), ["glossary.yml:1: concept 'complaint' has no term in tr"]),
    (GOOD + GOOD.split("\n", 1)[0] + "\n  en: complaint\n",
     ["glossary.yml:7: concept 'complaint' is defined twice (also on line 1)"]),
    (GOOD + "apology:\n  en: apology\n  el: συγγνώμη\n  ru: {term: извинение, avoid: [жалоб*]}\n  tr: özür\n  lt: atsiprašymas\n",
     ["glossary.yml:10: concept 'apology', ru: the variant to avoid 'жалоб*' matches the approved term 'жалоба' of concept 'complaint'"]),
    (GOOD.replace("{term: жалоба, avoid: [претензи*]}", "{term: жалоба, avoid: [претензи*]"),
     ["glossary.yml:5: not valid YAML: expected ',' or '}', but got '<scalar>'"]),
    (GOOD.replace("avoid: [претензи*]", "avoid: претензи*"),
     ["glossary.yml:4: concept 'complaint', ru: 'avoid' must be a list, e.g. avoid: [претензи*]"]),
    (GOOD.replace("{term: skundas}", "{term: 42}"), ["glossary.yml:6: concept 'complaint', lt: the term must be text",
                                                     "glossary.yml:1: concept 'complaint' has no term in lt"]),
    (GOOD.replace("{term: skundas}", "[skundas]"),
     ["glossary.yml:6: concept 'complaint', lt: give 'term:' (and optionally 'note:' and 'avoid:')",
      "glossary.yml:1: concept 'complaint' has no term in lt"]),
    (GOOD.replace("  tr: {term: şikayet}", "  tr: {term: şikayet}\n  de: {term: Beschwerde}"),
     ["glossary.yml:6: concept 'complaint': unknown language 'de' (one of en, el, ru, tr, lt)"]),
    (GOOD.replace('note: "What fell short."', 'notes: "What fell short."'),
     ["glossary.yml:2: concept 'complaint', en: unknown key 'notes' (known: term, note, avoid)"]),
    ("", ["glossary.yml:1: the glossary is empty (one entry per concept: 'complaint:' with en, el, ru, tr, lt under it)"]),
    ("- complaint\n", ["glossary.yml:1: the glossary must be a mapping of concept ids ('complaint:') to languages"]),
    ("complaint: [1, 2]\n", ["glossary.yml:1: concept 'complaint' must list its languages (en, el, ru, tr, lt), each with a term"]),
    (GOOD.replace("avoid: [претензи*]", "avoid: ['*']"),
     ["glossary.yml:4: concept 'complaint', ru: '*' has no word to match"]),
])
def test_bad_glossary_gives_one_line_each(text, expected):
    assert problems(text) == expected


def test_bad_glossary_fails_the_strict_build_with_file_and_line(tmp_path):
    root = make_tree(tmp_path / "t")
    (root / "glossary.yml").write_text(GOOD.replace("  tr: {term: şikayet}\n", ""), encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert [line.split("-", 1)[1].strip() for line in result.lines if line.startswith("WARNING")] == [
        "glossary.yml:1: concept 'complaint' has no term in tr"]
    assert "Traceback" not in result.output
    (root / "glossary.yml").write_bytes(b"complaint:\n  en: \xff\n")
    result = mkdocs_build(root)
    assert "glossary.yml:1: the file is not UTF-8" in result.output and "Traceback" not in result.output


def test_the_real_glossary_is_valid_and_names_the_reviewed_concepts():
    real = glossary_mod.load(ROOT)
    assert real.problems == []
    ids = {c.id for c in real.concepts}
    assert {"customer", "complaint", "apology", "follow-up", "referral", "loyalty", "empathy", "compensation",
            "service-agent", "playbook", "checklist", "quote-card", "review"} <= ids
    avoid = {(c.id, lang): e.avoid for c in real.concepts for lang, e in c.entries.items()}
    # the variants the native reviews named
    assert "претензи*" in avoid["complaint", "ru"]
    assert "παρακολουθ*" in avoid["follow-up", "el"]
    assert "tavsiye*" in avoid["referral", "tr"]


def test_table_is_made_from_the_data_in_the_readers_language():
    data = glossary_mod.parse(GOOD + "quote-card:\n  en: {term: \"<b>quote</b> card\"}\n  el: κάρτα\n  ru: карточка\n  tr: kart\n  lt: kortelė\n",
                              "glossary.yml")
    table = glossary_mod.table(data, Interface("ru"))
    headers = re.findall(r"<th>(.*?)</th>", table)
    assert headers == ["Русский", "Английский", "Греческий", "Турецкий", "Литовский", "Не использовать", "Значение"]
    assert "<strong>жалоба</strong>" in table and "претензи…" in table
    assert "&lt;b&gt;quote&lt;/b&gt; card" in table and "<b>" not in table   # escaped
    assert re.findall(r'<tr id="([^"]+)"', table) == ["complaint", "quote-card"]


def test_glossary_pages_are_generated_in_a_build(tmp_path):
    root = make_tree(tmp_path / "t")
    shutil.copy(FIXTURES / "terms" / "glossary.yml", root / "glossary.yml")
    data = glossary_mod.load(root)
    for lang in LANGUAGES:
        (root / "docs" / lang / "glossary.md").write_text(
            f"---\ntype: page\norigin: {lang if lang == 'en' else 'en'}\n---\n\n# Glossary\n\nIntro.\n\n{glossary_mod.TABLE}\n",
            encoding="utf-8")
    for lang in LANGUAGES[1:]:   # translations current: the build stays quiet
        page = root / "docs" / lang / "glossary.md"
        from kb.content.model import read_page
        origin = read_page(root / "docs" / "en" / "glossary.md", "x", "en", "glossary.md")
        page.write_text(page.read_text(encoding="utf-8").replace("origin: en\n", f"origin: en\ntranslated_from: {origin.fingerprint}\n"), encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    for lang in LANGUAGES:
        page_html = (root / "site" / ("" if lang == "en" else lang) / "glossary" / "index.html").read_text(encoding="utf-8")
        rows = re.findall(r'<tr id="([^"]+)">(.*?)</tr>', page_html, re.S)
        assert [cid for cid, _ in rows] == [c.id for c in data.concepts]
        for concept, (_, row) in zip(data.concepts, rows):
            cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            order = [lang, *(code for code in LANGUAGES if code != lang)]
            assert cells[:5] == [concept.entries[code].term for code in order]
            assert cells[5] == ", ".join(v.replace("*", "…") for v in concept.entries[lang].avoid)
            assert cells[6] == concept.entries[lang].note
        assert glossary_mod.TABLE not in page_html


def test_any_text_gives_problems_never_an_exception():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["complaint:", "\n", "  ", "en:", "ru:", "term:", "avoid:", "[", "]", "{", "}", ",",
                              "*", "претензи*", "- ", "&a", "*a", "!!python/object", "'", '"', ":", "null", "42", "\t"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=40).map("".join))
    def parse_anything(text):
        result = glossary_mod.parse(text, "glossary.yml")
        for problem in result.problems:
            assert str(problem).startswith("glossary.yml:")

    parse_anything()
