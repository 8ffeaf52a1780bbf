"""`make bench`: what our hooks cost, how the build grows with pages, how fast `mkdocs serve` reloads.

For the real site and for synthetic trees (bench/synth.py) of several sizes it builds the site with our
hooks and with the hooks removed, alternating, and reports medians of wall time, pages per second,
the hooks' share of the build, the time spent inside our hook code and peak memory; it times the
checks alone (`make status`: Corpus.load) on each tree, and the live-reload rebuild of `mkdocs serve`
on a copy of the real site after a page is saved. Prints one Markdown table and writes it, with the
machine and the versions, to bench/results.md, and puts the table into README.md (Performance).

    python bench/run.py [--pages "20 100 500"] [--runs 3] [--big-runs 1] [--checks-pages 1000]
                        [--real-runs N] [--serve-edits 3] [--instructions] [--out bench/results.md]
                        [--readme README.md]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "hooks"))

import search as search_bench  # noqa: E402
import synth  # noqa: E402
from kb.content.model import LANGUAGES  # noqa: E402

PYTHON = sys.executable
BIG = 500                       # pages per language from which --big-runs applies
PACKAGES = ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "pymdown-extensions", "Markdown", "Jinja2",
            "Babel", "PyYAML")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "hooks")}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- configurations: with our (timed) hooks, without hooks ------------------------------------------

def set_hooks(config_text: str, hooks: list[str]) -> str:
    """The configuration with its top-level `hooks:` replaced (by `hooks: []` when `hooks` is empty,
    which also overrides the hooks of a configuration it INHERITs)."""
    kept, skipping = [], False
    for line in config_text.splitlines():
        if re.match(r"^hooks\s*:", line):
            skipping = True
            continue
        if skipping and (not line.strip() or line[:1] in (" ", "\t", "-")):
            continue
        skipping = False
        kept.append(line)
    text = "\n".join(kept).rstrip("\n") + "\n"
    return text + ("\nhooks:\n" + "".join(f"  - {json.dumps(h)}\n" for h in hooks) if hooks else "\nhooks: []\n")


def write_variants(config: Path) -> tuple[Path, Path]:
    """Next to `config`: mkdocs.bench-hooks.yml (the same hooks, timed) and mkdocs.bench-nohooks.yml."""
    text = config.read_text(encoding="utf-8")
    wrappers = config.parent / ".bench-hooks"
    wrappers.mkdir(exist_ok=True)
    timed = []
    for hook in synth.hook_paths(config):
        wrapper = wrappers / f"timed_{hook.stem}.py"
        wrapper.write_text(
            "# Written by bench/run.py: the hook file below, its event handlers timed (bench/timed_hooks.py).\n"
            f"import sys\nsys.path.insert(0, {str(BENCH)!r})\nimport timed_hooks\n"
            f"timed_hooks.wrap({str(hook)!r}, globals())\n", encoding="utf-8")
        timed.append(str(wrapper))
    with_hooks = config.with_name("mkdocs.bench-hooks.yml")
    without = config.with_name("mkdocs.bench-nohooks.yml")
    with_hooks.write_text(set_hooks(text, timed), encoding="utf-8")
    without.write_text(set_hooks(text, []), encoding="utf-8")
    return with_hooks, without


# --- one build, measured ----------------------------------------------------------------------------

@dataclass
class Build:
    wall: float
    cpu: float          # user + system time of the build process
    peak_mib: float     # its peak resident memory
    site_mib: float     # size of the built site
    hook_wall: float = 0.0
    hook_cpu: float = 0.0
    hook_events: dict = field(default_factory=dict)   # "file:event" -> {"wall", "cpu", "calls"}
    search: dict = field(default_factory=dict)        # language -> bytes of its index; "all": one index of all
    page_kib: float = 0.0                             # mean size of a built page (index.html files)


def build(config: Path, cwd: Path) -> Build:
    """A strict `mkdocs build` in a child process; wall time, CPU time and peak memory of that child."""
    with tempfile.TemporaryDirectory(prefix="kb-bench-build-") as work:
        times, output = Path(work, "hooks.json"), Path(work, "build.log")
        env = {**ENV, "KB_BENCH_HOOK_TIMES": str(times)}
        cmd = [PYTHON, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config.resolve()),
               "-d", str(Path(work, "site"))]
        with output.open("w") as log_file:
            start = time.perf_counter()
            process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(process.pid, 0)      # the rusage of this child alone
            wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"bench: the build of {config} failed:\n{output.read_text()[-4000:]}")
        site_bytes = sum(f.stat().st_size for f in Path(work, "site").rglob("*") if f.is_file())
        pages = [f.stat().st_size for f in Path(work, "site").rglob("index.html")]
        result = Build(wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_mib=usage.ru_maxrss / 1024,
                       site_mib=site_bytes / 2**20, search=search_bytes(Path(work, "site")),
                       page_kib=sum(pages) / len(pages) / 1024 if pages else 0.0)
        if times.exists():
            events = json.loads(times.read_text(encoding="utf-8"))
            result.hook_wall = sum(e["wall"] for e in events.values())
            result.hook_cpu = sum(e["cpu"] for e in events.values())
            result.hook_events = events
    return result


def search_bytes(site: Path) -> dict:
    """Bytes of each language's search index (hooks/kb_search.py), and of the one index of all languages
    that Material and mkdocs-static-i18n write without the split ("all"), rebuilt from the parts as
    Material's search plugin writes JSON. Empty when the site has one index only (a build without hooks)."""
    parts = {lang: site / ("" if lang == LANGUAGES[0] else lang) / "search" / "search_index.json" for lang in LANGUAGES}
    if not all(path.is_file() for path in parts.values()):
        return {}
    indexes = {lang: json.loads(path.read_text(encoding="utf-8")) for lang, path in parts.items()}
    docs = [{**doc, "location": ("" if lang == LANGUAGES[0] else f"{lang}/") + doc["location"]}
            for lang, index in indexes.items() for doc in index["docs"]]
    whole = json.dumps({"config": indexes[LANGUAGES[0]]["config"], "docs": docs}, separators=(",", ":"), default=str)
    return {**{lang: path.stat().st_size for lang, path in parts.items()}, "all": len(whole.encode("utf-8"))}


