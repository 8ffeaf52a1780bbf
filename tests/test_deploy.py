"""deploy/nginx.conf on a real nginx: the site under /kb/, built with KB_SITE_URL, as an intranet serves it.

nginx runs as the current user on a free port, with its pid, logs and temporary files in a temporary
folder. CI (.ci/run) installs Debian's nginx and sets KB_REQUIRE_NGINX=1: there a missing nginx fails.
"""
from __future__ import annotations

import gzip
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ENV, ROOT

NGINX = Path(os.environ.get("KB_NGINX", "/usr/sbin/nginx"))
LANGS = {"el": "Η σελίδα δεν βρέθηκε", "ru": "Страница не найдена", "tr": "Sayfa bulunamadı",
         "lt": "Puslapis nerastas"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    if not NGINX.exists():
        if os.environ.get("KB_REQUIRE_NGINX") == "1":
            pytest.fail(f"nginx tests required but {NGINX} is not installed", pytrace=False)
        pytest.skip(f"{NGINX} is not installed (apt-get install nginx to run the web server tests)")
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = tmp / "www" / "kb"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=ROOT,
                                     env={**ENV, "KB_SITE_URL": f"http://127.0.0.1:{port}/kb/"},
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600)
    assert built.returncode == 0, built.stdout
    conf = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert "listen 80;" in conf and "root /var/www;" in conf
    conf = conf.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("root /var/www;", f"root {tmp / 'www'};")
    (tmp / "kb.conf").write_text(conf, encoding="utf-8")
    temp_paths = "\n".join(f"  {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {tmp / 'nginx.pid'};
error_log {tmp / 'error.log'};
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
{temp_paths}
  include {tmp / 'kb.conf'};
}}
""", encoding="utf-8")
    proc = subprocess.Popen([str(NGINX), "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log"),
                             "-g", "daemon off;"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"nginx did not start: {proc.stdout.read()} {(tmp / 'error.log').read_text()}")
                time.sleep(0.1)
        yield port, site
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def get(port: int, path: str, **headers) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_pages_are_served_under_the_sub_path_as_utf8_html_that_is_never_cached_stale(nginx):
    port, _ = nginx
    for path in ("/kb/", "/kb/el/", "/kb/ru/playbooks/angry-customer/", "/kb/lt/checklists/print/"):
        status, headers, body = get(port, path)
        assert status == 200, path
        assert headers["content-type"] == "text/html; charset=utf-8", path
        assert headers["cache-control"] == "no-cache", path
    status, headers, _ = get(port, "/kb")
    assert status == 301 and headers["location"].endswith("/kb/")
    status, headers, _ = get(port, "/kb/ru/playbooks/angry-customer")
    assert status == 301 and headers["location"].endswith("/kb/ru/playbooks/angry-customer/")


def test_every_asset_a_page_names_is_there_under_the_sub_path(nginx):
    port, _ = nginx
    from urllib.parse import urljoin
    _, _, body = get(port, "/kb/ru/")
    urls = {urljoin("/kb/ru/", u) for u in re.findall(r'(?:href|src)="([^"#?]*assets/[^"#?]+)', body.decode("utf-8"))}
    assert any("bundle." in u for u in urls) and any("main." in u for u in urls), urls
    for url in urls:
        assert get(port, url)[0] == 200, url


def test_a_missing_page_gets_the_404_page_of_its_language(nginx):
    port, _ = nginx
    for lang, heading in LANGS.items():
        status, headers, body = get(port, f"/kb/{lang}/no-such-page/")
        text = body.decode("utf-8")
        assert status == 404, lang
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert f'<html lang="{lang}"' in text and f"<h1>{heading}</h1>" in text, lang
        assert f'href="/kb/{lang}/"' in text
    for path in ("/kb/no-such-page/", "/kb/eln/x", "/kb/assets/nothing.css"):
        status, _, body = get(port, path)
        assert status == 404 and '<html lang="en"' in body.decode("utf-8") and "Page not found" in body.decode("utf-8"), path


def test_hashed_assets_are_cached_for_a_year_others_revalidate(nginx):
    port, site = nginx
    hashed = [p for p in (site / "assets").rglob("*.min.*") if re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", p.name)]
    assert hashed
    for path in hashed[:5]:
        status, headers, _ = get(port, "/kb/" + path.relative_to(site).as_posix())
        assert status == 200 and "max-age=31536000" in headers["cache-control"], path
    for path in ("/kb/assets/stylesheets/kb.css", "/kb/search/search_index.json"):
        status, headers, _ = get(port, path)
        assert status == 200 and headers["cache-control"] == "no-cache", path


def test_text_is_sent_compressed(nginx):
    port, _ = nginx
    status, headers, body = get(port, "/kb/el/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert '<html lang="el"' in gzip.decompress(body).decode("utf-8")


# --- what a page may do (issue 24): Content-Security-Policy and other headers, checked in Chromium -------

def _policy(headers: dict) -> dict[str, list[str]]:
    directives = [part.split() for part in headers["content-security-policy"].split(";") if part.strip()]
    return {words[0]: words[1:] for words in directives}


def test_every_response_says_what_a_page_may_do_and_names_no_server_version(nginx):
    port, site = nginx
    hashed = next(p for p in (site / "assets").rglob("*.min.js") if re.search(r"\.[0-9a-f]{8}\.min\.js$", p.name))
    for path in ("/kb/", "/kb/ru/", "/kb/el/no-such-page/", "/kb/assets/stylesheets/kb.css", "/kb/search/search_index.json",
                 "/kb/" + hashed.relative_to(site).as_posix()):
        status, headers, _ = get(port, path)
        assert status in (200, 404), path
        policy = _policy(headers)
        assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"], path
        assert policy["frame-ancestors"] == ["'none'"], path
        assert not {"'unsafe-inline'", "'unsafe-eval'", "data:", "*"} & set(policy.get("script-src", [])), path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["referrer-policy"] == "same-origin", path
        assert headers["server"] == "nginx", path   # server_tokens off: no version


def test_every_script_written_into_a_page_is_one_the_policy_allows(nginx):
    """Material's inline scripts are allowed by their hashes; the build makes them the same on every page
    (overrides/partials/javascripts/base.html), so the policy's list holds for any page the site gets."""
    from kb.checking.publish import inline_scripts
    port, site = nginx
    allowed = set(_policy(get(port, "/kb/")[1])["script-src"])
    pages = list(site.rglob("*.html"))
    found = {f"'sha256-{digest}'" for page in pages for digest, _ in inline_scripts(page.read_text(encoding="utf-8"))}
    assert found and found <= allowed, found - allowed
    assert len(found) == len(allowed - {"'self'"})   # no hash is left over either


