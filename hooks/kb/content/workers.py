"""Parsing many pages on several CPUs: the first run of the checks on a large site (`make status` with no
cache of parsed pages, 1,000 pages per language) spends most of its time in model.parse_bytes, page by
page, independently, so the pages are split among forked worker processes.

Only where it pays and is safe: enough pages to parse (forking and sending Pages back costs about as
much as parsing a hundred), more than one CPU, a system that forks, and a process with one thread
(forking a threaded process can deadlock: `mkdocs serve` rebuilds beside its watcher and server threads;
its first build comes before they start). Anything else, or any failure of the pool, parses in this
process: the result is the same either way, as a test checks.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from kb.content.model import ContentError, parse_bytes, read_page

MIN_PAGES = 400            # below this, one process is faster
CHUNK = 200                # pages per task: small enough to balance the workers
MAX_WORKERS = 8

_jobs: list[tuple[bytes, str, str, str]] = []   # set before forking: the children inherit it, unsent


def parse_one(job: tuple[bytes, str, str, str]):
    """A Page, or a ContentError as ("error", path, line, message): the form kb/content/cache.py keeps."""
    return _outcome(parse_bytes, *job)


def parse_one_file(path: Path, display: str, lang: str, rel: str):
    """parse_one of a file, read here (read_page's message for a file that cannot be read)."""
    return _outcome(read_page, path, display, lang, rel)


def _outcome(parse, *args):
    try:
        return parse(*args)
    except ContentError as error:
        return ("error", error.path, error.line, error.message)


def _parse_chunk(start: int, stop: int) -> list:
    return [parse_one(job) for job in _jobs[start:stop]]


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not on Linux
        return os.cpu_count() or 1


def _workers(count: int) -> int:
    """How many processes to use for `count` pages: 1 means parse here."""
    if count < MIN_PAGES or os.environ.get("KB_WORKERS", "").strip() == "1":
        return 1
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() != 1:
        return 1
    return max(1, min(cpus(), MAX_WORKERS, count // (MIN_PAGES // 2)))


def parse_many(jobs: list[tuple[bytes, str, str, str]]) -> list:
    """parse_one of every job (raw bytes, path shown, language, docs-relative path), in order."""
    workers = _workers(len(jobs))
    if workers > 1:
        global _jobs
        _jobs = jobs
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                chunks = [pool.submit(_parse_chunk, start, min(start + CHUNK, len(jobs)))
                          for start in range(0, len(jobs), CHUNK)]
                return [outcome for chunk in chunks for outcome in chunk.result()]
        except (OSError, RuntimeError, EOFError, MemoryError):
            # e.g. a process limit reached, a worker killed: parse here instead
            pass
        finally:
            _jobs = []
    return [parse_one(job) for job in jobs]
