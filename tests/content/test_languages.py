"""The languages in one place (mkdocs.yml, kb/content/languages.py), make add-language, and the reader's next-best
language (the fallback order) on fallback pages, notices and the print pack."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, ROOT, mkdocs_build, run, site_config
from kb.content import model
from kb.rendering import navigation
from kb.content.corpus import Corpus
from kb.content.languages import Languages, Refusal, add, parse


def i18n_codes() -> list[str]:
    plugins = site_config(ROOT / "docs")["plugins"]
    i18n = next(p["i18n"] for p in plugins if isinstance(p, dict) and "i18n" in p)
    return [language["locale"] for language in i18n["languages"]]


def test_the_languages_are_mkdocs_ymls():
    codes = i18n_codes()
    assert set(Languages.load(ROOT).codes) == set(codes) and model.LANGUAGES == Languages.load(ROOT).codes
    assert model.LANGUAGES[0] == model.DEFAULT_LANGUAGE
    # the Makefile asks the same
    printed = run([sys.executable, "-m", "kb.content.languages"], ROOT).output.split()
    assert printed == list(model.LANGUAGES)
    assert run([sys.executable, "-m", "kb.content.languages", "--translated"], ROOT).output.split() == list(model.LANGUAGES[1:])


CONFIG = """\
extra:
  kb_languages:
    ru: {fallback: [en, el]}
    el: {fallback: [el]}
    xx: {fallback: [en]}
    tr: {joining: maybe, colour: red}
plugins:
  - i18n:
      languages:
        - locale: en
          default: true
        - locale: el
        - locale: ru
        - locale: tr
