"""What the site's search knows beyond a page's text: how a page ranks, the words staff type for it,
and the glossary's avoided words that lead to the approved term.

The search runs in the reader's browser (overrides/assets/javascripts/workers/kb-search.js, on
Material's lunr index); hooks/kb_search.py puts what this module computes into each language's index.
Nothing here knows MkDocs: it reads a page's front matter (a dict) and the glossary.
"""
from __future__ import annotations

import json
import os
import re
import tempfile

import msgspec

from kb.content.glossary import Glossary
from kb.content.model import SEARCH_WORDS

# How much a page's matches count, by what the page is for (README, "How search ranks"). A person
# mid-call needs a playbook, then a checklist; reference pages (figures, cases, sources, glossary)
# come after them on a comparable match. A page's own `search: {boost: …}` overrides these.
TYPE_BOOST = {"playbook": 4.0, "checklist": 2.0, "faq": 1.5, "quotes": 1.0, "page": 0.75}
LIST_BOOST = 0.5   # a home or section page: it names every page of its section, and is a menu, not an answer

# What separates the words of a phrase (the search plugin's separator, in short: spaces and dashes)
PHRASE_SPLIT = re.compile(r"[\s\-–—]+")

# Starts a phrase written as one word in the index ("ǂmoneyback"), so that a word typed as a prefix
# ("money") does not also match the phrase (a letter, which the search pipeline keeps; nobody types it)
PHRASE_MARK = "ǂ"

# The index's field of the words staff type (mkdocs.yml, search plugin `fields`, gives its weight)
WORDS_FIELD = "words"


def page_boost(meta: dict, rel: str) -> float:
    """The weight of a page's matches, from its front matter and its path in its language folder."""
    own = (meta.get("search") or {}) if isinstance(meta.get("search"), dict) else {}
    boost = own.get("boost")
    if isinstance(boost, (int, float)) and not isinstance(boost, bool):
        return float(boost)
    if meta.get("generate") == "section-index" or rel == "index.md":
        return LIST_BOOST
    return TYPE_BOOST.get(str(meta.get("type", "")), 1.0)


def search_words(meta: dict) -> list[str]:
    """The page's search words as the index takes them (the model has refused anything else), and each
    two-word phrase also written as one word ("money back", "ǂmoneyback"): the search worker looks two words typed
    together up that way too, so that a phrase matched whole outranks its words found apart."""
    words = meta.get(SEARCH_WORDS)
    if not isinstance(words, list):
        return []
    words = [str(word) for word in words if isinstance(word, (str, int, float)) and not isinstance(word, bool)]
    joined = [PHRASE_MARK + "".join(PHRASE_SPLIT.split(word))
              for word in words if len(PHRASE_SPLIT.split(word.strip())) == 2]
    return words + joined


def synonyms(glossary: Glossary | None, lang: str) -> list[list[str]]:
    """[avoided, approved] pairs of one language: a reader who types an avoided word of the glossary finds
    the pages of the approved term. An avoided word ending in * stands for every ending ("претензи*");
    avoided phrases of several words are left out (search matches words)."""
    if glossary is None:
        return []
    pairs = []
    for _concept, entry in glossary.terms(lang):
        for avoided in entry.avoid:
            if avoided.strip() and len(avoided.split()) == 1:
                pairs.append([avoided.strip(), entry.term])
    return pairs


TAGS_MARKER = "<!-- material/tags -->"   # where Material's tags plugin writes its index


def page_search(meta: dict, rel: str, markdown: str) -> dict:
    """A page's `search` front matter for the theme: its weight by type, or kept out of the index when it is
    generated (the status report, the print pack, the tags index) — such pages repeat the titles and text of
    the real pages and would crowd them out of the first results. A section's index page (generate:
    section-index) has its own title and prose: it stays searchable."""
    search = meta.get("search") if isinstance(meta.get("search"), dict) else {}
    if meta.get("generate") not in (None, "section-index") or TAGS_MARKER in markdown:
        return {**search, "exclude": True}
    return {**search, "boost": page_boost(meta, rel)}


def folders(default: str, languages) -> dict[str, str]:
    """Each language's folder in the site: "" for the default language, "el/" for Greek…"""
    return {lang: "" if lang == default else f"{lang}/" for lang in languages}


def split_index(index: dict, default: str, languages) -> dict[str, dict]:
    """The entries of one index of all languages, as one index per language (same configuration), each
    with locations relative to its language's folder. An entry belongs to the language whose folder
    its location starts with (the longest such), the default language's having none."""
    where = folders(default, languages)
    by_length = sorted(where.items(), key=lambda item: -len(item[1]))
    split = {lang: {**index, "docs": []} for lang in where}
    for doc in index.get("docs", []):
        location = doc.get("location", "")
        lang, folder = next((lang, folder) for lang, folder in by_length if location.startswith(folder))
        split[lang]["docs"].append({**doc, "location": location[len(folder):]})
    return split


INDEX = "search/search_index.json"       # where Material's search plugin writes the index


def index_by_language(site_dir: str, default: str, languages, glossary: Glossary | None) -> str | None:
    """Split the one search index of all languages in `site_dir` into one per language, each in its
    language's folder with that language's glossary synonyms (config "kb_synonyms"); a warning if the index
    cannot be read, else None."""
    source = os.path.join(site_dir, INDEX)
    try:
        with open(source, "rb") as handle:
            index = msgspec.json.decode(handle.read())   # what json.load gives, in a third of the time
    except (OSError, ValueError, msgspec.DecodeError) as exc:
        return f"search index {source} unreadable ({exc}): not split by language"
    for lang, part in split_index(index, default, languages).items():
        part["config"] = {**part["config"], "kb_synonyms": synonyms(glossary, lang)}
        write_index(os.path.join(site_dir, folders(default, [lang])[lang], INDEX), part)
    return None


def write_index(path: str, data: dict) -> None:
    """Compact JSON as Material's search plugin writes it, but in UTF-8 rather than \\u escapes (a third of
    the bytes for Greek and Russian text; the same data once parsed), replacing the file in one step: a
    reader or `mkdocs serve` never sees half an index."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".search-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"), default=str, ensure_ascii=False)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
