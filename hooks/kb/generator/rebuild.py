"""Under `mkdocs serve`, a rebuild reuses what did not change since the last build of the same process.

`mkdocs serve` rebuilds the whole site (one language with `make serve LANG=ru`) on every save: at 1,000
pages per language that took 20-30 s, nearly all of it converting Markdown, writing each page through the
theme's templates and indexing it for search, page after page that had not changed. Each of these three
steps is a function of its inputs, so its result is kept, keyed by every input, and reused
while the inputs are the same:

- Markdown → HTML (MkDocs' Page.render): the page's Markdown as our hooks made it, its address, every file
  of the site with its address (links are resolved against them) and the configuration files; MkDocs'
  own warnings about the page are kept with it and said again;
- the page through the theme (Jinja's Template.render): the page's HTML, headings, title, address and front
  matter, its tags, the whole menu (every title and address: a title changed anywhere writes every page
  anew), the configuration files, the templates of overrides/, and the values our hooks give the templates;
- the page's entries in the search index (Material's SearchIndex.add_entry_from_context).

Every check and every hook still runs on every page at every rebuild: a translator sees the same problems,
and a page that depends on others (a section's list, the status table, the print pack, an outdated notice,
a fallback page) is made anew when what it shows changed, since its Markdown or HTML then changes too.
Two more savings follow the same rule: the site folder is not cleaned before a rebuild, a file MkDocs would write
with the bytes it holds is left as it is, and what the rebuild neither wrote nor left is removed after it (below,
"the site folder"); and after the first build the objects that live as long as the server are set aside from the
garbage collector's passes ("memory").
`make build` never uses this (a fresh process has nothing to reuse). KB_REBUILD_CACHE=0 turns it off.
tests/generator/test_rebuild.py builds into one folder as `mkdocs serve` does and compares the site after each rebuild
with a fresh build's, byte for byte.
"""
from __future__ import annotations

import copy
import gc
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections import Counter
from pathlib import Path

from kb.generator import templates

VARIABLE = "KB_REBUILD_CACHE"

_CACHE: dict[tuple, tuple] = {}   # (step, inputs) -> (result, build number when last used)
STATS: Counter = Counter()          # "markdown hit", "page miss", …: what the builds reused, for tests and make bench
_BUILD = [0]
_INSTALLED: list = []


def enabled() -> bool:
    return os.environ.get(VARIABLE, "1").strip() != "0"


def _digest(*parts) -> str:
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False)


def _key(*parts) -> tuple:
    """The inputs of one step, kept whole as its key. Python keeps a string's hash with the string, so a page's
    HTML handed on from the last build (the same object) costs nothing to key again, where a digest would read
    all of it every time; and keys compare equal only when the inputs do."""
    return tuple(part if isinstance(part, (str, bytes)) else str(part) for part in parts)


def _get(step: str, key: tuple):
    found = _CACHE.get((step, key))
    STATS[f"{step} {'miss' if found is None else 'hit'}"] += 1
    if found is None:
        return None
    _CACHE[step, key] = (found[0], _BUILD[0])
    return found[0]


def _put(step: str, key: tuple, value) -> None:
    _CACHE[step, key] = (value, _BUILD[0])


def start_build() -> None:
    """A new build (not a language pass of the same build): results unused in the last two builds go."""
    _BUILD[0] += 1
    for key in [k for k, (_, used) in _CACHE.items() if used < _BUILD[0] - 1]:
        del _CACHE[key]


# --- inputs shared by many pages: computed once per build ----------------------------------------------

def _memo_on(owner, name: str, compute):
    """`compute()` kept on `owner` (a Files, a Navigation or a configuration: new objects every build)."""
    value = getattr(owner, name, None)
    if value is None:
        value = compute()
        try:
            setattr(owner, name, value)
        except AttributeError:
            pass
    return value


