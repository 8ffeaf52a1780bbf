"""What may be published (kb/checking/publish.py) and how `make build` publishes it: nothing from outside docs/,
nothing loaded from another host, one 404 page per language, site/ always one complete build."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ENV, ROOT, mkdocs_build, mkdocs_serve
from kb.content.model import DEFAULT_LANGUAGE, LANGUAGES
from kb.checking.publish import external_loads


def test_symlinks_that_leave_docs_are_refused_and_not_published(tree, tmp_path):
    root = tree()
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "id_rsa").write_text("PRIVATE KEY", encoding="utf-8")
    os.symlink(secret, root / "docs" / "en" / "keys")
    os.symlink(secret / "id_rsa", root / "docs" / "el" / "key.txt")
    os.symlink(root / "docs" / "en" / "missing.pdf", root / "docs" / "ru" / "form.pdf")   # dangling
    os.symlink(root / "docs" / "en" / "index.md", root / "docs" / "tr" / "same.md.txt")    # inside docs: fine
    result = mkdocs_build(root, strict=False)
    assert "Traceback" not in result.output
    warnings = [line.split("-", 1)[1].strip() for line in result.lines if line.startswith("WARNING")]
    assert f"docs/en/keys: a symbolic link to '{secret}', outside docs/: it is not published; copy what it should show into docs/" in warnings
    assert any(w.startswith("docs/el/key.txt: a symbolic link to") and "outside docs/" in w for w in warnings)
    assert any(w.startswith("docs/ru/form.pdf: a symbolic link to") and "which does not exist" in w for w in warnings)
    assert not any("same.md.txt" in w for w in warnings)
    published = [p for p in (root / "site").rglob("*") if p.is_file()]
    assert published and not any("PRIVATE KEY" in p.read_text(encoding="utf-8", errors="replace") for p in published)
    assert mkdocs_build(root).returncode != 0


def test_external_loads_are_found_in_html():
    page = """<p>text</p><a href="https://example.com/">a link is fine</a>
