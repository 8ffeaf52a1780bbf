"""Translation status: pages by languages, each cell ok / outdated / missing / error.

`python -m kb.status` (make status) prints the problems, the table and a one-line summary, and exits 1
when any page has an error. The site's "Translation status" page renders the same rows.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from kb.checks import ERROR, OUTDATED
from kb import diff
from kb.corpus import MISSING, OK, Corpus, shell_quote

CELLS = (OK, OUTDATED, MISSING, ERROR)


def rows(corpus: Corpus) -> list[tuple[str, list[str]]]:
    return [(rel, [corpus.cell(lang, rel) for lang in corpus.languages]) for rel in corpus.rels]


def summary_counts(corpus: Corpus) -> Counter:
    return Counter(cell for _, cells in rows(corpus) for cell in cells)


def render_text(corpus: Corpus) -> str:
    table = rows(corpus)
    width = max([len("page")] + [len(rel) for rel, _ in table])
    lines = ["page".ljust(width) + "  " + "  ".join(lang.ljust(8) for lang in corpus.languages)]
    for rel, cells in table:
        lines.append(rel.ljust(width) + "  " + "  ".join(cell.ljust(8) for cell in cells).rstrip())
    counts = summary_counts(corpus)
    folder_problems = [p for p in corpus.errors if p.line == 0]
    lines.append(
        f"{len(table)} pages × {len(corpus.languages)} languages: "
        + ", ".join(f"{counts[c]} {c}" for c in CELLS)
        + (f"; {len(folder_problems)} folder problem(s)" if folder_problems else "")
    )
    for index, lang in enumerate(corpus.languages):
        per = Counter(cells[index] for _, cells in table)
        lines.append(f"{lang}: " + ", ".join(f"{per[c]} {'current' if c == OK else c}" for c in CELLS if per[c] or c != ERROR)
                     + f" of {len(table)} pages")
    return "\n".join(lines)


def main() -> int:
    corpus = Corpus.load(Path("docs"), Path.cwd())
    for problem in corpus.problems:
        print(problem)
    changes = diff.changes_of_outdated(corpus)
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
    print(render_text(corpus))
    errors = len(corpus.errors)
    if errors:
        print(f"error: {errors} page problem(s) above must be fixed before publishing")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
