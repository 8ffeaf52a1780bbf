"""MkDocs hooks of the knowledge base (mkdocs.yml `hooks:`): MkDocs' events mapped to the core in hooks/kb/.

The core reads and checks every language once per build into one view of the site (kb.rendering.view) and makes each
page from its model and that view (kb.rendering.pages); this module only hands MkDocs' objects to it and its results
back. mkdocs-static-i18n runs MkDocs' pipeline once per language: the view is read in the first language
pass and the later passes reuse it. Another generator would replace this file, kb_search.py and kb/generator/.
"""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import Abort
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import AnchorLink

from kb.content import cache as page_cache, glossary, locales, moves
from kb.generator import menu, parts, preview, rebuild, templates
from kb.rendering import output, pages
from kb.rendering.view import WARNING, SiteBuild, read_site

log = logging.getLogger("mkdocs.plugins.kb")

_command: str | None = None              # "build" or "serve" (on_startup)
_build: SiteBuild | None = None     # this build's run around its view of the site (on_pre_build)
_part: parts.Part | None = None     # a build of some languages only (KB_PART: kb/generator/parts.py), else None


def on_startup(command, dirty):
    global _command
    _command = command
    if command == "serve":   # a rebuild reuses the pages that did not change (kb/generator/rebuild.py)
        rebuild.install()
        page_cache.defer_saves()   # and writes the parsed pages' cache file when the server stops


def on_serve(server, config, builder):
    # The glossary pages and the terminology check read glossary.yml beside mkdocs.yml (not in docs/):
    # a saved glossary rebuilds the site like a saved page.
    glossary_file = _root(config) / glossary.FILE_NAME
    if glossary_file.is_file():
        server.watch(str(glossary_file))
    # Saves are seen sooner (kb/generator/preview.py) where polling every page file often is cheap.
    corpus = _build.view.corpus if _build else None
    preview.poll_quickly(server, len(corpus.pages) + len(corpus.broken) if corpus else 0)
    preview.notice_saves_at_once(server)
    preview.pause_polling_while_building(server)
    return server


def _i18n(config):
    return config.plugins.get("i18n")


def _root(config) -> Path:
    return Path(config.config_file_path).resolve().parent if config.config_file_path else Path(config.docs_dir).parent


def _default_language(config) -> str:
    i18n = _i18n(config)
    return i18n.default_language if i18n is not None else locales.DEFAULT_LANGUAGE


@event_priority(100)   # before mkdocs-static-i18n's (-100), which picks the language of the first pass
def on_config(config):
    global _part
    # Language names in the switcher come from CLDR, not from a hand-typed list.
    i18n = _i18n(config)
    try:
        # KB_PART=ru: the passes of that part's languages only, each page still knowing every language.
        _part = parts.for_pass(config, i18n, _part, _command)
        # make serve LANG=ru: mkdocs-static-i18n builds that language only, starting with it, into its usual folder.
        preview.choose_language(i18n)
    except (parts.PartError, preview.PreviewError) as exc:
        raise Abort(str(exc)) from None
    for language in i18n.config.languages if i18n is not None else ():
        language.name = language.name or locales.language_name(language.locale)
    # Every Jinja environment of the theme (the build's, and those plugins make, such as the search
    # plugin's) shares the process's compiled templates (kb/generator/templates.py).
    make_env = config.theme.get_env
    config.theme.get_env = lambda: templates.shared(make_env())
    return config


def on_env(env, config, files):
    env.globals["kb_preview"] = preview.requested()   # main.html: the one-language preview's banner
    # The templates' interface text in this language, as a plain mapping (overrides/partials/kb-text.html).
    env.globals["kb_text"] = locales.template_text(locales.build_language(config), locales.project_locales(_root(config)))
    env.globals["kb_menu"] = menu.entries   # overrides/partials/nav*.html: a long menu list cut to a window
    templates.share_compiled_templates(env)
    return env


@event_priority(100)
def on_pre_build(config):
    # Before MkDocs cleans site_dir: a build that stops on content errors leaves the previous site intact.
    global _build
    i18n = _i18n(config)
    if i18n is not None and i18n.building and _build is not None:   # a later language pass of the same build
        return
    rebuild.start_build()
    view = read_site(Path(config.docs_dir), _root(config), _command, preview.requested())
    _build = SiteBuild(view, memo=rebuild.reused)
    for line in view.lines:
        (log.warning if line.level == WARNING else log.info)(line.text)
    stop = view.stops(config.strict)
    if stop:
        raise Abort(stop)


