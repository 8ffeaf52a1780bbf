"""What the site's search knows beyond a page's text: how a page ranks, the words staff type for it,
and the glossary's avoided words that lead to the approved term.

The search runs in the reader's browser (overrides/assets/javascripts/workers/kb-search.js, on
Material's lunr index); hooks/kb_search.py puts what this module computes into each language's index.
Nothing here knows MkDocs: it reads a page's front matter (a dict) and the glossary.
"""
from __future__ import annotations

import re

from kb.glossary import Glossary
from kb.model import SEARCH_WORDS

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
