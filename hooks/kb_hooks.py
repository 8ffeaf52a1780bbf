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

from kb import diff, glossary, locales, navigation, preview, printing, publish, render, serving, templates, typography
from kb.corpus import Corpus
from kb.history import last_changed
from kb.model import LANGUAGES

log = logging.getLogger("mkdocs.plugins.kb")


class BuildState:
    command: str | None = None
    corpus: Corpus | None = None
    dates: dict = {}
    locales_dir: Path = locales.LOCALES_DIR
    rendered: dict = {}   # (lang, rel) -> HTML of each checklist, for the print pack of its language
    unsafe_links: dict = {}   # docs-relative path -> Problem: symbolic links that leave docs/ or lead nowhere
    not_found_page: bytes | None = None   # the default language's 404 page (every language pass writes one)
    contexts: dict = {}   # src_uri -> the PageContext of on_page_markdown, for on_page_content
    fallbacks: dict = {}  # (lang, rel) -> origin language, for each page a language lacks
    fallbacks_by_rel: dict = {}   # rel -> {lang: origin language}: the same, by page
    changes: dict = {}    # (lang, rel) -> kb.diff.Changes of each outdated translation
    status_rel: str | None = None   # the translation status page, where the outdated notices link to
    preview: str | None = None   # the only language built (make serve LANG=ru), else None


STATE = BuildState()


def on_startup(command, dirty):
    STATE.command = command


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
    # Template overrides translate their own text with _() from our catalogs, as the hooks do.
    env.globals["kb_preview"] = STATE.preview   # main.html: the one-language preview's banner
    lang = locales.build_language(config)
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(locales.translations(lang, STATE.locales_dir), newstyle=True)
    templates.share_compiled_templates(env)   # after the settings above, which are part of its key
    return env


def _outer_pass(config) -> bool:
    i18n = _i18n(config)
    return i18n is None or not i18n.building or STATE.corpus is None


@event_priority(100)
def on_pre_build(config):
    # Before MkDocs cleans site_dir: a build that stops on content errors leaves the previous site intact.
    if not _outer_pass(config):
        return
    docs = Path(config.docs_dir)
    root = Path(config.config_file_path).resolve().parent if config.config_file_path else docs.parent
    # Catalogs live beside mkdocs.yml, so that a copy of the project (or a test tree) brings its own.
    STATE.locales_dir = root / "locales" if (root / "locales").is_dir() else locales.LOCALES_DIR
    corpus = Corpus.load(docs, root)
    STATE.corpus = corpus
    STATE.fallbacks = {(lang, rel): origin for lang, rel, origin in corpus.fallbacks()}
    STATE.fallbacks_by_rel = {}
    for (lang, rel), origin in STATE.fallbacks.items():
        STATE.fallbacks_by_rel.setdefault(rel, {})[lang] = origin
    STATE.changes = diff.changes_of_outdated(corpus)
    STATE.status_rel = next((p.rel for p in corpus.pages.values() if p.generate == "translation-status"), None)
    STATE.dates = last_changed(root, [docs / lang / rel for lang, rel in corpus.pages])
    catalog_problems = [p for lang in LANGUAGES for p in locales.check_catalog(lang, STATE.locales_dir, root)]
    STATE.unsafe_links = publish.unsafe_links(docs, corpus.display)
    catalog_problems += STATE.unsafe_links.values()
    log.info(f"kb: read and checked {len(corpus.pages) + len(corpus.broken)} pages in "
             f"{len(corpus.languages)} languages once for this build")
    for problem in corpus.problems:
        (log.warning if problem.kind == "error" else log.info)(str(problem))
    for problem in diff.problems(STATE.changes):
        log.info(str(problem))
    for problem in catalog_problems:
        log.warning(str(problem))
    errors = len(corpus.errors) + len(catalog_problems)
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
        if (code, rel) in corpus.broken:
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
    page.meta["tags"] = render.tag_names(model.meta.get("tags"), ui)
    origin = corpus.origin_page(model.rel)
    origin_url = None
    if origin is not None and origin.lang != reader:
        origin_url = render.relative_url(reader, model.rel, origin.lang, origin.rel)
    docs = Path(config.docs_dir).resolve()
    changed = STATE.dates.get(docs / model.lang / model.rel)
    if model.generate == "translation-status":
        changed = dt.datetime.now(dt.timezone.utc).date()   # the report is as of this build, whatever its Markdown's date
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
    ctx = STATE.contexts.pop(page.file.src_uri, None) if model is not None else None
    if ctx is None:
        return html
    html = typography.apply_html(render.finish(html, model, ctx), model.lang)
    if model.generate == "translation-status":
        html = html.replace(render.STATUS_TABLE, render.status_table(STATE.corpus, ctx.ui, ctx.reader, STATE.changes))
    if ctx.reader != model.lang:
        # the origin's page standing in for a missing one (not a sheet of this language's print pack)
        reader_ui = locales.Interface(ctx.reader, STATE.locales_dir)
        html = render.fallback_notice(html, model, ctx.reader, reader_ui, ctx.origin_url)
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
    for load in publish.external_loads(output, own_host):
        log.warning(f"docs/{page.file.src_uri}: {load}; the intranet cannot reach other hosts")
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
