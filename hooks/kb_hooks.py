"""MkDocs hooks of the knowledge base (mkdocs.yml `hooks:`): thin event handlers around hooks/kb/.

mkdocs-static-i18n runs the build pipeline once per language; the cross-language work (reading and
checking every page of every language) runs once per build, in the first language pass, and the
later passes reuse it.
"""
from __future__ import annotations

import html
import logging
import posixpath
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.toc import AnchorLink

from kb import glossary, locales, printing, render
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
    contexts: dict = {}   # (lang, rel) -> the PageContext of on_page_markdown, for on_page_content


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
    return config


def on_env(env, config, files):
    # Template overrides translate their own text with _() from our catalogs, as the hooks do.
    lang = locales.build_language(config)
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_translations(locales.translations(lang, STATE.locales_dir), newstyle=True)
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
    STATE.dates = last_changed(root, [docs / lang / rel for lang, rel in corpus.pages])
    catalog_problems = [p for lang in LANGUAGES for p in locales.check_catalog(lang, STATE.locales_dir, root)]
    log.info(f"kb: read and checked {len(corpus.pages) + len(corpus.broken)} pages in "
             f"{len(corpus.languages)} languages once for this build")
    for problem in corpus.problems:
        (log.warning if problem.kind == "error" else log.info)(str(problem))
    for problem in catalog_problems:
        log.warning(str(problem))
    errors = len(corpus.errors) + len(catalog_problems)
    if errors and config.strict and STATE.command != "serve":
        raise Abort(f"{errors} content error(s): see the lines above (make status shows them all)")


@event_priority(100)
def on_files(files, config):
    # Unreadable pages are left out so that `mkdocs serve` keeps serving the rest.
    for lang, rel in STATE.corpus.broken:
        file = files.get_file_from_path(f"{lang}/{rel}")
        if file is not None:
            files.remove(file)
    return files


def _model_of(page):
    src = page.file.src_uri
    lang, _, rel = src.partition("/")
    return STATE.corpus.pages.get((lang, rel)) if STATE.corpus else None


@event_priority(100)
def on_page_markdown(markdown, page, config, files):
    model = _model_of(page)
    if model is None:
        return markdown
    corpus = STATE.corpus
    ui = locales.Interface(model.lang, STATE.locales_dir)
    page.meta["tags"] = render.tag_names(model.meta.get("tags"), ui)
    origin = corpus.origin_page(model.rel)
    origin_url = None
    if origin is not None and origin.lang != model.lang:
        here = posixpath.dirname(render.page_url("/", model))
        origin_url = posixpath.relpath(render.page_url("/", origin), here or "/")
        origin_url = origin_url.rstrip("/") + "/"
    docs = Path(config.docs_dir).resolve()
    ctx = render.PageContext(
        corpus=corpus, ui=ui,
        changed=STATE.dates.get(docs / model.lang / model.rel),
        origin_changed=STATE.dates.get(docs / origin.lang / origin.rel) if origin else None,
        origin_url=origin_url,
        site_url=config.site_url or "/",
    )
    STATE.contexts[model.lang, model.rel] = ctx
    return render.decorate(markdown, model, ctx)


def on_page_content(html, page, config, files):
    model = _model_of(page)
    ctx = STATE.contexts.pop((model.lang, model.rel), None) if model is not None else None
    if ctx is None:
        return html
    html = render.finish(html, model, ctx)
    if model.type == "checklist":
        STATE.rendered[model.lang, model.rel] = html
    if model.generate == "translation-status":
        html = html.replace(render.STATUS_TABLE, render.status_table(STATE.corpus, ctx.ui))
    if glossary.TABLE in html:   # the glossary page: its table is made from glossary.yml
        html = html.replace(glossary.TABLE, glossary.table(STATE.corpus.glossary, ctx.ui, STATE.corpus.languages))
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
