"""What changed in an origin page since a translation was marked current: per section (step, checklist
group, FAQ question, quote card, the untitled introduction), the origin's old and new text and a word diff.

git history is the store: `translated_from: <fingerprint> <commit>` (written by `make mark-current`) names
the origin's commit; its text comes from `git show <commit>:<path>`, parsed with the same content model.
Nothing is copied into the page.

Usage: python -m kb.translation.diff docs/ru/faq/index.md   (make diff FILE=…): a translation, or an origin page
(then every outdated translation of it).
"""
from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kb.util import cli
from kb.checking.checks import OUTDATED, Problem
from kb.content.corpus import Corpus, shell_quote, translated_from
from kb.content.model import LINE_LIMIT, TRANSLATED_FROM, ContentError, Page, Section, parse_page, printable

CHANGED, ADDED, REMOVED = "changed", "added", "removed"
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")   # linear: runs of space, words, single punctuation marks
FETCH = "git fetch --unshallow"
_SPACES = re.compile(r"\s+")


@dataclass
class SectionChange:
    key: str                 # how the section is matched: its id, '' for the introduction
    anchor: str | None       # where it is on the origin page (None: the top)
    label: str               # for the terminal: "step 2 'fix-it-fast'", "the introduction"
    title: str               # the origin's heading (new, or old when removed), '' for the introduction
    kind: str                # changed | added | removed
    old: str
    new: str
    line: int                # the section's line in the current origin (0 when removed)

    @property
    def words(self) -> list[tuple[str, str]]:
        """The word diff: ("equal" | "delete" | "insert", text) runs, spaces kept."""
        return word_diff(self.old, self.new)


