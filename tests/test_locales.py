"""Interface text through Babel: CLDR plurals, numbers, dates, language names, and the gettext catalogs."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys

import pytest
from babel import Locale

from conftest import ENV, ROOT, mkdocs_build
from kb import locales
from kb.corpus import Corpus
from kb.locales import Interface, check_catalog, language_name
from kb.staleness import mark_current

COUNTS = [0, 1, 2, 5, 11, 21, 22, 111]

# The word after a number, per CLDR plural category, as a native speaker writes it.
STEP_WORDS = {
    "en": {"one": "step", "other": "steps"},
    "el": {"one": "βήμα", "other": "βήματα"},
    "ru": {"one": "шаг", "few": "шага", "many": "шагов", "other": "шага"},
    "tr": {"one": "adım", "other": "adım"},
    "lt": {"one": "žingsnis", "few": "žingsniai", "many": "žingsnio", "other": "žingsnių"},
}
# What CLDR says for our counts, written out so that a wrong catalog cannot agree with itself.
CATEGORIES = {
    "ru": ["many", "one", "few", "many", "many", "one", "few", "many"],
    "lt": ["other", "one", "few", "few", "other", "one", "few", "other"],
    "el": ["other", "one", "other", "other", "other", "other", "other", "other"],
    "tr": ["other", "one", "other", "other", "other", "other", "other", "other"],
    "en": ["other", "one", "other", "other", "other", "other", "other", "other"],
}


@pytest.mark.parametrize("lang", sorted(CATEGORIES))
def test_cldr_categories_are_what_we_expect(lang):
    assert [Locale.parse(lang).plural_form(n) for n in COUNTS] == CATEGORIES[lang]


@pytest.mark.parametrize("lang", sorted(CATEGORIES))
def test_step_counts_use_the_cldr_plural_form(lang):
    ui = Interface(lang)
    for n, category in zip(COUNTS, CATEGORIES[lang]):
        assert ui.ngettext("{n} step", "{n} steps", n) == f"{n} {STEP_WORDS[lang][category]}", (lang, n)


@pytest.mark.parametrize("lang", sorted(CATEGORIES))
def test_catalog_plural_rule_agrees_with_cldr_for_every_count(lang):
    """The catalog's Plural-Forms expression picks, for every whole number, the form of CLDR's category."""
    ui, locale = Interface(lang), Locale.parse(lang)
    for n in range(0, 1001):
        word = ui.ngettext("{n} step", "{n} steps", n).split(" ", 1)[1]
        assert word == STEP_WORDS[lang][locale.plural_form(n)], (lang, n)


def test_numbers_and_percentages_per_locale():
    assert Interface("en").number(12500) == "12,500"
    assert Interface("el").number(12500) == "12.500"
    assert Interface("tr").number(12500) == "12.500"
    assert Interface("ru").number(12500) == "12\u00a0500"
    assert Interface("lt").number(12500) == "12\u00a0500"
    assert Interface("tr").percent(0.95) == "%95"
    assert Interface("ru").percent(0.95) == "95\u00a0%"
    assert Interface("el").percent(0.95) == "95%"


def test_dates_per_locale():
    day = dt.date(2026, 12, 14)
    assert Interface("en").date(day) == "December 14, 2026"
    assert Interface("ru").date(day) == "14 декабря 2026\u202fг."
    assert Interface("lt").date(day) == "2026 m. gruodžio 14 d."
    assert Interface("tr").date(day) == "14 Aralık 2026"
    assert Interface("el").date(day) == "14 Δεκεμβρίου 2026"


def test_language_names_are_each_languages_own():
    assert [language_name(code) for code in ("en", "el", "ru", "tr", "lt")] == [
        "English", "Ελληνικά", "Русский", "Türkçe", "Lietuvių"]


@pytest.mark.parametrize("lang", ["el", "ru", "tr", "lt"])
def test_repository_catalogs_are_complete(lang):
    assert check_catalog(lang) == []


def test_untranslated_and_fuzzy_entries_are_named(tmp_path):
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    po = tmp_path / "locales" / "ru" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgstr "Печать"', 'msgstr ""').replace('msgid "Signature"', '#, fuzzy\nmsgid "Signature"')
    po.write_text(text, encoding="utf-8")
    problems = [str(p) for p in check_catalog("ru", tmp_path / "locales", tmp_path)]
    lines = text.splitlines()
    print_line = next(i for i, line in enumerate(lines, 1) if line == 'msgid "Print"')
    assert f"locales/ru/LC_MESSAGES/messages.po:{print_line}: 'Print' is not translated" in problems
    assert any("'Signature' is marked fuzzy" in p for p in problems)
    assert len(problems) == 2


def test_a_missing_translation_fails_the_build(tree):
    root = tree()
    po = root / "locales" / "lt" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Spausdinti"', 'msgstr ""'), encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert re.search(r"locales/lt/LC_MESSAGES/messages\.po:\d+: 'Print' is not translated", result.output)
    assert "Traceback" not in result.output


def playbook(lang: str, steps: int) -> str:
    body = "".join(f"## {n}. Step {n} {{#s{n}}}\n\nDo it.\n\n" for n in range(1, steps + 1))
    return f"---\ntype: playbook\norigin: ru\ntags: [complaints]\nsteps: {steps}\n---\n\n# P{steps}\n\nIntro.\n\n{body}"


def test_playbooks_with_1_3_and_8_steps_show_the_right_forms(tree):
    root = tree()
    for steps in (1, 3, 8):
        for lang in ("en", "el", "ru", "tr", "lt"):
            (root / "docs" / lang / "playbooks" / f"p{steps}.md").write_text(playbook(lang, steps), encoding="utf-8")
    corpus = Corpus.load(root / "docs", root)
    for lang in ("en", "el", "tr", "lt"):
        for steps in (1, 3, 8):
            mark_current(corpus, root / "docs" / lang / "playbooks" / f"p{steps}.md")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output

    def text(lang: str, steps: int) -> str:
        prefix = "" if lang == "en" else f"{lang}/"
        html = (root / "site" / prefix / "playbooks" / f"p{steps}" / "index.html").read_text(encoding="utf-8")
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    expected = {
        "ru": {1: "1 шаг", 3: "3 шага", 8: "8 шагов"},
        "lt": {1: "1 žingsnis", 3: "3 žingsniai", 8: "8 žingsniai"},
        "en": {1: "1 step", 3: "3 steps", 8: "8 steps"},
    }
    labels = {"ru": "Шаг {n} из {m}", "lt": "Žingsnis {n} iš {m}", "en": "Step {n} of {m}"}
    for lang, forms in expected.items():
        for steps, form in forms.items():
            page = text(lang, steps)
            assert f"· {form} ·" in page, (lang, steps)
            assert labels[lang].format(n=steps, m=steps) in page


def test_make_translations_is_idempotent(tmp_path):
    """Extract → update → compile on an unchanged project leaves every catalog exactly as committed."""
    for name in ("hooks", "overrides", "locales"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    for name in ("babel.cfg", "Makefile", "requirements.lock"):
        shutil.copy2(ROOT / name, tmp_path / name)
    venv = ROOT / ".venv"
    args = ["make", "-s", "translations", f"VENV={venv}"]
    for _ in range(2):
        done = subprocess.run(args, cwd=tmp_path, env=ENV, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        for lang in ("el", "ru", "tr", "lt"):
            rel = f"locales/{lang}/LC_MESSAGES/messages.po"
            assert (tmp_path / rel).read_text(encoding="utf-8") == (ROOT / rel).read_text(encoding="utf-8"), rel
            assert (tmp_path / f"locales/{lang}/LC_MESSAGES/messages.mo").exists()
    assert sys.executable


# --- catalogs a translator broke (issue 15): the .po file and line, before the site is touched -------

def broken_catalog(tmp_path, lang: str, old: str, new: str) -> tuple[list[str], list[str]]:
    """check_catalog's lines for a copy of the catalogs with `old` replaced by `new`, and the file's lines."""
    shutil.copytree(ROOT / "locales", tmp_path / "locales", dirs_exist_ok=True)
    po = tmp_path / "locales" / lang / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert old in text, old
    po.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [str(p) for p in check_catalog(lang, tmp_path / "locales", tmp_path)], po.read_text(encoding="utf-8").splitlines()


def line_of(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines, 1) if line == text)


CATALOG_FAULTS = [
    # (lang, old, new, msgid line, words)
    ("el", 'msgstr "Βήμα {n} από {total}"', 'msgstr "Βήμα {n} από {σύνολο}"', 'msgid "Step {n} of {total}"',
     "'Step {n} of {total}': {σύνολο} is not in the English text (it has {n}, {total})"),
    ("el", 'msgstr "Βήμα {n} από {total}"', 'msgstr "Βήμα {n} από {total"', 'msgid "Step {n} of {total}"',
     "a '{' or '}' is not closed in the translation"),
    ("el", 'msgstr "Βήμα {n} από {total}"', 'msgstr "Βήμα {n}"', 'msgid "Step {n} of {total}"',
     "the translation lacks {total}"),
    ("ru", 'msgstr[1] "{n} шага"', 'msgstr[1] "{n} шага {x}"', 'msgid "{n} step"',
     "plural form 1: {x} is not in the English text"),
    ("lt", 'msgstr[2] "{n} žingsnių"', 'msgstr[2] "{n.__class__} žingsnių"', 'msgid "{n} step"',
     "plural form 2: {n.__class__} is not in the English text"),
]


@pytest.mark.parametrize("lang,old,new,entry,words", CATALOG_FAULTS)
def test_placeholder_faults_name_the_catalog_line(tmp_path, lang, old, new, entry, words):
    problems, lines = broken_catalog(tmp_path, lang, old, new)
    assert len(problems) == 1 and words in problems[0], problems
    assert problems[0].startswith(f"locales/{lang}/LC_MESSAGES/messages.po:{line_of(lines, entry)}: ")


def test_a_deleted_plural_form_is_reported(tmp_path):
    problems, lines = broken_catalog(tmp_path, "ru", 'msgstr[2] "{n} шагов"\n', "")
    line = line_of(lines, 'msgid "{n} step"')
    assert problems == [f"locales/ru/LC_MESSAGES/messages.po:{line}: '{{n}} step' is not translated"]


def test_unterminated_msgstr_is_reported_not_truncated(tmp_path):
    problems, lines = broken_catalog(tmp_path, "ru", 'msgstr "Печать"', 'msgstr "Печать')
    line = line_of(lines, 'msgstr "Печать')
    assert problems == [f"locales/ru/LC_MESSAGES/messages.po:{line}: the quote opened on line {line} is never "
                        f"closed: end the text with \" (msgstr \"Печать)"]


def test_deleted_entry_is_reported_not_shown_in_english(tmp_path):
    problems, _ = broken_catalog(tmp_path, "tr", 'msgid "Print"\nmsgstr "Yazdır"\n', "")
    assert problems == ["locales/tr/LC_MESSAGES/messages.po: 'Print' is missing (the el, ru, lt catalogs have it): "
                        "run make translations, then translate it"]


def test_broken_placeholder_stops_the_build_before_the_site_is_touched(tree):
    root = tree()
    po = root / "locales" / "el" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace("από {total}\"", "από {σύνολο}\""), encoding="utf-8")
    site = root / "published"
    site.mkdir()
    (site / "index.html").write_text("the site as it was", encoding="utf-8")
    result = mkdocs_build(root, site)
    assert result.returncode != 0
    assert re.search(r"locales/el/LC_MESSAGES/messages\.po:\d+: 'Step \{n\} of \{total\}': \{σύνολο\} is not in", result.output)
    assert "Traceback" not in result.output and "KeyError" not in result.output
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "the site as it was"


def test_a_broken_entry_is_english_until_fixed_instead_of_an_exception(tmp_path):
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    po = tmp_path / "locales" / "el" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace("από {total}\"", "από {σύνολο}\""), encoding="utf-8")
    assert Interface("el", tmp_path / "locales").gettext("Step {n} of {total}", n="2", total="5") == "Step 2 of 5"


def test_a_lone_percent_in_template_text_is_reported(tmp_path):
    problems, lines = broken_catalog(tmp_path, "lt", 'msgstr "Naršymo kelias"', 'msgstr "Kelias 100 %"')
    line = line_of(lines, 'msgid "Breadcrumb"')
    assert problems == [f"locales/lt/LC_MESSAGES/messages.po:{line}: 'Breadcrumb': "
                        "write a percent sign as %% in this text (it is used in a template)"]
