"""Plain text of inline Markdown: a page's title shown elsewhere (a list, a table of contents, the
status page) shows its words, not `**` or `<code>`; callers escape it for HTML where they insert it."""
from __future__ import annotations

import functools
import html
import re

import markdown

_TAG = re.compile(r"<[^<>]*>")   # linear: no nested quantifiers, no backtracking across '<'


@functools.lru_cache(maxsize=4096)
def plain(inline_markdown: str) -> str:
    """'Use **`<b>`** here' -> 'Use <b> here' (unescaped text: escape it where it goes into HTML)."""
    if not any(c in inline_markdown for c in "*_`[<&\\!"):
        return inline_markdown.strip()
    rendered = markdown.markdown(inline_markdown)
    return " ".join(html.unescape(_TAG.sub("", rendered)).split())
