"""All pages of all languages, parsed once, checked once: the cross-language view of the site."""
from __future__ import annotations

import gc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kb import checks, glossary as glossary_mod, terms
from kb.checks import ERROR, OUTDATED, Problem
from kb.model import LANGUAGES, TRANSLATED_FROM, ContentError, Page, read_page

OK, MISSING = "ok", "missing"


@dataclass
class Corpus:
    root: Path                                   # project root: messages show paths relative to it
    docs: Path
    languages: tuple[str, ...] = LANGUAGES
    pages: dict[tuple[str, str], Page] = field(default_factory=dict)
    broken: dict[tuple[str, str], ContentError] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)   # rel -> origin language
    glossary: glossary_mod.Glossary | None = None          # glossary.yml beside mkdocs.yml (None: none)
    _paths: dict[tuple[str, str], str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(cls, docs: Path, root: Path | None = None, languages=LANGUAGES) -> "Corpus":
        docs = docs.resolve()
        root = (root or docs.parent).resolve()
        corpus = cls(root=root, docs=docs, languages=tuple(languages))
        # Parsing makes many small objects and no garbage cycles: the collector's passes over the
        # growing corpus would only cost time (a sixth of the load at 5,000 pages).
        collecting = gc.isenabled()
        gc.disable()
        try:
            corpus._read()
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

    def _read(self) -> None:
        for lang in self.languages:
            folder = self.docs / lang
            if not folder.is_dir():
                self.problems.append(Problem(self.display(folder), 0,
                                             f"the language folder is missing (every language needs {self.display(self.docs)}/{lang}/ with the same pages)"))
                continue
            prefix = len(folder.as_posix().rstrip("/")) + 1
            for path in sorted(folder.rglob("*.md")):
                rel = path.as_posix()[prefix:]   # relative to the folder, which rglob's paths start with
                try:
                    self.pages[lang, rel] = read_page(path, self.display(path), lang, rel)
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
        for page in self.pages.values():
            self.problems += checks.check_page(page)
        self.glossary = glossary_mod.load(self.root, self.display(self.root / glossary_mod.FILE_NAME), self.languages)
        if self.glossary is not None:
            self.problems += self.glossary.problems
            self.problems += terms.check_corpus(self.pages.values(), self.glossary)
        present_langs = [lang for lang in self.languages if (self.docs / lang).is_dir()]
        for rel in self.rels:
            self._check_rel(rel, present_langs)
        self.problems.sort(key=lambda p: (p.path, p.line, p.message))
        self._by_path: dict[str, list[Problem]] = {}
        for problem in self.problems:
            self._by_path.setdefault(problem.path, []).append(problem)

    def _check_rel(self, rel: str, present_langs: list[str]) -> None:
        versions = {lang: self.pages[lang, rel] for lang in self.languages if (lang, rel) in self.pages}
        existing = [lang for lang in self.languages if (lang, rel) in self.pages or (lang, rel) in self.broken]
        declared = Counter(p.origin for p in versions.values() if p.origin in self.languages)
        origin = declared.most_common(1)[0][0] if declared else None
        if origin:
            self.origins[rel] = origin
            for page in versions.values():
                if page.origin in self.languages and page.origin != origin:
                    self.problems.append(Problem(page.path, page.line_of("origin"),
                                                 f"origin is '{page.origin}' but the other languages say '{origin}'"))
        if len(existing) == 1 and len(present_langs) > 1:
            only = existing[0]
            others = ", ".join(lang for lang in present_langs if lang != only)
            self.problems.append(Problem(self.path_of(only, rel), 1, f"page exists only in {only} (no {others} version)"))
        else:
            for lang in present_langs:
                if lang not in existing:
                    where = f"origin {origin} has {self.path_of(origin, rel)}" if origin in existing else f"it exists in {', '.join(existing)}"
                    self.problems.append(Problem(self.path_of(lang, rel), 1, f"page is missing ({where})"))
        origin_page = versions.get(origin) if origin else None
        if origin_page is None:
            return
        for lang, page in versions.items():
            if lang == origin or page.origin != origin:
                continue
            self.problems += checks.check_translation(page, origin_page)
            stale = self.staleness(page, origin_page)
            if stale:
                self.problems.append(Problem(page.path, page.line_of(TRANSLATED_FROM), stale, OUTDATED))

    @staticmethod
    def staleness(page: Page, origin: Page) -> str | None:
        """Why a translation is outdated, or None when it was made from the origin as it is now."""
        recorded = page.meta.get(TRANSLATED_FROM)
        fix = f"make mark-current FILE={page.path}"
        if recorded is None:
            return f"outdated: not yet marked as translated from origin {origin.lang} (after checking it: {fix})"
        if str(recorded) != origin.fingerprint:
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

    def outdated(self, lang: str, rel: str) -> bool:
        return any(p.kind == OUTDATED for p in self.problems_for(lang, rel))
