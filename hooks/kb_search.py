"""Search in the reader's language (mkdocs.yml `hooks:`).

The search itself runs in the browser: overrides/assets/javascripts/workers/kb-search.js wraps
Material's search worker so that it indexes only the reader's language and folds and stems words.
This hook tells the theme (overrides/main.html) where that worker is and what it needs to know:
the language being built, the folder of each language's pages in the search index, and the file
name of Material's own worker, which carries a content hash that changes with Material's version.
It also keeps the generated pages (those with `generate:` in their front matter, such as the status
report and the print pack, and Material's tags index) out of the index: they repeat the titles and
text of the real pages and would crowd them out of the first results.
"""
from __future__ import annotations

import logging
import posixpath
from fnmatch import fnmatch
from urllib.parse import urlencode

from kb.locales import build_language

log = logging.getLogger("mkdocs.plugins.kb.search")

WORKER = "assets/javascripts/workers/kb-search.js"
MATERIAL_WORKER = "assets/javascripts/workers/search.*.min.js"
TAGS_MARKER = "<!-- material/tags -->"   # where Material's tags plugin writes its index


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
    folder = {lang: "" if lang == default else f"{lang}/" for lang in languages}
    query = urlencode({
        "lang": language,
        "prefix": folder.get(language, ""),
        "prefixes": ",".join(folder.values()),
        "material": posixpath.basename(material),
    })
    return {"worker": WORKER, "material_worker": material, "query": query}


def on_env(env, config, files):
    env.globals["kb_search"] = search_settings(config, files)
    return env


def on_page_markdown(markdown, page, config, files):
    # A section's index page (generate: section-index) has its own title and prose: it stays searchable.
    if page.meta.get("generate") not in (None, "section-index") or TAGS_MARKER in markdown:
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return markdown
