"""The checks over the content model: structure and sync between languages (checks), terminology (terms),
typography, the HTML a page becomes (rawhtml), what may be published and what a built page may load
(publish), and `make check`, which runs them before any generator.
"""
