"""What exists, in what order: the navigation, the section index lists and the print pack's checklists,
all read from docs/ and front matter, so that no hand-kept list can disagree with the pages.

Order comes from `nav_order:` (a whole number, smaller first) in the front matter of the page's origin
version; pages without one follow, by slug. A folder's place is its index.md's. `nav_section: editors`
puts a page (or a folder, on its index.md) in the section for translators and editors at the end.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

from kb.content.model import Page

if TYPE_CHECKING:
    from kb.content.corpus import Corpus

NAV_ORDER, NAV_SECTION = "nav_order", "nav_section"
NAV_SECTIONS = ("editors",)   # the only value of nav_section; the rest is the staff menu


def N_(message: str) -> str:
    return message


EDITORS_TITLE = N_("For editors")


def reference(corpus: Corpus, rel: str) -> Page | None:
    """The version whose front matter decides the page's place: the origin's, else the first there is."""
    origin = corpus.origin_page(rel)
    if origin is not None:
        return origin
    return next((corpus.pages[lang, rel] for lang in corpus.languages if (lang, rel) in corpus.pages), None)


def nav_order(page: Page | None) -> int | None:
    value = page.meta.get(NAV_ORDER) if page is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def sort_key(corpus: Corpus, rel: str) -> tuple:
    order = nav_order(reference(corpus, rel))
    return (0, order, rel) if order is not None else (1, 0, rel)


def for_editors(corpus: Corpus, rel: str) -> bool:
    page = reference(corpus, rel)
    return page is not None and page.meta.get(NAV_SECTION) == "editors"


def section_rels(corpus: Corpus, folder: str, rels) -> list[str]:
    """The pages of a folder (not its index, not generated pages), in order."""
    found = []
    for rel in rels:
        if rel.startswith(folder + "/") and rel != f"{folder}/index.md":
            page = reference(corpus, rel)
            if page is not None and not page.generate:
                found.append(rel)
    return sorted(found, key=lambda rel: sort_key(corpus, rel))


def checklists(corpus: Corpus, lang: str) -> list[Page]:
    """Every checklist of a language, in navigation order; where the language lacks one (or make publish
    replaces it), the page standing in for it (the reader's next-best language, else the origin)."""
    pages = {}
    for rel in corpus.rels:
        page = corpus.shown(lang, rel)
        if page is not None and page.type == "checklist":
            pages[rel] = page
    return [pages[rel] for rel in sorted(pages, key=lambda rel: sort_key(corpus, rel))]


def folder_title(folder: str) -> str:
    """A section's name when its folder has no index page to give one: `playbooks/late-fees` -> "Late fees"."""
    return folder.rsplit("/", 1)[-1].replace("-", " ").capitalize()


def _section_title(corpus: Corpus, lang: str, folder: str) -> str:
    """A section's title as MkDocs keeps page titles, as HTML text (Material writes it into pages as it
    is): its index page's title, else the folder's name, escaped."""
    page = corpus.pages.get((lang, f"{folder}/index.md")) or reference(corpus, f"{folder}/index.md")
    return html.escape((page.plain_title if page is not None else "") or folder_title(folder), quote=False)


def build_nav(corpus: Corpus, lang: str, present: set[str], editors_title: str) -> list:
    """The `nav:` of one language: its pages (`present`, docs-relative) as MkDocs wants them. Pages are
    listed without titles, so each shows its own title in the reader's language; a folder of several
    pages is a section named after its index page, and a folder inside it a sub-section (on a large site
    that lets Material's navigation.prune leave the other sub-sections out of each page)."""
    entries = _folder_entries(corpus, lang, "", present)
    entries.sort(key=lambda item: (item[0], item[2] != "index.md", item[1]))   # home first, always
    main = [entry for editors, _, entry in entries if not editors]
    editors = [entry for editors, _, entry in entries if editors]
    return main + ([{html.escape(editors_title, quote=False): editors}] if editors else [])


def _folder_entries(corpus: Corpus, lang: str, prefix: str, rels) -> list[tuple[bool, tuple, object]]:
    """(for editors?, sort key, nav entry) of each page and folder directly in the folder `prefix`."""
    folders: dict[str, list[str]] = {}
    entries = []
    for rel in rels:
        name, slash, _ = rel[len(prefix):].partition("/")
        if slash:
            folders.setdefault(prefix + name, []).append(rel)
        else:
            entries.append((for_editors(corpus, rel), sort_key(corpus, rel), rel))
    for folder, members in folders.items():
        index = f"{folder}/index.md"
        inner = _folder_entries(corpus, lang, folder + "/", [r for r in members if r != index])
        inner.sort(key=lambda item: item[1])
        children = ([index] if index in members else []) + [entry for _, _, entry in inner]
        if len(children) == 1:
            entry = children[0]
        else:
            entry = {_section_title(corpus, lang, folder): children}
        entries.append((for_editors(corpus, index), sort_key(corpus, index), entry))
    return entries