"""


def test_settings_are_read_and_checked_with_their_lines():
    found = parse(CONFIG)
    assert found.codes == ("en", "el", "ru", "tr") and found.default == "en"
    assert found.order("ru") == ("en", "el") and found.order("tr") == ("en",) and found.order("en") == ()
    assert [str(p) for p in found.problems] == [
        "mkdocs.yml:4: extra.kb_languages.el.fallback: 'el' cannot stand in for 'el' (other languages of the site, each once: en, ru, tr)",
        "mkdocs.yml:5: extra.kb_languages.xx: 'xx' is not one of the languages of the i18n plugin (en, el, ru, tr)",
        "mkdocs.yml:6: extra.kb_languages.tr.joining: true or false",
        "mkdocs.yml:6: extra.kb_languages.tr: unknown setting 'colour' (known: fallback, joining)",
    ]


def test_a_mistyped_setting_stops_the_build_at_its_line(tree):
    root = tree()
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("kb_languages:\n    el:", "kb_languages:\n    qq: {}\n    el:", 1),
                      encoding="utf-8")
    assert any(p.message.startswith("extra.kb_languages.qq: 'qq' is not one of the languages")
               for p in Corpus.load(root / "docs", root).errors)


# --- make add-language ---------------------------------------------------------------------------

def extract_pot(root: Path) -> None:
    """What `make add-language` runs first (the Makefile's EXTRACT), into the tree's locales/."""
    subprocess.run([str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg", "-k", "N_",
                    "--sort-by-file", "--add-location=file", "--no-wrap", "-o", str(root / "locales" / "messages.pot"), "."],
                   cwd=ROOT, check=True)


@pytest.fixture
def new_language(tree):
    """A fixture tree with the glossary, German added by make add-language (its Python side)."""
    root = tree()
    (root / "glossary.yml").write_bytes((ROOT / "tests" / "fixtures" / "terms" / "glossary.yml").read_bytes())
    extract_pot(root)
    done = add(root, "de")
    return root, done


def test_add_language_sets_up_what_a_language_needs(new_language):
    root, done = new_language
    settings = Languages.load(root)
    assert settings.codes[-1] == "de" and settings.joining == {"de"} and settings.order("de") == ("en",)
    home = (root / "docs" / "de" / "index.md").read_text(encoding="utf-8")
    assert home == (root / "docs" / "en" / "index.md").read_text(encoding="utf-8")   # the origin's home, to translate
    catalog = (root / "locales" / "de" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert "Language: de" in catalog and 'msgid "Print"' in catalog
    assert "glossary.yml" not in " ".join(done)   # the glossary's column is the translators' to fill
    # the other languages' lines of mkdocs.yml are as they were
    assert (root / "mkdocs.yml").read_text(encoding="utf-8").count("locale:") == len(model.LANGUAGES) + 1


def test_a_joining_language_never_stops_the_build(new_language, tmp_path):
    root, _ = new_language
    result = mkdocs_build(root)   # strict
    assert result.returncode == 0, result.output
    assert "de is joining: 5 concept(s) have no 'de' term yet" in result.output
    assert "locales/de/LC_MESSAGES/messages.po: de is joining:" in result.output
    site = root / "site"
    gift = (site / "de" / "playbooks" / "gift" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in gift and "Gift (en)" in gift   # missing: the next-best language's page, English
    assert "Not yet translated into Deutsch" in gift           # interface text: the default language's
    assert "kb-fallback" not in (site / "ru" / "playbooks" / "gift" / "index.html").read_text(encoding="utf-8")
    # once the language stops joining, its gaps are errors as every language's are
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("joining: true", "joining: false"), encoding="utf-8")
    strict = mkdocs_build(root, tmp_path / "site")
    assert strict.returncode != 0
    assert "glossary.yml:2: concept 'complaint' has no term in de" in strict.output
    assert "locales/de/LC_MESSAGES/messages.po" in strict.output and "'Print' is not translated" in strict.output


@pytest.mark.parametrize("code, reason", [
    ("de", "is a language of the site already"),
    ("x y", "is not a language code"),
    ("qq", "is not a language Babel (CLDR) knows"),
])
def test_add_language_refuses_and_writes_nothing(new_language, code, reason):
    root, _ = new_language
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".cache" not in p.parts}
    with pytest.raises(Refusal, match=re.escape(reason)):
        add(root, code)
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".cache" not in p.parts}
    assert after == before


def test_make_add_language_says_why_in_one_line(tmp_path):
    (tmp_path / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    result = subprocess.run([sys.executable, "-m", "kb.content.languages", "add"], cwd=tmp_path, env={**ENV, "CODE": "ru"},
                            capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.strip().splitlines() == ["make add-language: 'ru' is a language of the site already "
                                                  f"(mkdocs.yml: {', '.join(model.LANGUAGES)})"]


# --- the reader's next-best language ----------------------------------------------------------------

def test_a_missing_page_shows_the_next_best_language_then_the_origin(tree):
    root = tree()
    (root / "docs" / "ru" / "quotes" / "index.md").unlink()          # origin lt, English current
    (root / "docs" / "ru" / "checklists" / "keys.md").unlink()       # origin el, English current
    corpus = Corpus.load(root / "docs", root)
    assert corpus.order("ru") == ("en",)
    assert corpus.stand_in("ru", "quotes/index.md").lang == "en"
    assert ("ru", "checklists/keys.md", "en") in corpus.fallbacks()
    # the print pack of Russian: the English sheet
    assert [p.lang for p in navigation.checklists(corpus, "ru")] == ["en"]
    # English outdated: the origin stands in
    english = root / "docs" / "en" / "quotes" / "index.md"
    english.write_text(english.read_text(encoding="utf-8").replace("translated_from: 417fc582594e\n", ""), encoding="utf-8")
    assert Corpus.load(root / "docs", root).stand_in("ru", "quotes/index.md").lang == "lt"


def test_the_fallback_page_and_its_notice_say_which_language_it_is(tree):
    root = tree()
    (root / "docs" / "ru" / "quotes" / "index.md").unlink()
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    page = (root / "site" / "ru" / "quotes" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in page and "Quotes (en)" in page and "Quotes (lt)" not in page
    assert "ниже перевод (язык перевода — английский)" in page
    assert 'href="../../lt/quotes/" hreflang="lt">Открыть оригинал' in page   # the original is still linked


def test_the_fallback_order_is_the_languages_setting(tree):
    root = tree()
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("    ru:\n      fallback:\n      - en\n", "    ru:\n      fallback:\n      - tr\n      - en\n"),
                      encoding="utf-8")
    (root / "docs" / "ru" / "quotes" / "index.md").unlink()
    corpus = Corpus.load(root / "docs", root)
    assert corpus.order("ru") == ("tr", "en") and corpus.stand_in("ru", "quotes/index.md").lang == "tr"


def test_the_search_worker_stems_where_lunr_has_a_stemmer(site_dir):
    """The worker's stemmer follows the lunr-languages files Material ships (no list of languages in the worker)."""
    for lang in model.LANGUAGES:
        prefix = "" if lang == model.DEFAULT_LANGUAGE else f"{lang}/"
        page = (site_dir / prefix / "index.html").read_text(encoding="utf-8")
        shipped = (site_dir / "assets" / "javascripts" / "lunr" / "min" / f"lunr.{lang}.min.js").is_file()
        assert f"lang={lang}&" in page
        assert ("stemmer=lunr" in page) == shipped, lang