INSTRUCTIONS = re.compile(r"I\s+refs:\s+([\d,]+)")


def count_instructions(configs: list[Path], cwd: Path) -> list[int]:
    """Instructions executed by a strict build of each configuration, counted by valgrind (cachegrind
    without its cache simulation), all at once. Unlike time, the count is the same on a busy machine
    as on an idle one, so a small difference between two builds is not lost in the machine's noise."""
    with tempfile.TemporaryDirectory(prefix="kb-bench-instructions-") as work:
        processes = []
        for number, config in enumerate(configs):
            log_path = Path(work, f"{number}.log")
            cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                   PYTHON, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config.resolve()),
                   "-d", str(Path(work, f"site{number}"))]
            with log_path.open("w") as log_file:
                processes.append((subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=log_file, stderr=subprocess.STDOUT), log_path))
        counts = []
        for process, log_path in processes:
            process.wait()
            found = INSTRUCTIONS.findall(log_path.read_text(errors="replace"))
            if process.returncode != 0 or not found:
                raise SystemExit(f"bench: valgrind build failed:\n{log_path.read_text(errors='replace')[-4000:]}")
            counts.append(int(found[-1].replace(",", "")))
    return counts


def measure_instructions(row: "Row", config: Path, cwd: Path) -> None:
    """The project's hooks as they are (not timed) against no hooks."""
    text = config.read_text(encoding="utf-8")
    plain = config.with_name("mkdocs.bench-plain-hooks.yml")
    plain.write_text(set_hooks(text, [str(h) for h in synth.hook_paths(config)]), encoding="utf-8")
    _, without = write_variants(config)
    with_hooks, without_hooks = count_instructions([plain, without], cwd)
    row.instructions = (with_hooks, without_hooks)
    log(f"{row.name}: {with_hooks:,} instructions with hooks, {without_hooks:,} without "
        f"({100 * (with_hooks - without_hooks) / without_hooks:+.1f} %)")


def hook_breakdown(done: Build) -> str:
    largest = sorted(done.hook_events.items(), key=lambda item: -item[1]["wall"])[:4]
    return ", ".join(f"{name} {event['wall']:.2f} s" for name, event in largest)