@dataclass
class Changes:
    """What changed in the origin of one outdated translation, or why that cannot be said."""

    page: Page
    origin: Page
    commit: str | None = None
    sections: list[SectionChange] = field(default_factory=list)
    unavailable: str | None = None     # why the sections are unknown (one line), None when they are known
    problem: Problem | None = None     # a bad value or a lost commit: file:line and what to do


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Runs of ("equal" | "delete" | "insert", text); changed words next to each other, with only spaces
    between them, make one deleted and one inserted run ("a day" -> "an hour", not "a" -> "an", "day" -> "hour")."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    runs: list[tuple[str, str]] = []
    deleted, inserted = [], []

    def flush():
        if deleted:
            runs.append(("delete", "".join(deleted)))
        if inserted:
            runs.append(("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            text = "".join(a[i1:i2])
            between = (deleted or inserted) and index + 1 < len(opcodes) and not text.strip()
            if between:
                deleted.append(text)
                inserted.append(text)
                continue
            flush()
            runs.append(("equal", text))
            continue
        deleted.extend(a[i1:i2])
        inserted.extend(b[j1:j2])
    flush()
    return runs


def section_text(page: Page, section: Section) -> str:
    if section.position == 0:
        head = f"# {page.title}" if page.title else ""
    else:
        head = (f"{section.number}. " if section.number is not None else "") + section.title
    body = "\n".join(line.rstrip() for line in section.text).strip("\n")
    return f"{head}\n\n{body}".strip() if head else body.strip()


def label(page: Page, section: Section) -> str:
    if section.position == 0:
        return "the introduction"
    key = printable(section.key, 80)   # an id as written: control characters must not reach the terminal
    if section.number is not None:
        return f"step {section.number} '{key}'"
    unit = {"faq": "question", "quotes": "quote card", "checklist": "group"}.get(page.type, "section")
    return f"{unit} '{key}'"


def compare(old: Page, new: Page) -> list[SectionChange]:
    """The sections of `new` that differ from `old` by key, then the ones `new` no longer has."""
    before = {s.key: s for s in old.sections}
    after = {s.key for s in new.sections}
    found = []
    for section in new.sections:
        previous = before.get(section.key)
        text = section_text(new, section)
        old_text = section_text(old, previous) if previous is not None else ""
        if previous is None and not text:
            continue   # an empty introduction is no section
        if previous is None or old_text != text:
            found.append(SectionChange(section.key, section.id, label(new, section), section.title,
                                       ADDED if previous is None else CHANGED, old_text, text, section.line))
    for section in old.sections:
        if section.key not in after:
            found.append(SectionChange(section.key, None, label(old, section), section.title, REMOVED,
                                       section_text(old, section), "", 0))
    return found


class _Git:
    """The few git questions asked of the project's history, answered once each per run."""

    def __init__(self, root: Path):
        self.root = root
        self._shown: dict[tuple[str, str], str | None] = {}
        self._commits: dict[str, bool] = {}
        self._repo: bool | None = None
        self._shallow: bool | None = None

    def _run(self, *args: str) -> subprocess.CompletedProcess | None:
        try:
            return subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, timeout=30,
                                  env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
        except (OSError, subprocess.SubprocessError):
            return None

    @property
    def repository(self) -> bool:
        if self._repo is None:
            done = self._run("rev-parse", "--is-inside-work-tree")
            self._repo = bool(done and done.returncode == 0 and done.stdout.strip() == b"true")
        return self._repo

    @property
    def shallow(self) -> bool:
        if self._shallow is None:
            done = self._run("rev-parse", "--is-shallow-repository")
            self._shallow = bool(done and done.stdout.strip() == b"true")
        return self._shallow

    def has_commit(self, commit: str) -> bool:
        if commit not in self._commits:
            done = self._run("cat-file", "-e", f"{commit}^{{commit}}")
            self._commits[commit] = bool(done and done.returncode == 0)
        return self._commits[commit]

    def former_names(self, path: str) -> list[str]:
        """The names the file had before, newest first: git follows its renames (`make move-page`'s too)."""
        done = self._run("log", "--follow", "--name-only", "--format=", "--", path)
        if done is None or done.returncode != 0:
            return []
        names = done.stdout.decode("utf-8", "replace").splitlines()
        return list(dict.fromkeys(name for name in names if name and name != path))

    def show(self, commit: str, path: str) -> str | None:
        """The file at that commit (path relative to the project root), None when it is not there."""
        key = (commit, path)
        if key not in self._shown:
            done = self._run("show", f"{commit}:./{path}")
            self._shown[key] = done.stdout.decode("utf-8", "replace") if done and done.returncode == 0 else None
        return self._shown[key]


def changes_for(corpus: Corpus, page: Page, git: _Git | None = None) -> Changes | None:
    """What changed in the origin of `page` since it was marked current; None when it is not outdated."""
    origin = corpus.origin_page(page.rel)
    if origin is None or origin.lang == page.lang or not corpus.outdated(page.lang, page.rel):
        return None
    git = git or _Git(corpus.root)
    result = Changes(page=page, origin=origin)
    line = page.line_of(TRANSLATED_FROM)
    fix = f"make mark-current FILE={shell_quote(page.path)}"
    recorded = translated_from(page)
    if recorded is None:
        result.unavailable = ("never marked current" if TRANSLATED_FROM not in page.meta
                              else f"{TRANSLATED_FROM} is not a value make mark-current writes")
        return result
    fingerprint, commit = recorded
    if fingerprint == origin.fingerprint:
        return None
    if commit is None:
        result.unavailable = "marked current before make mark-current recorded the origin's commit"
        return result
    result.commit = commit
    if not git.repository or git.shallow and not git.has_commit(commit):
        result.unavailable = f"needs the git history of origin commit {commit} (get it with: {FETCH})"
        return result
    if not git.has_commit(commit):
        result.problem = Problem(page.path, line, f"{TRANSLATED_FROM} names commit {commit}, which is not in this "
                                 f"repository (history rewritten?): check the translation against origin "
                                 f"{origin.lang}, then: {fix}", OUTDATED)
        result.unavailable = f"origin commit {commit} is not in this repository"
        return result
    origin_path = corpus.path_of(origin.lang, origin.rel)
    old_text = git.show(commit, origin_path)
    if old_text is None:   # the origin was moved or renamed since: its name at that commit
        old_text = next(filter(None, (git.show(commit, name) for name in git.former_names(origin_path))), None)
    if old_text is None:
        result.problem = Problem(page.path, line, f"{origin_path} is not in origin commit {commit} (renamed or "
                                 f"deleted since?): check the translation against origin {origin.lang}, then: {fix}",
                                 OUTDATED)
        result.unavailable = f"{origin_path} is not in origin commit {commit}"
        return result
    try:
        old = parse_page(old_text, f"{origin_path}@{commit}", origin.lang, origin.rel)
    except ContentError as error:
        result.problem = Problem(page.path, line, f"the origin at commit {commit} cannot be read ({error.message}): "
                                 f"check the translation against origin {origin.lang}, then: {fix}", OUTDATED)
        result.unavailable = f"the origin at commit {commit} cannot be read"
        return result
    result.sections = compare(old, origin)
    return result


def changes_of_outdated(corpus: Corpus) -> dict[tuple[str, str], Changes]:
    """Changes of every outdated translation, for one build: git runs once per origin commit and file."""
    git = _Git(corpus.root)
    found = {}
    for (lang, rel), page in corpus.pages.items():
        if corpus.cell(lang, rel) == OUTDATED:
            changes = changes_for(corpus, page, git)
            if changes is not None:
                found[lang, rel] = changes
    return found


def problems(changes: dict[tuple[str, str], Changes]) -> list[Problem]:
    return sorted(c.problem for c in changes.values() if c.problem is not None)


# --- the terminal ----------------------------------------------------------------------------------------

class _Paint:
    def __init__(self, colour: bool):
        self.colour = colour

    def __call__(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour and text else text


def render_terminal(corpus: Corpus, changes: Changes, colour: bool) -> str:
    paint = _Paint(colour)
    page, origin = changes.page, changes.origin
    origin_path = corpus.path_of(origin.lang, origin.rel)
    lines = [paint("1", f"{page.path}: outdated against origin {origin_path}")]
    if changes.problem is not None:
        lines.append(str(changes.problem))
    if changes.unavailable:
        lines.append(f"  which sections changed is not known: {changes.unavailable}")
        if changes.unavailable.startswith("needs the git history"):
            lines.append(f"  run `{FETCH}` (or clone the repository without --depth), then make diff again")
    elif not changes.sections:
        lines.append(f"  no section changed since commit {changes.commit} (front matter only)")
    else:
        lines.append(f"  changed since commit {changes.commit}: " + ", ".join(c.label for c in changes.sections))
    for change in changes.sections:
        where = f"{origin_path}:{change.line}" if change.line else f"{origin_path} (removed)"
        lines += ["", paint("1;36", f"{change.label} — {change.kind}") + f"  {where}"]
        if change.kind != ADDED:
            lines.append(paint("31", "- old:"))
            lines += [f"    {line}" for line in _shown(change.old).split("\n")]
        if change.kind != REMOVED:
            lines.append(paint("32", "+ new:"))
            lines += [f"    {line}" for line in _shown(change.new).split("\n")]
        if change.kind == CHANGED:
            lines.append(paint("33", "~ words:"))
            lines += [f"    {line}" for line in _inline(change.words, paint).split("\n")]
    todo = [p for p in corpus.problems_for(page.lang, page.rel) if p.message.startswith("to update: ")]
    if todo:
        lines += ["", paint("1", "to update in the translation:")] + [f"  {p}" for p in todo]
    return "\n".join(lines)


def excerpt(runs: list[tuple[str, str]], context: int = 40) -> str:
    """The word diff on one line, unchanged text shortened to `context` characters around each change."""
    out = []
    for index, (op, text) in enumerate(runs):
        text = _SPACES.sub(" ", text)
        if op == "equal":
            first, last = index == 0, index == len(runs) - 1
            if len(text) > 2 * context and not first and not last:
                text = text[:context] + " … " + text[-context:]
            elif len(text) > context and first:
                text = "…" + text[-context:]
            elif len(text) > context and last:
                text = text[:context] + "…"
            out.append(text)
        else:
            out.append(f"[-{text}-]" if op == "delete" else f"{{+{text}+}}")
    return printable("".join(out), 2000)


def _shown(text: str) -> str:
    """Page text for the terminal, line by line: control characters escaped (an ESC would clear the screen
    or retitle the window, U+202E reverse what follows), as the build's own messages do."""
    return "\n".join(printable(line, 10 * LINE_LIMIT) for line in text.split("\n"))


def _inline(runs: list[tuple[str, str]], paint: _Paint) -> str:
    out = []
    for op, text in runs:
        text = _shown(text)
        if op == "equal":
            out.append(text)
        elif paint.colour:
            out.append(paint("9;31" if op == "delete" else "4;32", text))
        else:
            out.append(f"[-{text}-]" if op == "delete" else f"{{+{text}+}}")
    return "".join(out)


def main(argv: list[str]) -> int:
    argv = argv or [os.environ.get("FILE", "")]   # make diff FILE=…: as typed, in the environment
    if len(argv) != 1 or not argv[0]:
        print('usage: make diff FILE=docs/<lang>/<page>.md   (a translation, or an origin page)')
        return 2
    corpus = Corpus.load(Path("docs"), Path.cwd())
    path = Path(argv[0]).resolve()
    if not path.is_relative_to(corpus.docs) or len(path.relative_to(corpus.docs).parts) < 2:
        print(f"{printable(argv[0])}: not a page under docs/<lang>/")
        return 2
    lang, *parts = path.relative_to(corpus.docs).parts
    rel = Path(*parts).as_posix()
    page = corpus.pages.get((lang, rel))
    if page is None:
        error = corpus.broken.get((lang, rel))
        refusal = corpus.refused.get(f"{lang}/{rel}")   # a name that is not a slug, a named pipe, …
        print(str(error or refusal) if error or refusal else f"{printable(argv[0])}: no such page")
        return 2
    colour = sys.stdout.isatty() and os.environ.get("NO_COLOR") is None
    git = _Git(corpus.root)
    targets = [page] if page.lang != page.origin else [
        corpus.pages[l, rel] for l in corpus.languages if l != lang and (l, rel) in corpus.pages]
    shown = 0
    for target in targets:
        changes = changes_for(corpus, target, git)
        if changes is not None:
            print(("\n" if shown else "") + render_terminal(corpus, changes, colour))
            shown += 1
    if not shown:
        print(f"{page.path}: up to date with its origin; nothing changed" if page.lang != page.origin
              else f"{page.path}: every translation is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(cli.run(main, sys.argv[1:]))
