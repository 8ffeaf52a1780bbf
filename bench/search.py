"""Search as a reader meets it (issue 22): the bytes of the index a reader's browser downloads, and the
time from the last key press to the results shown, typed into the built site's own search box in
Chromium. A benchmark figure, never a timed test.

usage: python bench/search.py SITE_DIR [--queries N]   (a built site; prints the figures as JSON)
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import random
import re
import statistics
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from kb.content.model import LANGUAGES  # noqa: E402

CHROMIUM = "/usr/bin/chromium"

# Set in the page before the last key: the time of its input event (typed or composed), and of the first change of the results after it.
TIMER = """() => {
    const result = document.querySelector('[data-md-component=search-result]')
    window.kbLatency = null
    const box = document.querySelector('.md-search__input')
    box.addEventListener('input', () => {
        const start = performance.now()
        const observer = new MutationObserver(() => { window.kbLatency = performance.now() - start; observer.disconnect() })
        observer.observe(result, {childList: true, subtree: true, characterData: true})
    }, {once: true})
}"""


def index_bytes(site: Path) -> dict[str, int]:
    """Bytes of each language's search index (what a reader of that language downloads)."""
    return {lang: (site / ("" if lang == LANGUAGES[0] else lang) / "search" / "search_index.json").stat().st_size
            for lang in LANGUAGES
            if (site / ("" if lang == LANGUAGES[0] else lang) / "search" / "search_index.json").is_file()}


def sample_queries(site: Path, lang: str, count: int, seed: int = 1) -> list[tuple[str, str]]:
    """Words of the language's page titles (kind "word") and the same words with a letter swapped ("typo")."""
    folder = site / ("" if lang == LANGUAGES[0] else lang) / "search" / "search_index.json"
    index = json.loads(folder.read_text(encoding="utf-8"))
    words = sorted({w.lower() for doc in index["docs"] for w in re.findall(r"[^\W\d_]{7,}", doc.get("title", ""))})
    rng = random.Random(f"{seed}:{lang}")
    chosen = rng.sample(words, min(count, len(words)))
    swapped = [w[:3] + w[4] + w[3] + w[5:] for w in chosen]
    return [(w, "word") for w in chosen] + [(w, "typo") for w in swapped]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def latencies(site: Path, queries: int = 10) -> dict:
    """Per language: milliseconds from the last key press of a query to the first change of the results,
    median and maximum, for whole words and for words with a typo (which also search near words)."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    found: dict = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            for lang in index_bytes(site):
                page.goto(f"{base}/{'' if lang == LANGUAGES[0] else lang + '/'}")
                box = page.locator(".md-search__input")
                box.click()
                box.fill("warm")    # the index is fetched and built before the first timed query
                page.wait_for_selector(".md-search-result__meta:not(:empty)")
                page.wait_for_timeout(1500)
                times: dict[str, list[float]] = {"word": [], "typo": []}
                for query, kind in sample_queries(site, lang, queries):
                    box.fill("")
                    page.wait_for_timeout(100)
                    box.press_sequentially(query[:-1])
                    page.wait_for_timeout(300)
                    page.evaluate(TIMER)
                    box.press_sequentially(query[-1])
                    page.wait_for_function("window.kbLatency !== null", timeout=30_000)
                    times[kind].append(page.evaluate("window.kbLatency"))
                found[lang] = {kind: {"median": statistics.median(values), "max": max(values), "queries": len(values)}
                               for kind, values in times.items() if values}
            browser.close()
    finally:
        server.shutdown()
    return found


def measure(site: Path, queries: int = 10) -> dict:
    return {"bytes": index_bytes(site), "latency_ms": latencies(site, queries)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--queries", type=int, default=10)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.site, args.queries), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
