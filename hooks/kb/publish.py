"""What may be published: nothing from outside docs/, nothing loaded from another host.

The site is served on an intranet without internet. A symbolic link under docs/ that leads out of it
would publish what it points to (`docs/en/keys -> /etc/ssh`); a page that makes the browser load a script,
a picture or a stylesheet from another host breaks there (and tells that host who reads what).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from kb.checks import Problem


def unsafe_links(docs: Path, display) -> dict[str, Problem]:
    """Symbolic links under `docs` that lead out of it or to nothing: docs-relative path -> problem."""
    docs = Path(docs)
    real_docs = docs.resolve()
    found: dict[str, Problem] = {}
    for folder, dirs, files in os.walk(docs):   # does not follow links: each link is seen once, as a link
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if not path.is_symlink():
                continue
            rel = path.relative_to(docs).as_posix()
            target = os.readlink(path)
            try:
                resolved = path.resolve(strict=True)
            except (OSError, RuntimeError):
                found[rel] = Problem(display(path), 0, f"a symbolic link to '{target}', which does not exist: "
                                                       f"remove the link or put the file itself here")
                continue
            if not resolved.is_relative_to(real_docs):
                found[rel] = Problem(display(path), 0, f"a symbolic link to '{target}', outside docs/: it is not "
                                                       f"published; copy what it should show into docs/")
    return found


def refused(src_uri: str, links: dict[str, Problem]) -> bool:
    """Whether a file of the build lies at or under one of the refused links."""
    return any(src_uri == rel or src_uri.startswith(rel + "/") for rel in links)


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
