"""Marking a translation current: records the origin's fingerprint in the translation's front matter.

Usage: python -m kb.staleness docs/el/playbooks/asking-for-referrals.md [more files…]
The translator runs `make mark-current FILE=…` after updating a page; nobody computes a hash by hand.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from kb.corpus import Corpus
from kb.model import LANGUAGES, TRANSLATED_FROM


def mark_current(corpus: Corpus, file: Path) -> str:
    """Write `translated_from: <origin fingerprint>` into the file's front matter; returns what was done."""
    path = file.resolve()
    try:
        rel_to_docs = path.relative_to(corpus.docs)
    except ValueError:
        raise SystemExit(f"{file}: not a page under {corpus.display(corpus.docs)}/")
    lang, rel = rel_to_docs.parts[0], Path(*rel_to_docs.parts[1:]).as_posix()
    page = corpus.pages.get((lang, rel))
    if page is None:
        error = corpus.broken.get((lang, rel))
        raise SystemExit(str(error) if error else f"{file}: no such page")
    origin = corpus.origin_page(rel)
    if origin is None:
        raise SystemExit(f"{page.path}:1: cannot mark: the origin page of {rel} cannot be read")
    if origin.lang == lang:
        return f"{page.path}: is the origin ({lang}); nothing to mark"
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    entry = f"{TRANSLATED_FROM}: {origin.fingerprint}"
    for i in range(1, end):
        if re.match(rf"^{TRANSLATED_FROM}\s*:", lines[i]):
            if lines[i].strip() == entry:
                return f"{page.path}: already current with origin {origin.lang}"
            lines[i] = entry
            break
    else:
        lines.insert(end, entry)
    path.write_text("\n".join(lines), encoding="utf-8")
    return f"{page.path}: marked as translated from origin {origin.lang} ({origin.fingerprint})"


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: make mark-current FILE=docs/<lang>/<page>.md   (or several files, or a language folder)")
        return 2
    corpus = Corpus.load(Path("docs"), Path.cwd())
    files: list[Path] = []
    for arg in argv:
        target = Path(arg)
        files += sorted(target.rglob("*.md")) if target.is_dir() else [target]
    for file in files:
        lang = file.resolve().relative_to(corpus.docs).parts[0] if file.resolve().is_relative_to(corpus.docs) else None
        if lang not in LANGUAGES:
            print(f"{file}: not a page under docs/<lang>/")
            return 2
        print(mark_current(corpus, file))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
