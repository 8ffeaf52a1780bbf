"""Search in the reader's language (mkdocs.yml `hooks:`).

The search itself runs in the browser: overrides/assets/javascripts/workers/kb-search.js wraps
Material's search worker so that it folds and stems words in the reader's language. This hook tells
the theme (overrides/main.html) where that worker is and what it needs to know: the language being
built and the file name of Material's own worker, which carries a content hash that changes with
Material's version.

One index per language. mkdocs-static-i18n writes one search index of all languages (about 0.85 MB
here); after its last language pass this hook splits it into one index per language, each in its
language's folder (`search/search_index.json` for the default language, `el/search/search_index.json`
for Greek…) with locations relative to that folder. A page's "base" in Material's page configuration
is its language's folder (main.html), so Material's own code fetches the index of the reader's
language only and resolves result links against that folder: a reader downloads one language.

Each page's entries carry its weight by type (hooks/kb/rendering/searching.py: a playbook before a checklist,
both before reference pages) and its main entry the words staff type for it (front matter
`search_words`, the index field "words"); each language's index carries the glossary's avoided words
of that language with their approved terms (config "kb_synonyms", which Material hands its worker
unchanged), for the worker to expand queries.

It also keeps the generated pages (those with `generate:` in their front matter, such as the status
report and the print pack, and Material's tags index) out of the index: they repeat the titles and
text of the real pages and would crowd them out of the first results.
"""
from __future__ import annotations

import logging
import posixpath
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import urlencode

from mkdocs.plugins import event_priority

from kb.content import glossary
from kb.rendering import searching
from kb.content.locales import build_language

log = logging.getLogger("mkdocs.plugins.kb.search")

WORKER = "assets/javascripts/workers/kb-search.js"
MATERIAL_WORKER = "assets/javascripts/workers/search.*.min.js"
# lunr-languages' stemmer and stop words for a language, as Material ships them: where one exists for the
# language built, the worker loads it (query parameter "stemmer"), so a language added to mkdocs.yml gets
# its stemmer without a list to keep (README, "Adding a language").
LUNR_LANGUAGE = "assets/javascripts/lunr/min/lunr.{lang}.min.js"


def _languages(config) -> tuple[str, str, list[str]]:
    """The language being built, the default language, and every language built."""
    i18n = config.plugins.get("i18n")
    language = build_language(config)
    if i18n is None:
        return language, language, [language]
    return language, i18n.default_language, i18n.build_languages


def search_settings(config, files) -> dict | None:
    material = next((f.src_uri for f in files if fnmatch(f.src_uri, MATERIAL_WORKER)), None)
    if material is None:
        log.warning(f"Material's search worker ({MATERIAL_WORKER}) not found: search runs without the reader's language")
        return None
    language, default, languages = _languages(config)
    stemmer = "lunr" if files.get_file_from_path(LUNR_LANGUAGE.format(lang=language)) is not None else ""
    query = urlencode({"lang": language, "material": posixpath.basename(material), "stemmer": stemmer})
    return {"worker": WORKER, "material_worker": material, "query": query,
            "folder": searching.folders(default, [language])[language]}


def on_env(env, config, files):
    env.globals["kb_search"] = search_settings(config, files)
    return env


def _rel(page) -> str:
    """A page's path in its language folder ("playbooks/angry-customer.md")."""
    return page.file.src_uri.partition("/")[2]


def on_page_markdown(markdown, page, config, files):
    page.meta["search"] = searching.page_search(page.meta, _rel(page), markdown)
    return markdown


@event_priority(-50)   # after Material's search plugin has indexed the page
def on_page_context(context, page, config, nav):
    words = searching.search_words(page.meta)
    plugin = _search_plugin(config)
    if not words or plugin is None:
        return context
    for entry in reversed(plugin.search_index.entries):   # the page's own entries are the last ones
        if entry.get("location") == page.url:
            entry[searching.WORDS_FIELD] = words
            break
    return context


def _search_plugin(config):
    return next((p for p in config.plugins.values() if hasattr(p, "search_index")), None)


@event_priority(-200)   # after mkdocs-static-i18n (-100), which writes the index of all languages last
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.building:   # no languages, or a language pass inside i18n's own loop
        return
    languages = [lang for lang in i18n.all_languages if lang in i18n.build_languages or lang == i18n.default_language]
    terms = glossary.load(Path(config.config_file_path).resolve().parent) if config.config_file_path else None
    problem = searching.index_by_language(config.site_dir, i18n.default_language, languages, terms)
    if problem:
        log.warning(problem)
