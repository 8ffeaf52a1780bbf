"""Which entries of a long menu list a page carries, so that a page's size does not grow with the site.

Material writes the whole navigation into every page (it is the phone's menu too), so at 1,000 pages per
language each page carried 1,000 links and rendering them made a build quadratic. Our theme override
(overrides/partials/nav.html and nav-item.html) asks `entries` for each list it renders:

- a list of up to WHOLE entries is written whole, as Material writes it (the real site's lists are);
- a longer list is cut: the list the reader is in shows AROUND entries around the page being read (from
  the top on the section's own page), a list the reader is not in its first HEAD entries (the ones
  `nav_order` puts first); either ends with a link to the section's index page where that page lists every
  page of the section (`generate: section-index`, kb/rendering/render.py: section_list). A folder without such a page
  has no such link: its pages are still reached through the window, which moves with the page read, and
  Previous / Next.
- the top of the menu (the sections, the pages outside any section) has no index page: it is cut only
  from TOP_WHOLE entries, to the TOP_AROUND around the entry the page is in.

Sub-sections the reader is not in are written as one link (Material's navigation.prune, on in
mkdocs.yml), so a page carries at most a bounded number of links whatever the number of pages.
Works on MkDocs' navigation objects (Section, Page, Navigation) by their attributes only.
"""
from __future__ import annotations

from dataclasses import dataclass

WHOLE = 12     # a list of up to this many entries is written whole, as on the real site today
AROUND = 11    # a longer list the reader is in: this many entries around the page read
HEAD = 5       # a longer list the reader is not in: its first entries
TOP_WHOLE, TOP_AROUND = 20, 15   # the same for the top of the menu, which keeps the sections in view
SECTION_LIST = "section-index"   # front matter `generate:` of an index page that lists its section (kb/rendering/render.py)


@dataclass(frozen=True)
class Cut:
    """The part of a long list a page carries: (position in the whole list, counted from 1 as Material
    numbers its ids, entry) pairs; the section's index page (None: it has none), and whether that page
    lists every page of the section (`generate: section-index`), which the menu then links to."""
    entries: tuple
    index: object | None
    lists_all: bool = False


@dataclass(frozen=True)
class _Entries:
    """A list's entries, once per navigation: all but the index page, and where each one stands."""
    entries: tuple
    index: object | None
    place: dict   # id(entry) -> its place in `entries`
    lists_all: bool


def _listed(container) -> _Entries:
    cached = getattr(container, "_kb_entries", None)
    if cached is not None:
        return cached
    children = list(getattr(container, "children", None) or getattr(container, "items", None) or [])
    # The index page is the section's own link (Material's navigation.indexes): the first index among the children.
    index = next((child for child in children if getattr(child, "is_page", False) and child.is_index), None)
    if getattr(container, "is_section", False) is False:
        index = None   # the top of the menu: the home page lists the sections, not every page
    entries = tuple((number, child) for number, child in enumerate(children, start=1) if child is not index)
    listed = _Entries(entries, index, {id(child): at for at, (_, child) in enumerate(entries)},
                      (getattr(index, "meta", None) or {}).get("generate") == SECTION_LIST)
    try:
        container._kb_entries = listed   # a new navigation is made for every build and language pass
    except AttributeError:               # a list without attributes (the top of the menu as a plain list)
        pass
    return listed


def entries(container, page) -> Cut | None:
    """The entries of `container` (a Section, or the Navigation for the top of the menu) that `page` carries,
    or None when the list is short enough to be written whole."""
    listed = _listed(container)
    total = len(listed.entries)
    top = not getattr(container, "is_section", False)
    if total <= (TOP_WHOLE if top else WHOLE):
        return None
    at = None
    node = page
    while node is not None and at is None:   # the entry that holds the page: the page, or a section above it
        at = listed.place.get(id(node))
        node = getattr(node, "parent", None)
    if not (top or at is not None or (page is not None and page is listed.index)):
        return Cut(listed.entries[:HEAD], listed.index, listed.lists_all)
    around = TOP_AROUND if top else AROUND
    start = 0 if at is None else max(0, min(at - around // 2, total - around))
    return Cut(listed.entries[start:start + around], listed.index, listed.lists_all)
