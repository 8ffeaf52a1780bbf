"""`make new-page TYPE=<type> SLUG=<slug> [ORIGIN=<lang>] [TITLE="..."]`: a new page in its origin language,
from the template of its type, valid as it is under `mkdocs build --strict`.

`SLUG=billing/refund` puts the page into a sub-folder of its section (a sub-section of the menu, for large
sites: README, Performance); a sub-folder that no language has yet gets its index page too, named after
the folder, which lists the sub-folder's pages.

Nothing else is edited by hand: the navigation, its section's index page and (a checklist) the print pack
follow the pages in docs/ (kb.navigation); the other languages list it as missing until it is translated.
The file is written whole or not at all; every refusal is one line.
"""
from __future__ import annotations

import os
import posixpath
import re
import sys
import tempfile
from pathlib import Path

from kb import navigation
from kb.corpus import Corpus
from kb.model import DEFAULT_LANGUAGE, LANGUAGES, PAGE_TYPES, TAGS

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*){0,2}", re.ASCII)   # up to 2 sub-folders
FOLDERS = {"playbook": "playbooks", "checklist": "checklists", "faq": "faq", "quotes": "quotes", "page": ""}


class Refusal(Exception):
    """Why the page was not created: one line for the person who asked."""


def rel_path(page_type: str, slug: str) -> str:
    folder = FOLDERS[page_type]
    return f"{folder}/{slug}.md" if folder else f"{slug}.md"


def validate(page_type: str, slug: str, origin: str, title: str, docs: Path) -> str:
    """The new page's docs-relative path, or a Refusal."""
    if page_type not in PAGE_TYPES:
        raise Refusal(f"unknown TYPE '{page_type}' (one of {', '.join(PAGE_TYPES)})" if page_type
                      else f"TYPE is missing: make new-page TYPE=<{'|'.join(PAGE_TYPES)}> SLUG=<slug>")
    if not slug:
        raise Refusal("SLUG is missing: make new-page TYPE=<type> SLUG=first-call (lower-case English words joined by hyphens)")
    if not SLUG.fullmatch(slug):
        raise Refusal(f"SLUG '{slug}' is not lower-case ASCII words joined by hyphens (e.g. first-call, or "
                      "billing/first-call in a sub-folder); it is the page's file name and address in every language")
    if "/" in slug and not FOLDERS.get(page_type):
        raise Refusal(f"SLUG '{slug}': only pages in a section (playbook, checklist, faq, quotes) go into a "
                      "sub-folder; a page of TYPE page stays at the top")
    if origin not in LANGUAGES:
        raise Refusal(f"unknown ORIGIN '{origin}' (one of {', '.join(LANGUAGES)})")
    if "\n" in title or "\r" in title or any(ord(c) < 32 for c in title):
        raise Refusal("TITLE must be one line of text")
    rel = rel_path(page_type, slug)
    if slug.rsplit("/", 1)[-1] == "index":
        raise Refusal(f"SLUG '{slug}' is the section's own page ({rel}); choose another slug")
    for lang in LANGUAGES:
        existing = docs / lang / rel
        if existing.exists():
            raise Refusal(f"docs/{lang}/{rel} already exists: choose another SLUG (or edit that page)")
        if page_type == "page" and (docs / lang / slug).is_dir():
            raise Refusal(f"SLUG '{slug}' is a section of the site (docs/{lang}/{slug}/): choose another slug")
    return rel


def _front_matter(page_type: str, origin: str, order: int | None, extra: list[str]) -> str:
    lines = ["---", f"type: {page_type}"]
    if order is not None:
        lines.append(f"nav_order: {order}")
    tag = {"page": "", "quotes": "quotes"}.get(page_type, "communication")
    tags = f"tags: [{tag}]   # English tag ids, one or more of: {', '.join(TAGS)}" if tag else "tags: []"
    lines += [f"origin: {origin}", tags, *extra, "---", ""]
    return "\n".join(lines)


