"""In Chromium: the five-language skeleton, the switcher keeping the page, nothing from other hosts."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_switcher_from_greek_lands_on_the_same_page_in_russian(page, served_site):
    page.goto(f"{served_site}/el/playbooks/angry-customer/")
    page.locator(".md-header [data-md-component=language], .md-select").first.hover()
    page.get_by_role("link", name="Русский").first.click()
    page.wait_for_load_state()
    assert page.url == f"{served_site}/ru/playbooks/angry-customer/"
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.external_requests == []


def test_home_pages_load_without_other_hosts(page, served_site):
    for prefix in ("", "el/", "ru/", "tr/", "lt/"):
        page.goto(f"{served_site}/{prefix}", wait_until="networkidle")
        assert page.locator("h1").count() == 1
    assert page.external_requests == []


def test_pages_and_search_run_without_script_errors(page, served_site):
    """Our scripts and the search worker (which wraps Material's) throw nothing and warn of nothing."""
    from playwright.sync_api import expect

    problems = []
    page.on("pageerror", lambda error: problems.append(f"error: {error}"))
    # Material fetches a sitemap.xml next to every alternate-language link; those answer 404 (not ours)
    page.on("console", lambda message: problems.append(f"{message.type}: {message.text}")
            if message.type in ("error", "warning") and not message.text.startswith("Failed to load resource")
            else None)
    for prefix, query in (("", "angry"), ("el/", "θυμωμενος"), ("ru/", "жалоба"), ("tr/", "şikayet"), ("lt/", "skundai")):
        page.goto(f"{served_site}/{prefix}checklists/be-sure/")
        page.locator(".md-search__input").fill(query)
        expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert problems == []
    assert page.external_requests == []
