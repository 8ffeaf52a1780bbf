"""Marking a translation current: records the origin's fingerprint and commit in the translation's front matter.

Usage: python -m kb.translation.staleness [--force] docs/el/playbooks/asking-for-referrals.md   (make mark-current FILE=…)
       python -m kb.translation.staleness --no-retranslation docs/en/faq/index.md   (make no-retranslation FILE=…)
The translator runs `make mark-current FILE=…` after updating a page; nobody computes a hash by hand.
`translated_from: <fingerprint> <commit>`: the commit is where `make diff` finds the origin's text as it
was (git history is the store); values written before the commit was recorded hold the fingerprint only.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from kb.util import cli
from kb.content.corpus import Corpus, shell_quote, translated_from
from kb.content.model import LANGUAGES, TRANSLATED_FROM, ContentError, Page, parse_page, printable

_ENTRY = re.compile(rb"^" + TRANSLATED_FROM.encode() + rb"[ \t]*:")


class Refused(Exception):
    """mark-current will not mark this file; the message is one line saying why."""


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def origin_commit(corpus: Corpus, origin: Page) -> str | None:
    """The last commit of the origin file, when the file is as committed (else its text has no commit)."""
    path = corpus.path_of(origin.lang, origin.rel)
    if _git(corpus.root, "status", "--porcelain", "--", path) != "":
        return None   # not a repository, or uncommitted edits
    commit = _git(corpus.root, "log", "-1", "--format=%H", "--", path)
    return commit or None


def _changed_since_origin(corpus: Corpus, page: Page, origin: Page) -> bool | None:
    """Has the translation been edited since the origin last changed? None when git cannot tell."""
    root = corpus.root
    path, origin_path = page.path, corpus.path_of(origin.lang, origin.rel)
    if _git(root, "status", "--porcelain", "--", path):
        return True    # edited and not committed yet
    if _git(root, "status", "--porcelain", "--", origin_path):
        return False   # the origin has edits the translation cannot have followed yet
    last_origin = _git(root, "log", "-1", "--format=%H", "--", origin_path)
    if not last_origin:
        return None
    if _git(root, "log", "-1", "--format=%H", "--", path) == last_origin:
        return True    # changed in the same commit as the origin
    since = _git(root, "log", "--format=%H", f"{last_origin}..HEAD", "--", path)
    return None if since is None else bool(since)


def _history_problem(root: Path) -> str | None:
    """Why git cannot record here who declared a change (make no-retranslation commits it), or None."""
    if shutil.which("git") is None:
        return ("git is not installed: make no-retranslation records the declaration in git history; install git "
                "(apt-get install git), then run it again")
    if _git(root, "rev-parse", "--is-inside-work-tree") != "true":
        return ("this folder is not a git repository (a copy without its history): make no-retranslation records "
                "the declaration in git history; run it in a clone of the repository")
    if _git(root, "rev-parse", "--verify", "--quiet", "HEAD") is None:
        return "the repository has no commit yet: commit the pages first, then run make no-retranslation again"
    return None


def record(corpus: Corpus, origin: Page) -> str:
    commit = origin_commit(corpus, origin)
    return f"{origin.fingerprint} {commit[:12]}" if commit else origin.fingerprint


def mark_current(corpus: Corpus, file: Path, force: bool = False) -> str:
    """Write `translated_from: <origin fingerprint> <origin commit>` into the file's front matter, changing
    no other byte; returns what was done. Unless forced, refuses an outdated translation that has not been
    edited since its origin changed (raises Refused)."""
    path = file.resolve()
    try:
        rel_to_docs = path.relative_to(corpus.docs)
    except ValueError:
        raise SystemExit(f"{printable(str(file))}: not a page under {corpus.display(corpus.docs)}/")
    lang, rel = rel_to_docs.parts[0], Path(*rel_to_docs.parts[1:]).as_posix()
    page = corpus.pages.get((lang, rel))
    if page is None:
        error = corpus.broken.get((lang, rel))
        refusal = corpus.refused.get(f"{lang}/{rel}")   # a name that is not a slug, a named pipe, …
        raise SystemExit(str(error or refusal) if error or refusal else f"{printable(str(file))}: no such page")
    origin = corpus.origin_page(rel)
    if origin is None:
        raise SystemExit(f"{page.path}:1: cannot mark: the origin page of {rel} cannot be read")
    if origin.lang == lang:
        return f"{page.path}: is the origin ({lang}); nothing to mark"
    entry = f"{TRANSLATED_FROM}: {record(corpus, origin)}"
    recorded = translated_from(page)
    outdated = recorded is None or recorded[0] != origin.fingerprint
    if not outdated and recorded[1]:
        return f"{page.path}: already current with origin {origin.lang}"
    if outdated and not force and _changed_since_origin(corpus, page, origin) is False:
        raise Refused(f"{page.path}:{page.line_of(TRANSLATED_FROM)}: not marked: the file has not changed since "
                      f"its origin {origin.lang} changed (update it first; see make diff FILE={shell_quote(page.path)}; "
                      f"FORCE=1 marks it anyway)")
    raw = path.read_bytes()
    lines = raw.split(b"\n")   # each line keeps its "\r", if any: line endings stay as they are
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in (b"---", b"...")), None)
    if end is None:
        raise SystemExit(f"{page.path}:1: cannot mark: front matter is not closed")
    ending = b"\r" if lines[end].endswith(b"\r") else b""
    new = entry.encode("utf-8")
    for i in range(1, end):
        if _ENTRY.match(lines[i]):
            own_ending = b"\r" if lines[i].endswith(b"\r") else b""
            if lines[i].rstrip(b"\r").strip() == new:
                return f"{page.path}: already current with origin {origin.lang}"
            lines[i] = new + own_ending
            break
    else:
        lines.insert(end, new + ending)
    path.write_bytes(b"\n".join(lines))
    return f"{page.path}: marked as translated from origin {origin.lang} ({entry.split(': ', 1)[1]})"


def no_retranslation(corpus: Corpus, file: Path) -> list[str]:
    """The origin's last change needs no retranslation: mark every translation of it current and commit
    that (the commit says who declared it and when)."""
    path = file.resolve()
    if not path.is_relative_to(corpus.docs) or len(path.relative_to(corpus.docs).parts) < 2:
        raise SystemExit(f"{printable(str(file))}: not a page under docs/<lang>/")
    lang, *parts = path.relative_to(corpus.docs).parts
    rel = Path(*parts).as_posix()
    origin = corpus.origin_page(rel)
    if origin is None or origin.lang != lang:
        where = f"the origin is docs/{origin.lang}/{rel}" if origin else "its origin cannot be read"
        raise SystemExit(f"{printable(corpus.display(path))}:1: not an origin page ({where}); give the origin's file")
    history = _history_problem(corpus.root)
    if history:
        raise SystemExit(f"{origin.path}:1: {history}")
    if origin_commit(corpus, origin) is None:
        raise SystemExit(f"{origin.path}:1: commit the change to the origin first (git commit {shell_quote(origin.path)}), "
                         f"then run make no-retranslation again")
    # Only the translations that were current before this change: one that was outdated already still
    # needs the earlier changes translated, and marking it would hide them (from make diff and the checks).
    before = fingerprint_before_last_change(corpus, origin)
    done, marked, pending = [], [], []
    for other in corpus.languages:
        page = corpus.pages.get((other, rel))
        if other == lang or page is None or not corpus.outdated(other, rel):
            continue
        recorded = translated_from(page)
        if before is None or recorded is None or recorded[0] != before:
            pending.append(page.path)
            continue
        done.append(mark_current(corpus, corpus.docs / other / rel, force=True))
        marked.append(page.path)
    if pending:
        why = ("its earlier version is not in git, so which were current before cannot be told" if before is None
               else "they were outdated before this change")
        done.append(f"left outdated ({why}; make diff shows what each still needs): {', '.join(pending)}")
    if not marked:
        return done or [f"{origin.path}: every translation is already current"]
    message = f"No retranslation needed after the last change to {origin.path}\n\nMarked current: {', '.join(marked)}"
    if _git(corpus.root, "commit", "--quiet", "-m", message, "--", *marked) is None:
        done.append(f"{origin.path}: marked, but git commit failed: commit {' '.join(map(shell_quote, marked))} yourself")
    else:
        done.append(f"committed as {_git(corpus.root, 'log', '-1', '--format=%h by %an, %ad', '--date=short')}"
                    f" (to undo: git revert {_git(corpus.root, 'log', '-1', '--format=%h')})")
    return done


def fingerprint_before_last_change(corpus: Corpus, origin: Page) -> str | None:
    """The origin's fingerprint as it was before its last commit (renames followed); None when git has no
    earlier version of it."""
    path = corpus.path_of(origin.lang, origin.rel)
    log = _git(corpus.root, "log", "--follow", "-n", "2", "--format=commit %H", "--name-only", "--", path)
    versions: list[list[str]] = []
    for line in (log or "").splitlines():
        if line.startswith("commit "):
            versions.append([line[len("commit "):], path])
        elif line.strip() and versions:
            versions[-1][1] = line.strip()
    if len(versions) < 2:
        return None
    commit, name = versions[1]
    try:   # the file's bytes as they were (not stripped: the fingerprint counts the last line's end)
        shown = subprocess.run(["git", "-C", str(corpus.root), "show", f"{commit}:{name}"], capture_output=True,
                               timeout=30, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
        if shown.returncode != 0:
            return None
        return parse_page(shown.stdout.decode("utf-8"), f"{name}@{commit[:12]}", origin.lang, origin.rel).fingerprint
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError, ContentError):
        return None


def main(argv: list[str]) -> int:
    force = "--force" in argv
    retranslation = "--no-retranslation" in argv
    args = [arg for arg in argv if arg not in ("--force", "--no-retranslation") and arg]
    if not args and os.environ.get("FILE"):   # make mark-current FILE=…: as typed, in the environment
        args = [os.environ["FILE"]]
    if not args:
        print("usage: make mark-current FILE=docs/<lang>/<page>.md   (or a language folder; FORCE=1 to skip the check)\n"
              "       make no-retranslation FILE=docs/<origin>/<page>.md")
        return 2
    corpus = Corpus.load(Path("docs"), Path.cwd())
    if retranslation:
        for arg in args:
            for line in no_retranslation(corpus, Path(arg)):
                print(line)
        return 0
    refused = 0
    for arg in args:
        target = Path(arg)
        if not target.exists():
            print(f"{printable(arg)}: no such file or folder")
            return 2
        folder = target.is_dir()
        for file in sorted(target.rglob("*.md")) if folder else [target]:
            resolved = file.resolve()
            lang = resolved.relative_to(corpus.docs).parts[0] if resolved.is_relative_to(corpus.docs) else None
            if lang not in LANGUAGES:
                print(f"{printable(str(file))}: not a page under docs/<lang>/")
                return 2
            rel = Path(*resolved.relative_to(corpus.docs).parts[1:]).as_posix()
            if folder and not corpus.outdated(lang, rel):
                continue   # a folder marks only its outdated pages
            try:
                print(mark_current(corpus, file, force=force))
            except Refused as refusal:
                print(refusal)
                refused += 1
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(cli.run(main, sys.argv[1:]))
