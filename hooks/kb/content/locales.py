"""Locale services from Babel: language names (CLDR), gettext catalogs, plurals, numbers and dates.

Interface text that hooks and templates add is English in the code, marked with `_()`/`ngettext()` in the
hooks and `interface_text()` in the templates (which read it from a plain mapping: template_text), and
translated in locales/<lang>/LC_MESSAGES/messages.po. Catalogs are compiled in memory when read,
so a translator only ever edits .po files.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
import string
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from kb.content.model import DEFAULT_LANGUAGE, LANGUAGES, printable

LOCALES_DIR = Path(__file__).resolve().parents[3] / "locales"
DOMAIN = "messages"


def build_language(config) -> str:
    """The language MkDocs is building now: mkdocs-static-i18n's current one (it builds them in turn),
    else the theme's."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return config.theme.get("language") or DEFAULT_LANGUAGE
    return i18n.current_language or i18n.default_language


@functools.lru_cache(maxsize=64)   # asked for on every page; CLDR data does not change during a build
def language_name(code: str) -> str:
    """The language's own name from CLDR, capitalised for a menu: 'Русский', 'Lietuvių', 'Ελληνικά'."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


@functools.lru_cache(maxsize=64)
def language_in(code: str, reader: str) -> str:
    """A language's name as the reader's language writes it mid-sentence (CLDR): 'английский', 'anglų',
    'İngilizce', 'αγγλικά' (a notice names the origin in the reader's words, not by its own name)."""
    name = Locale.parse(reader).languages.get(code, code)
    # Greek writes language names in lower case within a sentence; CLDR gives them as in a list.
    return name.lower() if reader == "el" else name


@dataclass(frozen=True)
class CatalogProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        message = printable(self.message)
        return f"{self.path}:{self.line}: {message}" if self.line else f"{self.path}: {message}"


def catalog_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def check_catalog(lang: str, locales_dir: Path = LOCALES_DIR, root: Path | None = None,
                  languages=LANGUAGES) -> list[CatalogProblem]:
    """Every entry translated, none fuzzy, every line well formed, the placeholders of the English text
    kept (Babel's own checkers, and ours for {name} placeholders), no entry deleted; one problem per fault."""
    if lang == DEFAULT_LANGUAGE:
        return []
    path = catalog_path(lang, locales_dir)
    shown = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else path.as_posix()
    if not path.exists():
        return [CatalogProblem(shown, 0, f"the interface catalog for '{lang}' is missing (run make translations)")]
    try:
        raw = path.read_bytes()
        problems = [CatalogProblem(shown, line, message) for line, message in _syntax_problems(raw.decode("utf-8"))]
        catalog = read_po(io.BytesIO(raw), locale=lang, abort_invalid=True)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [CatalogProblem(shown, line, f"the catalog is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")]
    except Exception as exc:  # babel raises PoFileError on what it cannot read
        return [CatalogProblem(shown, getattr(exc, "lineno", 0) or 0, f"cannot read the catalog: {exc}")]
    # Babel's checkers: the number of plural forms, python-format placeholders
    checked = {id(message): [str(error) for error in errors] for message, errors in catalog.check()}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy:
            problems.append(CatalogProblem(shown, message.lineno, f"'{msgid}' is marked fuzzy: check the translation and remove the fuzzy flag"))
        elif not all(strings):
            problems.append(CatalogProblem(shown, message.lineno, f"'{msgid}' is not translated"))
        else:
            for error in [*checked.get(id(message), []), *placeholder_problems(message)]:
                problems.append(CatalogProblem(shown, message.lineno, f"'{msgid}': {error}"))
    # An entry deleted from this catalog: every other catalog has it (a msgid changed in one catalog only
    # is reported there, as not in the others, rather than as missing from all the others).
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    others = [other for other in languages if other not in (lang, DEFAULT_LANGUAGE)
              and catalog_path(other, locales_dir).exists()]
    if others:
        everywhere = frozenset.intersection(*(_ids(catalog_path(other, locales_dir)) for other in others))
        for msgid in sorted(everywhere - ids):
            problems.append(CatalogProblem(shown, 0, f"'{msgid}' is missing (the {', '.join(others)} catalogs "
                                                     f"have it): run make translations, then translate it"))
    return problems


def project_locales(root: Path) -> Path:
    """The catalogs beside mkdocs.yml, so that a copy of the project (or a test tree) brings its own."""
    return root / "locales" if (root / "locales").is_dir() else LOCALES_DIR


def check_catalogs(corpus, locales_dir: Path, root: Path) -> tuple[list[CatalogProblem], list[str]]:
    """The catalogs' problems that stop a build (the build and make check report these), and one note for each
    language joining (mkdocs.yml) whose catalog has problems: its interface text shows in the default language
    until translated, which is no error."""
    problems, notes = [], []
    joining = corpus.settings.joining if corpus.settings else frozenset()
    for lang in corpus.languages:
        found = check_catalog(lang, locales_dir, root, corpus.languages)
        if lang in joining and found:
            notes.append(f"{found[0].path}: {lang} is joining: {len(found)} interface text(s) not translated (or not "
                         f"usable) yet show in the default language (translate the catalog; README, Adding a language)")
        else:
            problems += found
    return problems, notes


@functools.lru_cache(maxsize=32)
def _ids_cached(path: Path, mtime: int) -> frozenset[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return frozenset(m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id)


def _ids(path: Path) -> frozenset[str]:
    try:
        return _ids_cached(path, path.stat().st_mtime_ns)
    except Exception:   # an unreadable catalog is reported when it is checked itself
        return frozenset()


# A PO line: a comment, or a keyword and/or one complete "string" (escapes allowed). Babel reads a
# string without its closing quote as if it were closed, dropping its last letter: found here instead.
_PO_LINE = re.compile(r'(?:#~ ?)?(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]*)?"(?:[^"\\]|\\.)*"[ \t]*')


def _syntax_problems(text: str) -> list[tuple[int, str]]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or (stripped.startswith("#") and not stripped.startswith("#~")):
            continue
        if _PO_LINE.fullmatch(stripped):
            continue
        if stripped.count('"') % 2 == 1 or not stripped.endswith('"'):
            problems.append((number, f"the quote opened on line {number} is never closed: "
                                     f"end the text with \" ({printable(stripped, 60)})"))
        else:
            problems.append((number, f"this line is not a PO line: {printable(stripped, 60)}"))
    return problems


_FORMATTER = string.Formatter()


def _fields(text: str) -> set[str]:
    """The {placeholders} of a text; ValueError when a brace is not closed."""
    return {field for _, field, _, _ in _FORMATTER.parse(text) if field is not None}


def _not_plain(text: str) -> list[str]:
    """Placeholders that are more than {name}: a format ({n:>99999999} would write a hundred million
    spaces), a conversion ({n!r}) or an attribute or index ({n.real}, {n[0]}); only {name} is filled in."""
    return [printable("{" + field + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}", 40)
            for _, field, spec, conversion in _FORMATTER.parse(text)
            if field is not None and (spec or conversion or not field.isidentifier())]


def placeholder_problems(message) -> list[str]:
    """Placeholders renamed, added, lost or left unclosed in a translation: each would stop the build
    (KeyError, ValueError) or lose a value on the page."""
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    try:
        wanted = set().union(*(_fields(i) for i in ids))
    except ValueError:
        return []   # the English text is not a format string: nothing to keep
    problems = []
    for index, text in enumerate(strings):
        form = f"plural form {index}: " if len(strings) > 1 else ""
        try:
            fields = _fields(text)
        except ValueError:
            problems.append(f"{form}a '{{' or '}}' is not closed in the translation (keep placeholders as "
                            f"{', '.join('{' + f + '}' for f in sorted(wanted)) or 'in the English text'}; "
                            f"write a brace itself as {{{{ or }}}})")
            continue
        odd = _not_plain(text)
        if odd:
            problems.append(f"{form}{', '.join(odd)} is not a plain placeholder: write it as in the English text "
                            f"({', '.join('{' + f + '}' for f in sorted(wanted)) or 'no placeholders'}), with "
                            f"nothing after its name")
            continue
        unknown = sorted(fields - wanted)
        if unknown:
            problems.append(f"{form}{', '.join('{' + f + '}' for f in unknown)} is not in the English text "
                            f"(it has {', '.join('{' + f + '}' for f in sorted(wanted)) or 'no placeholders'}): "
                            f"placeholders stay as they are")
        lost = sorted(wanted - fields)
        if lost and not unknown and len(strings) == 1:
            problems.append(f"the translation lacks {', '.join('{' + f + '}' for f in lost)}")
    return problems


# make publish: languages whose catalog cannot be read as written (a slip in its PO syntax, not UTF-8) show
# the default language's interface text in that build (kb_hooks.on_pre_build sets it).
DEFAULT_TEXT: set[str] = set()


def damaged(lang: str, locales_dir: Path = LOCALES_DIR) -> bool:
    """Whether the catalog exists but cannot be read entry by entry as written (check_catalog says where)."""
    path = catalog_path(lang, locales_dir)
    if lang == DEFAULT_LANGUAGE or not path.exists():
        return False
    try:
        raw = path.read_bytes()
        if _syntax_problems(raw.decode("utf-8")):
            return True
        read_po(io.BytesIO(raw), locale=lang, abort_invalid=True)
    except Exception:   # not UTF-8, or what Babel cannot read
        return True
    return False


def translations(lang: str, locales_dir: Path = LOCALES_DIR) -> NullTranslations:
    """The compiled catalog of a language (English: the identity)."""
    path = catalog_path(lang, locales_dir)
    if lang == DEFAULT_LANGUAGE or lang in DEFAULT_TEXT or not path.exists():
        return NullTranslations()
    # Keyed by modification time too, so that `mkdocs serve` picks up a translator's edit of the .po file.
    return _compiled(path, lang, path.stat().st_mtime_ns)


def template_text(lang: str, locales_dir: Path = LOCALES_DIR) -> dict[str, str]:
    """`kb_text` of the templates (overrides/partials/kb-text.html): each interface text of the language's catalog,
    English -> translation, as gettext gives it (an entry not usable yet: English). A plain mapping, not a
    gettext call, so that any generator's templates can read it; empty for English, whose text is the key."""
    path = catalog_path(lang, locales_dir)
    if lang == DEFAULT_LANGUAGE or not path.exists():
        return {}
    catalog = translations(lang, locales_dir)
    return {msgid: catalog.gettext(msgid) for msgid in _singular_ids(path)}


def _singular_ids(path: Path) -> tuple[str, ...]:
    try:
        return _singular_ids_cached(path, path.stat().st_mtime_ns)
    except Exception:   # an unreadable catalog is reported when it is checked itself; its text shows in English
        return ()


@functools.lru_cache(maxsize=32)
def _singular_ids_cached(path: Path, mtime: int) -> tuple[str, ...]:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return tuple(m.id for m in catalog if m.id and isinstance(m.id, str))


@functools.lru_cache(maxsize=32)
def _compiled(path: Path, lang: str, mtime: int) -> NullTranslations:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for message in list(catalog):
        # An entry whose placeholders would break formatting is reported by check_catalog and, until it
        # is fixed (mkdocs serve goes on), shown in English rather than stopping every page.
        if message.id and message.string and placeholder_problems(message):
            message.string = ("",) * len(message.string) if isinstance(message.string, (list, tuple)) else ""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


@functools.lru_cache(maxsize=64)
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@functools.lru_cache(maxsize=4096)
def _integer(value: int, lang: str) -> str:
    return format_decimal(value, locale=_locale(lang))


@functools.lru_cache(maxsize=4096)   # a build has few distinct dates: one per commit
def _long_date(value: dt.date, lang: str) -> str:
    return format_date(value, format="long", locale=_locale(lang))


class Interface:
    """The interface text of one language: gettext, plurals, numbers and dates, all through Babel."""

    def __init__(self, lang: str, locales_dir: Path = LOCALES_DIR):
        self.lang = lang
        self.locale = _locale(lang)
        self._t = translations(lang, locales_dir)

    def gettext(self, message: str, **values) -> str:
        text = self._t.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        text = self._t.ngettext(singular, plural, n)
        return text.format(n=self.number(n), **values)

    def number(self, value) -> str:
        if isinstance(value, int):   # step numbers and counts recur on every page
            return _integer(value, self.lang)
        return format_decimal(value, locale=self.locale)

    def percent(self, fraction: float) -> str:
        return format_percent(fraction, locale=self.locale)

    def date(self, value: dt.date) -> str:
        return _long_date(value, self.lang)
