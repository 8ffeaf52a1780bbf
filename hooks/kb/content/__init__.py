"""The content model: each page read and parsed once (front matter, steps, items, questions, figures, links,
with line numbers: model), every page of every language together (corpus), the glossary, the languages and
their fallback order, moved pages, dates from git, interface text and CLDR data (locales), and the cache and
worker processes that make reading 1,000 pages per language fast.
"""
