"""`make move-page FROM=checklists/be-sure TO=checklists/keys-to-service`: a page moved (renamed) in every
language at once.

- the file moves in every language that has it: `git mv`, so that its history follows (a file git does
  not track yet is moved as it is);
- every link to it, in every page of every language, is rewritten (relative, its #anchor kept), and so are
  the moved page's own relative links when it changes folder;
- the old address keeps working: moved-pages.yml gains `old: new`, and the build makes a redirect from it
  in every language (kb/content/moves.py, mkdocs-redirects);
- translations that were current stay current: rewritten links change the origin's fingerprint, so their
  `translated_from` is recorded again; translations that were outdated stay outdated (their pending
  changes still show in `make diff`, which follows the rename);
- in a git repository the move is committed on its own, then the re-recorded translations (so that they
  name the move's commit); a file with uncommitted changes that the move would touch stops it first.

Every refusal is one line; nothing is changed then.
"""
from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kb.content import moves as moves_mod
from kb.content.corpus import Corpus, translated_from
from kb.content.model import _resolve_link, link_spans, printable
from kb.translation.newpage import FOLDERS, remove_empty_folders
from kb.checking.publish import SLUG_LIMIT
from kb.translation.staleness import mark_current

PAGE_PATH = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*){0,3}", re.ASCII)
_NEWLINES = re.compile(r"(\r\n|\r|\n)")
USAGE = "make move-page FROM=checklists/be-sure TO=checklists/keys-to-service"


class Refusal(Exception):
    """Why nothing was moved: one line."""


@dataclass
class Plan:
    old: str                                   # docs-relative paths: "checklists/be-sure.md"
    new: str
    languages: list[str]                       # the languages that have the page
    edits: dict[tuple[str, str], str] = field(default_factory=dict)   # (lang, rel before the move) -> new text
    rewritten: dict[tuple[str, str], int] = field(default_factory=dict)   # (lang, rel before) -> links rewritten
    current: list[tuple[str, str]] = field(default_factory=list)    # (lang, rel after the move): to re-record
    outdated: list[tuple[str, str]] = field(default_factory=list)   # (lang, rel after the move): left as they are
    unread: list[str] = field(default_factory=list)                 # pages whose links could not be read


def page_rel(value: str, name: str) -> str:
    """'checklists/be-sure' (or '….md') -> 'checklists/be-sure.md', or a Refusal."""
    value = value.strip()
    if not value:
        raise Refusal(f"{name} is missing: {USAGE}")
    slug = value[:-3] if value.endswith(".md") else value
    parts = slug.split("/")
    if len(parts) > 2 and parts[0] == "docs":   # a file's path: docs/en/checklists/be-sure.md
        slug = "/".join(parts[2:])
    if not PAGE_PATH.fullmatch(slug):
        raise Refusal(f"{name} '{printable(value, 80)}' is not a page path of lower-case ASCII words joined by hyphens "
                      f"(e.g. checklists/keys-to-service): it is the page's file name and address in every language")
    longest = max(slug.split("/"), key=len)
    if len(longest) > SLUG_LIMIT:
        raise Refusal(f"{name} '{longest[:40]}…' is {len(longest)} characters long (at most {SLUG_LIMIT} for a file or "
                      f"folder name): choose a shorter one")
    if slug.rsplit("/", 1)[-1] == "index":
        raise Refusal(f"{name} '{slug}' is a section's own page (index.md): move-page moves one page, not a section")
    return slug + ".md"


class _Git:
    def __init__(self, root: Path):
        self.root = root
        done = self.run("rev-parse", "--show-toplevel")
        self.repository = done is not None and done.returncode == 0
        self.tracked: set[str] = set()
        if self.repository:
            listed = self.run("ls-files", "-z", "--", ".")
            self.tracked = set(filter(None, listed.stdout.split("\0"))) if listed and listed.returncode == 0 else set()

    def run(self, *args: str) -> subprocess.CompletedProcess | None:
        try:
            return subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, timeout=60,
                                  env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
        except (OSError, subprocess.SubprocessError):
            return None

    def dirty(self, paths: list[str]) -> list[str]:
        """Those of `paths` that git tracks and that have changes not committed (staged or not)."""
        done = self.run("status", "--porcelain", "--untracked-files=no", "--", *paths)
        if done is None or done.returncode != 0:
            return []
        return [line[3:] for line in done.stdout.splitlines() if len(line) > 3]

    def check(self, *args: str) -> str:
        done = self.run(*args)
        if done is None or done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["git failed"])[-1] if done else "git cannot be run"
            raise Refusal(f"git {args[0]} failed: {reason}")
        return done.stdout.strip()


