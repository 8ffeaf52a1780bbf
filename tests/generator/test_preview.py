"""One-language preview (`make serve LANG=ru`, kb/generator/preview.py): that language alone is built, in its usual
folder, with a banner saying so; the checks still cover every language; an unknown language gets one line."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ENV, ROOT
from kb.content.model import LANGUAGES


def make(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, env=env or ENV,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("value", ["xx", "ru el", "EN"])
def test_an_unknown_language_gets_one_line_listing_the_five(value):
    done = make("serve", f"LANG={value}")
    assert done.returncode != 0
    lines = (done.stdout + done.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert f"unknown language '{value}'" in lines[0] and " ".join(LANGUAGES) in lines[0]


def test_lang_on_the_command_line_is_the_language_and_not_passed_on_as_the_locale():
    assert 'KB_ONLY_LANGUAGE="ru"' in make("-n", "serve", "LANG=ru").stdout
    assert 'KB_ONLY_LANGUAGE="lt"' in make("-n", "serve", "ONLY=lt").stdout
    # LANG from the environment is the locale (en_US.UTF-8), not a preview language
    assert 'KB_ONLY_LANGUAGE=""' in make("-n", "serve", env={**ENV, "LANG": "en_US.UTF-8"}).stdout


def test_kb_only_language_set_by_hand_is_checked_too(tree):
    root = tree()
    env = {**ENV, "KB_ONLY_LANGUAGE": "xx"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"),
                           "-d", str(root / "site")], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    assert lines == ["unknown language 'xx' in KB_ONLY_LANGUAGE: a one-language preview takes one of "
                     + ", ".join(LANGUAGES)]
    assert not (root / "site" / "index.html").exists()


def build_one(root, lang: str) -> str:
    env = {**ENV, "KB_ONLY_LANGUAGE": lang}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml"),
                           "-d", str(root / "site")], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_one_language_is_built_with_a_banner_and_checks_cover_every_language(tree):
    root = tree("step-missing")          # the Greek page lacks a step of its Russian origin
    output = build_one(root, "ru")
    site = root / "site"
    # only Russian pages, in their usual folder; the site's root sends the reader there
    pages = {p.relative_to(site).as_posix() for p in site.rglob("index.html")}
    assert "ru/playbooks/gift/index.html" in pages and "ru/index.html" in pages
    assert not any(p.startswith(tuple(f"{lang}/" for lang in LANGUAGES if lang != "ru")) for p in pages)
    assert "playbooks/gift/index.html" not in pages
    assert 'url=ru/' in (site / "index.html").read_text(encoding="utf-8")
    page = (site / "ru" / "playbooks" / "gift" / "index.html").read_text(encoding="utf-8")
    assert "md-banner" in page and "Предпросмотр только этого языка" in page
    # the checks read every language: the Greek page's problem against its Russian origin is reported
    assert "docs/el/playbooks/gift.md:17: step 2 'fix-it-fast' is missing" in output
    assert "read and checked 25 pages in 5 languages" in output


def test_the_real_site_in_one_language_has_its_search_index(tmp_path):
    env = {**ENV, "KB_ONLY_LANGUAGE": "el"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    index = json.loads((tmp_path / "site" / "el" / "search" / "search_index.json").read_text(encoding="utf-8"))
    folder = tmp_path / "site" / "el"
    built = {"" if p.parent == folder else p.parent.relative_to(folder).as_posix() + "/" for p in folder.rglob("index.html")}
    assert {doc["location"].split("#")[0] for doc in index["docs"]} <= built
    assert "playbooks/angry-customer/" in {doc["location"] for doc in index["docs"]}
    root_index = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert root_index["docs"] == []     # no English page was built


def test_the_default_language_alone_has_no_banner_in_a_full_build(tree):
    root = tree()
    build_one(root, "en")
    site = root / "site"
    assert (site / "index.html").is_file() and not (site / "el").exists()
    assert "Preview of this language only" in (site / "index.html").read_text(encoding="utf-8")
    env = {key: value for key, value in ENV.items() if key != "KB_ONLY_LANGUAGE"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"),
                           "-d", str(root / "full")], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert all((root / "full" / lang / "index.html").is_file() for lang in LANGUAGES if lang != "en")
    assert "md-banner" not in (root / "full" / "index.html").read_text(encoding="utf-8")


def test_polling_waits_while_a_rebuild_runs_and_sees_what_was_saved_during_it(tmp_path):
    """mkdocs serve's file polling takes Python's lock from a rebuild: it waits while the build runs, and a file
    saved during the build is seen by the first look after it."""
    import threading
    import time
    from types import SimpleNamespace

    from watchdog.events import FileSystemEventHandler
    from watchdog.observers.polling import PollingObserver

    from kb.generator import preview

    seen, during = threading.Event(), []
    handler = FileSystemEventHandler()
    handler.on_any_event = lambda event: None if event.is_directory else seen.set()
    observer = PollingObserver(timeout=0.05)
    observer.schedule(handler, str(tmp_path), recursive=True)

    def build():
        (tmp_path / "saved.md").write_text("# Saved during the build\n", encoding="utf-8")
        during.append(seen.wait(0.5))   # ten polling intervals: no look while the build runs
        return "built"

    server = SimpleNamespace(observer=observer, builder=build)
    assert preview.pause_polling_while_building(server)
    assert not preview.pause_polling_while_building(server)   # once, however often on_serve runs
    observer.start()
    try:
        (tmp_path / "probe.md").write_text("# Probe\n", encoding="utf-8")   # the polling is looking
        assert seen.wait(10)
        time.sleep(0.2)
        seen.clear()
        assert server.builder() == "built"
        assert during == [False]
        assert seen.wait(5)
    finally:
        observer.stop()
        observer.join()


def fake_server(folder, poll_seconds):
    """What kb.generator.preview reads of MkDocs' LiveReloadServer: its polling, its watched paths, its rebuild flag."""
    import threading
    from types import SimpleNamespace

    from watchdog.events import FileSystemEventHandler
    from watchdog.observers.polling import PollingObserver

    server = SimpleNamespace(observer=PollingObserver(timeout=poll_seconds), _watched_paths={str(folder): 1},
                             _rebuild_cond=threading.Condition(), _want_rebuild=False, builder=None)

    def polled(event):   # as MkDocs' own handler
        if not event.is_directory:
            with server._rebuild_cond:
                server._want_rebuild = True
                server._rebuild_cond.notify_all()
    handler = FileSystemEventHandler()
    handler.on_any_event = polled
    server.observer.schedule(handler, str(folder), recursive=True)
    return server


