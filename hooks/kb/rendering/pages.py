"""What a build does to each page, as functions of the page and the site view (kb.rendering.view): its Markdown and front
matter before rendering (kb.rendering.render.decorate), its HTML after (kb.rendering.render.finish, notices, status table, glossary
table, a fallback's notice), the print pack's sheets, and the whole written page (language attributes of a
fallback, loads from other hosts and scripts the Content-Security-Policy would block).

A page is named as the generator names it, "ru/playbooks/angry-customer.md" (language folder, then the page's
path); the reader's language is its folder, the text shown may be another language's (a fallback).
Nothing here knows of MkDocs.
"""
from __future__ import annotations

import html
import re

from kb.content import glossary
from kb.rendering import navigation, printing, render, serving
from kb.checking import publish, rawhtml, typography
from kb.checking.checks import Problem
from kb.rendering.context import PageContext
from kb.content.locales import Interface
from kb.rendering.view import SiteBuild, SiteView


def split(src_uri: str) -> tuple[str, str]:
    """"ru/faq/index.md" -> ("ru", "faq/index.md")."""
    lang, _, rel = src_uri.partition("/")
    return lang, rel


def context(view: SiteView, src_uri: str, site_url: str) -> PageContext | None:
    """What the renderers need besides the page's model, for the reader of the page's language folder."""
    reader, rel = split(src_uri)
    model = view.model(reader, rel)
    if model is None:
        return None
    origin = view.corpus.origin_page(model.rel)
    origin_url = None
    if origin is not None and origin.lang != reader:
        origin_url = render.relative_url(reader, model.rel, origin.lang, origin.rel)
    changed = view.dates.get((model.lang, model.rel))
    if model.generate == "translation-status":
        changed = view.built_on   # the report is as of this build, whatever its Markdown's date
    return PageContext(
        corpus=view.corpus, ui=Interface(model.lang, view.locales_dir),
        changed=changed,
        origin_changed=view.dates.get((origin.lang, origin.rel)) if origin else None,
        origin_url=origin_url,
        site_url=site_url or "/",
        reader=reader,
        changes=view.changes.get((model.lang, model.rel)),
        status_url=render.relative_url(reader, model.rel, reader, view.status_rel) if view.status_rel else None,
    )


def markdown(view: SiteView, src_uri: str, text: str, meta: dict, site_url: str) -> tuple[str, dict]:
    """The page's Markdown as it is rendered, and the front matter entries the theme reads that change."""
    ctx = context(view, src_uri, site_url)
    if ctx is None:
        return text, {}
    model = view.model(*split(src_uri))
    changes = {}
    if ctx.reader != model.lang:
        # The origin's text standing in for a missing translation: it is not this language's text, so it
        # stays out of this language's search.
        changes["search"] = {**(meta.get("search") or {}), "exclude": True}
    # Tags are named in the reader's language, also on the origin's text standing in for a missing page:
    # the language's Tags page lists every page under one name per tag.
    changes["tags"] = render.tag_names(model.meta.get("tags"), ctx.ui if ctx.reader == model.lang else
                                       Interface(ctx.reader, view.locales_dir))
    if model.generate == "translation-status":
        # Its table is the page: the width of the (empty) table of contents goes to the five language columns.
        changes["hide"] = [*(meta.get("hide") or []), "toc"]
    return render.decorate(text, model, ctx), changes


def content(build: SiteBuild, src_uri: str, page_html: str, site_url: str) -> tuple[str, list[str]]:
    """The page's HTML as published, and the warnings to print about it."""
    view = build.view
    reader, rel = split(src_uri)
    model = view.model(reader, rel)
    # What Markdown made of the page, read as a browser reads it (kb/checking/rawhtml.py): a page that would carry a
    # program is not published with it, whatever the checks of its Markdown saw.
    # (under mkdocs serve, HTML that passed the quick look in an earlier build is not looked at again: SiteBuild.memo)
    suspect = build.memo("suspect html", lambda: rawhtml.suspect(page_html), page_html)
    refused = rawhtml.rendered_problems(page_html, model) if suspect else []
    if refused:
        return _withheld(build, src_uri, refused)
    ctx = context(view, src_uri, site_url)
    if ctx is None:
        return page_html, []
    page_html = typography.apply_html(render.finish(page_html, model, ctx), model.lang)
    if model.generate == "translation-status":
        page_html = page_html.replace(render.STATUS_TABLE, render.status_table(view.corpus, ctx.ui, reader, view.changes))
    if reader != model.lang:
        # the origin's page standing in for a missing one (not a sheet of this language's print pack)
        page_html = render.fallback_notice(page_html, model, reader, Interface(reader, view.locales_dir), ctx.origin_url,
                                           replaced=(reader, model.rel) in view.corpus.replaced)
        if model.type == "checklist":   # the sheet of this language's print pack, until it is translated
            build.sheets[reader, model.rel] = page_html
        return page_html, []
    if model.type == "checklist":
        build.sheets[model.lang, model.rel] = page_html
    if glossary.TABLE in page_html:   # the glossary page: its table is made from glossary.yml
        page_html = page_html.replace(glossary.TABLE, glossary.table(view.corpus.glossary, ctx.ui, view.corpus.languages))
    if view.serving:
        page_html = serving.banner(view.corpus.problems_for(model.lang, model.rel), ctx.ui) + page_html
    return page_html, []


