"""A cache of parsed pages, so that repeated checks (`make status`, every `mkdocs serve` rebuild) parse
only the pages that changed.

One file for the whole corpus, `<project>/.cache/kb/pages.json` (git ignores `.cache/`): loading one
file of 5,000 pages is several times faster than opening 5,000 small ones. It is JSON, never a pickle:
reading a pickle runs whatever code the file names, so a doctored cache would run code at the next build,
while reading JSON only makes text, numbers, lists and maps; each value is then checked for the type of its
field as the pages are rebuilt (msgspec), so a doctored file is at worst "cannot be read". Each entry is keyed by the
page's language and path and holds the hash of the file's bytes, the path shown in messages, what
parsing gave (the `Page`, or the `ContentError`) and the file's signature (modification and change times,
size, inode). A page is reused when its bytes hash the same; hashing is skipped when the signature is
unchanged, since any write changes the change time (ctime), and a signature is only kept for files last
written more than two seconds before they were hashed (as git does for "racily clean" files). The
whole file is ignored when it was written by another version of the parser (the sources of hooks/kb/,
Python, Babel and PyYAML are part of the version). The checks always run on the pages, cached or not.

The cache never changes a result: a file that cannot be read, is corrupt, partly written or from
another version, or a folder that cannot be written, costs one line on stderr and an uncached run.
Writes go to a temporary file that replaces the old one in one step (os.replace), so a reader never
sees half a cache.
"""
from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import hashlib
import logging
import math
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple, Optional

import msgspec

from kb.content import workers
from kb.content.model import PAGE_LIMIT, ContentError, Page

# Bump when the cache's own layout changes; parser changes are caught by the hash of the sources.
FORMAT = 3
FOLDER = Path(".cache") / "kb"
FILE_NAME = "pages.json"
SETTLE_NS = 2_000_000_000
# Not under "mkdocs": a cache problem is worth a line but must not fail `mkdocs build --strict`.
log = logging.getLogger("kb.content.cache")


def _version() -> str:
    """What parsed pages depend on besides their bytes: our parsing code and the libraries it calls."""
    import babel
    import yaml

    digest = hashlib.sha256(f"{FORMAT}|{sys.version}|{babel.__version__}|{yaml.__version__}|"
                            f"{getattr(yaml, '__with_libyaml__', False)}|{msgspec.__version__}".encode())
    package = Path(__file__).resolve().parent.parent   # hooks/kb/, every layer
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


VERSION = _version()


