"""When each content file last changed: from git history when there is one, else the file's mtime."""
from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path


def last_changed(root: Path, files: list[Path]) -> dict[Path, dt.date]:
    """The date each of `files` last changed, keyed by the paths as given: one `git log` for the whole tree
    (not one per file); uncommitted edits count as today, files git does not know by their modification time."""
    real_folders: dict[str, str] = {}

    def real(path: str) -> str:
        # Git names files, the caller names them too, possibly through a symbolic link to the project: both are
        # compared by their real folder. One realpath per folder, not per file (thousands of pages, every rebuild).
        folder, name = os.path.split(path)
        found = real_folders.get(folder)
        if found is None:
            found = real_folders[folder] = os.path.realpath(folder)
        return os.path.join(found, name)

    committed: dict[str, dt.date] = {}
    try:
        log = subprocess.run(
            # -z: paths as they are (git otherwise quotes non-ASCII names: "docs/el/\316\261.md")
            ["git", "-C", str(root), "log", "-z", "--format=%x01%ct", "--name-only", "--no-renames", "--", "docs"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "-z", "--", "docs"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        log, dirty = "", ""
    when = None
    # With -z each commit reads "\x01<time>\n<path>\x00<path>\x00…": split at NULs and the newline after the time.
    for field in log.split("\x00"):
        for part in field.split("\n"):
            if part.startswith("\x01"):
                when = dt.datetime.fromtimestamp(int(part[1:]), dt.timezone.utc).date()
            elif part and when:
                committed.setdefault(real(os.path.join(root, part)), when)
    # "XY path" entries; a rename's entry is followed by its old path, which is skipped with it.
    changed_now, skip = set(), False
    for entry in dirty.split("\x00"):
        if skip:
            skip = False
            continue
        if len(entry) > 3:
            changed_now.add(real(os.path.join(root, entry[3:])))
            skip = entry[0] in "RC"
    dates: dict[Path, dt.date] = {}
    for path in files:
        key = real(os.fspath(path))
        found = committed.get(key) if key not in changed_now else None
        if found is None:
            try:
                found = dt.datetime.fromtimestamp(os.stat(path).st_mtime, dt.timezone.utc).date()
            except OSError:
                continue
        dates[path] = found
    return dates