def _withheld(build: SiteBuild, src_uri: str, refused: list[tuple[int, str]]) -> tuple[str, list[str]]:
    """The page in place of one whose HTML carries a program, and its problems, each said once per build
    (the checks of its Markdown may have said it already)."""
    view = build.view
    reader, rel = split(src_uri)
    model = view.model(reader, rel)
    path = model.path if model is not None else f"docs/{src_uri}"
    said = {(p.line, p.message) for p in view.corpus.problems_for(model.lang, model.rel)} if model is not None else set()
    problems = [Problem(path, line, message) for line, message in refused]
    warnings = [str(problem) for problem in problems
                if (problem.line, problem.message) not in said and build.first_time(str(problem))]
    ui = Interface(reader, view.locales_dir)
    return f"<h1>{html.escape(ui.gettext(serving.ERROR_TITLE))}</h1>\n" + serving.banner(problems, ui), warnings


def pack(build: SiteBuild, src_uri: str, page_html: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The print pack's HTML with one sheet per checklist of its language, and the (HTML title, anchor) of each
    sheet for its table of contents; None for any other page. Every checklist of the language must have been
    rendered (SiteBuild.sheets) before."""
    model = build.view.model(*split(src_uri))
    if model is None or model.generate != "checklist-pack":
        return None
    page_html, sheets = printing.fill_pack(page_html, model, build.view.corpus, build.sheets)
    # Themes print table-of-contents titles as HTML (they come from rendered headings): escape our plain text.
    return page_html, [(html.escape(title), anchor) for title, anchor in sheets]


def error_page(view: SiteView, src_uri: str) -> str | None:
    """Under mkdocs serve, the Markdown of a page saying why an unreadable page cannot be shown (else None)."""
    lang, rel = split(src_uri)
    error = view.corpus.broken.get((lang, rel))
    if error is None or not view.serving or (lang, rel) in view.fallbacks:
        return None
    return serving.error_page(error, Interface(lang, view.locales_dir))


def nav(view: SiteView, lang: str, present: set[str]) -> list:
    """The navigation of one language, as a generator's `nav:` configuration (kb.rendering.navigation)."""
    return navigation.build_nav(view.corpus, lang, present,
                                Interface(lang, view.locales_dir).gettext(navigation.EDITORS_TITLE))


def written(build: SiteBuild, src_uri: str, output: str, own_host: str) -> tuple[str, list[str]]:
    """The whole page as written, and the warnings to print about it.

    A page some language lacks: that language's version is the origin's text, so links to it (the language
    switcher) say the origin's language, no `alternate` link claims a translation that does not exist, and the
    fallback page itself says which language its text is in, for browsers and screen readers."""
    view, warnings = build.view, []
    # The intranet has no internet: a page that would load anything from another host is an error.
    # (under mkdocs serve, a page whose HTML did not change is not scanned again: SiteBuild.memo)
    for load in build.memo("external loads", lambda: publish.external_loads(output, own_host), output, own_host):
        warnings.append(f"docs/{src_uri}: {load}; the intranet cannot reach other hosts")
    # Every script written into the page must be one the web server's Content-Security-Policy allows.
    scripts = build.memo("inline scripts", lambda: publish.inline_scripts(output), output)
    for digest, start in scripts if view.script_hashes is not None else ():
        if digest not in view.script_hashes and build.first_time(f"script {digest}"):
            warnings.append(f"docs/{src_uri}: the page has a script written into it ({start}…) that the "
                            f"Content-Security-Policy of {publish.NGINX_CONF.as_posix()} does not allow, so browsers "
                            f"would not run it: if the theme needs it (a Material update?), add 'sha256-{digest}' to "
                            f"its script-src")
    lang, rel = split(src_uri)
    for missing, shown in view.fallbacks_by_rel.get(rel, {}).items():
        # language codes: checked against mkdocs.yml's list (kb.content.languages), no pattern characters
        output = re.sub(rf'<link rel="alternate" href="[^"<>]*" hreflang="{missing}">\n?', "", output)
        output = output.replace(f'hreflang="{missing}" class="md-select__link"', f'hreflang="{shown}" class="md-select__link"')
    shown = view.fallbacks.get((lang, rel))
    if shown is not None:
        start = output.find('<html lang="')
        if start >= 0:
            end = output.find('"', start + 12)
            output = output[:start + 12] + shown + output[end:]
    return output, warnings
