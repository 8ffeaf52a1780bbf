"""Accessibility in Chromium: axe-core finds nothing serious, and search and navigation work by keyboard alone."""
from __future__ import annotations

import re

import pytest

from kb.content.locales import Interface
from kb.content.model import LANGUAGES

pytestmark = pytest.mark.browser

PREFIX = {lang: "" if lang == "en" else f"{lang}/" for lang in LANGUAGES}
PAGES = ["", "playbooks/angry-customer/", "checklists/be-sure/", "faq/"]   # home, a playbook, a checklist, the FAQ
SERIOUS = {"serious", "critical"}


def violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page).response["violations"]


def serious_violations(page) -> list[str]:
    return [f"{v['impact']} {v['id']}: {[node['target'] for node in v['nodes'][:3]]}"
            for v in violations(page) if v["impact"] in SERIOUS]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_nothing_serious(page, served_site, lang):
    found = {}
    for rel in PAGES:
        page.goto(f"{served_site}/{PREFIX[lang]}{rel}")
        if violations := serious_violations(page):
            found[rel or "home"] = violations
    assert found == {}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_breadcrumb_and_main_menu_have_names_of_their_own(page, served_site, lang):
    """The breadcrumb and the main menu are both <nav> landmarks: Material names both "Navigation"; our
    partials/path.html names the breadcrumb, in the page's language."""
    page.goto(f"{served_site}/{PREFIX[lang]}playbooks/angry-customer/")
    breadcrumb = page.get_attribute(".md-path", "aria-label")
    menu = page.get_attribute(".md-nav--primary", "aria-label")
    assert breadcrumb and menu and breadcrumb != menu
    assert breadcrumb == Interface(lang).gettext("Breadcrumb")
    assert lang == "en" or breadcrumb != "Breadcrumb"


@pytest.mark.parametrize("lang, query", [("en", "complaint"), ("el", "παραπονα"), ("ru", "жалоба"),
                                         ("tr", "sikayet"), ("lt", "skundas")])
def test_axe_finds_nothing_serious_in_search_results(page, served_site, lang, query):
    from playwright.sync_api import expect

    page.goto(f"{served_site}/{PREFIX[lang]}")
    page.locator(".md-search__input").fill(query)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert serious_violations(page) == []


def tab_to(page, selector: str, limit: int = 25):
    """Press Tab until the element matching selector has the focus (a keyboard user's way there)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def test_skip_link_is_the_first_stop_and_leads_to_the_content(page, served_site):
    page.goto(f"{served_site}/ru/playbooks/complaint-is-a-gift/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("class").split()[0] == "md-skip"
    assert skip.is_visible()
    target = skip.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_function("target => decodeURIComponent(location.hash) === target", arg=target)
    assert page.locator(f"article [id='{target[1:]}']").count() == 1


def test_search_by_keyboard_alone_enter_opens_the_best_result(page, served_site):
    from playwright.sync_api import expect

    page.goto(f"{served_site}/")
    tab_to(page, ".md-search__input")
    page.keyboard.type("angry customer")                 # real key presses, as on a keyboard
    expect(page.locator(".md-search-result__item a").first).to_have_attribute(
        "href", re.compile(r"/playbooks/angry-customer/"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/playbooks/angry-customer/\?h="))


def test_search_by_keyboard_alone_arrows_reach_the_results(page, served_site):
    from playwright.sync_api import expect

    page.goto(f"{served_site}/tr/")
    tab_to(page, ".md-search__input")
    page.keyboard.type("telafi")
    expect(page.locator(".md-search-result__item a").first).to_have_attribute(
        "href", re.compile(r"/tr/checklists/compensation-options/"))
    page.keyboard.press("ArrowDown")
    focused = page.locator(":focus")
    assert "md-search-result__link" in focused.get_attribute("class")
    assert "/tr/checklists/compensation-options/" in focused.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tr/checklists/compensation-options/\?h="))


def test_language_switcher_by_keyboard_alone(page, served_site):
    page.goto(f"{served_site}/lt/checklists/be-sure/")
    tab_to(page, ".md-select__link[hreflang=el]")
    assert page.locator(".md-select__link[hreflang=el]").is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{served_site}/el/checklists/be-sure/")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_checklist_boxes_are_named_by_their_items(page, served_site, lang):
    page.goto(f"{served_site}/{PREFIX[lang]}checklists/be-sure/")
    boxes = page.get_by_role("checkbox")
    assert boxes.count() >= 6
    for i in range(boxes.count()):
        name = boxes.nth(i).get_attribute("aria-label") or ""
        assert len(name) > 10, (i, name)
    first = boxes.first
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
