"""What ties the core to MkDocs and Material: running a build (building), the live preview's reuse of unchanged
pages (rebuild) and one-language preview (preview), the templates' shared compiled cache (templates) and the
menu window the theme's navigation templates ask for (menu). Another generator replaces this package and the
hooks.
"""
