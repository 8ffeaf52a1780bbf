"""Locale services from Babel: language names (CLDR), gettext catalogs, plurals, numbers and dates.

Interface text that hooks and templates add is English in the code, marked with `_()`/`ngettext()`,
and translated in locales/<lang>/LC_MESSAGES/messages.po. Catalogs are compiled in memory when read,
so a translator only ever edits .po files.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from kb.model import DEFAULT_LANGUAGE

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
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


@dataclass(frozen=True)
class CatalogProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def catalog_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def check_catalog(lang: str, locales_dir: Path = LOCALES_DIR, root: Path | None = None) -> list[CatalogProblem]:
    """Every entry translated and none fuzzy; one problem per entry that is not."""
    if lang == DEFAULT_LANGUAGE:
        return []
    path = catalog_path(lang, locales_dir)
    shown = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else path.as_posix()
    if not path.exists():
        return [CatalogProblem(shown, 0, f"the interface catalog for '{lang}' is missing (run make translations)")]
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
    except Exception as exc:  # babel raises PoFileError and, on bad encodings, UnicodeDecodeError
        return [CatalogProblem(shown, getattr(exc, "lineno", 0) or 0, f"cannot read the catalog: {exc}")]
    problems = []
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy:
            problems.append(CatalogProblem(shown, message.lineno, f"'{msgid}' is marked fuzzy: check the translation and remove the fuzzy flag"))
        elif not all(strings):
            problems.append(CatalogProblem(shown, message.lineno, f"'{msgid}' is not translated"))
    return problems


def translations(lang: str, locales_dir: Path = LOCALES_DIR) -> NullTranslations:
    """The compiled catalog of a language (English: the identity)."""
    path = catalog_path(lang, locales_dir)
    if lang == DEFAULT_LANGUAGE or not path.exists():
        return NullTranslations()
    # Keyed by modification time too, so that `mkdocs serve` picks up a translator's edit of the .po file.
    return _compiled(path, lang, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _compiled(path: Path, lang: str, mtime: int) -> NullTranslations:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
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
