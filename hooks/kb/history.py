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
            ["git", "-C", str(root), "log", "--format=%x00%ct", "--name-only", "--no-renames", "--", "docs"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "docs"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        log, dirty = "", ""
    when = None
    for line in log.splitlines():
        if line.startswith("\x00"):
            when = dt.datetime.fromtimestamp(int(line[1:]), dt.timezone.utc).date()
        elif line and when:
            dates.setdefault((root / line).resolve(), when)
    changed_now = {(root / line[3:].strip('"')).resolve() for line in dirty.splitlines() if len(line) > 3}
    for path in files:
        resolved = path.resolve()
        if resolved in changed_now or resolved not in dates:
            try:
                dates[resolved] = dt.datetime.fromtimestamp(resolved.stat().st_mtime, dt.timezone.utc).date()
            except OSError:
                continue
    return dates
