"""All pages of all languages, parsed once, checked once: the cross-language view of the site."""
from __future__ import annotations

import gc
import re
import shlex
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kb.content import cache as page_cache
from kb.checking import checks, publish, terms
from kb.content import glossary as glossary_mod, moves as moves_mod
from kb.checking.checks import ERROR, OUTDATED, Problem
from kb.content.languages import Languages
from kb.content.model import LANGUAGES, TRANSLATED_FROM, ContentError, Page

OK, MISSING = "ok", "missing"
# What `make mark-current` writes: the origin's fingerprint, then the origin's commit (older values lack it).
RECORD = re.compile(r"([0-9a-f]{12})(?: ([0-9a-f]{7,40}))?", re.ASCII)


# The problems of each page on its own (checks.check_page: a function of the page alone) from the last load in
# this process, by the page they were found on: a process that loads again (each `mkdocs serve` rebuild) gets
# the same Page objects back for unchanged files (kb/content/cache.py) and does not check them again.
_PAGE_PROBLEMS: dict[int, tuple[Page, list[Problem]]] = {}


def translated_from(page: Page) -> tuple[str, str | None] | None:
    """(fingerprint, origin commit or None) from the page's `translated_from`, None when absent or malformed."""
    value = page.meta.get(TRANSLATED_FROM)
    if value is None or isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    match = RECORD.fullmatch(str(value).strip())
    return (match.group(1), match.group(2)) if match else None


def shell_quote(path: str) -> str:
    """A path as a shell word for the commands we suggest: quoted only when it needs it."""
    return shlex.quote(path)