def _config_digest(config) -> str:
    """The configuration files (mkdocs.yml and the files it INHERITs) and the templates of the theme's own
    folders (overrides/): what any page may depend on beyond its own inputs. (The interface text reaches a
    page through its HTML, made by our hooks at every build, and through the templates' globals: kb_text.)"""
    def compute():
        parts, path, seen = [], getattr(config, "config_file_path", None), set()
        while path and path not in seen and Path(path).is_file():
            seen.add(path)
            text = Path(path).read_bytes()
            parts += [path, text]
            inherit = next((line.split(":", 1)[1].strip().strip("'\"") for line in text.decode("utf-8", "replace").splitlines()
                            if line.startswith("INHERIT:")), None)
            path = str(Path(path).parent / inherit) if inherit else None
        for folder in getattr(config.get("theme"), "dirs", []):
            if os.path.realpath(folder).startswith(templates.INSTALLED):   # installed themes do not change
                continue
            for file in sorted(Path(folder).rglob("*")):
                if file.is_file():
                    stat = file.stat()
                    parts.append(f"{file}:{stat.st_size}:{stat.st_mtime_ns}")
        return _digest(*parts)
    return _memo_on(config, "_kb_config_digest", compute)


def _files_digest(files) -> str:
    return _memo_on(files, "_kb_digest", lambda: _digest(*sorted(f"{f.src_uri}\0{f.url}" for f in files)))


def _nav_digest(nav) -> str:
    def walk(items, out):
        for item in items:
            out.append(f"{type(item).__name__}\0{item.title}\0{getattr(item, 'url', '')}\0{bool(getattr(item, 'is_index', False))}")
            if getattr(item, "children", None):
                out.append("(")
                walk(item.children, out)
                out.append(")")
        return out
    return _memo_on(nav, "_kb_digest", lambda: _digest(*walk(nav.items, [])))


def _toc(toc) -> list:
    return [(item.title, item.url, item.level, _toc(item.children)) for item in toc or []]


# --- Markdown → HTML ------------------------------------------------------------------------------------

class _Collect(logging.Handler):
    """What MkDocs says while it converts one page (not the server's lines, logged by its own thread)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.thread = threading.get_ident()

    def emit(self, record):
        if record.thread == self.thread:
            self.records.append(record)


def _copy_toc(toc):
    """A copy of a page's headings (the print pack adds its sheets to its own, kb_hooks.on_page_context)."""
    from mkdocs.structure.toc import AnchorLink, TableOfContents

    def copied(item):
        new = AnchorLink(item.title, item.id, item.level)
        new.children = [copied(child) for child in item.children]
        return new
    return TableOfContents([copied(item) for item in toc]) if toc is not None else None


def _render_markdown(original):
    def render(page, config, files):
        key = _key(page.file.src_uri, page.file.url, page.markdown, _files_digest(files), _config_digest(config))
        found = _get("markdown", key)
        if found is None:
            said, logger = _Collect(), logging.getLogger("mkdocs")
            logger.addHandler(said)
            try:
                original(page, config, files)
            finally:
                logger.removeHandler(said)
            links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
            _put("markdown", key, (page.content, _copy_toc(page.toc), page._title_from_render,
                                   set(page.present_anchor_ids or ()), links, said.records,
                                   page.links_to_anchors is not None))
            return
        content, toc, title, anchors, links, said, has_links = found
        page.content, page.toc, page._title_from_render = content, _copy_toc(toc), title
        page.present_anchor_ids = set(anchors)
        if has_links:
            page.links_to_anchors = {target: dict(found) for uri, found in links.items()
                                     if (target := files.get_file_from_path(uri)) is not None}
        for record in said:   # MkDocs' own warnings about this page, as the first build said them
            logging.getLogger(record.name).handle(record)
    render.kb_rebuild = True
    return render


# --- the page through the theme ---------------------------------------------------------------------------

_SKIPPED = {"nav", "pages", "config", "page", "build_date_utc", "i18n_alternates", "i18n_config",
            "i18n_current_language_config"}   # keyed apart, or not read by the templates


