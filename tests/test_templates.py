"""Compiled templates shared across builds (kb/templates.py) give what compiling anew gives."""
from __future__ import annotations

from jinja2 import DictLoader, Environment

from kb import templates


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