<script src="https://cdn.example.com/x.js"></script><img alt="" src='http://pics.example.com/a.png'>
<img srcset="a.png 1x, //img.example.com/b.png 2x"><link rel="stylesheet" href="https://fonts.example.com/css">
<link rel="alternate" href="https://other.example.com/el/"><div style="background: url(https://bg.example.com/x.png)"></div>
<pre class="mermaid"><code>graph LR; a-->b</code></pre><img src="../assets/local.png"><script src="/assets/x.js"></script>
<img src="http://kb.intranet/own.png">"""
    found = external_loads(page, "kb.intranet")
    assert found == ["<script src> loads https://cdn.example.com/x.js", "<img src> loads http://pics.example.com/a.png",
                     "<img srcset> loads //img.example.com/b.png", "<link href> loads https://fonts.example.com/css",
                     "a style loads https://bg.example.com/x.png",
                     "a mermaid diagram (Material loads mermaid from unpkg.com)"]
    assert external_loads("<img src=x onerror=alert(1)>" * 20_000) == []   # linear, and not external


@pytest.mark.parametrize("before", ["", "<p>İstanbul</p>"])   # İ lowers to two characters
def test_styles_in_any_case_are_found(before):
    page = before + """<STYLE media="print">a{background:url(//cdn.example.com/b.png)} .style{}</STYLE>
<p Style = 'color: red; background: URL("https://e.example.com/c.png")'>x</p><p data-style="url(//no.example.com)">
<link rel="stylesheet" href="/assets/own.css"><p style="background:url(/own.png)">"""
    assert external_loads(page) == ["a style loads //cdn.example.com/b.png", "a style loads https://e.example.com/c.png"]
    assert external_loads("style=" * 50_000 + "<style>" * 50_000) == []   # linear


def test_a_page_that_would_load_from_another_host_fails_the_strict_build(tree):
    root = tree()
    page = root / "docs" / "lt" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n<pre class="mermaid">graph LR; a-->b</pre>\n\n'
                    '<img src="https://tracker.example.com/p.gif" alt="">\n', encoding="utf-8")
    result = mkdocs_build(root)
    assert result.returncode != 0
    assert "docs/lt/index.md: a mermaid diagram (Material loads mermaid from unpkg.com); the intranet cannot reach other hosts" in result.output
    assert "docs/lt/index.md: <img src> loads https://tracker.example.com/p.gif; the intranet cannot reach other hosts" in result.output


def test_each_language_has_its_own_404_page(site_dir):
    assert '<html lang="en"' in (site_dir / "404.html").read_text(encoding="utf-8")
    for lang in ("el", "ru", "tr", "lt"):
        text = (site_dir / lang / "404.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in text and "Page not found" not in text and f'href="/{lang}/"' in text
    homes = {lang: "/" if lang == DEFAULT_LANGUAGE else f"/{lang}/" for lang in LANGUAGES}
    for lang in LANGUAGES:
        page = site_dir / homes[lang].lstrip("/") / "404.html"
        # its language menu leads to each language's home page (not to the last page the build made)
        menu = dict((code, href) for href, code in re.findall(
            r'<a href="([^"]*)" hreflang="([a-z]+)" class="md-select__link"', page.read_text(encoding="utf-8")))
        assert menu == homes, (page, menu)


# --- make build: a lock and a folder of its own ---------------------------------------------------

def project_copy(dest: Path) -> Path:
    for name in ("docs", "hooks", "overrides", "locales"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    for name in ("mkdocs.yml", "Makefile", "requirements.lock", "babel.cfg"):
        shutil.copy2(ROOT / name, dest / name)   # keeps the lock file's time: no reinstall
    return dest


def make(target: str, cwd: Path, **env) -> subprocess.Popen:
    return subprocess.Popen(["make", "-s", target, f"VENV={ROOT / '.venv'}"], cwd=cwd, env={**ENV, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_two_builds_at_once_leave_one_complete_site(tmp_path):
    project = project_copy(tmp_path)
    first, second = make("build", project), make("build", project)
    outputs = [p.communicate(timeout=600)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert any("another build is running here; waiting for it to finish" in o for o in outputs), outputs
    assert all(o.count("site/ is ready") == 1 for o in outputs)
    assert all("warning: KB_SITE_URL is not set" in o for o in outputs)
    pages = sorted(p.relative_to(project / "docs" / "en").with_suffix("").as_posix()
                   for p in (project / "docs" / "en").rglob("*.md"))
    for lang in ("", "el/", "ru/", "tr/", "lt/"):
        for page in pages:
            folder = page[: -len("index")] if page.endswith("index") else page + "/"
            assert (project / "site" / f"{lang}{folder}" / "index.html").exists(), (lang, page)
        assert (project / "site" / lang / "404.html").exists()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site"]


def test_a_build_that_stops_leaves_site_as_it_was(tmp_path):
    project = project_copy(tmp_path)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("the site as it was", encoding="utf-8")
    po = project / "locales" / "ru" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace("из {total}\"", "из {всего}\""), encoding="utf-8")
    build = make("build", project, KB_SITE_URL="http://kb.example/")
    output = build.communicate(timeout=600)[0]
    assert build.returncode != 0 and "site/ is ready" not in output and "KB_SITE_URL" not in output
    assert "make build: stopped; site/ is as it was" in output
    assert [p.name for p in (project / "site").iterdir()] == ["index.html"]
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site"]


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        serve = subprocess.run(["make", "-s", "serve", f"PORT={port}"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=60)
    assert serve.returncode != 0
    assert serve.stdout.strip() == (f"make serve: port {port} is already in use (another make serve?): choose another, "
                                    f"e.g. make serve PORT=8001")


def test_serve_stops_serving_a_deleted_page(tree):
    """`mkdocs serve` (as make serve runs it, with livereload) answers 404 once a page is deleted."""
    root = tree()

    def wait_for(base: str, path: str, code: int) -> bool:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if http_status(base + path) == code:
                return True
            time.sleep(0.5)
        return False

    with mkdocs_serve(root, livereload=True) as (base, _):
        assert wait_for(base, "/el/checklists/keys/", 200)
        for lang in ("en", "el", "ru", "tr", "lt"):
            (root / "docs" / lang / "checklists" / "keys.md").unlink()
        assert wait_for(base, "/el/checklists/keys/", 404)
        assert http_status(base + "/checklists/keys/") == 404


def http_status(url: str) -> int | None:
    try:
        return urllib.request.urlopen(url, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None
