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
