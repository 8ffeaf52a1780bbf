"""The built site's folder after a language is written: each language's 404 page in its own folder, and the
root page of a one-language preview. Nothing here knows of MkDocs."""
from __future__ import annotations

import html
import os
from pathlib import Path

from kb.rendering.view import SiteBuild


def preview_home(site_dir: Path, preview: str | None, default: str) -> None:
    """A one-language preview of another language than the default has no home page at the site's root,
    where `mkdocs serve` points: send the reader to the language's own."""
    if not preview or preview == default:
        return
    home = site_dir / "index.html"
    target = html.escape(f"{preview}/")
    text = (f'<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0; url={target}">'
            f'<a href="{target}">{target}</a>\n')
    # Written again when it is this page (a rebuild under mkdocs serve removes what it did not write).
    if not home.exists() or home.read_bytes() == text.encode("utf-8"):
        home.write_text(text, encoding="utf-8")


def place_not_found(build: SiteBuild, site_dir: Path, lang: str, default: str) -> None:
    """Every language pass writes its 404 page to the root of the site: keep each language's in its folder
    (the web server routes /<lang>/ misses to it) and the default language's at the root."""
    page = site_dir / "404.html"
    if not page.exists():
        return
    if lang == default:
        build.not_found_page = page.read_bytes()
    else:
        (site_dir / lang).mkdir(exist_ok=True)
        os.replace(page, site_dir / lang / "404.html")
    if build.not_found_page is not None:
        page.write_bytes(build.not_found_page)
