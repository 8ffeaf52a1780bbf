"""`make check`: the checks of a strict build, run before any generator (README, For translators / For developers).

It reads docs/ with the core, as `make status` does, and prints one line for each problem that stops
`make build`: the same lines the build prints, from the same code (the pages' problems, kb/content/corpus.py; the
interface catalogs', kb/content/locales.py: check_catalogs), without running MkDocs. Exit status 1 when any, else 0;
the count goes to standard error, so that standard output holds the problems' lines alone (for CI, an editor).
What only a build can see stays with the build: the HTML that Markdown made of a page (kb/checking/rawhtml.py:
rendered_problems, behind its Markdown's own check here), and what the theme writes into the pages (scripts
against deploy/nginx.conf's CSP, anything loaded from another host: kb/checking/publish.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

from kb.util import cli
from kb.content import locales
from kb.content.corpus import Corpus


def stopping(corpus: Corpus, root: Path) -> list:
    """What stops a strict build, in the order the build prints it: the pages', then the catalogs'."""
    catalog_problems, _ = locales.check_catalogs(corpus, locales.project_locales(root), root)
    return [*corpus.errors, *catalog_problems]


def main() -> int:
    root = Path.cwd()
    corpus = Corpus.load(Path("docs"), root)
    problems = stopping(corpus, root)
    for problem in problems:
        print(problem)
    pages = len(corpus.pages) + len(corpus.broken)
    if problems:
        print(f"make check: {len(problems)} problem(s) above stop make build", file=sys.stderr)
        return 1
    print(f"make check: no problem stops make build ({pages} pages in {len(corpus.languages)} languages)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(cli.run(main))
