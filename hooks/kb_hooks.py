"""MkDocs hooks of the knowledge base (mkdocs.yml `hooks:`): thin event handlers around hooks/kb/.

mkdocs-static-i18n runs the build pipeline once per language; the cross-language work (reading and
checking every page of every language) runs once per build, in the first language pass, and the
later passes reuse it.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import Abort
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import AnchorLink

from kb import diff, glossary, locales, menu, moves, navigation, preview, printing, publish, rawhtml, rebuild, render, serving, slips, templates, typography
from kb.checks import Problem
from kb.corpus import Corpus
from kb.history import last_changed

log = logging.getLogger("mkdocs.plugins.kb")


class BuildState:
    command: str | None = None
    corpus: Corpus | None = None
    dates: dict = {}
    locales_dir: Path = locales.LOCALES_DIR
    rendered: dict = {}   # (lang, rel) -> HTML of each checklist, for the print pack of its language
    unsafe_links: dict = {}   # docs-relative path -> Problem: what docs/ holds that is not published (kb.publish.scan)
    withheld: set = set()    # problems logged for pages not published as they are (on_page_content)
    script_hashes: frozenset | None = None   # the inline scripts deploy/nginx.conf's CSP allows (None: no such file)
    unknown_scripts: set = set()
    not_found_page: bytes | None = None   # the default language's 404 page (every language pass writes one)
    contexts: dict = {}   # src_uri -> the PageContext of on_page_markdown, for on_page_content
    fallbacks: dict = {}  # (lang, rel) -> the language shown, for each page a language lacks (or make publish replaces)
    fallbacks_by_rel: dict = {}   # rel -> {lang: origin language}: the same, by page
    changes: dict = {}    # (lang, rel) -> kb.diff.Changes of each outdated translation
    status_rel: str | None = None   # the translation status page, where the outdated notices link to
    preview: str | None = None   # the only language built (make serve LANG=ru), else None


STATE = BuildState()


def on_startup(command, dirty):
    STATE.command = command
    if command == "serve":   # a rebuild reuses the pages that did not change (kb/rebuild.py)
        rebuild.install()


def on_serve(server, config, builder):
    # The glossary pages and the terminology check read glossary.yml beside mkdocs.yml (not in docs/):
    # a saved glossary rebuilds the site like a saved page.
    if config.config_file_path:
        glossary_file = Path(config.config_file_path).resolve().parent / glossary.FILE_NAME
        if glossary_file.is_file():
            server.watch(str(glossary_file))
    # Saves are seen sooner (kb/preview.py) where polling every page file often is cheap.
    corpus = STATE.corpus
    preview.poll_quickly(server, len(corpus.pages) + len(corpus.broken) if corpus else 0)
    return server


def _i18n(config):
    return config.plugins.get("i18n")


@event_priority(100)
def on_config(config):
    # Language names in the switcher come from CLDR, not from a hand-typed list.
    i18n = _i18n(config)
    if i18n is not None:
        for language in i18n.config.languages:
            if not language.name:
                language.name = locales.language_name(language.locale)
    _one_language(i18n)
    # Every Jinja environment of the theme (the build's, and those plugins make, such as the search
    # plugin's) shares the process's compiled templates (kb/templates.py).
    make_env = config.theme.get_env
    config.theme.get_env = lambda: templates.shared(make_env())
    return config


def _one_language(i18n) -> None:
    """make serve LANG=ru: mkdocs-static-i18n builds that language only, starting with it (it would start
    with the default language), into its usual folder; its language menu lists the languages built."""
    only = STATE.preview = preview.requested()
    if only is None:
        return
    if i18n is None or only not in i18n.all_languages:
        raise Abort(preview.unknown(only, i18n.all_languages if i18n else [locales.DEFAULT_LANGUAGE]))
    for language in i18n.config.languages:
        language.build = language.locale == only
    if i18n.current_language is None:   # before i18n's own on_config (priority -100) picks the default
        i18n.current_language = only


def on_env(env, config, files):
    env.globals["kb_preview"] = STATE.preview   # main.html: the one-language preview's banner
    # The templates' interface text in this language, from our catalogs, as a plain mapping (no gettext
    # in the templates, which another generator could not run: overrides/partials/kb-text.html).
    env.globals["kb_text"] = locales.template_text(locales.build_language(config), STATE.locales_dir)
    env.globals["kb_menu"] = menu.entries   # overrides/partials/nav*.html: a long menu list cut to a window
    templates.share_compiled_templates(env)
    return env


def _outer_pass(config) -> bool:
    i18n = _i18n(config)
    return i18n is None or not i18n.building or STATE.corpus is None


@event_priority(100)
def on_pre_build(config):
    # Before MkDocs cleans site_dir: a build that stops on content errors leaves the previous site intact.
    if not _outer_pass(config):
        return
    rebuild.start_build()
    docs = Path(config.docs_dir)
    root = Path(config.config_file_path).resolve().parent if config.config_file_path else docs.parent
    STATE.locales_dir = locales.project_locales(root)
    corpus = Corpus.load(docs, root)
    STATE.corpus = corpus
    report = slips.requested() if STATE.command == "build" else None   # make publish (kb/slips.py)
    unreplaceable = corpus.replace_slips() if report is not None else corpus.errors
    STATE.fallbacks = {(lang, rel): origin for lang, rel, origin in corpus.fallbacks()}
    STATE.fallbacks_by_rel = {}
    for (lang, rel), origin in STATE.fallbacks.items():
        STATE.fallbacks_by_rel.setdefault(rel, {})[lang] = origin
    STATE.changes = diff.changes_of_outdated(corpus)
    STATE.withheld = set()
    STATE.status_rel = next((p.rel for p in corpus.pages.values() if p.generate == "translation-status"), None)
    STATE.dates = last_changed(root, [docs / lang / rel for lang, rel in corpus.pages])
    catalog_problems, joining_notes = locales.check_catalogs(corpus, STATE.locales_dir, root)   # as make check
    for note in joining_notes:
        log.info(note)
    locales.DEFAULT_TEXT.clear()
    if report is not None:
        locales.DEFAULT_TEXT.update(lang for lang in corpus.languages if locales.damaged(lang, STATE.locales_dir))
        slips.write_report(report, corpus, catalog_problems, locales.DEFAULT_TEXT)
    STATE.unsafe_links = corpus.refused   # reported with the pages' problems (kb/publish.py: scan)
    STATE.script_hashes, STATE.unknown_scripts = publish.allowed_script_hashes(root), set()
    log.info(f"kb: read and checked {len(corpus.pages) + len(corpus.broken)} pages in "
             f"{len(corpus.languages)} languages once for this build")
    stopping = set(unreplaceable)
    for problem in corpus.problems:
        (log.warning if problem in stopping else log.info)(str(problem))
    for problem in diff.problems(STATE.changes):
        log.info(str(problem))
    for problem in catalog_problems:
        (log.info if report is not None else log.warning)(str(problem))
    if report is not None and corpus.replaced:
        log.info(f"kb: make publish: {len(corpus.replaced)} translation(s) with errors published as their fallback "
                 f"(listed at the end)")
    errors = len(unreplaceable) + (len(catalog_problems) if report is None else 0)
    if errors and config.strict and STATE.command != "serve":
        raise Abort(f"{errors} content error(s): see the lines above (make status shows them all)")


@event_priority(100)
def _on_files_early(files, config):
    # Unreadable pages are left out so that `mkdocs serve` keeps serving the rest.
    for lang, rel in STATE.corpus.broken:
        file = files.get_file_from_path(f"{lang}/{rel}")
        if file is not None and STATE.command != "serve":   # under serve: an error page (_on_files_nav)
            files.remove(file)
    # Nothing under a symbolic link that leaves docs/ (or leads nowhere) is published.
    for file in [f for f in files if STATE.unsafe_links and publish.refused(f.src_uri, STATE.unsafe_links)]:
        files.remove(file)
    # A page a language lacks is that language's page all the same, with the origin's text (filled in
    # after mkdocs-static-i18n has sorted the files of the language being built: see _on_files_late).
    for lang, rel in STATE.fallbacks:
        if files.get_file_from_path(f"{lang}/{rel}") is None:
            files.append(File(f"{lang}/{rel}", config.docs_dir, config.site_dir, config.use_directory_urls))
    return files


@event_priority(-200)
def _on_files_nav(files, config):
    # After static-i18n has chosen this language's files (its on_files runs at -100).
    corpus, lang = STATE.corpus, locales.build_language(config)
    present = set()
    for file in list(files.documentation_pages()):
        code, _, rel = file.src_uri.partition("/")
        if (code, rel) in corpus.broken and (code, rel) not in STATE.fallbacks:   # (make publish: its stand-in)
            if STATE.command != "serve":
                files.remove(file)   # a strict build has stopped already; a plain build leaves it out
                continue
            # Under `mkdocs serve` an unreadable page is still served, as a page saying why.
            file.content_string = serving.error_page(corpus.broken[code, rel], locales.Interface(code, STATE.locales_dir))
        if code == lang:
            present.add(rel)
    # The navigation follows the pages (kb/navigation.py): mkdocs.yml has no `nav:`.
    ui = locales.Interface(lang, STATE.locales_dir)
    config.nav = navigation.build_nav(corpus, lang, present, ui.gettext(navigation.EDITORS_TITLE))
    return files


@event_priority(-110)   # after mkdocs-static-i18n (-100), which makes new File objects for the language built
def _on_files_late(files, config):
    docs = Path(config.docs_dir)
    for file in files.documentation_pages():
        lang, _, rel = file.src_uri.partition("/")
        origin = STATE.fallbacks.get((lang, rel))
        if origin is not None:
            file.content_string = (docs / origin / rel).read_text(encoding="utf-8-sig")
    # The old addresses of moved pages (moved-pages.yml), as this language has them.
    i18n = _i18n(config)
    moves.configure(config.plugins.get("redirects"), files, config, STATE.corpus.moves, locales.build_language(config),
                    i18n.default_language if i18n is not None else locales.DEFAULT_LANGUAGE)
    return files


on_files = CombinedEvent(_on_files_early, _on_files_late, _on_files_nav)


def _model_of(page):
    """The content model of the page, or of its origin when the language lacks the page (a fallback)."""
    src = page.file.src_uri
    lang, _, rel = src.partition("/")
    if STATE.corpus is None:
        return None
    origin = STATE.fallbacks.get((lang, rel))
    return STATE.corpus.pages.get((origin or lang, rel))


def _reader_language(page) -> str:
    return page.file.src_uri.partition("/")[0]


@event_priority(100)
def on_page_markdown(markdown, page, config, files):
    model = _model_of(page)
    if model is None:
        return markdown
    corpus = STATE.corpus
    ui = locales.Interface(model.lang, STATE.locales_dir)
    reader = _reader_language(page)
    if reader != model.lang:
        # The origin's text standing in for a missing translation: it is not this language's text, so it
        # stays out of this language's search.
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    # Tags are named in the reader's language, also on the origin's text standing in for a missing page:
    # the language's Tags page lists every page under one name per tag.
    page.meta["tags"] = render.tag_names(model.meta.get("tags"), ui if reader == model.lang else
                                         locales.Interface(reader, STATE.locales_dir))
    origin = corpus.origin_page(model.rel)
    origin_url = None
    if origin is not None and origin.lang != reader:
        origin_url = render.relative_url(reader, model.rel, origin.lang, origin.rel)
    docs = Path(config.docs_dir).resolve()
    changed = STATE.dates.get(docs / model.lang / model.rel)
    if model.generate == "translation-status":
        changed = dt.datetime.now(dt.timezone.utc).date()   # the report is as of this build, whatever its Markdown's date
        # Its table is the page: the width of the (empty) table of contents goes to the five language columns.
        page.meta["hide"] = [*(page.meta.get("hide") or []), "toc"]
    ctx = render.PageContext(
        corpus=corpus, ui=ui,
        changed=changed,
        origin_changed=STATE.dates.get(docs / origin.lang / origin.rel) if origin else None,
        origin_url=origin_url,
        site_url=config.site_url or "/",
        reader=reader,
        changes=STATE.changes.get((model.lang, model.rel)),
        status_url=render.relative_url(reader, model.rel, reader, STATE.status_rel) if STATE.status_rel else None,
    )
    STATE.contexts[page.file.src_uri] = ctx
    return render.decorate(markdown, model, ctx)


def on_page_content(html, page, config, files):
    model = _model_of(page)
    # What Markdown made of the page, read as a browser reads it (kb/rawhtml.py): a page that would carry a
    # program is not published with it, whatever the checks of its Markdown saw.
    refused = rawhtml.rendered_problems(html, model)
    if refused:
        STATE.contexts.pop(page.file.src_uri, None)
        return _withheld(page, model, refused)
    ctx = STATE.contexts.pop(page.file.src_uri, None) if model is not None else None
    if ctx is None:
        return html
    html = typography.apply_html(render.finish(html, model, ctx), model.lang)
    if model.generate == "translation-status":
        html = html.replace(render.STATUS_TABLE, render.status_table(STATE.corpus, ctx.ui, ctx.reader, STATE.changes))
    if ctx.reader != model.lang:
        # the origin's page standing in for a missing one (not a sheet of this language's print pack)
        reader_ui = locales.Interface(ctx.reader, STATE.locales_dir)
        html = render.fallback_notice(html, model, ctx.reader, reader_ui, ctx.origin_url,
                                      replaced=(ctx.reader, model.rel) in STATE.corpus.replaced)
        if model.type == "checklist":   # the sheet of this language's print pack, until it is translated
            STATE.rendered[ctx.reader, model.rel] = html
        return html
    if model.type == "checklist":
        STATE.rendered[model.lang, model.rel] = html
    if glossary.TABLE in html:   # the glossary page: its table is made from glossary.yml
        html = html.replace(glossary.TABLE, glossary.table(STATE.corpus.glossary, ctx.ui, STATE.corpus.languages))
    if STATE.command == "serve":
        html = serving.banner(STATE.corpus.problems_for(model.lang, model.rel), ctx.ui) + html
    return html


def _withheld(page, model, refused: list[tuple[int, str]]) -> str:
    """The page in place of one whose HTML carries a program: its problems, each logged once per build
    (the checks of its Markdown may have said it already)."""
    path = model.path if model is not None else f"docs/{page.file.src_uri}"
    said = {(p.line, p.message) for p in STATE.corpus.problems_for(model.lang, model.rel)} if model is not None else set()
    problems = [Problem(path, line, message) for line, message in refused]
    for problem in problems:
        if (problem.line, problem.message) not in said and str(problem) not in STATE.withheld:
            STATE.withheld.add(str(problem))
            log.warning(str(problem))
    ui = locales.Interface(_reader_language(page), STATE.locales_dir)
    return f"<h1>{html.escape(ui.gettext(serving.ERROR_TITLE))}</h1>\n" + serving.banner(problems, ui)


def on_page_context(context, page, config, nav):
    # MkDocs renders every page's Markdown before it renders any template, so by now the checklists of
    # this language are all in STATE.rendered.
    model = _model_of(page)
    if model is not None and model.generate == "checklist-pack":
        page.content, sheets = printing.fill_pack(page.content, model, STATE.corpus, STATE.rendered)
        toc = list(page.toc)
        entries = toc[0].children if toc and toc[0].level == 1 else page.toc.items
        # Material prints TOC titles as HTML (they come from rendered headings): escape our plain text.
        entries += [AnchorLink(html.escape(title), anchor, 2) for title, anchor in sheets]
    return context


def on_post_page(output, page, config):
    """A page some language lacks: that language's version is the origin's text, so links to it (the language
    switcher) say the origin's language, no `alternate` link claims a translation that does not exist, and the
    fallback page itself says which language its text is in, for browsers and screen readers."""
    # The intranet has no internet: a page that would load anything from another host is an error.
    own_host = urlsplit(config.site_url or "").netloc
    # (under mkdocs serve, a page whose HTML did not change is not scanned again: kb/rebuild.py)
    for load in rebuild.reused("external loads", lambda: publish.external_loads(output, own_host), output, own_host):
        log.warning(f"docs/{page.file.src_uri}: {load}; the intranet cannot reach other hosts")
    # Every script written into the page must be one the web server's Content-Security-Policy allows.
    scripts = rebuild.reused("inline scripts", lambda: publish.inline_scripts(output), output)
    for digest, start in scripts if STATE.script_hashes is not None else ():
        if digest not in STATE.script_hashes and digest not in STATE.unknown_scripts:
            STATE.unknown_scripts.add(digest)
            log.warning(f"docs/{page.file.src_uri}: the page has a script written into it ({start}…) that the "
                        f"Content-Security-Policy of {publish.NGINX_CONF.as_posix()} does not allow, so browsers "
                        f"would not run it: if the theme needs it (a Material update?), add 'sha256-{digest}' to "
                        f"its script-src")
    lang, _, rel = page.file.src_uri.partition("/")
    for missing, origin in _fallback_languages(rel).items():
        output = re.sub(rf'<link rel="alternate" href="[^"<>]*" hreflang="{missing}">\n?', "", output)
        output = output.replace(f'hreflang="{missing}" class="md-select__link"', f'hreflang="{origin}" class="md-select__link"')
    origin = STATE.fallbacks.get((lang, rel))
    if origin is not None:
        start = output.find('<html lang="')
        if start >= 0:
            end = output.find('"', start + 12)
            output = output[:start + 12] + origin + output[end:]
    return output



def _fallback_languages(rel: str) -> dict[str, str]:
    """Languages that lack page `rel` -> the origin language whose text they show."""
    return STATE.fallbacks_by_rel.get(rel, {})


def on_post_build(config):
    # A one-language preview of another language than the default has no home page at the site's root,
    # where `mkdocs serve` points: send the reader to the language's own.
    i18n = _i18n(config)
    if STATE.preview and i18n is not None and not i18n.building and STATE.preview != i18n.default_language:
        home = Path(config.site_dir) / "index.html"
        if not home.exists():
            target = html.escape(f"{STATE.preview}/")
            home.write_text(f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={target}">'
                            f'<a href="{target}">{target}</a>\n', encoding="utf-8")
    # Every language pass writes its 404 page to the root of the site: keep each language's in its
    # folder (the web server routes /<lang>/ misses to it) and the default language's at the root.
    site = Path(config.site_dir)
    page = site / "404.html"
    if not page.exists():
        return
    i18n = _i18n(config)
    lang = locales.build_language(config)
    default = i18n.default_language if i18n is not None else lang
    if lang == default:
        STATE.not_found_page = page.read_bytes()
    else:
        (site / lang).mkdir(exist_ok=True)
        os.replace(page, site / lang / "404.html")
    if STATE.not_found_page is not None:
        page.write_bytes(STATE.not_found_page)