def template(page_type: str, origin: str, title: str, order: int | None, depth: int = 0) -> str:
    """The page's text, `depth` sub-folders below its section. Placeholders are English, for the writer to
    replace; they pass every check."""
    heading = f"# {title}\n\n"
    up = "../" * depth   # from the page's folder to its section's
    description = "description: What this page is for, in one line (shown on its section's page)"
    if page_type == "playbook":
        return (_front_matter(page_type, origin, order, ["steps: 2", description]) + "\n" + heading
                + "When to follow this playbook, in one or two sentences.\n\n"
                "## 1. First step {#first-step}\n\n"
                "What to do, in one line. Then why, in one sentence.\n\n"
                "**Say:** a phrase the agent can use as it is.\n\n"
                "## 2. Second step {#second-step}\n\n"
                "What to do next, and why.\n\n"
                "## Related {#related}\n\n"
                f"- [Checklists](../{up}checklists/index.md)\n")
    if page_type == "checklist":
        return (_front_matter(page_type, origin, order, [description]) + "\n" + heading
                + "When to use this checklist, in one line.\n\n"
                "- [ ] First thing to check\n"
                "- [ ] Second thing to check\n"
                "- [ ] Third thing to check\n\n"
                "## Related {#related}\n\n"
                f"- [Checklists]({up}index.md)\n")
    if page_type == "faq":
        mark = ";" if origin == "el" else "?"   # Greek writes the question mark as ";"
        return (_front_matter(page_type, origin, order, []) + "\n" + heading
                + "What these questions are about, in one line.\n\n"
                f"## The first question{mark} {{#first-question}}\n\n"
                "A short, straight answer.\n\n"
                f"## The second question{mark} {{#second-question}}\n\n"
                "A short, straight answer.\n")
    if page_type == "quotes":
        return (_front_matter(page_type, origin, order, []) + "\n" + heading
                + "What these quote cards are for, in one line.\n\n"
                "## Name of the author {#first-card}\n\n"
                "> The quotation.\n\n"
                "Who the author is, in one line.\n")
    return _front_matter(page_type, origin, order, []) + "\n" + heading + "The text of the page.\n"


def next_order(corpus: Corpus, rel: str) -> int | None:
    """A nav_order after the last ordered page beside the new one, so that it goes to the end of its list."""
    folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
    orders = []
    for other in corpus.rels:
        same_place = other.rsplit("/", 1)[0] == folder if folder else "/" not in other or other.endswith("/index.md")
        page = navigation.reference(corpus, other)
        if not same_place or page is None or page.generate or other == f"{folder}/index.md":
            continue
        if navigation.for_editors(corpus, other):
            continue
        order = navigation.nav_order(page)
        if order is not None:
            orders.append(order)
    return max(orders) + 10 if orders else None


def sub_folder_index(origin: str, title: str, order: int | None) -> str:
    """The index page of a new sub-folder: it names the sub-section and lists its pages."""
    return (_front_matter("page", origin, order, ["generate: section-index"])
            + f"\n# {title}\n\nWhat the pages of this group are about, in one line.\n")


def create(root: Path, page_type: str, slug: str, origin: str = DEFAULT_LANGUAGE, title: str = "") -> list[Path]:
    """Write the page (and the index of a new sub-folder); the files written."""
    docs = root / "docs"
    rel = validate(page_type, slug, origin, title, docs)
    title = title.strip() or slug.rsplit("/", 1)[-1].replace("-", " ").capitalize()
    corpus = Corpus.load(docs, root)
    section = FOLDERS[page_type]
    if not (docs / origin / section).is_dir():
        where = f"docs/{origin}/{section}".rstrip("/")
        raise Refusal(f"{where} does not exist: run make new-page in the project's folder")
    pending = []   # (docs-relative path, text): every file to write
    folder = posixpath.dirname(rel)
    while folder != section:   # sub-folders no language has yet: their index pages, outermost first
        index = f"{folder}/index.md"
        if not any((docs / lang / folder).is_dir() for lang in LANGUAGES):
            pending.insert(0, (index, sub_folder_index(origin, navigation.folder_title(folder), next_order(corpus, index))))
        folder = posixpath.dirname(folder)
    pending.append((rel, template(page_type, origin, title, next_order(corpus, rel), slug.count("/"))))
    written: list[Path] = []
    try:
        for path, text in pending:
            written.append(_write_new(docs / origin / path, text, f"docs/{origin}/{path}"))
    except BaseException:
        for path in reversed(written):   # all or nothing
            path.unlink(missing_ok=True)
        for path in reversed(written):
            _remove_empty_folders(path.parent, docs / origin / section)
        raise
    return written


def _write_new(target: Path, text: str, shown: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written to a temporary file beside it, then renamed: the page is there whole or not at all.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".new-page-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        if target.exists():
            raise Refusal(f"{shown} already exists: choose another SLUG")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _remove_empty_folders(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def main(argv: list[str]) -> int:
    env = os.environ   # `make new-page TYPE=... SLUG=...`: make passes its command-line variables on
    args = dict(arg.split("=", 1) for arg in argv if "=" in arg)
    get = lambda key, default="": args.get(key, env.get(key, default)).strip()  # noqa: E731
    try:
        written = create(Path.cwd(), get("TYPE"), get("SLUG"), get("ORIGIN") or DEFAULT_LANGUAGE, get("TITLE"))
    except Refusal as refusal:
        print(f"new-page: {refusal}", file=sys.stderr)
        return 2
    *indexes, target = (path.relative_to(Path.cwd()).as_posix() for path in written)
    print(f"created {target}: write it, then `make serve` to see it. The navigation, its section's page "
          "and the print pack (checklists) list it by themselves; make status lists its translations as missing.")
    for index in indexes:
        print(f"created {index}: the new sub-folder's page (its title names the sub-section in the menu; "
              "write one line on what its pages are about)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
