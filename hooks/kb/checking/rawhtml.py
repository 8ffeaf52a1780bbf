"""What HTML a page may carry (README, "What a page may not hold"): nothing that runs or loads a program.

Markdown lets a page write HTML, and attribute lists (`{: … }`) add attributes to what Markdown makes; the
site prints both as they are. So a page holds

- no element that runs or embeds a program or changes where the page's links lead: <script>, <iframe>,
  <frame>, <frameset>, <object>, <embed>, <applet>, <base>, <meta>, <link>, <form>, <svg>, <math>, <portal>;
- no event handler attribute (`onclick=`, `onerror=`, … any name starting with "on");
- no link or source whose address is `javascript:`, `vbscript:` or `data:` (a picture is a file beside the
  page, e.g. ![…](card.png)).

Two checks enforce it. `page_problems` reads the Markdown, line by line, for `make status` and the build's
checks: one line for each thing refused, at its line. `rendered_problems` reads the HTML that Markdown made
of a page, with Python's own HTML parser, as a browser would (entities decoded, attributes over several
lines): whatever the first check did not see is found there, and the page is not published with it. The
web server adds a Content-Security-Policy as a third wall (deploy/nginx.conf).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from kb.content.model import Page

ELEMENTS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link", "form",
            "svg", "math", "portal")
# Where a browser follows or loads an address; `srcdoc` holds a whole page, so it is refused whatever it holds.
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "action", "formaction", "data", "poster", "background",
                            "xlink:href", "cite", "ping", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest",
                            "icon", "usemap", "archive", "profile"})
SCHEMES = ("javascript:", "vbscript:", "data:")

# Linear patterns (a literal start, then one character class): each match is found in one pass of the line.
_ELEMENT = re.compile(r"</?(" + "|".join(ELEMENTS) + r")(?![\w-])", re.I)
_HANDLER = re.compile(r"(?<![\w:-])on[a-z]+[ \t]*=", re.I)
_URL_ATTRIBUTE = re.compile(r"(?<![\w:-])(" + "|".join(re.escape(a) for a in sorted(URL_ATTRIBUTES)) +
                            r"|srcdoc)[ \t]*=[ \t]*[\"']?", re.I)
_CONTROLS = re.compile(r"[\x00-\x20]+")   # a browser drops these from an address before reading its scheme


def _what(element: str) -> str:
    element = element.lower()
    if element == "script":
        return "a <script> element: a page carries no program (every reader's browser would run it): remove it"
    return (f"a <{element}> element: a page embeds no other page, program or form and changes no link of the "
            f"site: remove it (link to what it should show)")


def dangerous_address(url: str) -> str | None:
    """The refused scheme an address starts with ('javascript:', …), as a browser reads it, or None."""
    scheme = _CONTROLS.sub("", url[:64]).lower()
    return next((s for s in SCHEMES if scheme.startswith(s)), None)


def _address_problem(scheme: str) -> str:
    if scheme == "data:":
        return "a 'data:' address: put the picture or file beside the page and link to it by its name"
    return f"a '{scheme}' address runs a program when followed: link to a page or a web address instead"


def page_problems(page: Page) -> list[tuple[int, str]]:
    """(line, message) for each thing the policy refuses, found in the page's Markdown (fenced code, which
    is shown as text, is skipped)."""
    found: list[tuple[int, str]] = []
    in_code = set()
    for first, last in page.code_blocks:
        in_code.update(range(first, last + 1))
    for index, line in enumerate(page.body):
        if index not in in_code and ("<" in line or "=" in line or ":" in line):
            number = page.body_start + index + 1
            if "`" in line:   # a code span is shown as text
                line = _CODE_SPAN.sub(" ", line)
            found += [(number, message) for message in line_problems(line)]
    return found


# A code span on one line, `…` or ``…`` without a backtick inside. It starts only where a run of backticks
# starts and its text holds none, so each character is read once: linear in the line.
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)[^`]+(?<!`)\1(?!`)")


def line_problems(line: str) -> list[str]:
    """What the policy refuses in one line of Markdown, one message each."""
    found: list[str] = []
    if "<" in line:
        for match in _ELEMENT.finditer(line):
            if not match.group().startswith("</"):
                found.append(_what(match.group(1)))
    if "=" in line and ("<" in line or "{" in line):
        for match in _HANDLER.finditer(line):
            name = match.group().rstrip(" \t=")
            found.append(f"an event handler ({name}=): a page carries no program; remove it")
    if ":" in line:
        for match in _URL_ATTRIBUTE.finditer(line):
            if match.group(1).lower() == "srcdoc":
                found.append("a 'srcdoc' attribute holds a whole page: remove it")
                continue
            scheme = dangerous_address(line[match.end(): match.end() + 64])
            if scheme:
                found.append(_address_problem(scheme))
        # A Markdown link's or picture's address follows "](" (or "]:" in a reference definition); read it
        # from there, as a browser reads the address it becomes.
        for marker in ("](", "]:"):
            at = line.find(marker)
            while at >= 0:
                scheme = dangerous_address(line[at + 2: at + 66].lstrip(" \t<"))
                if scheme:
                    found.append(_address_problem(scheme))
                at = line.find(marker, at + 2)
    return list(dict.fromkeys(found))


# Everything the parser below could refuse contains one of these, in lower case: a refused element's tag, an
# attribute "on…=" after a blank, a quote or "/", "srcdoc", an address scheme with its letters perhaps spread
# by blanks or controls, or a character reference (other than the quotes our own escaping writes). A page's
# HTML with none of them is passed without parsing it: most pages, at a seventh of a parse's cost.
_BLANKS = r"[\s\x00-\x20]*"
_SPREAD_SCHEME = re.compile(_BLANKS.join("script:") + "|" + _BLANKS.join("data:"))
_REFERENCE = re.compile(r"&#(?!x27;|39;|x22;|34;)|&colon;|&tab;|&newline;")
_HANDLER_NAME = re.compile(r"on[a-z]+\s*=")   # a literal start: found by the engine's fast search


def suspect(html: str) -> bool:
    """Whether the HTML may hold what the policy refuses (a quick look: rendered_problems parses it)."""
    low = html.lower()
    return (any("<" + element in low for element in ELEMENTS) or "srcdoc" in low
            or ("&" in low and _REFERENCE.search(low) is not None)
            or (":" in low and _SPREAD_SCHEME.search(low) is not None)
            or any(m.start() and low[m.start() - 1] in " \t\n\r\f\"'/" for m in _HANDLER_NAME.finditer(low)))


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []   # (what to look for in the Markdown, message)

    def handle_starttag(self, tag, attrs):
        if tag in ELEMENTS:
            self.found.append((f"<{tag}", _what(tag)))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append((name, f"an event handler ({name}=): a page carries no program; remove it"))
            elif name == "srcdoc":
                self.found.append((name, "a 'srcdoc' attribute holds a whole page: remove it"))
            elif name in URL_ATTRIBUTES and value:
                scheme = dangerous_address(value)
                if scheme:
                    self.found.append((scheme.rstrip(":"), _address_problem(scheme)))

    handle_startendtag = handle_starttag


def rendered_problems(html: str, page: Page | None = None) -> list[tuple[int, str]]:
    """(line, message) for what the policy refuses in a page's rendered HTML; the line is where the page's
    Markdown mentions it (its title's line, or 1, when it cannot be told)."""
    if not suspect(html):
        return []
    finder = _Finder()
    try:
        finder.feed(html)
        finder.close()
    except Exception as exc:   # noqa: BLE001  a parser failure must not let a page through unread
        finder.found.append(("<", f"its HTML cannot be read ({type(exc).__name__}); remove the HTML it holds"))
    problems = []
    for needle, message in finder.found:
        problems.append((_line_of(page, needle) if page is not None else 1, message))
    return list(dict.fromkeys(problems))


def _line_of(page: Page, needle: str) -> int:
    needle = needle.lower()
    for index, line in enumerate(page.body):
        if needle in line.lower():
            return page.body_start + index + 1
    return page.title_line or 1