def _rewrite_target(target: str, rel: str, new_rel: str, old: str, new: str) -> str | None:
    """The link target `target` of page `rel`, as page `new_rel` must write it once `old` is `new`; None
    when it stays as it is."""
    link = _resolve_link(target, rel, 0)
    if link is None or not link.target:
        return None   # another site, or an #anchor on the same page
    destination = new if link.target == old else link.target
    if destination == link.target and posixpath.dirname(new_rel) == posixpath.dirname(rel):
        return None
    path, hash_, anchor = target.partition("#")
    if path.startswith("/"):
        written = "/" + destination
    elif destination.endswith("/index.md") and not path.endswith(".md"):   # a folder's address: "../checklists/"
        written = posixpath.relpath(posixpath.dirname(destination), posixpath.dirname(new_rel) or ".") + "/"
    else:
        written = posixpath.relpath(destination, posixpath.dirname(new_rel) or ".")
    written += hash_ + anchor
    return written if written != target else None


def _rewritten_text(text: str, lines: set[int], rel: str, new_rel: str, old: str, new: str) -> tuple[str, int]:
    """The file's text with its links rewritten (only on `lines`, 1-based: the model's link lines, so not
    in code), and how many were."""
    parts = _NEWLINES.split(text)   # line, newline, line, newline, …: every byte is kept
    count = 0
    for number in sorted(lines):
        index = 2 * (number - 1)
        if index >= len(parts):
            continue
        line = parts[index]
        for start, end, target in reversed(link_spans(line)):
            written = _rewrite_target(target, rel, new_rel, old, new)
            if written is not None:
                line = line[:start] + written + line[end:]
                count += 1
        parts[index] = line
    return "".join(parts), count


def plan(root: Path, corpus: Corpus, old: str, new: str) -> Plan:
    docs = corpus.docs
    if old == new:
        raise Refusal(f"FROM and TO are the same page ({old[:-3]})")
    languages = [lang for lang in corpus.languages if (docs / lang / old).is_file()]
    if not languages:
        raise Refusal(f"no page {old[:-3]}: docs/<lang>/{old} is in no language (FROM is a path under docs/<lang>/, "
                      f"without .md)")
    for lang in corpus.languages:
        if (docs / lang / new).exists() or (docs / lang / new[:-3]).is_dir():
            what = "" if (docs / lang / new).exists() else new[:-3] + "/"
            raise Refusal(f"docs/{lang}/{what or new} already exists: choose another TO")
    reference = corpus.origin_page(old) or next((corpus.pages[lang, old] for lang in languages
                                                 if (lang, old) in corpus.pages), None)
    folder = FOLDERS.get(reference.type) if reference is not None else None
    if folder and not new.startswith(folder + "/"):
        raise Refusal(f"TO '{new[:-3]}': a {reference.type} stays in its section's folder "
                      f"(e.g. TO={folder}/{posixpath.basename(new[:-3])})")
    result = Plan(old, new, languages)
    renamed = lambda rel: new if rel == old else rel  # noqa: E731
    for (lang, rel), page in sorted(corpus.pages.items()):
        new_rel = renamed(rel)
        moved_folder = posixpath.dirname(new_rel) != posixpath.dirname(rel)
        lines = {link.line for link in page.links if link.target and (link.target == old or moved_folder)}
        if not lines:
            continue
        path = docs / lang / rel
        text = path.read_bytes().decode("utf-8")
        rewritten, count = _rewritten_text(text, lines, rel, new_rel, old, new)
        if count:
            result.edits[lang, rel] = rewritten
            result.rewritten[lang, rel] = count
    result.unread = [str(error) for (lang, rel), error in sorted(corpus.broken.items())]
    # Whose origin changes: its translations' fingerprint record must follow, if they were current.
    for rel in sorted(corpus.origins):
        origin = corpus.origin_page(rel)
        if origin is None or (origin.lang, rel) not in result.edits:
            continue
        for lang in corpus.languages:
            page = corpus.pages.get((lang, rel))
            if page is None or lang == origin.lang:
                continue
            current = translated_from(page) is not None and not corpus.outdated(lang, rel)
            (result.current if current else result.outdated).append((lang, renamed(rel)))
    return result


