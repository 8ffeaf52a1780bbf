"""The site as one build sees it: every language read and checked once (kb.content.corpus), and what follows from
that for every page — which page each language shows where it has none of its own, what changed in the
origin of each outdated translation, when each file last changed, the lines the build prints and whether
they stop it. Computed once per build (`read_site`) and never changed after: the renderers (kb.rendering.pages) are
functions of a page and this view.

`SiteBuild` is one build's run around the view: what a page hands on to a later one of the same build (a
checklist's HTML for its language's print pack) and the lines said once per build. Nothing here knows of
MkDocs; hooks/kb_hooks.py maps MkDocs' events to these calls.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping

from kb.translation import diff, slips
from kb.content import locales
from kb.checking import publish
from kb.content.corpus import Corpus
from kb.content.history import last_changed
from kb.content.model import Page

WARNING, INFO = "warning", "info"


@dataclass(frozen=True)
class Line:
    """A line the build prints, at its level."""
    level: str
    text: str


@dataclass(frozen=True)
class SiteView:
    corpus: Corpus
    docs: Path
    locales_dir: Path
    # (language, page) -> the language whose text it shows, for each page a language lacks (or make publish replaces)
    fallbacks: Mapping[tuple[str, str], str]
    # page -> {language: language shown}: the same, by page
    fallbacks_by_rel: Mapping[str, Mapping[str, str]]
    changes: Mapping[tuple[str, str], diff.Changes]      # (language, page) -> what changed in its origin
    dates: Mapping[tuple[str, str], dt.date]             # (language, page) -> when its file last changed
    built_on: dt.date                                    # the status report is as of this build
    status_rel: str | None                               # the translation status page
    script_hashes: frozenset | None                      # inline scripts deploy/nginx.conf's CSP allows (None: no such file)
    lines: tuple[Line, ...]                              # what the build prints about the content
    errors: int                                          # of them, the errors that stop a strict build (not serve)
    serving: bool = False                                # mkdocs serve: pages carry their problems, errors do not stop
    preview: str | None = None                           # the only language built (make serve LANG=ru), else None

    def stops(self, strict: bool) -> str | None:
        """Why this build stops before writing anything (a strict build with content errors), or None."""
        if self.errors and strict and not self.serving:
            return f"{self.errors} content error(s): see the lines above (make status shows them all)"
        return None

    def shown_language(self, lang: str, rel: str) -> str:
        """The language of the text a reader of `lang` gets at page `rel`."""
        return self.fallbacks.get((lang, rel), lang)

    def model(self, lang: str, rel: str) -> Page | None:
        """The content model of a reader's page: its own, or the one standing in for it (a fallback)."""
        return self.corpus.pages.get((self.shown_language(lang, rel), rel))

    def fallback_text(self, lang: str, rel: str) -> str | None:
        """The Markdown a reader of `lang` gets at `rel` when it is another language's (None: its own)."""
        shown = self.fallbacks.get((lang, rel))
        return (self.docs / shown / rel).read_text(encoding="utf-8-sig") if shown is not None else None

    def left_out(self, src_uri: str) -> bool:
        """Whether a file of docs/ ("ru/faq/index.md") is left out of the site: unreadable (mkdocs serve shows
        an error page instead; make publish its stand-in's text) or under a refused symbolic link."""
        lang, _, rel = src_uri.partition("/")
        if (lang, rel) in self.corpus.broken and not self.serving and (lang, rel) not in self.fallbacks:
            return True
        return bool(self.corpus.refused) and publish.refused(src_uri, self.corpus.refused)


def build_day() -> dt.date:
    """The day a build is of: SOURCE_DATE_EPOCH's when it is set (as MkDocs dates the sitemap, so that parts built on
    different days, or a build repeated later, say the same), else today's (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isascii() and epoch.isdigit():
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            pass
    return dt.datetime.now(dt.timezone.utc).date()


def read_site(docs: Path, root: Path, command: str | None = "build", preview: str | None = None) -> SiteView:
    """Read and check every language once for a build (`command`: "build" or "serve"; `preview`: the only
    language built, make serve LANG=ru). Under make publish (kb.translation.slips) translations with errors are replaced
    by their stand-in and what was replaced is written to its report."""
    serving = command == "serve"
    publish_report = slips.requested() if command == "build" else None
    locales_dir = locales.project_locales(root)
    corpus = Corpus.load(docs, root)
    unreplaceable = corpus.replace_slips() if publish_report is not None else corpus.errors
    fallbacks = {(lang, rel): shown for lang, rel, shown in corpus.fallbacks()}
    by_rel: dict[str, dict[str, str]] = {}
    for (lang, rel), shown in fallbacks.items():
        by_rel.setdefault(rel, {})[lang] = shown
    changes = diff.changes_of_outdated(corpus)
    files = {(lang, rel): docs / lang / rel for lang, rel in corpus.pages}
    raw_dates = last_changed(root, list(files.values()))
    dates = {page: raw_dates[path] for page, path in files.items() if path in raw_dates}
    catalog_problems, joining_notes = locales.check_catalogs(corpus, locales_dir, root)   # as make check
    locales.DEFAULT_TEXT.clear()
    if publish_report is not None:
        locales.DEFAULT_TEXT.update(lang for lang in corpus.languages if locales.damaged(lang, locales_dir))
        slips.write_report(publish_report, corpus, catalog_problems, locales.DEFAULT_TEXT)

    lines = [Line(INFO, note) for note in joining_notes]
    lines.append(Line(INFO, f"kb: read and checked {len(corpus.pages) + len(corpus.broken)} pages in "
                            f"{len(corpus.languages)} languages once for this build"))
    stopping = set(unreplaceable)
    lines += [Line(WARNING if problem in stopping else INFO, str(problem)) for problem in corpus.problems]
    lines += [Line(INFO, str(problem)) for problem in diff.problems(changes)]
    lines += [Line(INFO if publish_report is not None else WARNING, str(problem)) for problem in catalog_problems]
    if publish_report is not None and corpus.replaced:
        lines.append(Line(INFO, f"kb: make publish: {len(corpus.replaced)} translation(s) with errors published as "
                                f"their fallback (listed at the end)"))
    errors = len(unreplaceable) + (len(catalog_problems) if publish_report is None else 0)
    return SiteView(
        corpus=corpus, docs=docs, locales_dir=locales_dir,
        fallbacks=MappingProxyType(fallbacks),
        fallbacks_by_rel=MappingProxyType({rel: MappingProxyType(langs) for rel, langs in by_rel.items()}),
        changes=MappingProxyType(changes), dates=MappingProxyType(dates),
        built_on=build_day(),
        status_rel=next((p.rel for p in corpus.pages.values() if p.generate == "translation-status"), None),
        script_hashes=publish.allowed_script_hashes(root),
        lines=tuple(lines), errors=errors, serving=serving, preview=preview)


def _compute(step: str, compute, *inputs):
    return compute()


@dataclass
class SiteBuild:
    """One build's run: the view, and what pages hand on to later pages of the same build."""
    view: SiteView
    # memo(step, compute, *inputs): compute(), or a result a build of the same process had from the same
    # inputs (a generator's live preview reuses its last build's scans of unchanged pages)
    memo: Callable = _compute
    sheets: dict[tuple[str, str], str] = field(default_factory=dict)   # (language, checklist) -> its HTML, for the print pack
    said: set[str] = field(default_factory=set)                          # lines said once per build
    not_found_page: bytes | None = None                                  # the default language's 404 page

    def first_time(self, line: str) -> bool:
        """Whether `line` has not been said in this build yet (and is now)."""
        if line in self.said:
            return False
        self.said.add(line)
        return True
