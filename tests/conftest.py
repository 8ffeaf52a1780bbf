"""Shared fixtures: tiny content trees built from tests/fixtures, and one strict build of the real site."""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BASE = FIXTURES / "base"
CASES = FIXTURES / "cases"
# `make test` runs pytest inside make: its MAKELEVEL and MAKEFLAGS would make every `make` a test runs print
# "Entering directory"; tests run make as a person does from a shell.
ENV = {**{name: value for name, value in os.environ.items() if name not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")},
       "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "hooks")}


@dataclass
class Run:
    returncode: int
    output: str           # stdout and stderr together, as a person sees them

    @property
    def lines(self) -> list[str]:
        return self.output.splitlines()


def run(args: list[str], cwd: Path) -> Run:
    done = subprocess.run(args, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=600)
    return Run(done.returncode, done.stdout)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does, `!ENV [NAME, default]` giving the default."""


_ConfigLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


class _PythonTag:
    """A `!!python/...` value of mkdocs.yml (e.g. toc's slugify), kept as it is for the copied config."""

    def __init__(self, tag: str, node: yaml.Node):
        self.tag, self.node = tag, node


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/",
                                    lambda loader, suffix, node: _PythonTag(node.tag, node))


class _ConfigDumper(yaml.SafeDumper):
    pass


_ConfigDumper.add_representer(_PythonTag, lambda dumper, value: value.node)


def site_config(docs_dir: Path, **overrides) -> dict:
    """The project's mkdocs.yml, pointed at another docs folder (no nav: fixture trees have other pages)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    config["docs_dir"] = str(docs_dir)
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["hooks"] = [str(ROOT / "hooks" / "kb_hooks.py")]
    config.pop("nav", None)
    config.update(overrides)
    return config


def make_tree(dest: Path, case: str | None = None) -> Path:
    """Copy the base fixture tree to dest, lay a case's files over it, delete what its DELETE file lists."""
    shutil.copytree(BASE / "docs", dest / "docs")
    if case:
        overlay = CASES / case
        assert overlay.is_dir(), f"no fixture case {case}"
        if (overlay / "docs").is_dir():
            shutil.copytree(overlay / "docs", dest / "docs", dirs_exist_ok=True)
        delete = overlay / "DELETE"
        if delete.exists():
            for line in delete.read_text(encoding="utf-8").split():
                target = dest / "docs" / line
                shutil.rmtree(target) if target.is_dir() else target.unlink()
    shutil.copytree(ROOT / "locales", dest / "locales", ignore=shutil.ignore_patterns("*.mo", "*.pot"))
    (dest / "mkdocs.yml").write_text(yaml.dump(site_config(dest / "docs"), Dumper=_ConfigDumper, allow_unicode=True), encoding="utf-8")
    return dest


@contextlib.contextmanager
def mkdocs_serve(root: Path, wait: float = 180, livereload: bool = False):
    """`mkdocs serve` on a tree, on a free port (other processes may serve on the usual ones): yields the
    address and what it printed up to "Serving on"; stopped on leaving. `livereload`: as `make serve` runs
    it, rebuilding when a file changes."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"),
                             "--dev-addr", f"127.0.0.1:{port}", "--livereload" if livereload else "--no-livereload"],
                            cwd=root, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = []
    try:
        deadline = time.monotonic() + wait
        for line in proc.stdout:
            output.append(line)
            if "Serving on" in line or time.monotonic() > deadline:
                break
        yield f"http://127.0.0.1:{port}", "".join(output)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def mkdocs_build(tree: Path, site: Path | None = None, strict: bool = True) -> Run:
    args = [sys.executable, "-m", "mkdocs", "build", "-f", str(tree / "mkdocs.yml"), "-d", str(site or tree / "site")]
    return run(args + (["--strict"] if strict else []), cwd=tree)


def status(tree: Path) -> Run:
    return run([sys.executable, "-m", "kb.translation.status"], cwd=tree)


def nav_sorted(corpus, rels) -> list[str]:
    """Pages in the order their front matter asks for: `nav_order` of the origin version, then slug."""
    def key(rel):
        origin = next((p for (lang, r), p in corpus.pages.items() if r == rel and p.origin == lang), None)
        order = origin.meta.get("nav_order") if origin is not None else None
        return (0, order, rel) if isinstance(order, int) else (1, 0, rel)
    return sorted(rels, key=key)


def checklists_of(corpus, lang: str) -> list[str]:
    """Every checklist a language shows (docs-relative), its own and, where it lacks one, its stand-in's (a page
    written in one language only is in every language's pack), in navigation order: what the print pack holds."""
    return nav_sorted(corpus, [rel for rel in corpus.rels
                               if (page := corpus.shown(lang, rel)) is not None and page.type == "checklist"])


@pytest.fixture
def tree(tmp_path):
    """A factory: tree("step-missing") gives a fresh fixture tree with that case applied."""
    return lambda case=None: make_tree(tmp_path / (case or "base"), case)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> tuple[Path, Run]:
    """The real site, built once per test session, strict, into a temporary folder."""
    site = tmp_path_factory.mktemp("site")
    result = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT)
    assert result.returncode == 0, result.output
    return site, result


@pytest.fixture(scope="session")
def site_dir(built_site) -> Path:
    return built_site[0]


# --- a real browser: Playwright for Python driving Debian's Chromium ---------------------------------

CHROMIUM = Path(os.environ.get("KB_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--font-render-hinting=none"]


def _browser_missing(reason: str):
    # In CI (.ci/run sets KB_REQUIRE_BROWSER=1) a missing browser fails the run; elsewhere it skips.
    if os.environ.get("KB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required but {reason}", pytrace=False)
    pytest.skip(f"{reason} (apt-get install chromium poppler-utils to run browser and print tests)")


@pytest.fixture(scope="session")
def served_site(site_dir):
    """The built site over HTTP on 127.0.0.1, as the intranet serves it; yields the base URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class QuietServer(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass   # a tab closed mid-download (BrokenPipe) is not a test failure

    handler = functools.partial(Quiet, directory=str(site_dir))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _browser_missing(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_missing("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh tab; requests to any host but 127.0.0.1 are recorded and blocked (the intranet has no internet)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.external_requests = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            request_route.continue_()
        else:
            tab.external_requests.append(url)
            request_route.abort()

    context.route("**/*", route)
    yield tab
    context.close()
