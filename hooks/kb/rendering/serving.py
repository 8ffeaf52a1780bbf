"""What `mkdocs serve` shows a writer: a page's problems in a banner at its top, and a page whose file
cannot be read as an error page saying why (never a 404). Strict builds stop on the same problems
instead (kb_hooks.on_pre_build); nothing here runs for them.

The banner's heading is in the reader's language; the messages themselves are the build's English lines.
"""
from __future__ import annotations

import html

from kb.checking.checks import ERROR, Problem
from kb.content.locales import Interface
from kb.content.model import ContentError


def N_(message: str) -> str:
    return message


BANNER_HINT = N_("A published build (make build) stops until they are fixed:")
ERROR_TITLE = N_("This page cannot be shown")
ERROR_TEXT = N_("Its file has a mistake that stops it from being read. Fix it and save the file: this page reloads.")


def _line(problem: Problem | ContentError) -> str:
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    return f"<li><code>{html.escape(where)}</code> {html.escape(problem.message)}</li>"


def banner(problems: list[Problem], ui: Interface) -> str:
    """The errors of one page as a Material "failure" admonition, or "" when it has none."""
    errors = [p for p in problems if p.kind == ERROR]
    if not errors:
        return ""
    title = ui.ngettext("This page has {n} problem", "This page has {n} problems", len(errors))
    items = "\n".join(_line(p) for p in errors)
    return (f'<div class="admonition failure kb-problems" role="alert" data-search-exclude>\n'
            f'<p class="admonition-title">{html.escape(title)}</p>\n'
            f'<p>{html.escape(ui.gettext(BANNER_HINT))}</p>\n<ul>\n{items}\n</ul>\n</div>\n')


def error_page(error: ContentError, ui: Interface) -> str:
    """The Markdown served in place of an unreadable page (everything in it is escaped HTML)."""
    return (f"# {html.escape(ui.gettext(ERROR_TITLE))}\n\n"
            f'<div class="admonition failure kb-problems" role="alert" data-search-exclude>\n'
            f'<p class="admonition-title">{html.escape(ui.gettext(ERROR_TEXT))}</p>\n'
            f"<ul>\n{_line(error)}\n</ul>\n</div>\n")
