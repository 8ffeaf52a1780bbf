"""The real site, built once, strict: languages, alternates, nothing loaded from other hosts, a clean log."""
from __future__ import annotations

import re

import pytest

from conftest import ROOT
from kb.content.corpus import Corpus
from kb.content.model import LANGUAGES

PREFIX = {lang: "" if lang == "en" else f"{lang}/" for lang in LANGUAGES}
NAMES = {"en": "English", "el": "Ελληνικά", "ru": "Русский", "tr": "Türkçe", "lt": "Lietuvių"}


def test_build_log_has_no_warning(built_site):
    _, result = built_site
    assert not [line for line in result.lines if "WARNING" in line or "ERROR" in line]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_page_has_its_language(site_dir, lang):
    html = (site_dir / PREFIX[lang] / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<html lang="{lang}"', html)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_switcher_names_come_from_cldr(site_dir, lang):
    html = (site_dir / PREFIX[lang] / "index.html").read_text(encoding="utf-8")
    for code, name in NAMES.items():
        assert re.search(rf'hreflang="{code}"[^>]*>\s*{name}\s*<', html), (code, name)


def test_every_page_has_alternates_to_the_same_page(site_dir):
    """Each language's version of a page names the others as alternates; a language that shows another
    language's text instead (the page is not translated yet) is named by none."""
    corpus = Corpus.load(ROOT / "docs", ROOT)
    assert len(corpus.rels) >= 26
    for rel in corpus.rels:
        page = re.sub(r"(^|/)index\.md$", r"\1", rel).removesuffix(".md")
        page = page if page == "" or page.endswith("/") else page + "/"
        translated = {lang for lang in LANGUAGES if (lang, rel) in corpus.pages}
        for lang in LANGUAGES:
            path = site_dir / PREFIX[lang] / page / "index.html"
            html = path.read_text(encoding="utf-8")
            alternates = dict(re.findall(r'<link rel="alternate" href="([^"]+)" hreflang="([a-z]+)">', html))
            targets = {code: href for href, code in alternates.items()}
            assert set(targets) == translated, path
            for code, href in targets.items():
                # home pages get root-relative links from mkdocs-static-i18n ("/el/"), the others relative ones
                base = site_dir if href.startswith("/") else path.parent
                resolved = (base / href.lstrip("/")).resolve()
                assert resolved == (site_dir / PREFIX[code] / page).resolve(), (path, code, href)


EXTERNAL = re.compile(r"""(?:src|srcset|data)\s*=\s*["']\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import\s+["'](?:https?:)?//""", re.I)
LINK_TAG = re.compile(r"<link\b[^>]*>", re.I)


def test_nothing_is_loaded_from_another_host(site_dir):
    offenders = []
    for path in [*site_dir.rglob("*.html"), *site_dir.rglob("*.css"), *site_dir.rglob("*.js")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix != ".js" and EXTERNAL.search(text):
            offenders.append(f"{path}: {EXTERNAL.search(text).group(0)}")
        for tag in LINK_TAG.findall(text) if path.suffix == ".html" else []:
            rel = re.search(r'rel="([^"]+)"', tag)
            if rel and rel.group(1) not in ("canonical", "alternate") and re.search(r'href="(https?:)?//', tag):
                offenders.append(f"{path}: {tag}")
    assert offenders == []


def test_no_link_leads_off_the_intranet_from_the_theme(site_dir):
    html = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "squidfunk.github.io" not in html and "fonts.googleapis" not in html


def test_source_articles_are_not_in_the_repository():
    assert not (ROOT / "sources").exists()
    assert not list(ROOT.glob("docs/**/*.pdf"))


@pytest.mark.parametrize("lang, search, switcher", [
    ("en", "Search", "Select language"), ("el", "Αναζήτηση", "Επιλογή γλώσσας"), ("ru", "Поиск", "Выберите язык"),
    ("tr", "Ara", "Dil seç"), ("lt", "Paieška", "Pasirinkti kalbą"),
])
def test_material_interface_is_in_the_readers_language(site_dir, lang, search, switcher):
    html = (site_dir / PREFIX[lang] / "playbooks" / "index.html").read_text(encoding="utf-8")
    assert f'placeholder="{search}"' in html
    assert f'aria-label="{switcher}"' in html


def test_headings_get_readable_ids_in_every_script(site_dir):
    html = (site_dir / "ru" / "playbooks" / "complaint-is-a-gift" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="жалоба--это-подарок"' in html
    assert not re.search(r'id="_\d+"', html)
