"""make publish: publishing never waits for one translator's slip (README, Deploying).

`make build` is strict: any error stops it. `make publish` runs the same build with KB_PUBLISH set to a
report file: a translation with an error (or that cannot be read) is published as its stand-in (the
reader's next-best language, else the origin: Corpus.stand_in) under a notice, and an interface catalog's
faulty entries show the default language's text (a catalog that cannot be read as written: all of it).
The hooks write what they replaced to the report; after site/ is swapped in, `python -m kb.translation.slips REPORT`
lists it and exits with REPLACED. Errors that nothing stands in for (an origin page's, glossary.yml's,
mkdocs.yml's, a file refused under docs/) stop make publish as they stop make build.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

VARIABLE = "KB_PUBLISH"
REPLACED = 3   # exit status of `python -m kb.translation.slips` when something was replaced (make: see the Makefile)


def requested() -> Path | None:
    """The report file of a `make publish` build, or None for any other build."""
    value = os.environ.get(VARIABLE, "").strip()
    return Path(value) if value else None


def write_report(path: Path, corpus, catalog_problems, default_text) -> None:
    """What this build publishes instead of what is written: each replaced page with its stand-in's
    language and its errors, and the catalogs' problems."""
    pages = []
    for lang, rel in sorted(corpus.replaced):
        shown = corpus.stand_in(lang, rel)
        pages.append({"path": corpus.path_of(lang, rel), "shown": shown.lang if shown else "",
                      "problems": [str(p) for p in corpus.problems_for(lang, rel) if p.kind == "error"]})
    report = {"pages": pages, "catalogs": [str(p) for p in catalog_problems], "default_text": sorted(default_text)}
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


def render(report: dict) -> tuple[str, bool]:
    """The report as lines for the terminal, and whether anything was replaced."""
    lines = []
    for page in report.get("pages", []):
        lines.append(f"{page['path']}: published as its fallback ({page['shown']}) because of:")
        lines += [f"    {problem}" for problem in page["problems"]]
    catalogs = report.get("catalogs", [])
    if catalogs:
        whole = report.get("default_text") or []
        lines.append("interface text shown in the default language instead"
                     + (f" (all of it in {', '.join(whole)}: the catalog cannot be read as written)" if whole else "")
                     + " because of:")
        lines += [f"    {problem}" for problem in catalogs]
    pages = len(report.get("pages", []))
    replaced = bool(pages or catalogs)
    if replaced:
        parts = [f"{pages} page(s) published as their fallback"] if pages else []
        parts += [f"{len(catalogs)} interface text problem(s)"] if catalogs else []
        lines.append(f"make publish: site/ is ready, with {' and '.join(parts)}: fix the lines above (make build "
                     f"shows them as errors), then publish again")
    else:
        lines.append("make publish: site/ is ready; every page as written")
    return "\n".join(lines), replaced


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m kb.translation.slips REPORT   (make publish runs it)")
        return 2
    try:
        report = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"make publish: the build left no readable report ({exc})")
        return 1
    text, replaced = render(report)
    print(text)
    return REPLACED if replaced else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