def test_a_missing_hashed_asset_is_the_404_page_checked_again_next_time(nginx):
    port, _ = nginx
    status, headers, body = get(port, "/kb/assets/javascripts/bundle.0123abcd.min.js")
    assert status == 404 and "Page not found" in body.decode("utf-8")
    assert headers["cache-control"] == "no-cache"


def test_compressed_text_varies_by_accept_encoding(nginx):
    port, _ = nginx
    for path in ("/kb/el/", "/kb/assets/stylesheets/kb.css"):
        status, headers, _ = get(port, path, **{"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("content-encoding") == "gzip", path
        assert "accept-encoding" in headers.get("vary", "").lower(), path


def test_redirects_never_name_the_host_a_request_gave(nginx):
    port, _ = nginx
    for path in ("/kb", "/kb/ru/playbooks"):
        status, headers, _ = get(port, path, Host="attacker.example")
        assert status == 301, path
        assert headers["location"].startswith("/kb/") and "attacker" not in headers["location"], headers


@pytest.mark.browser
def test_under_the_policy_search_languages_tick_boxes_and_printing_work_with_no_violation(nginx, page):
    """The site through nginx, with its headers, in Chromium: Material's scripts run (their hashes are
    allowed), and nothing the policy forbids is tried (no violation reported, no console line about it)."""
    from playwright.sync_api import expect

    from kb.content.corpus import Corpus
    from kb.content.locales import language_name
    from kb.rendering.printing import page_url

    port, _ = nginx
    base = f"http://127.0.0.1:{port}/kb/"
    corpus = Corpus.load(ROOT / "docs", ROOT, cache=False)
    checklist = next(p for (lang, rel), p in sorted(corpus.pages.items()) if lang == "ru" and p.type == "checklist"
                     and not p.generate)
    playbook = next(p for (lang, rel), p in sorted(corpus.pages.items()) if lang == "ru" and p.type == "playbook")
    words = [w for w in re.findall(r"\w{6,}", playbook.title) if not w.isdigit()]
    seen = []
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => (window.kbViolations ="
                         " window.kbViolations || []).push(e.violatedDirective + ' ' + e.blockedURI))")
    page.on("console", lambda message: seen.append(message.text))

    def no_violation():
        assert page.evaluate("typeof __md_scope") == "object"   # Material's first inline script ran
        assert page.evaluate("window.kbViolations || []") == []

    page.goto(page_url(base, playbook))
    no_violation()
    box = page.locator(".md-search__input")
    box.click()
    box.fill(words[0] if words else playbook.title.split()[0])
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    no_violation()
    page.keyboard.press("Escape")
    page.locator(".md-header [data-md-component=language], .md-select").first.hover()
    page.get_by_role("link", name=language_name("el")).first.click()
    page.wait_for_load_state()
    assert page.url.startswith(base + "el/") and page.locator("html").get_attribute("lang") == "el"
    no_violation()
    page.goto(page_url(base, checklist))
    tick = page.locator(".task-list-item input[type=checkbox]").first
    item = page.locator(".task-list-item").first.bounding_box()
    page.mouse.click(item["x"] - 14, item["y"] + 12)   # where a reader clicks: the box drawn left of the item
    assert tick.is_checked()
    page.evaluate("() => { window.kbPrinted = 0; window.print = () => { window.kbPrinted += 1 } }")
    page.locator(".kb-print-button button").first.click()
    assert page.evaluate("window.kbPrinted") == 1
    no_violation()
    assert not [text for text in seen if "Content Security Policy" in text or "Content-Security-Policy" in text], seen
    assert page.external_requests == []
