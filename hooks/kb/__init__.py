"""The knowledge base's core: everything the build, the checks and the translators' commands do, in layers
(README, "Architecture"). Nothing outside kb.generator knows of MkDocs; hooks/kb_hooks.py and hooks/kb_search.py
map MkDocs' events to it.
"""
