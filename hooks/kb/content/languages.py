"""The site's languages, from the one place they are listed: mkdocs.yml, the i18n plugin's `languages:`.

Everything else asks here: the hooks and the commands (`Languages.load`), the model's LANGUAGES (the
project's own mkdocs.yml), the Makefile (`python -m kb.content.languages` prints the codes). mkdocs.yml's
`extra: kb_languages:` adds, per language code:

- `fallback: [en]` — the reader's next-best languages: where a page is not (yet, or not correctly) in
  the reader's language, the first of these whose version of the page is current stands in for it, else
  the page's origin. Without it: the default language, then the origin.
- `joining: true` — a language being added (`make add-language`): until its translators remove the line,
  its untranslated interface text shows in the default language and its missing glossary terms are
  listed, neither stopping the build (README, "Adding a language").

`python -m kb.content.languages add` (make add-language CODE=de) sets up a new language: mkdocs.yml, docs/<code>/
with its home page to translate, and its interface catalog (pybabel init).
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

CONFIG = "mkdocs.yml"
PROJECT = Path(__file__).resolve().parents[3]
EXTRA_KEY = "kb_languages"
SETTINGS = ("fallback", "joining")
# mkdocs-static-i18n's form of a language code (its config.py): en, pt-BR, zh-Hant, en_US
CODE = re.compile(r"[a-z]{2}(?:-[A-Za-z]{4})?(?:-[A-Z]{2})?|[a-z]{2}_[A-Z]{2}", re.ASCII)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass
class Languages:
    codes: tuple[str, ...]                       # in mkdocs.yml's order, the default language first
    default: str
    fallback: dict[str, tuple[str, ...]] = field(default_factory=dict)   # code -> next-best languages
    joining: frozenset[str] = frozenset()
    problems: list[Problem] = field(default_factory=list)

    def order(self, lang: str) -> tuple[str, ...]:
        """The languages that stand in for `lang`, best first (the page's origin comes after them)."""
        if lang in self.fallback:
            return self.fallback[lang]
        return () if lang == self.default else (self.default,)

    @classmethod
    def load(cls, root: Path | None = None) -> "Languages":
        """The languages of the project at `root` (its mkdocs.yml); the five of this site when it has none."""
        return _load((root or PROJECT) / CONFIG, CONFIG, 0)


BUILT_IN = ("en", "el", "ru", "tr", "lt")   # only when no mkdocs.yml can be read (a bare docs/ tree)


def _load(path: Path, shown: str, depth: int) -> Languages:
    """The languages of the config file at `path`; one that lists none takes its INHERIT's (MkDocs' config
    inheritance: a benchmark's tree), and a tree without a mkdocs.yml of its own the project's."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = None
    found = parse(text, shown) if text is not None else None
    if found is not None:
        return found
    if text is not None and depth < 4:
        parent = _get(yaml.compose(text, Loader=ConfigLoader), "INHERIT")
        if isinstance(parent, yaml.ScalarNode) and parent.value:
            return _load(path.parent / parent.value, shown, depth + 1)
    if path.parent.resolve() != PROJECT and depth == 0:
        return _load(PROJECT / CONFIG, CONFIG, depth + 1)
    return Languages(BUILT_IN, BUILT_IN[0])


class ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as data: `!ENV` and `!!python/…` values are read as nothing (they are not about languages or
    hooks, what the project reads of it without MkDocs)."""


ConfigLoader.add_constructor(None, lambda loader, node: None)
ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _get(node, key: str):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _line(node) -> int:
    return node.start_mark.line + 1 if node is not None else 0


def _i18n_languages(root):
    """The node of the i18n plugin's `languages:` list (plugins may be a list or a mapping)."""
    plugins = _get(root, "plugins")
    if isinstance(plugins, yaml.MappingNode):
        return _get(_get(plugins, "i18n"), "languages")
    for entry in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        config = _get(entry, "i18n")
        if config is not None:
            return _get(config, "languages")
    return None


def parse(text: str, path: str = CONFIG) -> Languages | None:
    """The languages of a mkdocs.yml's text; None when it lists none (no i18n plugin's `languages:`)."""
    try:
        root = yaml.compose(text, Loader=ConfigLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Languages(BUILT_IN, BUILT_IN[0], problems=[Problem(path, mark.line + 1 if mark else 0, f"not valid YAML: {getattr(exc, 'problem', exc)}")])
    node = _i18n_languages(root)
    codes, default, problems = [], None, []
    for item in node.value if isinstance(node, yaml.SequenceNode) else []:
        locale = _get(item, "locale")
        code = locale.value if isinstance(locale, yaml.ScalarNode) else ""
        if not CODE.fullmatch(code):
            continue   # mkdocs-static-i18n refuses it itself, in its own words
        codes.append(code)
        flag = _get(item, "default")
        if isinstance(flag, yaml.ScalarNode) and flag.value.lower() == "true":
            default = code
    if not codes:
        return None
    default = default or codes[0]
    codes = [default, *(c for c in codes if c != default)]
    languages = Languages(tuple(codes), default, problems=problems)
    settings = _get(_get(root, "extra"), EXTRA_KEY)
    if settings is None:
        return languages
    if not isinstance(settings, yaml.MappingNode):
        problems.append(Problem(path, _line(settings), f"extra.{EXTRA_KEY} maps language codes to their settings, e.g. ru: {{fallback: [en]}}"))
        return languages
    joining = set()
    for key, value in settings.value:
        code = key.value if isinstance(key, yaml.ScalarNode) else ""
        where = f"extra.{EXTRA_KEY}.{code}"
        if code not in codes:
            problems.append(Problem(path, _line(key), f"{where}: '{code}' is not one of the languages of the i18n plugin ({', '.join(codes)})"))
            continue
        if not isinstance(value, yaml.MappingNode):
            problems.append(Problem(path, _line(value), f"{where}: give its settings as {{fallback: [...]}} or {{joining: true}}"))
            continue
        for name_node, setting in value.value:
            name = name_node.value if isinstance(name_node, yaml.ScalarNode) else ""
            if name == "fallback":
                order = [v.value for v in setting.value] if isinstance(setting, yaml.SequenceNode) and \
                    all(isinstance(v, yaml.ScalarNode) for v in setting.value) else None
                if order is None:
                    problems.append(Problem(path, _line(setting), f"{where}.fallback: a list of language codes, e.g. [en]"))
                elif any(o not in codes or o == code for o in order) or len(set(order)) != len(order):
                    wrong = next((o for o in order if o not in codes or o == code), order[0] if order else "")
                    problems.append(Problem(path, _line(setting), f"{where}.fallback: '{wrong}' cannot stand in for "
                                                                  f"'{code}' (other languages of the site, each once: "
                                                                  f"{', '.join(c for c in codes if c != code)})"))
                else:
                    languages.fallback[code] = tuple(order)
            elif name == "joining":
                if not (isinstance(setting, yaml.ScalarNode) and setting.value.lower() in ("true", "false")):
                    problems.append(Problem(path, _line(setting), f"{where}.joining: true or false"))
                elif setting.value.lower() == "true":
                    joining.add(code)
            else:
                problems.append(Problem(path, _line(name_node), f"{where}: unknown setting '{name}' (known: {', '.join(SETTINGS)})"))
    if default in joining:
        problems.append(Problem(path, _line(settings), f"extra.{EXTRA_KEY}.{default}: the default language cannot be joining"))
        joining.discard(default)
    languages.joining = frozenset(joining)
    return languages


# --- make add-language CODE=de -------------------------------------------------------------------------

class Refusal(Exception):
    """add-language will not add this language; the message is one line saying why."""


def add(root: Path, code: str) -> list[str]:
    """Set up language `code`: its entry in mkdocs.yml (joining, falling back to the default language),
    docs/<code>/index.md to translate (the home page as its origin has it), and its interface catalog from
    locales/messages.pot. Returns what was done, one line each; writes nothing when it refuses."""
    from babel import Locale, UnknownLocaleError

    if not CODE.fullmatch(code or ""):
        raise Refusal(f"'{code[:20]}' is not a language code: give CODE=de (ISO 639-1, e.g. de, fr, pt-BR)")
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise Refusal(f"'{code}' is not a language Babel (CLDR) knows: its names, plurals and numbers would be missing") from None
    config = root / CONFIG
    text = config.read_text(encoding="utf-8")
    languages = parse(text)
    if languages is None or languages.problems:
        raise Refusal(f"{CONFIG} lists no languages to add to, or has a problem (make status says which)")
    if code in languages.codes:
        raise Refusal(f"'{code}' is a language of the site already (mkdocs.yml: {', '.join(languages.codes)})")
    if (root / "docs" / code).exists():
        raise Refusal(f"docs/{code}/ exists already: move it away first")
    home = _home_page(root, languages)
    pot = root / "locales" / "messages.pot"
    if not pot.is_file():
        raise Refusal("locales/messages.pot is missing: make add-language extracts it first (run it through make)")
    new_text = _with_language(text, code, languages.default)
    done = []
    config.write_text(new_text, encoding="utf-8")
    done.append(f"{CONFIG}: added '{code}' to the i18n languages (joining; it falls back to {languages.default})")
    folder = root / "docs" / code
    folder.mkdir(parents=True)
    if home is not None:
        (folder / "index.md").write_bytes(_untranslated_copy(home.read_bytes()))
        done.append(f"docs/{code}/index.md: the home page to translate (a copy of {home.relative_to(root).as_posix()})")
    catalog = root / "locales" / code / "LC_MESSAGES" / "messages.po"
    if catalog.exists():
        done.append(f"{catalog.relative_to(root).as_posix()}: kept as it is")
    else:
        _init_catalog(root, pot, code)
        done.append(f"{catalog.relative_to(root).as_posix()}: the interface text to translate (pybabel init)")
    return done


def _home_page(root: Path, languages: Languages) -> Path | None:
    """The home page in its origin language (the default language's copy says which that is)."""
    from kb.content.model import ContentError, read_page

    default_home = root / "docs" / languages.default / "index.md"
    if not default_home.is_file():
        return None
    try:
        origin = read_page(default_home, f"docs/{languages.default}/index.md", languages.default, "index.md").origin
    except ContentError:
        return default_home
    home = root / "docs" / origin / "index.md"
    return home if origin in languages.codes and home.is_file() else default_home


_TRANSLATED_FROM = re.compile(rb"^translated_from[ \t]*:.*\n", re.M)


def _untranslated_copy(raw: bytes) -> bytes:
    """The page as a translation to make: its record of a translation (`translated_from`) removed, so
    that the status says it is not yet marked translated (make mark-current, once translated)."""
    end = raw.find(b"\n---", 3)
    if end < 0:
        return raw
    return _TRANSLATED_FROM.sub(b"", raw[:end + 1]) + raw[end + 1:]


def _with_language(text: str, code: str, default: str) -> str:
    """mkdocs.yml with the language appended to the i18n list and its settings under extra.kb_languages,
    written into the text (comments and layout stay as they are)."""
    root = yaml.compose(text, Loader=ConfigLoader)
    node = _i18n_languages(root)
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise Refusal(f"{CONFIG}: no i18n 'languages:' list to add the language to")
    lines = text.split("\n")
    last = node.value[-1]
    indent = " " * last.start_mark.column
    dash_column = max(0, lines[last.start_mark.line].rfind("-", 0, last.start_mark.column))
    end = _block_end(lines, last.start_mark.line, dash_column)
    entry = [f"{' ' * dash_column}- locale: {code}", f'{indent}name: ""   # filled in from CLDR by hooks/kb_hooks.py', f"{indent}build: true"]
    lines[end:end] = entry
    text = "\n".join(lines)
    # extra.kb_languages.<code>: joining, with the default language as the next best
    root = yaml.compose(text, Loader=ConfigLoader)
    extra = _get(root, "extra")
    settings = _get(extra, EXTRA_KEY)
    lines = text.split("\n")
    setting = f"{{fallback: [{default}], joining: true}}"
    if isinstance(settings, yaml.MappingNode) and settings.value:
        first = settings.value[0][0]
        column = first.start_mark.column
        at = _block_end(lines, settings.value[-1][0].start_mark.line, column)
        lines[at:at] = [f"{' ' * column}{code}: {setting}"]
    elif isinstance(extra, yaml.MappingNode) and extra.value:
        column = extra.value[0][0].start_mark.column
        at = _block_end(lines, extra.value[-1][0].start_mark.line, column)
        lines[at:at] = [f"{' ' * column}{EXTRA_KEY}:", f"{' ' * (column + 2)}{code}: {setting}"]
    else:
        raise Refusal(f"{CONFIG}: add an 'extra:' mapping first (e.g. extra: {{generator: false}})")
    return "\n".join(lines)


def _block_end(lines: list[str], start: int, column: int) -> int:
    """The index after the last line of the block that starts at line `start` (0-based) in `column`:
    where the next line at that column or less begins, blank and comment lines after the block excluded."""
    end = start + 1
    last = start
    while end < len(lines):
        line = lines[end]
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#"):
            if len(line) - len(stripped) <= column:
                break
            last = end
        end += 1
    return last + 1


def _init_catalog(root: Path, pot: Path, code: str) -> None:
    """pybabel init, as `make translations` runs it for a language without a catalog."""
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", "init", "--no-wrap", "-i", str(pot), "-d", str(root / "locales"),
                                "-l", code.replace("-", "_")])


def main(argv: list[str]) -> int:
    if argv[:1] == ["add"]:
        code = os.environ.get("CODE", "").strip()
        if not code:
            print("usage: make add-language CODE=de")
            return 2
        try:
            done = add(Path.cwd(), code)
        except Refusal as refusal:
            from kb.content.model import printable
            print(f"make add-language: {printable(str(refusal))}")
            return 1
        for line in done:
            print(line)
        print(f"next: translate docs/{code}/index.md and the catalog, fill in the glossary's '{code}:' terms, then "
              f"remove 'joining: true' for {code} in {CONFIG} (README, Adding a language)")
        return 0
    languages = Languages.load(Path.cwd())
    codes = [c for c in languages.codes if c != languages.default] if argv[:1] == ["--translated"] else languages.codes
    print(" ".join(codes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
