"""From the content model to what a reader sees: one immutable view of the site per build (view), each page as
a function of its model and that view (pages, render, printing, context), the navigation, search data
(searching), the pages mkdocs serve shows for errors (serving) and the site folder's own files (output).
Nothing here knows of MkDocs.
"""
