"""When each content file last changed: from git history when there is one, else the file's mtime."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_changed(root: Path, files: list[Path]) -> dict[Path, dt.date]:
    """One `git log` for the whole tree (not one per file); uncommitted edits count as today."""
    dates: dict[Path, dt.date] = {}
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
                dates.setdefault((root / part).resolve(), when)
    # "XY path" entries; a rename's entry is followed by its old path, which is skipped with it.
    entries = dirty.split("\x00")
    changed_now, skip = set(), False
    for entry in entries:
        if skip:
            skip = False
            continue
        if len(entry) > 3:
            changed_now.add((root / entry[3:]).resolve())
            skip = entry[0] in "RC"
    for path in files:
        resolved = path.resolve()
        if resolved in changed_now or resolved not in dates:
            try:
                dates[resolved] = dt.datetime.fromtimestamp(resolved.stat().st_mtime, dt.timezone.utc).date()
            except OSError:
                continue
    return dates
