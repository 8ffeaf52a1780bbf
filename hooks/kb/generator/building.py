"""`make build` runs MkDocs through this module: a file system that refuses a write (a full disk, a used-up
quota, a read-only folder) ends the build with one line naming the file, never with a traceback. The
Makefile builds into a folder of its own and swaps it in only on success, so site/ stays as it was.

Usage: python -m kb.generator.building --strict --site-dir site.tmp.XXXXXX   (any `mkdocs build` options)
"""
from __future__ import annotations

import errno
import sys

from kb.content.model import printable

REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file would be larger than this system allows",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


def message(exc: OSError, site_dir: str = "") -> str:
    reason = REASONS.get(exc.errno, exc.strerror or type(exc).__name__)
    # The folder being written (a copy's error names its source file, which is not where space ran out)
    where = site_dir.rstrip("/") + "/" if site_dir else exc.filename
    where = f" {printable(str(where), 200)}" if where else ""
    hint = ("free some space, then make build again" if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
            else "check the folder, then make build again")
    return f"make build: cannot write{where}: {reason}: {hint}"


def main(argv: list[str]) -> int:
    from mkdocs.__main__ import cli
    try:
        cli.main(args=["build", *argv], prog_name="mkdocs", standalone_mode=True)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1
    except OSError as exc:
        site_dir = next((argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg in ("-d", "--site-dir")), "")
        print(message(exc, site_dir), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