def _page_key(template, context) -> tuple | None:
    page, config, nav = context.get("page"), context.get("config"), context.get("nav")
    if page is None or getattr(page, "file", None) is None or config is None or nav is None:
        return None
    env = template.environment
    neighbours = [(p.title, p.url) if p is not None else None for p in (page.previous_page, page.next_page)]
    tags = [(getattr(t, "name", repr(t)), getattr(t, "url", None), getattr(t, "hidden", None))
            for t in context.get("tags") or []]   # Material's tags plugin: the page's tags, linked to their listing
    rest = {name: value for name, value in context.items() if name not in _SKIPPED and name != "tags"}
    return _key(template.name, page.file.src_uri, page.url, page.canonical_url, page.edit_url, page.title,
                page.is_homepage, page.content, _json(_toc(page.toc)), _json(page.meta), _json(neighbours),
                _json(tags), _json(rest), _json(config.get("extra")), _json(_globals(env)),
                _nav_digest(nav), _config_digest(config))


def _globals(env) -> dict:
    """The templates' global values: a function by its name (what it does follows from the code and the
    configuration; MkDocs installs a new gettext of the theme's catalog for every build), any other by value."""
    return {name: f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__qualname__)}"
            if callable(value) else value for name, value in env.globals.items()}


def _render_template(original):
    def render(template, *args, **kwargs):
        context = args[0] if len(args) == 1 and not kwargs and isinstance(args[0], dict) else None
        key = _page_key(template, context) if context is not None else None
        if key is None:
            return original(template, *args, **kwargs)
        found = _get("page", key)
        if found is None:
            found = original(template, *args, **kwargs)
            _put("page", key, found)
        return found
    render.kb_rebuild = True
    return render


# --- search entries ------------------------------------------------------------------------------------------

def _search_entries(original):
    def add_entry_from_context(index, page):
        key = _key(page.url, page.title, page.content, _json(_toc(page.toc)), _json(page.meta), _json(index.config))
        found = _get("search", key)
        if found is None:
            before = len(index.entries)
            original(index, page)
            _put("search", key, [dict(entry) for entry in index.entries[before:]])
            return
        index.entries.extend(dict(entry) for entry in found)   # kb_search adds the page's words to its entry
    add_entry_from_context.kb_rebuild = True
    return add_entry_from_context


def reused(step: str, compute, *inputs):
    """`compute()`, or under `mkdocs serve` its result from a build whose `inputs` were the same: for our own
    hooks' work on each page's HTML (kb_hooks.on_post_page scans it)."""
    if not _INSTALLED:
        return compute()
    key = _key(*inputs)
    found = _get(step, key)
    if found is None:
        found = compute()
        _put(step, key, found)
    return found


# --- front matter ---------------------------------------------------------------------------------------------

def _front_matter(original):
    def get_data(doc: str):
        key = _key(doc)
        found = _get("front matter", key)
        if found is None:
            found = original(doc)
            _put("front matter", key, copy.deepcopy(found))
            return found
        return found[0], copy.deepcopy(found[1])   # hooks change a page's meta: each build its own copy
    get_data.kb_rebuild = True
    return get_data


# --- the site folder ---------------------------------------------------------------------------------------------
# A build cleans the site folder and writes every file anew: at 1,000 pages per language, a sixth of a rebuild
# went to making folders and files that held the same bytes as before. Under `mkdocs serve` the folder is not
# cleaned; a file MkDocs would write with the bytes it already holds (as this process last wrote it, untouched
# since) is left as it is, and after the build (sweep) every file the build neither wrote nor left is removed,
# with the folders left empty: the folder then holds what a cleaned one would.

_WRITTEN: dict[str, tuple[bytes, tuple]] = {}   # path -> (hash of the bytes written, the file's state after writing)
_SITE: dict = {}   # "folder", "since" (a time on the folder's file system clock), "kept" ((device, inode) of files left)


def _state(found: os.stat_result) -> tuple:
    return (found.st_mtime_ns, found.st_ctime_ns, found.st_size, found.st_ino, found.st_dev)


