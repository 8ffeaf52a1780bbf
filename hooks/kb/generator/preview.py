"""One-language preview: `make serve LANG=ru` builds and serves Russian alone (README, Performance).

The Makefile passes the language as KB_ONLY_LANGUAGE; the hooks (kb_hooks.on_config) then tell
mkdocs-static-i18n to build that language only, in its own folder as usual, so that a save is served
after one language's build instead of five. The checks still read every language (kb.content.corpus), so a
translator sees every problem of their language, including against its origin.
The Makefile refuses an unknown language before `mkdocs serve` starts, in one line listing the
languages; the hooks do the same for KB_ONLY_LANGUAGE set by hand.
"""
from __future__ import annotations

import contextlib
import os

from kb.content.model import DEFAULT_LANGUAGE, LANGUAGES, printable

VARIABLE = "KB_ONLY_LANGUAGE"


def requested() -> str | None:
    """The language asked for, or None for a preview of every language."""
    return os.environ.get(VARIABLE, "").strip() or None


class PreviewError(Exception):
    """The preview cannot be built; the message is one line saying why."""


def choose_language(i18n) -> None:
    """on_config: with KB_ONLY_LANGUAGE, mkdocs-static-i18n builds that language only, starting with it (it would
    start with the default language), into its usual folder."""
    only = requested()
    if only is None:
        return
    if i18n is None or only not in i18n.all_languages:
        raise PreviewError(unknown(only, i18n.all_languages if i18n else [DEFAULT_LANGUAGE]))
    for language in i18n.config.languages:
        language.build = language.locale == only
    if i18n.current_language is None:   # before i18n's own on_config (priority -100) picks the default
        i18n.current_language = only


def unknown(value: str, languages=LANGUAGES) -> str:
    return f"unknown language '{value}' in {VARIABLE}: a one-language preview takes one of {', '.join(languages)}"



# `mkdocs serve` looks for saved files by polling every half second (watchdog's PollingObserver), a
# quarter of a second of waiting on average before a rebuild starts: a third of a one-language rebuild.
# Polling reads the times of every watched file (all languages, also in the preview); up to this many
# pages it costs a few milliseconds, cheap enough to do every tenth of a second.
QUICK_POLL_SECONDS = 0.1
QUICK_POLL_MAX_PAGES = 1000   # files of all languages


def poll_quickly(server, pages: int) -> bool:
    """Make `mkdocs serve` look for changes every tenth of a second (watchdog keeps the interval as
    `_timeout` on its observer, for watches added later, and on each emitter)."""
    observer = getattr(server, "observer", None)
    if pages > QUICK_POLL_MAX_PAGES or observer is None or not hasattr(observer, "_timeout"):
        return False
    observer._timeout = QUICK_POLL_SECONDS
    for emitter in list(getattr(observer, "emitters", ())):
        if hasattr(emitter, "_timeout"):
            emitter._timeout = QUICK_POLL_SECONDS
    return True


def pause_polling_while_building(server) -> bool:
    """While a rebuild runs, the polling waits: a look over thousands of files every half second takes Python's
    lock from the build (a tenth of a rebuild at 5,000 files). The first look after the build compares with
    the last one before it, so a file saved during the build is seen then, as it would have been. Where the system
    reports saves (notice_saves_at_once), a build starts from the polling's view of the files taken anew: what
    it builds is not seen as a change after it (a second build of the same save)."""
    observer, build = getattr(server, "observer", None), getattr(server, "builder", None)
    if observer is None or build is None or getattr(build, "kb_paused", False):
        return False

    def build_without_polling(*args, **kwargs):
        with contextlib.ExitStack() as paused:
            emitters = list(getattr(observer, "emitters", ()))
            for emitter in emitters:
                lock = getattr(emitter, "_lock", None)   # watchdog's PollingEmitter holds it while it looks
                if lock is not None:
                    paused.enter_context(lock)
            if getattr(server, "kb_notifier", None) is not None:
                for emitter in emitters:
                    look = getattr(emitter, "_take_snapshot", None)
                    if look is not None and hasattr(emitter, "_snapshot"):
                        emitter._snapshot = look()
                # What was reported until now is on disk now, and this build reads it.
                with server._rebuild_cond:
                    server._want_rebuild = False
            return build(*args, **kwargs)
    build_without_polling.kb_paused = True
    server.builder = build_without_polling
    return True


def notice_saves_at_once(server) -> bool:
    """Where the system reports changed files itself (inotify, on Linux), a save starts a rebuild at once, not at the
    polling's next look (a quarter of a second on average, and at 5,000 files a tenth more to look). MkDocs polls
    because such reports do not reach it on every file system (network and container mounts): the polling stays
    (pause_polling_while_building), so a save is seen either way. Folders only; a watched file (mkdocs.yml) is
    polled."""
    folders = [path for path in getattr(server, "_watched_paths", {}) if os.path.isdir(path)]
    if not folders or getattr(server, "kb_notifier", None) is not None or not hasattr(server, "_rebuild_cond"):
        return False
    try:
        from watchdog.events import (FileClosedEvent, FileCreatedEvent, FileDeletedEvent, FileModifiedEvent,
                                     FileMovedEvent, FileSystemEventHandler)
        from watchdog.observers.inotify import InotifyObserver
    except (ImportError, OSError):   # not Linux
        return False
    # Only writes are asked of the system: a build opens and reads thousands of pages, and each reported read would
    # cost the build Python's lock.
    writes = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent]
    written = {kind.event_type for kind in writes}   # (the system also reports new folders, to watch them)

    def saved(event):
        if event.event_type in written and not event.is_directory:
            with server._rebuild_cond:
                server._want_rebuild = True
                server._rebuild_cond.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = saved
    notifier = InotifyObserver()
    try:
        for folder in folders:
            notifier.schedule(handler, folder, recursive=True, event_filter=writes)
        notifier.start()
    except OSError:   # no inotify here, or its limit of watches reached: the polling alone
        notifier.stop()
        return False
    server.kb_notifier = notifier
    return True


def port_problem(value: str) -> str | None:
    """Why `make serve PORT=…` cannot serve on that port of 127.0.0.1, or None."""
    import socket
    if not (value.isascii() and value.isdigit() and 0 < int(value) < 65536):
        return f"make serve: PORT '{printable(value, 40)}' is not a port number: choose one, e.g. make serve PORT=8001"
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", int(value)))
    except OSError:
        return f"make serve: port {value} is already in use (another make serve?): choose another, e.g. make serve PORT=8001"
    return None


if __name__ == "__main__":   # make serve, before mkdocs starts: PORT comes in the environment, as typed
    import sys
    problem = port_problem(os.environ.get("PORT", "8000"))
    if problem:
        print(problem)
    sys.exit(1 if problem else 0)
