"""What a renderer needs besides the page itself: the corpus, the reader's interface text, URLs and dates.

Its own module so that the renderers (kb.rendering.render, kb.rendering.printing) share it without importing each other.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kb.content.corpus import Corpus
from kb.content.locales import Interface


@dataclass(frozen=True)
class PageContext:
    """What a renderer needs besides the page: the corpus, the reader's interface text, URLs, dates."""

    corpus: Corpus
    ui: Interface
    changed: dt.date | None
    origin_changed: dt.date | None
    origin_url: str | None
    site_url: str
    reader: str = ""                   # the language of the site being built (a fallback page's differs)
    changes: object | None = None      # kb.translation.diff.Changes when the page is an outdated translation
    status_url: str | None = None      # the translation status page, relative to this page