def _clean_directory(original):
    def clean_directory(directory: str) -> None:
        _SITE.clear()
        try:
            os.makedirs(directory, exist_ok=True)
            # The time now on the folder's own file system clock (it may run coarser than Python's): any file
            # written from now on is at least as new.
            handle, marker = tempfile.mkstemp(prefix=".kb-build-", dir=os.path.dirname(os.path.abspath(directory)))
            try:
                since = os.fstat(handle).st_mtime_ns
            finally:
                os.close(handle)
                os.unlink(marker)
        except OSError:   # cannot tell the time there: cleaned and written whole, as MkDocs does
            return original(directory)
        _SITE.update(folder=os.path.abspath(directory), since=since, kept=set())
    clean_directory.kb_rebuild = True
    return clean_directory


def _write_file(original):
    def write_file(content: bytes, output_path: str) -> None:
        folder = _SITE.get("folder")
        if folder is None or not os.path.abspath(output_path).startswith(folder + os.sep):
            return original(content, output_path)
        digest = hashlib.blake2b(content, digest_size=20).digest()
        before = _WRITTEN.get(output_path)
        if before is not None and before[0] == digest:
            try:
                found = os.stat(output_path)
            except OSError:
                found = None
            if found is not None and _state(found) == before[1]:   # as this process wrote it: the same bytes
                _SITE["kept"].add((found.st_dev, found.st_ino))
                STATS["file kept"] += 1
                return
        original(content, output_path)
        STATS["file written"] += 1
        _WRITTEN[output_path] = (digest, _state(os.stat(output_path)))
    write_file.kb_rebuild = True
    return write_file


def sweep(site_dir: str) -> int:
    """After a whole build under `mkdocs serve`: remove what it neither wrote nor left (pages deleted since the
    last build, …), and folders left empty; the number of files removed."""
    folder, since, kept = _SITE.pop("folder", None), _SITE.get("since"), _SITE.get("kept", set())
    if folder is None or folder != os.path.abspath(site_dir):
        return 0
    removed = 0
    for top, folders, names in os.walk(folder, topdown=False):
        for name in names:
            path = os.path.join(top, name)
            try:
                found = os.lstat(path)
                # Written in this build (a file moved within the site keeps its inode: kb/rendering/output.py).
                if found.st_mtime_ns >= since or (found.st_dev, found.st_ino) in kept:
                    continue
                os.unlink(path)
                _WRITTEN.pop(path, None)
                removed += 1
            except OSError:
                continue
        for name in folders:
            try:
                os.rmdir(os.path.join(top, name))   # only when empty
            except OSError:
                pass
    STATS["file removed"] += removed
    return removed


# --- memory ----------------------------------------------------------------------------------------------------
# What a rebuild reuses (this module's results, the parsed pages) is hundreds of thousands of objects that live as
# long as the server. Python's cyclic garbage collector looked at all of them at least once per rebuild (a third of
# a second at 1,000 pages per language). After the first build they are set aside from its passes (gc.freeze);
# what later builds make is collected as usual. (Objects of the first build that later become garbage in a cycle
# are not collected: measured, the server's memory stays level from the first rebuild to the twelfth.)

def finish_build(site_dir: str) -> None:
    """After a whole build under `mkdocs serve` (not a language pass): the site folder swept, and after the first
    build, what lives on set aside from the garbage collector's passes."""
    sweep(site_dir)
    if _INSTALLED and not _FROZEN:
        _FROZEN.append(True)
        gc.collect()
        gc.freeze()


_FROZEN: list = []


def install() -> bool:
    """Reuse results from now on in this process (`mkdocs serve`): once, whatever the number of rebuilds."""
    if _INSTALLED or not enabled():
        return bool(_INSTALLED)
    import jinja2
    from mkdocs.structure.pages import Page
    from mkdocs.utils import meta
    from mkdocs import utils
    Page.render = _render_markdown(Page.render)
    utils.clean_directory = _clean_directory(utils.clean_directory)
    utils.write_file = _write_file(utils.write_file)
    meta.get_data = _front_matter(meta.get_data)
    jinja2.Template.render = _render_template(jinja2.Template.render)
    try:
        from material.plugins.search.plugin import SearchIndex
        SearchIndex.add_entry_from_context = _search_entries(SearchIndex.add_entry_from_context)
    except ImportError:   # another theme: its search is not reused
        pass
    _INSTALLED.append(True)
    return True
