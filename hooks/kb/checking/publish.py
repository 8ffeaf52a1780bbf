"""What may be published: nothing from outside docs/, nothing loaded from another host.

The site is served on an intranet without internet. A symbolic link under docs/ that leads out of it
would publish what it points to (`docs/en/keys -> /etc/ssh`); a page that makes the browser load a script,
a picture or a stylesheet from another host breaks there (and tells that host who reads what).
"""
from __future__ import annotations

import base64
import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from kb.checking.checks import Problem
from kb.content.model import printable


# One part of a page's path: lower-case ASCII letters, digits and hyphens (make new-page's rule): a name is
# written into ids, addresses and the print pack as it is, so it can hold nothing else.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
SLUG_LIMIT = 80                      # characters of one part (a file system takes 255 bytes for a whole name)
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*", re.ASCII)   # a file beside the pages (a picture, a form)
# MkDocs would publish these from docs/ as they are, and a browser would run them: pages are Markdown.
ACTIVE = frozenset({".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".xslt", ".js", ".mjs",
                    ".cjs", ".wasm", ".swf", ".php", ".phtml", ".cgi", ".pl", ".py", ".sh", ".jsp", ".asp", ".aspx"})
OTHER_MARKDOWN = frozenset({".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext"})
_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"))


@dataclass
class Tree:
    """What docs/ holds: its pages, and what is not published, each with its one line."""
    pages: list[tuple[str, str]] = field(default_factory=list)       # (language, path in its folder), sorted
    refused: dict[str, Problem] = field(default_factory=dict)        # docs-relative path -> why not published


