"""Compiled templates shared across builds (kb/generator/templates.py) give what compiling anew gives."""
from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from jinja2 import DictLoader, Environment, FileSystemLoader, nodes

from conftest import ROOT
from kb.content import locales
from kb.generator import templates

OVERRIDES = ROOT / "overrides"
GETTEXT_NAMES = {"_", "gettext", "ngettext", "pgettext", "npgettext", "ugettext", "ungettext"}


def test_an_edited_template_is_compiled_anew():
    sources = {"page.html": "one {{ x }}"}
    first = templates.shared(Environment(loader=DictLoader(sources)))
    assert first.get_template("page.html").render(x=1) == "one 1"
    sources["page.html"] = "two {{ x }}"
    second = templates.shared(Environment(loader=DictLoader(sources)))
    assert second.bytecode_cache is first.bytecode_cache
    assert second.get_template("page.html").render(x=1) == "two 1"


def test_environments_set_up_differently_do_not_share_code():
    sources = {"page.html": "{{ '<b>' }}{% trans %}Hello{% endtrans %}"}
    plain = templates.shared(Environment(loader=DictLoader(sources), extensions=["jinja2.ext.i18n"]))
    plain.install_null_translations()
    escaping = templates.shared(Environment(loader=DictLoader(sources), extensions=["jinja2.ext.i18n"], autoescape=True))
    escaping.install_null_translations()
    assert plain.bytecode_cache is not escaping.bytecode_cache
    assert plain.get_template("page.html").render() == "<b>Hello"
    assert escaping.get_template("page.html").render() == "&lt;b&gt;Hello"


def test_theme_files_are_listed_as_jinja_lists_them(tmp_path):
    from jinja2 import FileSystemLoader

    import material
    from pathlib import Path

    installed = str(Path(material.__file__).parent / "templates")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "new.css").write_text("", encoding="utf-8")
    env = templates.shared(Environment(loader=FileSystemLoader([str(tmp_path), installed])))
    expected = Environment(loader=FileSystemLoader([str(tmp_path), installed])).list_templates()
    assert env.list_templates() == expected and "assets/new.css" in expected
    (tmp_path / "assets" / "later.css").write_text("", encoding="utf-8")   # the project's folder: listed anew
    again = templates.shared(Environment(loader=FileSystemLoader([str(tmp_path), installed])))
    assert "assets/later.css" in again.list_templates()


# --- the templates' interface text (issue 26): no gettext call, so that another generator reads them ------

def template_sources() -> dict[str, str]:
    return {path.relative_to(OVERRIDES).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(OVERRIDES.rglob("*.html"))}


def calls(source: str, names: set[str]) -> list[tuple[str, object, int]]:
    """(name, first argument's value or None, line) of each call in a template to a function of `names`."""
    found = []
    for call in Environment().parse(source).find_all(nodes.Call):   # no i18n extension: {% trans %} fails
        if isinstance(call.node, nodes.Name) and call.node.name in names:
            first = call.args[0].value if call.args and isinstance(call.args[0], nodes.Const) else None
            found.append((call.node.name, first, call.lineno))
    return found


def test_no_template_calls_gettext():
    """Zensical stops on `_()` ("unknown function: _"); the text comes from kb_text through interface_text."""
    sources = template_sources()
    assert "404.html" in sources and "partials/path.html" in sources
    assert {name: calls(source, GETTEXT_NAMES) for name, source in sources.items() if calls(source, GETTEXT_NAMES)} == {}


def test_every_interface_text_of_the_templates_is_in_every_catalog():
    """make translations extracts interface_text('…') (the Makefile's -k): each text is a catalog entry, so
    every language translates it; a text built from a variable could not be extracted."""
    used = [(name, text, line) for name, source in template_sources().items()
            for _, text, line in calls(source, {"interface_text"})]
    assert len(used) >= 5 and all(isinstance(text, str) for _, text, _ in used), used
    for lang in ("el", "ru", "tr", "lt"):
        with locales.catalog_path(lang).open("rb") as handle:
            ids = {m.id for m in read_po(handle)}
        assert [text for _, text, _ in used if text not in ids] == [], lang


def macro_env(**globals_) -> Environment:
    env = Environment(loader=FileSystemLoader(str(OVERRIDES)))
    env.globals.update(globals_)
    return env


SAMPLE = '{% from "partials/kb-text.html" import interface_text %}[{{ interface_text("Page not found") }}]'


@pytest.mark.parametrize("lang", ["el", "ru", "tr", "lt"])
def test_interface_text_is_the_readers_language_from_kb_text(lang):
    text = locales.template_text(lang)
    page = macro_env(kb_text=text).from_string(SAMPLE).render()
    assert page == f"[{text['Page not found']}]" and page != "[Page not found]"


def test_interface_text_is_english_where_nothing_gives_kb_text():
    """A build without our hooks (make bench's, another generator's) shows the English text, not an error."""
    assert macro_env().from_string(SAMPLE).render() == "[Page not found]"
    assert macro_env(kb_text={}).from_string(SAMPLE).render() == "[Page not found]"
    assert macro_env(kb_text={"Other": "x <b>"}).from_string(SAMPLE).render() == "[Page not found]"