def _write(path: Path, text: str) -> None:
    # newline="" keeps the file's own line endings, which the text carries
    temporary = path.with_name(f".{path.name}.move-page.tmp")
    with open(temporary, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.replace(temporary, path)


def move(root: Path, from_value: str, to_value: str) -> list[str]:
    """Move the page; the lines to print. Raises Refusal (nothing changed) with one line."""
    old, new = page_rel(from_value, "FROM"), page_rel(to_value, "TO")
    docs = root / "docs"
    corpus = Corpus.load(docs, root)
    todo = plan(root, corpus, old, new)
    git = _Git(root)
    shown = corpus.display
    moves_file = root / moves_mod.FILE_NAME
    final = lambda lang, rel: docs / lang / (new if rel == old else rel)  # noqa: E731  where a file will be
    sources = [docs / lang / old for lang in todo.languages]
    edited = [docs / lang / rel for lang, rel in todo.edits]
    if git.repository:
        dirty = git.dirty([shown(p) for p in sources + edited] + [shown(moves_file)])
        if dirty:
            more = f" (and {len(dirty) - 1} more)" if len(dirty) > 1 else ""
            raise Refusal(f"{dirty[0]}{more} has changes that are not committed: commit them first "
                          f"(the move is committed on its own), then run make move-page again")
    out: list[str] = []
    # 1. the file, in every language that has it
    for lang, source in zip(todo.languages, sources):
        target = final(lang, old)
        target.parent.mkdir(parents=True, exist_ok=True)
        if shown(source) in git.tracked:
            git.check("mv", "--", shown(source), shown(target))
            how = "git mv"
        else:
            source.rename(target)
            how = "not in git yet: moved as it is"
        out.append(f"moved {shown(source)} -> {shown(target)} ({how})")
        remove_empty_folders(source.parent, docs / lang)
    # 2. the links to it (and the moved page's own, when it changed folder)
    for (lang, rel), text in sorted(todo.edits.items()):
        _write(final(lang, rel), text)
    if todo.edits:
        out.append(f"rewrote {sum(todo.rewritten.values())} link(s) in {len(todo.edits)} page(s): "
                   + ", ".join(shown(final(lang, rel)) for lang, rel in sorted(todo.edits)))
    for line in todo.unread:
        out.append(f"not read, so its links were not checked: {line}")
    # 3. the old address
    moves_mod.save(root, moves_mod.moved(corpus.moves, old, new))
    out.append(f"{shown(moves_file)}: the old address {_address(old)} now leads to {_address(new)} in every language")
    # 4. commit the move, then record the translations that were current against that commit
    if git.repository:
        git.check("add", "--", shown(moves_file))
        paths = {shown(moves_file)}
        for lang, source in zip(todo.languages, sources):
            if shown(source) in git.tracked:
                paths |= {shown(source), shown(final(lang, old))}
        paths |= {shown(final(lang, rel)) for lang, rel in todo.edits if shown(docs / lang / rel) in git.tracked}
        git.check("commit", "--quiet", "-m", f"Move {old[:-3]} to {new[:-3]} in every language\n\n"
                  f"The old address redirects to the new one ({moves_mod.FILE_NAME}); links to it rewritten.",
                  "--", *sorted(paths))
        out.append(f"committed the move as {git.check('log', '-1', '--format=%h')}")
    after = Corpus.load(docs, root)
    marked = []
    for lang, rel in todo.current:
        if after.outdated(lang, rel):
            mark_current(after, docs / lang / rel, force=True)
            marked.append(after.path_of(lang, rel))
    if marked:
        out.append("kept current (translated_from recorded again, as only links changed): " + ", ".join(marked))
        tracked = [p for p in marked if _tracked_now(git, p)]
        if git.repository and tracked:
            git.check("commit", "--quiet", "-m", f"Translations current after moving {old[:-3]} to {new[:-3]}\n\n"
                      f"Only links changed in their origins: {', '.join(tracked)}", "--", *tracked)
            out.append(f"committed as {git.check('log', '-1', '--format=%h')}")
    if todo.outdated:
        out.append("left outdated (they were outdated before the move; make diff still shows what changed): "
                   + ", ".join(after.path_of(lang, rel) for lang, rel in todo.outdated))
    return out


def _tracked_now(git: _Git, path: str) -> bool:
    done = git.run("ls-files", "--error-unmatch", "--", path) if git.repository else None
    return bool(done and done.returncode == 0)


def _address(rel: str) -> str:
    return "/" + (rel[:-len("index.md")] if rel.endswith("index.md") else rel[:-3] + "/")


def main(argv: list[str]) -> int:
    env = os.environ   # `make move-page FROM=… TO=…`: make passes its command-line variables on
    args = dict(arg.split("=", 1) for arg in argv if "=" in arg)
    try:
        for line in move(Path.cwd(), args.get("FROM", env.get("FROM", "")), args.get("TO", env.get("TO", ""))):
            print(line)
    except Refusal as refusal:
        print(f"move-page: {printable(str(refusal))}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as error:   # a file that cannot be read or written midway
        print(f"move-page: stopped: {printable(str(error))} (git status shows what was done)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
