"""Our MkDocs hooks, timed: the benchmark's "with hooks" builds list small generated wrappers in `hooks:`.

Each wrapper (written by bench/run.py) calls `wrap(path, globals())`: the hook file at `path` is loaded
as MkDocs loads it, and every event handler runs unchanged inside a timer. The times of all hook files
are added up and written as JSON to the file named by KB_BENCH_HOOK_TIMES when the build process exits.
That separates the cost of our Python code from the cost of rendering what the hooks add.
"""
from __future__ import annotations

import atexit
import functools
import importlib.util
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

TIMES: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])   # "file:event" -> [wall, cpu, calls]


def _timed(name: str, handler):
    @functools.wraps(handler)   # keeps mkdocs_priority from @event_priority
    def timed(*args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return handler(*args, **kwargs)
        finally:
            entry = TIMES[name]
            entry[0] += time.perf_counter() - wall
            entry[1] += time.process_time() - cpu
            entry[2] += 1
    return timed


def _load(path: Path):
    """As MkDocs loads a hook file: under its own name, with its folder on sys.path while it runs."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    sys.path.insert(0, str(path.parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(path.parent))
    return module


def wrap(path: str, namespace: dict) -> None:
    """Put a timed copy of every `on_*` handler of the hook file into `namespace` (the wrapper's globals)."""
    from mkdocs.plugins import CombinedEvent

    module = _load(Path(path))
    for name in dir(module):
        handler = getattr(module, name)
        if not name.startswith("on_"):
            continue
        if isinstance(handler, CombinedEvent):   # several handlers of one event, each with its priority
            label = f"{Path(path).name}:{name}"
            namespace[name] = CombinedEvent(*(_timed(label, part) for part in handler.methods))
        elif callable(handler):
            namespace[name] = _timed(f"{Path(path).name}:{name}", handler)


@atexit.register
def _write_times() -> None:
    target = os.environ.get("KB_BENCH_HOOK_TIMES")
    if target:
        Path(target).write_text(json.dumps({name: {"wall": w, "cpu": c, "calls": n}
                                            for name, (w, c, n) in TIMES.items()}), encoding="utf-8")
