"""Interface text through Babel: CLDR plurals, numbers, dates, language names, and the gettext catalogs."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys

import pytest
from babel import Locale
from babel.messages.pofile import read_po

from conftest import ENV, ROOT, mkdocs_build
from kb.content import locales
from kb.content.corpus import Corpus
from kb.content.locales import Interface, check_catalog, language_in, language_name
from kb.rendering.render import COUNT_LABELS
from kb.translation.staleness import mark_current

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


# --- the status page's counts (issue 23): the words agree with the number in every language ----------

STATUS_COUNTS = [0, 1, 2, 5, 21]
# Which of a catalog's plural forms serves each CLDR category of whole numbers, written out (gettext numbers
# the forms; CLDR names the categories), so that a wrong Plural-Forms rule cannot agree with itself.
FORM_OF_CATEGORY = {
    "en": {"one": 0, "other": 1},
    "el": {"one": 0, "other": 1},
    "ru": {"one": 0, "few": 1, "many": 2},
    "lt": {"one": 0, "few": 1, "other": 2},
    "tr": {"one": 0, "other": 0},   # a Turkish noun stays singular after a number: one form serves all
}


class _Msgids:
    """Stands in for Interface: gives back the English msgid and msgid_plural that a label asks for."""

    def ngettext(self, singular: str, plural: str, n: int, **values):
        return singular, plural


def plural_forms(lang: str, singular: str, plural: str) -> tuple[str, ...]:
    """The forms of an entry as the language's catalog has them (English: the code's own two)."""
    if lang == "en":
        return singular, plural
    with locales.catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    message = catalog.get(singular)
    assert message is not None and message.id == (singular, plural), (lang, singular)
    assert len(message.string) == catalog.num_plurals, (lang, singular)
    return tuple(message.string)


@pytest.mark.parametrize("lang", sorted(FORM_OF_CATEGORY))
@pytest.mark.parametrize("cell", sorted(COUNT_LABELS))
def test_status_counts_take_the_catalogs_form_for_each_cldr_category(lang, cell):
    """0, 1, 2, 5 and 21 pages: each count reads in the form its catalog gives for the number's CLDR plural
    category, a form that is written (never empty, with the number in it) and that differs from the
    language's other forms (1 / 2 / 5 pages are three forms in ru and lt, two in en and el, one in tr)."""
    ui, locale = Interface(lang), Locale.parse(lang)
    forms = plural_forms(lang, *COUNT_LABELS[cell](_Msgids(), 0))
    assert len(set(forms)) == len(forms) == len(set(FORM_OF_CATEGORY[lang].values())), forms
    used = set()
    for n in STATUS_COUNTS:
        index = FORM_OF_CATEGORY[lang][locale.plural_form(n)]
        form = forms[index]
        assert form.strip() and "{n}" in form, (lang, cell, n)
        assert COUNT_LABELS[cell](ui, n) == form.format(n=ui.number(n)), (lang, cell, n)
        used.add(index)
    assert used == set(range(len(forms)))   # these five numbers meet every form of the language


def test_language_names_in_the_readers_language():
    """How a notice names another language mid-sentence: the reader's CLDR name, not the language's own."""
    assert [language_in("en", reader) for reader in ("en", "el", "ru", "tr", "lt")] == [
        "English", "αγγλικά", "английский", "İngilizce", "anglų"]
    assert language_in("el", "ru") == "греческий" and language_in("ru", "lt") == "rusų"


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
     "plural form 2: {n.__class__} is not a plain placeholder"),
    # only {name} is filled in: a format, a conversion or an index would stop the build or fill the memory
    ("ru", 'msgstr[2] "{n} шагов"', 'msgstr[2] "{n:>99999999} шагов"', 'msgid "{n} step"',
     "plural form 2: {n:>99999999} is not a plain placeholder"),
    ("el", 'msgstr "Βήμα {n} από {total}"', 'msgstr "Βήμα {n!r} από {total:,}"', 'msgid "Step {n} of {total}"',
     "{n!r}, {total:,} is not a plain placeholder"),
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


def test_a_percent_sign_in_template_text_shows_as_typed(tmp_path):
    """The templates read their text from a plain mapping (kb_text), never formatted with %: a translator
    types a percent sign as it is, and it is no problem."""
    problems, _ = broken_catalog(tmp_path, "lt", 'msgstr "Naršymo kelias"', 'msgstr "Kelias 100 %"')
    assert problems == []
    assert locales.template_text("lt", tmp_path / "locales")["Breadcrumb"] == "Kelias 100 %"


# --- the templates' interface text (issue 26): a plain mapping from the catalogs ---------------------

@pytest.mark.parametrize("lang", ["el", "ru", "tr", "lt"])
def test_template_text_is_each_catalog_entry_as_gettext_gives_it(lang):
    text = locales.template_text(lang)
    with locales.catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    singular = [m.id for m in catalog if m.id and isinstance(m.id, str)]
    assert sorted(text) == sorted(singular)
    ui = Interface(lang)
    assert all(text[msgid] == ui.gettext(msgid) and text[msgid] != msgid for msgid in singular)
    assert text["Page not found"] != "Page not found"


def test_template_text_of_english_is_empty_and_a_broken_entry_is_english(tmp_path):
    assert locales.template_text("en") == {}
    problems, _ = broken_catalog(tmp_path, "el", 'msgstr "Βήμα {n} από {total}"', 'msgstr "Βήμα {n} από {σύνολο}"')
    assert problems   # reported by check_catalog; shown in English until fixed, as gettext does
    assert locales.template_text("el", tmp_path / "locales")["Step {n} of {total}"] == "Step {n} of {total}"
    assert locales.template_text("de", tmp_path / "locales") == {}   # no catalog yet (a language joining)
