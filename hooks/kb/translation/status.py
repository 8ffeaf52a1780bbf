"""Translation status: pages by languages, each cell ok / outdated / missing / error.

`python -m kb.translation.status` (make status) prints the problems, the table and a one-line summary, and exits 1
when any page has an error. The site's "Translation status" page renders the same rows.
"""
from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

from kb.util import cli
from kb.checking.checks import ERROR, OUTDATED
from kb.translation import diff
from kb.content.corpus import MISSING, OK, Corpus, shell_quote
from kb.content.model import printable

CELLS = (OK, OUTDATED, MISSING, ERROR)


def rows(corpus: Corpus) -> list[tuple[str, list[str]]]:
    return [(rel, [corpus.cell(lang, rel) for lang in corpus.languages]) for rel in corpus.rels]


def summary_counts(corpus: Corpus) -> Counter:
    return Counter(cell for _, cells in rows(corpus) for cell in cells)


def render_text(corpus: Corpus, only: str | None = None) -> str:
    """The table and the summary lines; `only`: one language's column and line."""
    table = rows(corpus)
    shown = [i for i, lang in enumerate(corpus.languages) if only in (None, lang)]
    width = max([len("page")] + [len(rel) for rel, _ in table])
    lines = ["page".ljust(width) + "  " + "  ".join(corpus.languages[i].ljust(8) for i in shown)]
    for rel, cells in table:
        lines.append(rel.ljust(width) + "  " + "  ".join(cells[i].ljust(8) for i in shown).rstrip())
    if only is None:
        counts = summary_counts(corpus)
        folder_problems = [p for p in corpus.errors if p.line == 0]
        lines.append(
            f"{len(table)} pages × {len(corpus.languages)} languages: "
            + ", ".join(f"{counts[c]} {c}" for c in CELLS)
            + (f"; {len(folder_problems)} folder problem(s)" if folder_problems else "")
        )
    for index in shown:
        per = Counter(cells[index] for _, cells in table)
        lines.append(f"{corpus.languages[index]}: " + ", ".join(f"{per[c]} {'current' if c == OK else c}" for c in CELLS if per[c] or c != ERROR)
                     + f" of {len(table)} pages")
    return "\n".join(lines)


def _of_language(corpus: Corpus, only: str | None):
    """Whether a problem's file is shown: with `only`, that language's pages and the files of no language
    (glossary.yml, moved-pages.yml)."""
    if only is None:
        return lambda path: True
    docs = corpus.display(corpus.docs) + "/"
    return lambda path: not path.startswith(docs) or path.startswith(f"{docs}{only}/") or path == f"{docs}{only}"


def main(argv: list[str] | None = None) -> int:
    only = (argv[0] if argv else os.environ.get("KB_ONLY_LANGUAGE", "")).strip() or None
    corpus = Corpus.load(Path("docs"), Path.cwd())
    if only is not None and only not in corpus.languages:
        print(f"make status: unknown language '{printable(only, 40)}': LANG=… takes one of {' '.join(corpus.languages)}")
        return 2
    shown = _of_language(corpus, only)
    for problem in corpus.problems:
        if shown(problem.path):
            print(problem)
    changes = {key: change for key, change in diff.changes_of_outdated(corpus).items() if only in (None, key[0])}
    for problem in diff.problems(changes):
        print(problem)
    for (lang, rel), change in sorted(changes.items()):
        if change.sections:
            print(f"{change.page.path}: changed in origin {change.origin.lang} since commit {change.commit}: "
                  + ", ".join(f"{c.label} ({c.kind})" for c in change.sections)
                  + f" (make diff FILE={shell_quote(change.page.path)})")
            for section in change.sections:
                print(f"    {section.label}: {diff.excerpt(section.words)}")
        elif change.unavailable:
            print(f"{change.page.path}: which sections changed is not known: {change.unavailable}")
    if corpus.problems or changes:
        print()
    print(render_text(corpus, only))
    errors = len([p for p in corpus.errors if shown(p.path)])
    elsewhere = len(corpus.errors) - errors
    if elsewhere:
        print(f"({elsewhere} problem(s) in other languages: make status shows them)")
    if errors:
        print(f"error: {errors} page problem(s) above must be fixed before publishing")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(cli.run(main, sys.argv[1:]))