def _content_key(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def enabled() -> bool:
    """KB_CACHE=0 turns the cache off (for comparing, or to rule it out)."""
    return os.environ.get("KB_CACHE", "1").strip().lower() not in ("0", "no", "off", "false")


# The entries of the last load or save of each cache file in this process, with the file's signature then: a
# process that loads again (each `mkdocs serve` rebuild) skips decoding a file it wrote or read itself (half a
# second at 5,000 pages). Entries hold Pages, which nothing changes once parsed.
_REMEMBERED: dict[Path, tuple[tuple, dict]] = {}


# Under `mkdocs serve` a rebuild after a save would write the whole file again for one changed page (a third of a
# second at 5,000 pages, in the wait for the page): the file is written at the first load, then when the process
# ends. A process killed outright leaves the file of its first load: the next run parses the pages changed since.
_DEFERRING: list[bool] = []
_PENDING: dict[Path, "PageCache"] = {}


def defer_saves() -> None:
    """From now on in this process, a cache file it has read or written is written again only when it ends."""
    if not _DEFERRING:
        _DEFERRING.append(True)
        atexit.register(write_deferred)


def write_deferred() -> None:
    """Write the caches whose saves were deferred (at exit; or now, for tests)."""
    while _PENDING:
        _PENDING.pop(next(iter(_PENDING)))._write()


def _file_signature(path: Path) -> tuple:
    found = os.stat(path)
    return (found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino)


class PageCache:
    """Parsed pages of one project, read once at the start of a load and written once at its end."""

    def __init__(self, root: Path, shown: str = ""):
        self.folder = root / FOLDER
        self.path = self.folder / FILE_NAME
        self.shown = shown or (FOLDER / FILE_NAME).as_posix()   # as messages name it
        # (lang, rel) -> (hash of the bytes, path shown, Page or error parts, file signature or None)
        self.entries: dict[tuple[str, str], tuple] = {}
        self.fresh: dict[tuple[str, str], tuple] = {}
        self.changed = False
        self.hits = 0
        self.reported = False
        self._load()

    def _load(self) -> None:
        try:
            if not stat.S_ISREG(os.stat(self.path).st_mode):
                raise IsADirectoryError("not a regular file")   # a named pipe would block the read
            signature = _file_signature(self.path)
            remembered = _REMEMBERED.get(self.path)
            if remembered is not None and remembered[0] == signature:
                self.entries = dict(remembered[1])
                return
            with self.path.open("rb") as handle:
                # The version is the first line: another version's file is not parsed at all.
                first = handle.readline(len(VERSION) + 1)
                if len(first) != len(VERSION) + 1 or not first.endswith(b"\n"):
                    raise ValueError("not a page cache")
                if first[:-1] != VERSION.encode():
                    self.reported = True
                    log.warning(f"kb: the page cache {self.shown} is from another version of the parser: "
                                "every page is parsed anew")
                    return
                stored = handle.read()
            self.entries = _decode(stored)
            _REMEMBERED[self.path] = (signature, dict(self.entries))
        except (FileNotFoundError, NotADirectoryError):
            return   # none yet (a folder in the way is reported when writing)
        except Exception as exc:   # corrupt, partly written, unreadable, not what a cache holds
            self.entries = {}
            self.reported = True
            log.warning(f"kb: the page cache {self.shown} cannot be read ({type(exc).__name__}): "
                        "every page is parsed anew")

    def lookup(self, path: Path, display: str, lang: str, rel: str):
        """The cached outcome (a Page, or a ContentError's parts) when the file's bytes are those parsed
        before; else a Miss with the bytes read (None: unreadable, read_page says why)."""
        try:
            stat = path.stat()
        except OSError:
            return Miss(None, b"", None)
        if stat.st_size > PAGE_LIMIT:
            return Miss(None, b"", None)   # not read: read_page says it is too big, from its size alone
        signature = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)
        entry = self.entries.get((lang, rel))
        if not (type(entry) is tuple and len(entry) == 4 and entry[1] == display):
            entry = None
        if entry is not None and entry[3] == signature:
            # Not written since its bytes were hashed (any write changes ctime): the same bytes.
            return self._hit(lang, rel, entry)
        try:
            raw = path.read_bytes()
        except OSError:
            return Miss(None, b"", None)
        key = _content_key(raw)
        # A signature taken before the read: a later write changes it, so the bytes are hashed again.
        settled = signature if _settled(stat) else None
        if entry is not None and entry[0] == key:
            return self._hit(lang, rel, (key, display, entry[2], settled))
        return Miss(raw, key, settled)

    def store(self, lang: str, rel: str, display: str, miss: "Miss", outcome) -> None:
        """Keep what parsing miss.raw gave."""
        if miss.raw is not None:
            self.changed = True
            self.fresh[lang, rel] = (miss.key, display, outcome, miss.signature)

    def _hit(self, lang: str, rel: str, entry: tuple):
        self.hits += 1
        self.fresh[lang, rel] = entry
        return entry[2]

    def save(self) -> None:
        """Keep the entries of this load (pages removed since are dropped), if any changed: in the file, or while
        saves are deferred (defer_saves) in this process until it ends."""
        if not self.changed and self.fresh.keys() == self.entries.keys():
            return
        remembered = _REMEMBERED.get(self.path)
        if _DEFERRING and remembered is not None:
            # The next load in this process takes these entries (the file's signature has not changed); each entry
            # is still checked against its page's bytes, so entries newer than the file are as good as the file.
            _REMEMBERED[self.path] = (remembered[0], dict(self.fresh))
            _PENDING[self.path] = self
            return
        self._write()

    def _write(self) -> None:
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".pages-", suffix=".tmp", dir=self.folder)
            with os.fdopen(handle, "wb") as out:
                out.write(VERSION.encode() + b"\n" + _encode(self.fresh))
            os.replace(temporary, self.path)
            temporary = None
            _REMEMBERED[self.path] = (_file_signature(self.path), dict(self.fresh))
        except (OSError, TypeError, ValueError, msgspec.EncodeError) as exc:   # or a value JSON cannot hold
            if not self.reported:   # one line per load
                log.warning(f"kb: the page cache cannot be written to {self.shown} ({exc.strerror or exc}): "
                            "the next run parses every page again")
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass


def _settled(stat) -> bool:
    """Whether the file was last written long enough ago that a later write must change its
    timestamps (file systems keep them coarsely: a write within the same tick would not show)."""
    return max(stat.st_mtime_ns, stat.st_ctime_ns) < time.time_ns() - SETTLE_NS


class Miss(NamedTuple):
    raw: bytes | None        # None: the file could not be read
    key: bytes
    signature: tuple | None