@dataclass
class Corpus:
    root: Path                                   # project root: messages show paths relative to it
    docs: Path
    languages: tuple[str, ...] = LANGUAGES
    settings: Languages | None = None                      # mkdocs.yml's languages: fallback orders, joining
    replaced: set[tuple[str, str]] = field(default_factory=set)   # make publish: translations shown as their stand-in
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)
    broken: dict[tuple[str, str], ContentError] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)   # rel -> origin language
    glossary: glossary_mod.Glossary | None = None          # glossary.yml beside mkdocs.yml (None: none)
    refused: dict[str, Problem] = field(default_factory=dict)   # docs-relative path -> why it is not published
    moves: dict[str, str] = field(default_factory=dict)     # moved-pages.yml: old page -> new (make move-page)
    _paths: dict[tuple[str, str], str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, docs: Path, root: Path | None = None, languages=None, cache: bool | None = None) -> "Corpus":
        """Read and check every page; `cache` (default: on unless KB_CACHE=0) reuses pages parsed before
        (kb/content/cache.py: keyed by the files' bytes, never changes a result). The languages are those of the
        tree's mkdocs.yml (kb/content/languages.py) unless given."""
        docs = docs.resolve()
        root = (root or docs.parent).resolve()
        settings = Languages.load(root)
        corpus = cls(root=root, docs=docs, languages=tuple(languages or settings.codes), settings=settings)
        # Parsing makes many small objects and no garbage cycles: the collector's passes over the
        # growing corpus would only cost time (a sixth of the load at 5,000 pages).
        collecting = gc.isenabled()
        gc.disable()
        try:
            pages = page_cache.PageCache(root) if (page_cache.enabled() if cache is None else cache) else None
            corpus._read(pages)
            if pages is not None:
                pages.save()
            corpus._check()
        finally:
            if collecting:
                gc.enable()
        return corpus

    def display(self, path: Path) -> str:
        text, root = path.as_posix(), self.root.as_posix().rstrip("/") + "/"
        if text.startswith(root) and len(text) > len(root):
            return text[len(root):]   # what relative_to gives, without its cost per file
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def _read(self, cache: "page_cache.PageCache | None" = None) -> None:
        files: list[tuple[Path, str, str, str]] = []
        # What docs/ holds (kb/checking/publish.py): pages, and what is not published (a symbolic link leaving docs/, a
        # named pipe, a name that is not a slug, …), each refusal one line and an error.
        tree = publish.scan(self.docs, self.display, self.languages)
        self.refused = tree.refused
        self.problems += tree.refused.values()
        pages_of: dict[str, list[str]] = {}
        for lang, rel in tree.pages:
            pages_of.setdefault(lang, []).append(rel)
        for lang in self.languages:
            folder = self.docs / lang
            if not folder.is_dir():
                if lang not in self.refused:
                    self.problems.append(Problem(self.display(folder), 0,
                                                 f"the language folder is missing (every language needs {self.display(self.docs)}/{lang}/ with the same pages)"))
                continue
            for rel in sorted(pages_of.get(lang, ()), key=lambda rel: rel.split("/")):
                path = folder / rel
                files.append((path, self.display(path), lang, rel))
        for (_, _, lang, rel), outcome in zip(files, page_cache.read_all(files, cache)):
            try:
                self.pages[lang, rel] = page_cache.result(outcome)
            except ContentError as error:
                self.broken[lang, rel] = error
                self.problems.append(Problem(error.path, error.line, error.message))

    @property
    def rels(self) -> list[str]:
        return sorted({rel for _, rel in [*self.pages, *self.broken]})

    def path_of(self, lang: str, rel: str) -> str:
        # Cached: the status table asks for every page in every language, once per language built.
        path = self._paths.get((lang, rel))
        if path is None:
            path = self._paths[lang, rel] = self.display(self.docs / lang / rel)
        return path

    def origin_page(self, rel: str) -> Page | None:
        lang = self.origins.get(rel)
        return self.pages.get((lang, rel)) if lang else None

    def _check(self) -> None:
        kept = {}
        for page in self.pages.values():
            found = _PAGE_PROBLEMS.get(id(page))
            problems = found[1] if found is not None and found[0] is page else checks.check_page(page)
            kept[id(page)] = (page, problems)
            self.problems += problems
        _PAGE_PROBLEMS.clear()
        _PAGE_PROBLEMS.update(kept)
        self.problems += [Problem(p.path, p.line, p.message) for p in self.settings.problems] if self.settings else []
        self.glossary = glossary_mod.load(self.root, self.display(self.root / glossary_mod.FILE_NAME), self.languages,
                                          self.settings.joining if self.settings else ())
        if self.glossary is not None:
            self.problems += self.glossary.problems
            self.problems += terms.check_corpus(self.pages.values(), self.glossary)
        present_langs = [lang for lang in self.languages if (self.docs / lang).is_dir()]
        rels = set(self.rels)
        self.moves, problems = moves_mod.load(self.root, self.display(self.root / moves_mod.FILE_NAME), rels.__contains__)
        self.problems += problems
        for rel in self.rels:
            self._check_rel(rel, present_langs)
        self.problems += self._broken_links()
        replaced = {(p.path, message) for p in self.problems for message in p.replaces}
        if replaced:
            self.problems = [p for p in self.problems if (p.path, p.message) not in replaced]
        self.problems.sort(key=lambda p: (p.path, p.line, p.message))
        self._by_path: dict[str, list[Problem]] = {}
        for problem in self.problems:
            self._by_path.setdefault(problem.path, []).append(problem)

    def _check_rel(self, rel: str, present_langs: list[str]) -> None:
        versions = {lang: self.pages[lang, rel] for lang in self.languages if (lang, rel) in self.pages}
        declared = Counter(p.origin for p in versions.values() if p.origin in self.languages)
        origin = declared.most_common(1)[0][0] if declared else None
        if origin:
            self.origins[rel] = origin
            for page in versions.values():
                if page.origin in self.languages and page.origin != origin:
                    self.problems.append(Problem(page.path, page.line_of("origin"),
                                                 f"origin is '{page.origin}' but the other languages say '{origin}'"))
        # A missing translation is not an error: that language's site shows the origin under a notice
        # (kb_hooks.on_files) and the status lists it as missing.
        origin_page = versions.get(origin) if origin else None
        if origin_page is None:
            return
        for lang, page in versions.items():
            if lang == origin or page.origin != origin:
                continue
            differences = checks.check_translation(page, origin_page, lambda key, lang=lang: self.link_exists(lang, key))
            stale = self.staleness(page, origin_page)
            if stale:
                # The origin changed after the translation was marked current: its differences against the
                # new origin are what to update, not a translator's slip.
                self.problems.append(Problem(page.path, page.line_of(TRANSLATED_FROM), stale, OUTDATED))
                differences = [Problem(p.path, p.line, f"to update: {p.message}", OUTDATED) for p in differences]
            self.problems += differences

    def _broken_links(self) -> list[Problem]:
        """Links to a page that the language does not have (nor shows as its origin's text), or to an id
        that page lacks: each stops MkDocs' strict build, so each is an error here too (`make status`
        must never say all is well while `make build` fails)."""
        found, anchors = [], {}
        # A current translation's wrong link is an error told already, against the origin's links.
        told = {(p.path, p.line, p.message[:p.message.find("'", 9) + 1]) for p in self.problems
                if p.kind == ERROR and p.message.startswith("link to '")}
        with_errors = {p.path for p in self.problems if p.kind == ERROR}
        for (lang, rel), page in self.pages.items():
            for link in page.links:
                if (page.path, link.line, f"link to '{link.key}'") in told:
                    continue
                target = link.target or rel
                if not target.endswith(".md") or (lang, target) in self.broken:
                    continue   # a picture or a file (MkDocs checks those); an unreadable page is reported already
                shown = self.pages.get((lang, target))
                if shown is None and (lang, target) not in self.broken:
                    shown = self.origin_page(target)   # the origin's text stands in for a missing translation
                if shown is None:
                    moved = self.moves.get(target)
                    hint = (f": the page moved to '{moved}' (moved-pages.yml), link there" if moved
                            else ": check the path (relative to this page's folder)")
                    found.append(Problem(page.path, link.line, f"link to '{link.key}' leads nowhere: there is no page "
                                                               f"{self.path_of(lang, target)}{hint}"))
                    continue
                if not link.anchor or shown.generate:
                    continue   # generated pages get their ids at build time
                if shown.path not in anchors:
                    anchors[shown.path] = checks.page_anchors(shown)
                if not checks.has_anchor(anchors[shown.path], link.anchor):
                    origin = self.origin_page(target)
                    if shown.path in with_errors and origin is not None and origin is not shown and \
                            link.anchor in {s.id for s in origin.sections}:
                        continue   # a section the translation lacks: its own error says so (one mistake, one line)
                    found.append(Problem(page.path, link.line, f"link to '{link.key}' leads nowhere: {shown.path} has "
                                                               f"no heading or element with id '{link.anchor}'"))
        return found

    def link_exists(self, lang: str, key: str) -> bool:
        """Whether a link's target ("page.md#anchor", docs-relative) is there in a language. An anchor is
        known when it is a heading's explicit id; a page with headings without ids may have it too."""
        rel, _, anchor = key.partition("#")
        if not rel:
            return True
        page = self.pages.get((lang, rel))
        if page is None:
            return (lang, rel) in self.broken
        return not anchor or any(s.id == anchor or (s.line and not s.id) for s in page.sections)

    @staticmethod
    def staleness(page: Page, origin: Page) -> str | None:
        """Why a translation is outdated, or None when it was made from the origin as it is now."""
        recorded = page.meta.get(TRANSLATED_FROM)
        fix = f"make mark-current FILE={shell_quote(page.path)}"
        if recorded is None:
            return f"outdated: not yet marked as translated from origin {origin.lang} (after checking it: {fix})"
        parsed = translated_from(page)
        if parsed is None:
            return (f"outdated: translated_from '{str(recorded)[:40]}' is not a value make mark-current writes "
                    f"(check the translation against origin {origin.lang}, then: {fix})")
        if parsed[0] != origin.fingerprint:
            return f"outdated: origin {origin.lang} changed since this translation (update it, then: {fix})"
        return None

    # --- views for reports and renderers -------------------------------------------------

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.kind == ERROR]

    def problems_for(self, lang: str, rel: str) -> list[Problem]:
        return self._by_path.get(self.path_of(lang, rel), [])

    def cell(self, lang: str, rel: str) -> str:
        if (lang, rel) not in self.pages and (lang, rel) not in self.broken:
            return MISSING
        kinds = {p.kind for p in self.problems_for(lang, rel)}
        if ERROR in kinds:
            return ERROR
        if OUTDATED in kinds:
            return OUTDATED
        return OK

    def fallbacks(self) -> list[tuple[str, str, str]]:
        """(language, page, language shown) for each page a language lacks, or that make publish replaces: it
        shows its stand-in's text (the reader's next-best language, else the origin: `stand_in`)."""
        found = []
        for rel in self.rels:
            for lang in self.languages:
                if (lang, rel) in self.replaced or (
                        (lang, rel) not in self.pages and (lang, rel) not in self.broken and (self.docs / lang).is_dir()):
                    shown = self.stand_in(lang, rel)
                    if shown is not None and shown.lang != lang:
                        found.append((lang, rel, shown.lang))
        return found

    def order(self, lang: str) -> tuple[str, ...]:
        """The reader's next-best languages for `lang` (mkdocs.yml extra.kb_languages), before the origin."""
        return self.settings.order(lang) if self.settings else ()

    def stand_in(self, lang: str, rel: str) -> Page | None:
        """The version of page `rel` shown to a reader of `lang` who has none of their own: the first language
        of the reader's fallback order whose version is current (not outdated, no error, not replaced), else
        the origin; None when the origin cannot be read."""
        origin = self.origin_page(rel)
        if origin is None:
            return None
        for other in self.order(lang):
            page = self.pages.get((other, rel))
            if page is not None and (other, rel) not in self.replaced and self.cell(other, rel) == OK:
                return page
        return origin

    def shown(self, lang: str, rel: str) -> Page | None:
        """The page a reader of `lang` gets at `rel`: its own, else its stand-in (None: not published)."""
        if (lang, rel) in self.replaced:
            return self.stand_in(lang, rel)
        page = self.pages.get((lang, rel))
        if page is not None or (lang, rel) in self.broken:
            return page
        return self.stand_in(lang, rel)

    def replace_slips(self) -> list[Problem]:
        """make publish: every translation with an error (a translator's slip) or that cannot be read is
        published as its stand-in; returns the errors that nothing can stand in for (an origin's, a shared
        file's), which stop publishing as they stop make build."""
        for lang, rel in [*self.pages, *self.broken]:
            origin = self.origins.get(rel)
            if origin is None or origin == lang or self.origin_page(rel) is None:
                continue
            if (lang, rel) in self.broken or self.cell(lang, rel) == ERROR:
                self.replaced.add((lang, rel))
        paths = {self.path_of(lang, rel) for lang, rel in self.replaced}
        return [p for p in self.errors if p.path not in paths]

    def outdated(self, lang: str, rel: str) -> bool:
        return any(p.kind == OUTDATED for p in self.problems_for(lang, rel))