def wanted(server, seconds: float) -> bool:
    with server._rebuild_cond:
        return server._rebuild_cond.wait_for(lambda: server._want_rebuild, timeout=seconds)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux's")
def test_a_save_is_noticed_at_once_a_read_is_not_and_a_build_is_not_seen_as_a_save(tmp_path):
    import time

    from kb.generator import preview

    (tmp_path / "el").mkdir()
    page = tmp_path / "el" / "page.md"
    page.write_text("# Σελίδα\n", encoding="utf-8")
    server = fake_server(tmp_path, poll_seconds=0.05)
    built = []

    def build():
        built.append(page.read_text(encoding="utf-8"))   # a build reads every page
        time.sleep(0.2)
    server.builder = build
    assert preview.notice_saves_at_once(server)
    assert not preview.notice_saves_at_once(server)   # once
    assert preview.pause_polling_while_building(server)
    server.observer.start()
    try:
        time.sleep(0.3)   # the polling's first look
        page.read_text(encoding="utf-8")
        assert not wanted(server, 0.3)   # reading a page is not a save
        with server.observer.emitters.copy().pop()._lock:   # the polling cannot look: only the system's report can tell
            page.write_text("# Σελίδα\n\nΑλλαγή.\n", encoding="utf-8")
            assert wanted(server, 2)
            with server._rebuild_cond:   # as MkDocs' build loop: once the save's reports stop for 0.1 s, it builds
                while server._rebuild_cond.wait(timeout=0.1):
                    pass
                server._want_rebuild = False
        server.builder()
        assert built == ["# Σελίδα\n\nΑλλαγή.\n"]
        # The build read the save: the polling's next looks do not see it as a change (no second build of it), nor
        # does the system report the build's reads.
        assert not wanted(server, 0.5)
    finally:
        server.observer.stop()
        server.kb_notifier.stop()


def test_make_serve_lang_serves_a_save_with_one_rebuild(tree, tmp_path):
    """A real `mkdocs serve` of one language, as `make serve LANG=el` runs it: a saved page is served changed after one
    rebuild (not a second one for the same save, whether the system or the polling saw it first)."""
    import socket
    import time
    import urllib.request

    root = tree(None)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(root / "mkdocs.yml"), "--livereload",
                                   "--dev-addr", f"127.0.0.1:{port}"], cwd=root, env={**ENV, "KB_ONLY_LANGUAGE": "el"},
                                  stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/el/playbooks/gift/"

    def page() -> str:
        try:
            return urllib.request.urlopen(url, timeout=30).read().decode("utf-8")
        except OSError:
            return ""

    def builds() -> int:
        return log.read_text(encoding="utf-8").count("Documentation built in")
    try:
        deadline = time.monotonic() + 120
        while "<h1" not in page():
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.2)
        time.sleep(1)
        assert builds() == 1
        gift, saved = root / "docs/el/playbooks/gift.md", tmp_path / "gift.md"
        saved.write_text(gift.read_text(encoding="utf-8").replace("\n## 1.", "\nΑποθηκεύτηκε τώρα.\n\n## 1.", 1),
                         encoding="utf-8")
        os.replace(saved, gift)   # saved in one step, as many editors save (a busy machine cannot split the save)
        deadline = time.monotonic() + 60
        while "Αποθηκεύτηκε τώρα." not in page():
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")[-3000:]
            time.sleep(0.1)
        time.sleep(2)   # four looks of the polling
        assert builds() == 2, log.read_text(encoding="utf-8")[-3000:]
    finally:
        server.terminate()
        server.wait(timeout=30)