def time_checks(docs: Path, root: Path, cold: bool = False) -> dict:
    """The `make status` path in a fresh process: import the checks, Corpus.load, render the report.
    `cold`: with no cache of parsed pages (kb/content/cache.py), as on a first run; else with the cache the
    previous run left."""
    if cold:
        shutil.rmtree(root / ".cache" / "kb", ignore_errors=True)
    code = (
        "import json, sys, time\n"
        "start = time.perf_counter()\n"
        "from pathlib import Path\n"
        "from kb.content.corpus import Corpus\n"
        "from kb.translation import status\n"
        "loaded = time.perf_counter()\n"
        f"corpus = Corpus.load(Path({str(docs)!r}), Path({str(root)!r}))\n"
        "checked = time.perf_counter()\n"
        "status.render_text(corpus)\n"
        "done = time.perf_counter()\n"
        "print(json.dumps({'load': checked - loaded, 'total': done - start,\n"
        "    'pages': len(corpus.pages), 'errors': len(corpus.errors),\n"
        "    'outdated': sum(p.kind == 'outdated' for p in corpus.problems)}))\n"
    )
    done = subprocess.run([PYTHON, "-c", code], cwd=root, env=ENV, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise SystemExit(f"bench: the checks failed on {docs}:\n{done.stderr[-4000:]}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "cold": cold}


# --- a tree: builds and checks ----------------------------------------------------------------------

@dataclass
class Row:
    name: str
    pages_per_language: int
    with_hooks: list[Build] = field(default_factory=list)
    without: list[Build] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    instructions: tuple[int, int] | None = None   # (with hooks, without), counted by valgrind

    @property
    def pages(self) -> int:
        return self.pages_per_language * len(LANGUAGES)


def checks_cold(row: Row) -> float:
    return median(c["load"] for c in row.checks if c.get("cold"))


def checks_warm(row: Row) -> float:
    return median(c["load"] for c in row.checks if not c.get("cold"))


def measure_tree(row: Row, config: Path, cwd: Path, docs: Path, runs: int, check_runs: int, synthetic: bool,
                 instructions: bool = False) -> Row:
    if instructions:
        measure_instructions(row, config, cwd)
    if runs:
        with_hooks, without = write_variants(config)
        for run in range(runs):
            # Alternate which goes first, so that neither always meets a warm (or a busy) machine.
            order = [(with_hooks, row.with_hooks), (without, row.without)]
            for variant, results in order if run % 2 == 0 else reversed(order):
                results.append(build(variant, cwd))
                done = results[-1]
                log(f"{row.name}: {'with' if variant == with_hooks else 'without'} hooks "
                    f"{done.wall:.1f} s (CPU {done.cpu:.1f} s, {done.peak_mib:.0f} MiB)"
                    + (f"; in our hooks {done.hook_wall:.2f} s: " + hook_breakdown(done) if done.hook_events else ""))
    for run in range(check_runs + 1 if check_runs else 0):   # the first without a cache, then with it
        result = time_checks(docs, cwd, cold=run == 0)
        if synthetic and (result["errors"] or result["outdated"]):
            raise SystemExit(f"bench: the synthetic tree {docs} is not valid: {result}")
        row.checks.append(result)
    if row.checks:
        log(f"{row.name}: checks alone {checks_cold(row):.2f} s cold, {checks_warm(row):.2f} s warm")
    return row


def synthetic_row(pages: int, trees: Path, runs: int, check_runs: int, instructions: bool = False) -> Row:
    dest = trees / f"p{pages}"
    if dest.exists():
        shutil.rmtree(dest)
    summary = synth.write_tree(dest, pages)
    log(f"generated {dest.relative_to(ROOT) if dest.is_relative_to(ROOT) else dest}: "
        f"{summary['files']} files, {summary['bytes'] / 1e6:.1f} MB")
    row = Row(f"synthetic, {pages} pages per language", summary["pages_per_language"])
    return measure_tree(row, dest / "mkdocs.yml", dest, dest / "docs", runs, check_runs, synthetic=True,
                        instructions=instructions)


# --- the real site, in a copy: builds and `mkdocs serve` --------------------------------------------

def copy_project(dest: Path) -> Path:
    """A copy of the project as it is now (with git history, so the hooks read dates as they do here)."""
    if shutil.which("git") and (ROOT / ".git").exists():
        subprocess.run(["git", "clone", "--quiet", "--local", str(ROOT), str(dest)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    else:
        dest.mkdir(parents=True)
    for name in ("docs", "hooks", "overrides", "locales"):
        if (dest / name).exists():
            shutil.rmtree(dest / name)
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    for name in ("mkdocs.yml", "babel.cfg"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, dest / name)
    return dest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 600) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8", "replace")


def serve_rebuilds(project: Path, config: Path, page: str, edits: int, env: dict | None = None) -> list[float]:
    """Seconds from saving `page` (docs-relative) to the served page showing the change, per edit;
    `env` adds to the server's environment (KB_ONLY_LANGUAGE: the one-language preview)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    lang, _, rel = page.partition("/")
    url = f"{base}/{'' if lang == 'en' else lang + '/'}{rel[:-3].removesuffix('index')}"
    url = url if url.endswith("/") else url + "/"
    source = project / "docs" / page
    original = source.read_text(encoding="utf-8")
    with tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False) as output:
        process = subprocess.Popen(
            [PYTHON, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", "--livereload", "-f", str(config)],
            cwd=project, env={**ENV, "KB_BENCH_HOOK_TIMES": "", **(env or {})}, stdout=output, stderr=subprocess.STDOUT,
        )
    timings = []
    try:
        deadline = time.monotonic() + 900
        while True:   # the first build, then the server answers
            if process.poll() is not None:
                raise SystemExit(f"bench: mkdocs serve exited:\n{Path(output.name).read_text()[-4000:]}")
            try:
                fetch(url, timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("bench: mkdocs serve did not start within 15 minutes")
                time.sleep(0.2)
        for _ in range(edits):
            # Letters only: a number would be a figure that the origin lacks.
            marker = "benchmark" + "".join(random.choices(string.ascii_lowercase, k=12))
            source.write_text(original.rstrip("\n") + f"\n\nEdited for the benchmark: {marker}.\n", encoding="utf-8")
            saved = time.perf_counter()
            while marker not in fetch(url):   # requests wait while a rebuild runs
                if time.perf_counter() - saved > 900:
                    raise SystemExit(f"bench: {url} did not change within 15 minutes of saving {page}")
                time.sleep(0.02)
            timings.append(time.perf_counter() - saved)
            time.sleep(0.5)   # let the watcher settle before the next save
    finally:
        source.write_text(original, encoding="utf-8")
        if process.poll() is None:
            process.send_signal(signal.SIGINT)   # mkdocs serve cleans up its temporary site on Ctrl+C
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        os.unlink(output.name)
    return timings


def translated_page(project: Path) -> str:
    """A playbook as a translator edits it: a version in a language other than its origin."""
    for lang in ("el", "ru", "tr", "lt", "en"):
        for path in sorted((project / "docs" / lang / "playbooks").glob("*.md")):
            text = path.read_text(encoding="utf-8")
            origin = re.search(r"^origin:\s*(\w+)", text, re.M)
            if path.name != "index.md" and origin and origin.group(1) != lang:
                return f"{lang}/playbooks/{path.name}"
    return "en/index.md"


def serve_preview(tree: Path, edits: int, pages: int) -> dict:
    """`make serve LANG=xx` alone (the page's language) on a large tree: seconds per save, saves made one
    after the other to one server, as a translator makes them."""
    page = translated_page(tree)
    lang = page.partition("/")[0]
    times = serve_rebuilds(tree, tree / "mkdocs.yml", page, edits, env={"KB_ONLY_LANGUAGE": lang})
    log(f"serve LANG={lang}, {pages} pages per language: {', '.join(f'{t:.2f} s' for t in times)}")
    return {"page": page, "pages": pages, "preview": times}


def serve_pair(project: Path, config: Path, edits: int, name: str) -> dict:
    """`make serve` and `make serve LANG=xx` (the page's language) side by side: one save each in turn,
    each in a fresh server, so that both meet the machine in the same state (it is shared). Seconds per save."""
    page = translated_page(project)
    lang = page.partition("/")[0]
    full, one = [], []
    for _ in range(edits):
        full += serve_rebuilds(project, config, page, 1)
        one += serve_rebuilds(project, config, page, 1, env={"KB_ONLY_LANGUAGE": lang})
        log(f"serve {name}: all languages {full[-1]:.2f} s, only {lang} {one[-1]:.2f} s")
    return {"name": name, "page": page, "full": full, "preview": one}


# --- parallel languages, pruned navigation ---------------------------------------------------------

def plain_config(config: Path) -> Path:
    """The configuration with the project's hooks as they are (not timed)."""
    plain = config.with_name("mkdocs.bench-plain-hooks.yml")
    plain.write_text(set_hooks(config.read_text(encoding="utf-8"), [str(h) for h in synth.hook_paths(config)]),
                     encoding="utf-8")
    return plain


def parallel_languages(config: Path, cwd: Path, workers: int) -> dict:
    """`make build`'s way (kb/generator/parts.py): the site built in one process (JOBS=1) against its languages
    built in `workers` processes and the parts assembled into the same site."""
    plain = plain_config(config)
    with tempfile.TemporaryDirectory(prefix="kb-bench-parallel-") as work:
        def build(jobs: int, folder: str) -> float:
            start = time.perf_counter()
            subprocess.run([PYTHON, "-m", "kb.generator.parts", "build", "--jobs", str(jobs), "--strict", "-f", str(plain),
                            "--site-dir", str(Path(work, folder))], cwd=cwd, env=ENV, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return time.perf_counter() - start
        sequential, parallel = build(1, "one"), build(workers, "parts")
    log(f"parallel languages ({workers} processes): {sequential:.1f} s in one process, {parallel:.1f} s in {workers}, assembled")
    return {"workers": workers, "sequential": sequential, "parallel": parallel}


SUBSECTION = 10   # pages per sub-folder (sub-section of the navigation) in the pruned-navigation tree


def pruned_navigation(trees: Path, pages: int, runs: int) -> dict:
    """Builds of a tree whose sections' pages lie in sub-folders of ten (sub-sections of the generated
    navigation), without and with Material's navigation.prune."""
    import yaml
    tree = trees / f"p{pages}-subsections"
    if tree.exists():
        shutil.rmtree(tree)
    synth.write_tree(tree, pages, subsection=SUBSECTION)
    features = [f for f in (synth.read_config(ROOT / "mkdocs.yml").get("theme") or {}).get("features") or []
                if f != "navigation.prune"]
    config = yaml.safe_load((tree / "mkdocs.yml").read_text(encoding="utf-8"))
    variants = {}
    for name, extra in (("full", []), ("pruned", ["navigation.prune"])):
        variant = dict(config)
        variant["theme"] = {**(config.get("theme") or {}), "features": features + extra}
        path = tree / f"mkdocs.bench-nav-{name}.yml"
        path.write_text(yaml.safe_dump(variant, allow_unicode=True, sort_keys=False), encoding="utf-8")
        variants[name] = plain_config(path).rename(tree / f"mkdocs.bench-nav-{name}-plain.yml")
    results = {"full": [], "pruned": []}
    for run in range(max(runs, 1)):
        for name in (("full", "pruned") if run % 2 == 0 else ("pruned", "full")):
            results[name].append(build(variants[name], tree))
            done = results[name][-1]
            log(f"navigation with sub-sections, {name}: {done.wall:.1f} s, {done.page_kib:.0f} KiB per page, "
                f"site {done.site_mib:.0f} MiB")
    return results


# --- the report -------------------------------------------------------------------------------------

def search_figures(config: Path, cwd: Path, name: str, queries: int) -> dict:
    """Search as a reader meets it on one built site (bench/search.py): index bytes and keystroke latency."""
    with tempfile.TemporaryDirectory(prefix="kb-bench-search-") as work:
        cmd = [PYTHON, "-m", "mkdocs", "build", "--quiet", "-f", str(config.resolve()), "-d", str(Path(work, "site"))]
        subprocess.run(cmd, cwd=cwd, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        figures = search_bench.measure(Path(work, "site"), queries)
    log(f"search ({name}): {figures['bytes']}")
    return {"name": name, **figures}


def search_table(found: list[dict]) -> list[str]:
    """Per site measured: the largest index a reader downloads, and the time from the last key to the results."""
    lines = ["| Search as staff meet it | Index a reader downloads (largest language) | Last key → results, whole word: "
             "median / max | Word with a typo: median / max |", "|---|---|---|---|"]
    for site in found:
        largest = max(site["bytes"], key=site["bytes"].get)
        latency = site["latency_ms"]

        def cell(kind: str) -> str:
            values = [latency[lang][kind] for lang in latency if kind in latency[lang]]
            if not values:
                return "—"
            return (f"{statistics.median(v['median'] for v in values):.0f} ms / {max(v['max'] for v in values):.0f} ms "
                    f"({sum(v['queries'] for v in values)} queries)")
        lines.append(f"| Search, {site['name']} | {site['bytes'][largest] / 1e3:,.0f} kB ({largest}) | {cell('word')} | {cell('typo')} |")
    return lines


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def seconds(value: float) -> str:
    return "—" if value != value else (f"{value:.2f} s" if value < 10 else f"{value:.1f} s")


def added(with_hooks: list[float], without: list[float]) -> float:
    """What the hooks add, as a fraction: the median over runs of each run's pair (built one after the
    other), which cancels much of the drift of a shared or throttled machine."""
    pairs = [(w - o) / o for w, o in zip(with_hooks, without) if o]
    return median(pairs)


def percent(fraction: float) -> str:
    return "—" if fraction != fraction else f"{100 * fraction:+.0f} %"


def instruction_share(row: Row) -> str:
    if not row.instructions:
        return "—"
    with_hooks, without = row.instructions
    return f"{100 * (with_hooks - without) / without:+.1f} %"


def table(rows: list[Row], serve: dict[str, list[float]], serve_pages: int, serve_page: str) -> str:
    header = ("| Tree | Pages (5 languages) | Build with hooks | Without hooks | Hooks add (wall / CPU) | "
              "Hooks add (instructions) | In our hook code | Pages/s | ms per page | Peak memory | Site size | Checks alone (cold / warm) |")
    lines = [header, "|" + "---|" * header.count(" | ") + "---|"]
    for row in rows:
        with_wall, without_wall = median(b.wall for b in row.with_hooks), median(b.wall for b in row.without)
        hook_wall = median(b.hook_wall for b in row.with_hooks)
        built = bool(row.with_hooks)
        runs = f" ×{len(row.with_hooks)}" if built else ""
        cells = [
            row.name + runs,
            f"{row.pages:,}",
            seconds(with_wall) if built else "not built",
            seconds(without_wall) if built else "—",
            (f"{percent(added([b.wall for b in row.with_hooks], [b.wall for b in row.without]))} / "
             f"{percent(added([b.cpu for b in row.with_hooks], [b.cpu for b in row.without]))}") if built else "—",
            instruction_share(row),
            f"{seconds(hook_wall)} ({100 * hook_wall / with_wall:.0f} %)" if built else "—",
            f"{row.pages / with_wall:.1f}" if built else "—",
            f"{1000 * with_wall / row.pages:.1f}" if built else "—",
            (f"{median(b.peak_mib for b in row.with_hooks):.0f} / {median(b.peak_mib for b in row.without):.0f} MiB"
             if built else "—"),
            f"{median(b.site_mib for b in row.with_hooks):.0f} MiB" if built else "—",
            f"{seconds(checks_cold(row))} / {seconds(checks_warm(row))}" if row.checks else "—",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if serve.get("with"):
        with_s, without_s = median(serve["with"]), median(serve.get("without", []))
        cells = [f"`make serve`: save one page → page updated (real site, `{serve_page}`) ×{len(serve['with'])}",
                 f"{serve_pages:,}", seconds(with_s), seconds(without_s),
                 f"{percent(added(serve['with'], serve.get('without', [])))} / —",
                 "—", "—", "—", "—", "—", "—", "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# Before issue 17 (README, Performance, measured 2026-11-23 on this machine, and the single search index of
# the real site as it was built then): what the figures of `waiting_table` are set against.
BEFORE = {"serve real": 4.63, "search bytes": 824_743, "checks 1000": 2.78, "build 100": 15.3, "build 1000": 386.0}


def ratio(part: float, whole: float) -> str:
    return "—" if not whole or part != part or whole != whole else f"{100 * part / whole:.0f} %"


def waiting_table(rows: list[Row], serves: list[dict], parallel: dict | None, pruned: dict | None) -> tuple[str, list[str]]:
    """What people wait for (issue 17): before, now, target. Returns the table and the target lines."""
    lines = ["| What people wait for | Before | Now | Target | |", "|---|---|---|---|---|"]
    found = []
    for serve in serves:
        full, one = median(serve["full"]), median(serve["preview"])
        lang = serve["page"].partition("/")[0]
        before = seconds(BEFORE["serve real"]) if serve["name"] == "real site" else "—"
        lines.append(f"| `make serve`, save → page served ({serve['name']}, `{serve['page']}`) ×{len(serve['full'])} | "
                     f"{before} | {seconds(full)} | — | |")
        real = serve["name"] == "real site"
        met = one <= 0.4 * full and (one < 1 or not real)
        target = "≤ 40 % of `make serve`" + (" and < 1 s" if real else "")
        lines.append(f"| `make serve LANG={lang}`, the same save ({serve['name']}) ×{len(serve['preview'])} | — | "
                     f"{seconds(one)} ({ratio(one, full)} of `make serve`) | {target} | {'met' if met else 'missed'} |")
        found.append(f"- One-language preview ({serve['name']}): {one:.2f} s, {ratio(one, full)} of the full "
                     f"`make serve` ({full:.2f} s); target {target} — {'met' if met else 'missed'}")
    searched = [b.search for r in rows if r.name == "real site" for b in r.with_hooks if b.search]
    if searched:
        index = searched[-1]
        largest = max((lang for lang in LANGUAGES), key=lambda lang: index[lang])
        share = index[largest] / index["all"]
        lines.append(f"| Search index a reader downloads (real site; largest: {largest}) | {BEFORE['search bytes'] / 1e3:,.0f} kB "
                     f"(all languages) | {index[largest] / 1e3:,.0f} kB ({100 * share:.0f} % of the {index['all'] / 1e3:,.0f} kB "
                     f"index of all languages) | ≤ 30 % | {'met' if share <= 0.3 else 'missed'} |")
        found.append(f"- Search bytes per reader ≤ 30 % of the single index: {largest} {index[largest]:,} of "
                     f"{index['all']:,} bytes ({100 * share:.0f} %) — {'met' if share <= 0.3 else 'missed'}")
    for row in rows:
        if row.checks and (row.pages_per_language >= 1000 or row.name == "real site"):
            cold, warm = checks_cold(row), checks_warm(row)
            before = seconds(BEFORE["checks 1000"]) if row.pages_per_language == 1000 else "—"
            lines.append(f"| Checks alone, first run ({row.name}) | {before} | {seconds(cold)} | as fast as possible | |")
            met = warm < 1
            lines.append(f"| Checks alone, repeated run ({row.name}) ×{len(row.checks) - 1} | {before} | {seconds(warm)} | "
                         f"< 1 s | {'met' if met else 'missed'} |")
    if parallel:
        speedup = parallel["sequential"] / parallel["parallel"]
        at_1000 = parallel["pages"] == 1000
        lines.append(f"| `make build`, languages in {parallel['workers']} processes, assembled ({parallel['name']}) | "
                     f"{seconds(BEFORE['build 1000']) if at_1000 and 'build 1000' in BEFORE else '—'} | "
                     f"{seconds(parallel['parallel'])} (one process: {seconds(parallel['sequential'])}, ×{speedup:.2f}) | "
                     f"{'≤ ' + str(SCALE['build s']) + ' s' if at_1000 else '—'} | "
                     f"{('met' if parallel['parallel'] <= SCALE['build s'] else 'missed') if at_1000 else ''} |")
        found.append(f"- `make build` by parts ({parallel['name']}, {parallel['workers']} processes): "
                     f"{seconds(parallel['parallel'])}, ×{speedup:.2f} against one process"
                     + (f" — ≤ {SCALE['build s']} s: {'met' if parallel['parallel'] <= SCALE['build s'] else 'missed'}"
                        if at_1000 else ""))
    if pruned:
        full, cut = pruned["full"], pruned["pruned"]
        time_full, time_cut = median(b.wall for b in full), median(b.wall for b in cut)
        page_full, page_cut = median(b.page_kib for b in full), median(b.page_kib for b in cut)
        lines.append(f"| Navigation with sub-sections ({pruned['name']}) ×{len(full)}: build, page size | — | "
                     f"{seconds(time_full)}, {page_full:.0f} KiB per page; with `navigation.prune` {seconds(time_cut)}, "
                     f"{page_cut:.0f} KiB per page ({ratio(page_cut, page_full)}) | — | |")
        found.append(f"- navigation.prune ({pruned['name']}): page {page_full:.0f} → {page_cut:.0f} KiB, "
                     f"build {time_full:.1f} → {time_cut:.1f} s, site {median(b.site_mib for b in full):.0f} → "
                     f"{median(b.site_mib for b in cut):.0f} MiB")
    return "\n".join(lines), found


def targets(rows: list[Row], serve: dict[str, list[float]]) -> list[str]:
    found = []
    built = [r for r in rows if r.with_hooks]
    for row in built:
        extra_wall = added([b.wall for b in row.with_hooks], [b.wall for b in row.without])
        extra = added([b.cpu for b in row.with_hooks], [b.cpu for b in row.without])
        own = median(b.hook_cpu / b.cpu for b in row.with_hooks)
        if row.instructions:   # a count does not vary with the machine's load: it decides
            counted = (row.instructions[0] - row.instructions[1]) / row.instructions[1]
            verdict = f"{instruction_share(row)} instructions — {'met' if counted <= 0.10 else 'missed'}"
        else:
            verdict = f"{'met' if extra <= 0.10 else 'missed'}"
        found.append(f"- Hooks add ≤ 10 % ({row.name}): {percent(extra_wall)} wall, {percent(extra)} CPU, "
                     f"{verdict} (our hook code itself: {100 * own:.0f} % of the build)")
    by_size = {r.pages_per_language: r for r in built if r.name.startswith("synthetic")}
    if 100 in by_size and 500 in by_size:
        per = lambda r: median(b.wall for b in r.with_hooks) / r.pages  # noqa: E731
        per_cpu = lambda r: median(b.cpu for b in r.with_hooks) / r.pages  # noqa: E731
        ratio, ratio_cpu = per(by_size[500]) / per(by_size[100]), per_cpu(by_size[500]) / per_cpu(by_size[100])
        found.append(f"- Time per page at 500 pages per language ≤ 1.2 × that at 100: {ratio:.2f} × wall, "
                     f"{ratio_cpu:.2f} × CPU — {'met' if ratio_cpu <= 1.2 else 'missed'}")
    for row in rows:
        if row.pages_per_language >= 1000 and row.checks:
            value = checks_warm(row)
            found.append(f"- Checks alone, repeated run, < 1 s at {row.pages_per_language:,} pages per language: "
                         f"{value:.2f} s (first run {checks_cold(row):.2f} s) — {'met' if value < 1 else 'missed'}")
        if row.pages_per_language >= 1000 and row.with_hooks:
            peak = max(b.peak_mib for b in row.with_hooks + row.without)
            found.append(f"- Peak memory < 1 GiB at {row.pages_per_language:,} pages per language: {peak:.0f} MiB — "
                         f"{'met' if peak < 1024 else 'missed'}")
    return found


# Scale (issue 26): before the menu was cut to a window (kb/generator/menu.py), measured 2026-12-06 on this machine
# with the same synthetic trees: one build with hooks (Material wrote the whole menu into every page).
BEFORE_SCALE = {100: (29.0, 60.8), 500: (53.4, 189.4), 1000: (59.6, 349.2)}   # ms per page, KiB per page
SCALE = {"build s": 60, "site MiB": 300, "serve s": 5, "page growth": 1.2}


def growth_table(rows: list[Row]) -> tuple[str, list[str]]:
    """How a build grows with the number of pages: per synthetic size, ms and KiB per page with our hooks and
    without them (a build without hooks has Material's whole menu in every page), and the scale targets."""
    built = sorted((r for r in rows if r.with_hooks and r.name.startswith("synthetic")), key=lambda r: r.pages_per_language)
    if not built:
        return "", []
    lines = ["| Growth: pages per language | Build with hooks | ms per page | KiB per page | Site | "
             "Without hooks: ms per page | KiB per page | Site | Before (ms, KiB per page) |", "|---|---|---|---|---|---|---|---|---|"]
    for row in built:
        wall = median(b.wall for b in row.with_hooks)
        cells = [f"{row.pages_per_language:,} ({row.pages:,} pages)", seconds(wall), f"{1000 * wall / row.pages:.1f}",
                 f"{median(b.page_kib for b in row.with_hooks):.1f}", f"{median(b.site_mib for b in row.with_hooks):,.0f} MiB"]
        if row.without:
            plain = median(b.wall for b in row.without)
            cells += [f"{1000 * plain / row.pages:.1f}", f"{median(b.page_kib for b in row.without):.1f}",
                      f"{median(b.site_mib for b in row.without):,.0f} MiB"]
        else:
            cells += ["—", "—", "—"]
        before = BEFORE_SCALE.get(row.pages_per_language)
        cells.append(f"{before[0]:.1f} ms, {before[1]:.1f} KiB" if before and before[1] else
                     f"{before[0]:.1f} ms" if before else "—")
        lines.append("| " + " | ".join(cells) + " |")
    found = []
    # A page grows until each menu list it carries is as long as the window (menu.WHOLE, 12 entries): from 100 pages
    # per language on, every list is cut, and the page must not grow any further.
    windowed = [row for row in built if row.pages_per_language >= 100]
    smallest, largest = (windowed or built)[0], built[-1]
    if largest is not smallest:
        small, large = median(b.page_kib for b in smallest.with_hooks), median(b.page_kib for b in largest.with_hooks)
        met = large <= SCALE["page growth"] * small
        found.append(f"- A page does not grow with the site: {large:.1f} KiB per page at {largest.pages_per_language:,} pages "
                     f"per language, {small:.1f} KiB at {smallest.pages_per_language:,} ({large / small:.2f} ×; target "
                     f"≤ {SCALE['page growth']} ×) — {'met' if met else 'missed'}")
    for row in built:
        if row.pages_per_language == 1000:
            wall, site = median(b.wall for b in row.with_hooks), median(b.site_mib for b in row.with_hooks)
            found.append(f"- One `mkdocs build` process (`make build JOBS=1`) at 1,000 pages per language: {wall:.1f} s "
                         f"(CPU {median(b.cpu for b in row.with_hooks):.1f} s); the {SCALE['build s']} s target is "
                         f"`make build`'s, by parts (above)")
            found.append(f"- Site at 1,000 pages per language ≤ {SCALE['site MiB']} MiB: {site:,.0f} MiB — "
                         f"{'met' if site <= SCALE['site MiB'] else 'missed'}")
    return "\n".join(lines), found


def scale_serve_target(serve: dict | None) -> list[str]:
    if not serve:
        return []
    value = median(serve["preview"])
    return [f"- `make serve LANG={serve['page'].partition('/')[0]}` at {serve['pages']:,} pages per language, save → page "
            f"served ≤ {SCALE['serve s']} s: {value:.2f} s (median of {len(serve['preview'])}: "
            f"{', '.join(f'{t:.1f}' for t in serve['preview'])} s) — {'met' if value <= SCALE['serve s'] else 'missed'}"]


def machine(runs: int, big_runs: int, load_before, load_after) -> list[str]:
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    try:
        import yaml
        libyaml = "with libyaml" if yaml.__with_libyaml__ else "without libyaml"
    except ImportError:
        libyaml = ""
    return [
        f"Measured {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} CPUs "
        f"({platform.machine()}, {platform.system()} {platform.release()}), Python {platform.python_version()}; "
        f"{', '.join(versions)} (PyYAML {libyaml}).",
        f"Load average (1 min) {load_before:.1f} before and {load_after:.1f} after: above the CPU count, "
        "other work competed for the machine and wall times are less reliable than CPU times."
        if max(load_before, load_after) > (os.cpu_count() or 1) else
        f"Load average (1 min) {load_before:.1f} before and {load_after:.1f} after.",
        f"Medians of {runs} build(s) with and {runs} without hooks per tree, alternating "
        f"({big_runs} each from {BIG} pages per language); strict builds, `--quiet`.",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="20 100 500 1000", help="synthetic sizes, pages per language")
    parser.add_argument("--runs", type=int, default=5, help="builds with and without hooks per tree")
    parser.add_argument("--big-runs", type=int, default=1, help=f"the same from {BIG} pages per language")
    parser.add_argument("--checks-pages", type=int, default=1000,
                        help="also time the checks alone on a tree of this size (0: no)")
    parser.add_argument("--real-runs", type=int, default=None, help="builds of the real site (default: --runs)")
    parser.add_argument("--serve-edits", type=int, default=3, help="saves timed under mkdocs serve (0: none)")
    parser.add_argument("--serve-tree", type=int, default=100,
                        help="also time make serve against make serve LANG=xx on this synthetic size, if built (0: no)")
    parser.add_argument("--scale-serve-pages", type=int, default=1000,
                        help="also time `make serve LANG=xx` alone on this synthetic size, if built (0: no)")
    parser.add_argument("--parallel-pages", type=int, default=1000,
                        help="time make build by parts (languages in parallel processes, assembled) on this synthetic "
                             "size, if built (0: no)")
    parser.add_argument("--prune-pages", type=int, default=100,
                        help="time navigation.prune on a synthetic tree of this size with sub-sections (0: no)")
    parser.add_argument("--search-pages", type=int, default=1000,
                        help="also measure search (index bytes, keystroke to results in Chromium) on a synthetic "
                             "tree of this size, besides the real site (0: real site only; needs Chromium)")
    parser.add_argument("--search-queries", type=int, default=10, help="timed queries per language and kind")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of a build with and without hooks (valgrind; real site "
                             "and trees of up to 100 pages per language)")
    parser.add_argument("--trees", type=Path, default=BENCH / "trees")
    parser.add_argument("--out", type=Path, default=BENCH / "results.md")
    parser.add_argument("--readme", type=Path, default=None,
                        help="also put the table into this README's Performance section "
                             "(default: README.md when --out is bench/results.md)")
    args = parser.parse_args(argv)
    if args.instructions and not shutil.which("valgrind"):
        parser.error("--instructions needs valgrind (Debian: apt-get install valgrind)")
    if args.readme is None and args.out.resolve() == (BENCH / "results.md").resolve():
        args.readme = ROOT / "README.md"
    sizes = [int(size) for size in re.split(r"[\s,]+", args.pages.strip()) if size]
    real_runs = args.runs if args.real_runs is None else args.real_runs
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    args.trees = args.trees.resolve()
    args.trees.mkdir(parents=True, exist_ok=True)

    rows: list[Row] = []
    serves: list[dict] = []
    parallel = pruned = None
    serve: dict[str, list[float]] = {}
    serve_page, serve_pages = "", 0
    searched: list[dict] = []
    measure_search = args.search_queries > 0 and Path(search_bench.CHROMIUM).exists()
    with tempfile.TemporaryDirectory(prefix="kb-bench-project-") as tmp:
        project = copy_project(Path(tmp) / "project")
        real_pages = len(list((project / "docs" / "en").rglob("*.md")))
        if real_runs:
            rows.append(measure_tree(Row("real site", real_pages), project / "mkdocs.yml", project,
                                     project / "docs", real_runs, real_runs, synthetic=False,
                                     instructions=args.instructions))
        if args.serve_edits:
            serve_page, serve_pages = translated_page(project), real_pages * len(LANGUAGES)
            with_hooks, without = write_variants(project / "mkdocs.yml")
            # The project's own configuration, as `make serve` runs it; then the same without hooks.
            serve["with"] = serve_rebuilds(project, project / "mkdocs.yml", serve_page, args.serve_edits)
            log(f"serve, with hooks: {', '.join(f'{t:.1f} s' for t in serve['with'])}")
            serve["without"] = serve_rebuilds(project, without, serve_page, args.serve_edits)
            log(f"serve, without hooks: {', '.join(f'{t:.1f} s' for t in serve['without'])}")
            serves.append(serve_pair(project, project / "mkdocs.yml", args.serve_edits, "real site"))
        if measure_search:
            searched.append(search_figures(project / "mkdocs.yml", project, "real site", args.search_queries))
    for size in sizes:
        runs = args.big_runs if size >= BIG else args.runs
        # Instructions only for trees of up to 100 pages per language: under valgrind a build runs ~50 times slower.
        rows.append(synthetic_row(size, args.trees, runs, max(args.runs, 1), instructions=args.instructions and size <= 100))
    if args.checks_pages and args.checks_pages not in sizes:
        rows.append(synthetic_row(args.checks_pages, args.trees, 0, max(args.runs, 1)))
    tree_of = lambda size: args.trees / f"p{size}" if size in sizes else None  # noqa: E731
    if args.serve_edits and tree_of(args.serve_tree):
        serves.append(serve_pair(tree_of(args.serve_tree), tree_of(args.serve_tree) / "mkdocs.yml", args.serve_edits,
                                 f"synthetic, {args.serve_tree} pages per language"))
    scale_serve = None
    if args.serve_edits and args.scale_serve_pages and tree_of(args.scale_serve_pages):
        scale_serve = serve_preview(tree_of(args.scale_serve_pages), args.serve_edits, args.scale_serve_pages)
    if tree_of(args.parallel_pages):
        tree = tree_of(args.parallel_pages)
        parallel = {**parallel_languages(tree / "mkdocs.yml", tree, os.cpu_count() or 1), "pages": args.parallel_pages,
                    "name": f"synthetic, {args.parallel_pages} pages per language, {os.cpu_count()} CPUs"}
    if measure_search and args.search_pages:
        tree = tree_of(args.search_pages)
        if tree is None:
            tree = args.trees / f"p{args.search_pages}"
            if tree.exists():
                shutil.rmtree(tree)
            synth.write_tree(tree, args.search_pages)
        searched.append(search_figures(tree / "mkdocs.yml", tree, f"synthetic, {args.search_pages} pages per language",
                                       args.search_queries))
    if args.prune_pages:
        pruned = {**pruned_navigation(args.trees, args.prune_pages, 1),
                  "name": f"synthetic, {args.prune_pages} pages per language"}

    load_after = os.getloadavg()[0]
    report = table(rows, serve, serve_pages, serve_page)
    waiting, waiting_targets = waiting_table(rows, serves, parallel, pruned)
    growth, growth_targets = growth_table(rows)
    growth_targets += scale_serve_target(scale_serve)
    growth_part = [growth, ""] if growth else []
    lines = ["# Benchmark results", "", "Written by `make bench` (bench/run.py); see README, Performance.", "",
             *machine(args.runs, args.big_runs, load_before, load_after), "", waiting, "",
             *(search_table(searched) + [""] if searched else []), *growth_part, report, "",
             "Hooks add: extra build time with our hooks over the build without them (wall time and CPU time of the "
             "build process; median over the runs of each pair of builds made one after the other). Hooks add "
             "(instructions): the same for the instructions the build process executes, counted by valgrind "
             "(`--instructions`), which do not vary with the machine's load; when counted, they decide the target. In our hook code: time inside our hook functions. Pages/s and ms per page: with hooks. "
             "Peak memory: with / without hooks. Site size: the built site, with hooks. Checks alone: `Corpus.load` (what `make status` runs) in a fresh "
             "process, the first without the cache of parsed pages (cold), then with it (warm, median). Growth: the same "
             "builds per size, per page (KiB per page: the mean built page).", "", "Targets (measured, not asserted):", "",
             *waiting_targets, *growth_targets, *targets(rows, serve), "",
             f"The benchmark took {(time.perf_counter() - started) / 60:.1f} minutes."]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.readme:
        update_readme(args.readme, "\n".join([*machine(args.runs, args.big_runs, load_before, load_after)[:2],
                                              "", waiting, "", *(search_table(searched) + [""] if searched else []),
                                              *growth_part, report, "", *waiting_targets, *growth_targets,
                                              *targets(rows, serve)]))
    print("\n".join(lines))
    return 0


README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


def update_readme(readme: Path, text: str) -> bool:
    """Put the latest results between the README's bench markers; False when it has none."""
    if not readme.is_file():
        log(f"{readme} not found: not updated")
        return False
    content = readme.read_text(encoding="utf-8")
    start, end = content.find(README_START), content.find(README_END)
    if start < 0 or end < start:
        log(f"{readme} has no {README_START} … {README_END} markers: not updated")
        return False
    readme.write_text(content[: start + len(README_START)] + "\n" + text.strip() + "\n" + content[end:],
                      encoding="utf-8")
    return True


if __name__ == "__main__":
    sys.exit(main())