def read_all(files: list[tuple[Path, str, str, str]], cache: PageCache | None) -> list:
    """For each (path, path shown, language, docs-relative path): its Page, or its ContentError as
    ("error", path, line, message); from the cache where it can, the rest parsed (on several CPUs when
    there are many: kb/content/workers.py)."""
    outcomes: list = [None] * len(files)
    misses: list[tuple[int, Miss]] = []
    for index, (path, display, lang, rel) in enumerate(files):
        if cache is None:
            try:
                found = Miss(path.read_bytes() if path.stat().st_size <= PAGE_LIMIT else None, b"", None)
            except OSError:
                found = Miss(None, b"", None)
        else:
            found = cache.lookup(path, display, lang, rel)
        if isinstance(found, Miss):
            misses.append((index, found))
        else:
            outcomes[index] = found
    readable = [(index, miss) for index, miss in misses if miss.raw is not None]
    parsed = workers.parse_many([(miss.raw, *files[index][1:]) for index, miss in readable])
    for (index, miss), outcome in zip(readable, parsed):
        outcomes[index] = outcome
    for index, miss in misses:
        if miss.raw is None:   # read_page's own message for a file it cannot read
            outcomes[index] = workers.parse_one_file(*files[index])
    if cache is not None:
        for index, miss in misses:
            cache.store(*files[index][2:], files[index][1], miss, outcomes[index])
    return outcomes


def result(outcome):
    """The Page, or the ContentError raised."""
    if isinstance(outcome, tuple):   # a ContentError, kept as its parts
        _, path, line, message = outcome
        raise ContentError(path, line, message)
    return outcome


# --- the file: JSON --------------------------------------------------------------------------------------
# One row per page: [language, path, hash of its bytes, path shown, signature or null, Page or null, the error's
# (kind, path, line, message) or null, whether the front matter holds tagged values]. msgspec (a library, in C)
# reads each Page straight into the model's dataclasses by the types their fields declare, so a field added to
# the model is stored with no code here, and a value of another type makes the whole file "cannot be read".
# Front matter is free-form: its dates and non-finite numbers, which JSON lacks, are tagged.

_Row = tuple[str, str, str, str, Optional[tuple[int, int, int, int]], Optional[Page],
             Optional[tuple[str, str, int, str]], bool]
_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(list[_Row])
_TAG = "\0kb"   # a map {"\0kb": [kind, text]}: NUL cannot occur in front matter, so no page has such a map


def _tagged(value):
    """Front matter with dates and non-finite numbers as tagged maps; None when it has none."""
    if isinstance(value, dt.datetime):
        return {_TAG: ["datetime", value.isoformat()]}
    if isinstance(value, dt.date):
        return {_TAG: ["date", value.isoformat()]}
    if isinstance(value, float) and not math.isfinite(value):
        return {_TAG: ["float", repr(value)]}
    if isinstance(value, dict):
        items = {key: _tagged(item) for key, item in value.items()}
        return {key: value[key] if item is None else item for key, item in items.items()} \
            if any(item is not None for item in items.values()) else None
    if isinstance(value, list):
        items = [_tagged(item) for item in value]
        return [value[i] if item is None else item for i, item in enumerate(items)] \
            if any(item is not None for item in items) else None
    return None


_UNTAG = {"datetime": dt.datetime.fromisoformat, "date": dt.date.fromisoformat, "float": float}


def _untagged(value):
    if isinstance(value, dict):
        if _TAG in value:
            kind, text = value[_TAG]
            return _UNTAG[kind](text)
        return {key: _untagged(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_untagged(item) for item in value]
    return value


def _encode(entries: dict) -> bytes:
    rows = []
    for (lang, rel), (key, display, outcome, signature) in entries.items():
        if isinstance(outcome, tuple):
            rows.append((lang, rel, key, display, signature, None, outcome, False))
            continue
        meta = _tagged(outcome.meta)
        page = outcome if meta is None else dataclasses.replace(outcome, meta=meta)
        rows.append((lang, rel, key, display, signature, page, None, meta is not None))
    return _ENCODER.encode(rows)


def _decode(data: bytes) -> dict:
    entries = {}
    for lang, rel, key, display, signature, page, error, tagged in _DECODER.decode(data):
        if (page is None) == (error is None) or (error is not None and error[0] != "error"):
            raise ValueError("a row holds both a page and an error, or neither")
        if tagged:
            page.meta = _untagged(page.meta)
        entries[lang, rel] = (key, display, page if error is None else error, signature)
    return entries