def scan(docs: Path, display, languages) -> Tree:
    """Every page under docs/<lang>/, and every entry that is not published: a symbolic link leaving docs/,
    leading nowhere or round in a loop, anything but a regular file or folder (a named pipe would block the
    build that reads it), a page whose path is not slugs, a file the browser would run, anything outside
    the language folders. Names starting with '.' are skipped, as MkDocs skips them."""
    docs = Path(docs)
    tree = Tree()
    real_docs = docs.resolve()

    def refuse(path: Path, rel: str, message: str) -> None:
        tree.refused[rel] = Problem(printable(display(path)), 0, message)

    def walk(folder: Path, rel_folder: str, ancestors: tuple[Path, ...]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            refuse(folder, rel_folder, f"cannot be read ({exc.strerror}): check its permissions")
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            path, rel = Path(entry.path), f"{rel_folder}/{name}" if rel_folder else name
            if entry.is_symlink():
                problem = _link_problem(path, real_docs, ancestors)
                if problem:
                    refuse(path, rel, problem)
                    continue
            try:
                mode = os.stat(path).st_mode
            except OSError as exc:
                refuse(path, rel, f"cannot be read ({exc.strerror})")
                continue
            if stat.S_ISDIR(mode):
                problem = _folder_problem(name, rel_folder, languages)
                if problem:
                    refuse(path, rel, problem)
                else:
                    walk(path, rel, (*ancestors, path.resolve()))
                continue
            if not stat.S_ISREG(mode):
                kind = next((what for test, what in _KINDS if test(mode)), "a special file")
                refuse(path, rel, f"{kind}, not a file: nothing reads it (the build would wait on it for ever); "
                                  f"remove it")
                continue
            problem = _file_problem(name, rel_folder)
            if problem:
                refuse(path, rel, problem)
            elif name.endswith(".md"):
                lang, _, page = rel.partition("/")
                tree.pages.append((lang, page))

    walk(docs, "", (real_docs,))
    tree.pages.sort()
    return tree


def _link_problem(path: Path, real_docs: Path, ancestors: tuple[Path, ...]) -> str | None:
    target = printable(os.readlink(path), 120)
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        return f"a symbolic link to '{target}', which does not exist: remove the link or put the file itself here"
    except (OSError, RuntimeError):   # ELOOP: links that lead to each other
        return f"a symbolic link to '{target}', which leads round in a loop of links: remove it"
    if not resolved.is_relative_to(real_docs):
        return f"a symbolic link to '{target}', outside docs/: it is not published; copy what it should show into docs/"
    if resolved.is_dir() and any(folder.is_relative_to(resolved) for folder in ancestors):
        return f"a symbolic link to '{target}', a folder that holds the link itself (a loop): remove it"
    return None


def _slug_problem(part: str, what: str) -> str | None:
    if SLUG.fullmatch(part) and len(part) <= SLUG_LIMIT:
        return None
    if len(part) > SLUG_LIMIT:
        return f"the {what} name is {len(part)} characters long (at most {SLUG_LIMIT}): shorten it; this is not published"
    suggestion = "-".join(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", part).lower().encode("ascii", "ignore").decode()))
    hint = f", e.g. '{suggestion}'" if suggestion else ""
    return (f"the {what} name '{printable(part, 60)}' is not lower-case English letters, digits and hyphens: "
            f"rename it{hint} (it is the address in every language); this is not published")


def _folder_problem(name: str, rel_folder: str, languages) -> str | None:
    if not rel_folder:
        return None if name in languages else (f"not a language folder ({', '.join(languages)}): pages live in "
                                                f"docs/<language>/; this is not published")
    return _slug_problem(name, "folder")


def _file_problem(name: str, rel_folder: str) -> str | None:
    if not rel_folder:
        return "outside the language folders: pages live in docs/<language>/; this is not published"
    stem, dot, suffix = name.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if name.endswith(".md"):
        return _slug_problem(stem, "page")
    if suffix in OTHER_MARKDOWN or suffix == ".md":
        return f"a page is written as a .md file (rename it to {printable(stem, 60).lower()}.md); this is not published"
    if suffix in ACTIVE:
        return (f"a {suffix} file would run in the reader's browser: pages are written in Markdown (.md); "
                f"this is not published")
    if not FILE_NAME.fullmatch(name) or len(name) > SLUG_LIMIT:
        return (f"the file name '{printable(name, 60)}' has characters other than English letters, digits, '.', "
                f"'-' and '_' (or is over {SLUG_LIMIT} long): rename it; this is not published")
    return None


def unsafe_links(docs: Path, display) -> dict[str, Problem]:
    """Symbolic links under `docs` that lead out of it, to nothing or round in a loop: docs-relative path -> problem."""
    from kb.content.model import LANGUAGES
    return {rel: problem for rel, problem in scan(docs, display, LANGUAGES).refused.items()
            if "a symbolic link" in problem.message}


def refused(src_uri: str, refusals: dict[str, Problem]) -> bool:
    """Whether a file of the build lies at or under one of the refused paths (looked up by each of its
    folders: a tree with many refusals costs no more per file)."""
    at = len(src_uri)
    while at > 0:
        if src_uri[:at] in refusals:
            return True
        at = src_uri.rfind("/", 0, at)
    return False


# Elements whose URL attributes the browser loads by itself (links with <a href> are followed by a person).
_ELEMENT = re.compile(r"<(script|img|iframe|frame|link|source|video|audio|embed|object|track|image|use|input|body|table|td)\b([^<>]*)>", re.I)
_ATTRIBUTE = re.compile(r"""\b(src|href|srcset|data|poster|xlink:href|background)[ \t\n]*=[ \t\n]*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_LINK_LOADS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "apple-touch-icon", "manifest", "shortcut"}
_REL = re.compile(r"""\brel[ \t\n]*=[ \t\n]*["']?([^"'>]*)""", re.I)
_CSS_URL = re.compile(r"""url\([ \t\n]*['"]?([^'")\s]*)|@import[ \t\n]+['"]([^'"]*)""", re.I)
# Tried only where the word occurs (found with str.find): tried at every position of a page, as finditer
# does, a pattern with re.I and no literal start took 2 ms per page of 60 kB, half of a build's hook time.
_STYLE_ELEMENT = re.compile(r"""<style\b[^<>]*>([^<]*)""", re.I)
_STYLE_ATTRIBUTE = re.compile(r"""(?<![\w.:-])style[ \t\n]*=[ \t\n]*(?:"([^"]*)"|'([^']*)')""", re.I)
# What makes Material's own JavaScript load from another host (found in its bundle: unpkg.com, api.github.com):
# (word that must occur, pattern, description).
_MATERIAL_TRIGGERS = [
    ("mermaid", re.compile(r"""class=["'][^"']*\bmermaid\b""", re.I),
     "a mermaid diagram (Material loads mermaid from unpkg.com)"),
    ("data-md-component", re.compile(r"""data-md-component=["']source["']"""),
     "a repository link (Material asks api.github.com for its facts)"),
]


def external_loads(page_html: str, own_host: str = "") -> list[str]:
    """What in a page's HTML the browser would load from another host: one description each."""
    found: list[str] = []

    def check(url: str, what: str) -> None:
        url = url.strip()
        if url.startswith("//") or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", url):
            host = urlsplit(url if "://" in url else "http:" + url).netloc
            if host and host.lower() != own_host.lower():
                found.append(f"{what} loads {url[:120]}")

    for element in _ELEMENT.finditer(page_html):
        tag, attributes = element.group(1).lower(), element.group(2)
        if tag == "link":
            rel = _REL.search(attributes)
            if not rel or not set(rel.group(1).lower().split()) & _LINK_LOADS:
                continue
        for attribute in _ATTRIBUTE.finditer(attributes):
            name = attribute.group(1).lower()
            value = next(v for v in attribute.groups()[1:] if v is not None)
            if name == "href" and tag not in ("link", "image", "use"):
                continue
            urls = [part.split()[0] for part in value.split(",") if part.split()] if name == "srcset" else [value]
            for url in urls:
                check(url, f"<{tag} {name}>")
    # Lower-case ASCII with one byte per character (anything else becomes "?"): positions match page_html's.
    lowered = page_html.encode("ascii", "replace").lower()
    for css in _styles(page_html, lowered):
        for match in _CSS_URL.finditer(css):
            check(match.group(1) or match.group(2) or "", "a style")
    for word, pattern, what in _MATERIAL_TRIGGERS:
        if word.encode() in lowered and pattern.search(page_html):
            found.append(what)
    return found


def _styles(page_html: str, lowered: bytes):
    """The CSS of each <style> element and style attribute, in document order."""
    end = 0
    for at in _occurrences(lowered, b"style"):
        if at < end:
            continue   # inside the previous match
        style = (_STYLE_ELEMENT.match(page_html, at - 1) if at and page_html[at - 1] == "<" else None) \
            or _STYLE_ATTRIBUTE.match(page_html, at)
        if style:
            end = style.end()
            yield next((v for v in style.groups() if v is not None), "")


def _occurrences(text: bytes, word: bytes):
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


# --- the Content-Security-Policy of deploy/nginx.conf ----------------------------------------------------
# It lets a page run the scripts written into it only when their SHA-256 hash is listed (Material's two). A
# theme update that changes them would leave every page without them: the build compares instead.

NGINX_CONF = Path("deploy") / "nginx.conf"
_CSP_HASH = re.compile(r"'sha256-([A-Za-z0-9+/]+=*)'")


def allowed_script_hashes(root: Path) -> frozenset[str] | None:
    """The script hashes the site's CSP allows (deploy/nginx.conf beside mkdocs.yml), None without that file."""
    try:
        text = (root / NGINX_CONF).read_text(encoding="utf-8")
    except OSError:
        return None
    return frozenset(_CSP_HASH.findall(text))


def inline_scripts(page_html: str) -> list[tuple[str, str]]:
    """(base64 SHA-256, the first characters) of each script written into a page (not JSON data, not a file)."""
    found = []
    start = page_html.find("<script")
    while start >= 0:
        open_end = page_html.find(">", start)
        close = page_html.find("</script>", open_end)
        if open_end < 0 or close < 0:
            break
        attributes = page_html[start + 7: open_end]
        if "src=" not in attributes and "application/json" not in attributes:
            body = page_html[open_end + 1: close]
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
            found.append((digest, printable(body.strip()[:40])))
        start = page_html.find("<script", close)
    return found
