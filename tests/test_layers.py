"""The layers of hooks/kb/ (README, "Architecture"): the core knows nothing of MkDocs, only kb.generator and the
hooks do; each layer says what it is for; the hooks map events and do no HTML work of their own."""
from __future__ import annotations

import ast
import subprocess
import sys

from conftest import ENV, ROOT

KB = ROOT / "hooks" / "kb"
CORE = ("content", "checking", "translation", "rendering", "util")
EDGE = ("kb_hooks.py", "kb_search.py")


def _modules(package: str):
    return sorted((KB / package).glob("*.py"))


def _imports(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_layers_are_the_packages_of_kb():
    found = sorted(p.name for p in KB.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert found == sorted([*CORE, "generator"])
    assert not [p.name for p in KB.glob("*.py") if p.name != "__init__.py"], "every module belongs to a layer"


def test_the_core_loads_nothing_of_a_generator():
    modules = [f"kb.{package}.{path.stem}" for package in CORE for path in _modules(package) if path.stem != "__init__"]
    program = ("import importlib, sys\n"
               f"for name in {modules!r}: importlib.import_module(name)\n"
               "print(sorted({m.split('.')[0] for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'jinja2', 'mkdocs_static_i18n')}))")
    done = subprocess.run([sys.executable, "-c", program], env=ENV, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_no_core_module_imports_the_generator_layer():
    offenders = [f"{path.relative_to(ROOT)} imports {name}" for package in CORE for path in _modules(package)
                 for name in _imports(path) if name.startswith("kb.generator")]
    assert not offenders


def test_every_layer_and_module_says_what_it_is_for():
    undocumented = [str(path.relative_to(ROOT)) for path in KB.rglob("*.py")
                    if "__pycache__" not in path.parts and not ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))]
    assert not undocumented


def test_the_hooks_only_map_events():
    for name in EDGE:
        path = ROOT / "hooks" / name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # no HTML of their own: no markup in a string, no regular expressions, no escaping
        markup = [node.value for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str) and "<" in node.value
                  and node.value != ast.get_docstring(tree, clean=False)]
        assert not markup, f"{name}: {markup}"
        assert not {"re", "html"} & _imports(path), name
        # state: nothing but the build's run that the core hands them (no dictionaries or sets of their own)
        mutable = [ast.unparse(node) for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
                   and isinstance(node.value, (ast.Dict, ast.Set, ast.List, ast.Call))
                   and not (isinstance(node.value, ast.Call) and ast.unparse(node.value.func).startswith("logging."))
                   and not (isinstance(node.value, ast.Call) and ast.unparse(node.value.func) == "CombinedEvent")]
        assert not mutable, f"{name}: {mutable}"
        assert not [node.name for node in tree.body if isinstance(node, ast.ClassDef)], f"{name}: a class of state"