@event_priority(100)
def _on_files_early(files, config):
    view = _build.view
    # Unreadable pages and files under a refused symbolic link are left out (mkdocs serve shows an error page).
    for file in [f for f in files if view.left_out(f.src_uri)]:
        files.remove(file)
    # A page a language lacks is that language's page all the same, with another language's text (filled in
    # after mkdocs-static-i18n has sorted the files of the language being built: see _on_files_late).
    for lang, rel in view.fallbacks:
        if files.get_file_from_path(f"{lang}/{rel}") is None:
            files.append(File(f"{lang}/{rel}", config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


@event_priority(-200)
def _on_files_nav(files, config):
    # After static-i18n has chosen this language's files (its on_files runs at -100).
    view, lang, present = _build.view, locales.build_language(config), set()
    for file in list(files.documentation_pages()):
        if view.left_out(file.src_uri):
            files.remove(file)
            continue
        error = pages.error_page(view, file.src_uri)
        if error is not None:
            file.content_string = error
        if pages.split(file.src_uri)[0] == lang:
            present.add(pages.split(file.src_uri)[1])
    # The navigation follows the pages (kb/rendering/navigation.py): mkdocs.yml has no `nav:`.
    config.nav = pages.nav(view, lang, present)
    return files


@event_priority(-110)   # after mkdocs-static-i18n (-100), which makes new File objects for the language built
def _on_files_late(files, config):
    view = _build.view
    for file in files.documentation_pages():
        text = view.fallback_text(*pages.split(file.src_uri))
        if text is not None:
            file.content_string = text
    # The old addresses of moved pages (moved-pages.yml), as this language has them.
    moves.configure(config.plugins.get("redirects"), files, config, view.corpus.moves, locales.build_language(config),
                    _default_language(config))
    return files


on_files = CombinedEvent(_on_files_early, _on_files_late, _on_files_nav)


@event_priority(100)
def on_page_markdown(markdown, page, config, files):
    text, meta = pages.markdown(_build.view, page.file.src_uri, markdown, page.meta, config.site_url)
    page.meta.update(meta)
    return text


def on_page_content(html, page, config, files):
    html, warnings = pages.content(_build, page.file.src_uri, html, config.site_url)
    for warning in warnings:
        log.warning(warning)
    return html


def on_page_context(context, page, config, nav):
    # MkDocs renders every page's Markdown before it renders any template, so by now the checklists of
    # this language are all rendered (the print pack's sheets).
    filled = pages.pack(_build, page.file.src_uri, page.content)
    if filled is not None:
        page.content, sheets = filled
        toc = list(page.toc)
        entries = toc[0].children if toc and toc[0].level == 1 else page.toc.items
        entries += [AnchorLink(title, anchor, 2) for title, anchor in sheets]
    return context


def on_post_page(html, page, config):
    html, warnings = pages.written(_build, page.file.src_uri, html, urlsplit(config.site_url or "").netloc)
    for warning in warnings:
        log.warning(warning)
    return html


def _site_folder(config):
    i18n, site_dir, lang = _i18n(config), Path(config.site_dir), locales.build_language(config)
    default = i18n.default_language if i18n is not None else lang
    if i18n is None or not i18n.building:
        output.preview_home(site_dir, _build.view.preview, default)
    output.place_not_found(_build, site_dir, lang, default)


@event_priority(-50)   # before mkdocs-static-i18n's (-100), which runs the passes of the other languages
def _part_pass_done(config):
    if _part is not None:
        _part.after_pass()


@event_priority(-300)  # after kb_search.py's (-200), which writes the search indexes
def _part_done(config):
    if _part is not None:
        _part.finish(config.site_dir)


@event_priority(-400)  # the last: under mkdocs serve, what this build did not write goes (kb/generator/rebuild.py)
def _serve_build_done(config):
    i18n = _i18n(config)
    if _command == "serve" and (i18n is None or not i18n.building):
        rebuild.finish_build(config.site_dir)


on_post_build = CombinedEvent(_site_folder, _part_pass_done, _part_done, _serve_build_done)
