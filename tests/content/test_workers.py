"""kb/content/workers.py: pages parsed in forked workers give exactly what parsing in one process gives."""
from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

import kb.content.workers as workers
from conftest import CASES, ENV, ROOT

# Run in a child process of its own: it has one thread (pytest's may have more, and then no fork is
# made), and the thresholds are lowered so that a small tree is split among workers too.
LOAD = """
import json, os, sys
from pathlib import Path
import kb.content.workers as workers
from kb.content.corpus import Corpus

root = Path(sys.argv[1])
def outcome(corpus):
    return [sorted((f"{lang}/{rel}", repr(page)) for (lang, rel), page in corpus.pages.items()),
            sorted((f"{lang}/{rel}", str(error)) for (lang, rel), error in corpus.broken.items()),
            [(p.path, p.line, p.message, p.kind) for p in corpus.problems]]

os.environ["KB_WORKERS"] = "1"
serial = outcome(Corpus.load(root / "docs", root, cache=False))
del os.environ["KB_WORKERS"]
workers.MIN_PAGES, workers.CHUNK = 2, 3
workers.cpus = lambda: 2
parallel_many = workers.parse_many
seen = []
def observed(jobs):
    seen.append(workers._workers(len(jobs)))
    return parallel_many(jobs)
workers.parse_many = observed   # kb/content/cache.py calls it through the module
parallel = outcome(Corpus.load(root / "docs", root, cache=False))
print(json.dumps({"same": serial == parallel, "workers": seen, "pages": len(serial[0]), "broken": len(serial[1]),
                  "problems": len(serial[2])}))
"""


def load_both(root) -> dict:
    done = subprocess.run([sys.executable, "-c", LOAD, str(root)], env=ENV, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_real_site_parsed_in_workers_equals_one_process(tmp_path):
    result = load_both(ROOT)
    assert result["workers"] == [2], "the real site's pages were not split among workers"
    assert result["pages"] > 0 and result["same"]


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_fixture_trees_parsed_in_workers_equal_one_process(tree, case):
    """Broken pages too: their errors come back from the workers with the same file, line and message."""
    result = load_both(tree(case))
    assert result["workers"] == [2] and result["pages"] + result["broken"] > 0
    assert result["same"]


def test_few_pages_threads_or_one_cpu_parse_here(monkeypatch):
    monkeypatch.setattr(workers, "cpus", lambda: 4)
    assert workers._workers(workers.MIN_PAGES - 1) == 1
    assert workers._workers(10 * workers.MIN_PAGES) > 1 or threading.active_count() > 1
    monkeypatch.setattr(workers, "cpus", lambda: 1)
    assert workers._workers(10 * workers.MIN_PAGES) == 1
    monkeypatch.setattr(workers, "cpus", lambda: 4)
    monkeypatch.setenv("KB_WORKERS", "1")
    assert workers._workers(10 * workers.MIN_PAGES) == 1


def test_a_second_thread_means_no_fork(monkeypatch):
    """Forking a process with other threads (mkdocs serve's watcher and server) can deadlock the child."""
    monkeypatch.setattr(workers, "cpus", lambda: 4)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert workers._workers(10 * workers.MIN_PAGES) == 1
    finally:
        stop.set()
        other.join()


def test_a_failing_pool_parses_here(monkeypatch):
    class NoProcesses:
        def __init__(self, *args, **kwargs):
            raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", NoProcesses)
    monkeypatch.setattr(workers, "_workers", lambda count: 2)
    page = (ROOT / "docs" / "en" / "index.md").read_bytes()
    jobs = [(page, "docs/en/index.md", "en", "index.md"), (b"\xff", "docs/en/x.md", "en", "x.md")]
    parsed = workers.parse_many(jobs)
    assert parsed[0].title and parsed[1][0] == "error" and "not UTF-8" in parsed[1][3]
