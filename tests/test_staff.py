"""Playbooks mid-call: steps at a glance on every playbook in every language, and on a phone
(390 × 844) the first step or that list, and a checklist's first item, within the first screen.
Pages, languages and counts are read from docs/."""
from __future__ import annotations

import html
import re

import pytest

from conftest import ROOT
from kb.content.corpus import Corpus
from kb.content.locales import Interface
from kb.rendering.printing import page_url
from kb.util.text import plain

CORPUS = Corpus.load(ROOT / "docs", ROOT)
PLAYBOOKS = sorted(key for key, page in CORPUS.pages.items() if page.type == "playbook")
CHECKLISTS = sorted(key for key, page in CORPUS.pages.items() if page.type == "checklist" and page.items)
PHONE = {"width": 390, "height": 844}


def test_the_real_site_has_playbooks_and_checklists_in_every_language():
    assert {lang for lang, _ in PLAYBOOKS} == set(CORPUS.languages)
    assert {lang for lang, _ in CHECKLISTS} == set(CORPUS.languages)


def built(site_dir, key) -> str:
    page = CORPUS.pages[key]
    return (site_dir / page_url("", page).lstrip("/") / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", PLAYBOOKS, ids="/".join)
def test_steps_at_a_glance_link_every_step_in_order(site_dir, key):
    page = CORPUS.pages[key]
    text = built(site_dir, key)
    found = re.findall(r'<nav class="kb-glance" aria-label="([^"]*)" data-search-exclude>\s*<ol>(.*?)</ol>', text, re.S)
    assert len(found) == 1, "one list of steps at a glance"
    label, items = found[0]
    assert html.unescape(label) == Interface(page.lang).gettext("Steps at a glance")
    links = re.findall(r'<li value="(\d+)"><a href="#([^"]+)">(.*?)</a></li>', items)
    assert [(int(n), anchor, html.unescape(title)) for n, anchor, title in links] == \
        [(s.number, s.id, plain(s.title)) for s in page.steps]
    for _, anchor, _ in links:   # every link lands on its step heading
        assert f'<h2 id="{anchor}">' in text
    # after the title and the meta line, before the introduction and the first step
    h1, glance, first_step = text.find("<h1"), text.find('class="kb-glance"'), text.find("<h2 id=")
    assert 0 <= h1 < glance < first_step
    between = text[text.find("</nav>", glance):first_step]
    assert "<p" in between or page.sections[0].text == [], "the introduction follows the list"


def test_glance_label_is_translated():
    english = Interface("en").gettext("Steps at a glance")
    for lang in CORPUS.languages:
        if lang != "en":
            assert Interface(lang).gettext("Steps at a glance") != english


# --- in Chromium, on a phone ------------------------------------------------------------------------

@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
    tab = context.new_page()
    yield tab
    context.close()


TITLE_GAP = """() => { const h = document.querySelector('h1'); const link = h.querySelector('.headerlink');
    const range = document.createRange(); range.selectNodeContents(h.firstChild);
    const lines = range.getClientRects(); const last = lines[lines.length - 1];
    const l = link ? link.getBoundingClientRect() : null;
    return {gap: h.getBoundingClientRect().bottom - last.bottom, linkOwnLine: !!(l && l.height > 0 && l.top >= last.bottom - 1)}; }"""


def assert_no_gap_under_title(tab):
    """A long title's permalink ¶ used to wrap onto a line of its own: a blank line under the title."""
    found = tab.evaluate(TITLE_GAP)
    assert not found["linkOwnLine"] and found["gap"] < 4, found


def _top_and_bottom(tab, selector):
    return tab.evaluate("s => { const e = document.querySelector(s); if (!e) return null;"
                        " const r = e.getBoundingClientRect(); return [r.top, r.bottom, getComputedStyle(e).visibility]; }",
                        selector)


@pytest.mark.browser
@pytest.mark.parametrize("key", PLAYBOOKS, ids="/".join)
def test_playbook_steps_within_the_first_phone_screen(phone, served_site, key, tmp_path):
    phone.goto(served_site + page_url("", CORPUS.pages[key]))
    assert phone.evaluate("window.scrollY") == 0
    glance = _top_and_bottom(phone, ".kb-glance li:first-child")
    first_step = _top_and_bottom(phone, "h2[id]")
    assert glance is not None and first_step is not None
    visible = [box for box in (glance, first_step) if box[2] == "visible" and 0 <= box[0] and box[1] <= PHONE["height"]]
    assert visible, f"neither the list of steps ({glance}) nor the first step ({first_step}) is on the first screen"
    assert phone.locator(".kb-glance").is_visible()   # not behind the drawer
    assert_no_gap_under_title(phone)
    phone.screenshot(path=str(tmp_path / "phone.png"))


@pytest.mark.browser
@pytest.mark.parametrize("key", CHECKLISTS, ids="/".join)
def test_checklist_items_within_the_first_phone_screen(phone, served_site, key):
    phone.goto(served_site + page_url("", CORPUS.pages[key]))
    item = _top_and_bottom(phone, ".task-list-item")
    assert item is not None and item[2] == "visible"
    assert 0 <= item[0] and item[1] <= PHONE["height"], f"first item at {item}"
    assert_no_gap_under_title(phone)


@pytest.mark.browser
def test_glance_is_not_printed(page, served_site):
    page.goto(served_site + page_url("", CORPUS.pages[PLAYBOOKS[0]]))
    assert page.locator(".kb-glance").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".kb-glance").is_visible()


# --- arriving from search on a phone: step 1 and its line to say, finger-sized targets -----------------

QUOTES = "\"“”„«»‘’‚"


def step_one_boxes(tab, step_id: str) -> dict:
    """Where step 1's heading and its line to say are: the first paragraph of the step with a quotation
    after a bold label, or else the step's first paragraph of text (a step done before the call)."""
    return tab.evaluate("""([id, quotes]) => {
        const heading = document.getElementById(id)
        const box = e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom] }
        let line = null, first = null
        for (let e = heading.nextElementSibling; e && e.tagName !== 'H2'; e = e.nextElementSibling) {
            if (e.tagName !== 'P' || e.classList.contains('kb-step-label')) continue
            first = first || e
            const label = e.querySelector(':scope > strong:first-child')
            if (label && [...e.textContent.slice(label.textContent.length)].some(c => quotes.includes(c))) { line = e; break }
        }
        const header = document.querySelector('.md-header').getBoundingClientRect().bottom
        return {heading: box(heading), line: box(line || first), header, quoted: !!line}
    }""", [step_id, QUOTES])


@pytest.mark.browser
@pytest.mark.parametrize("key", PLAYBOOKS, ids="/".join)
def test_step_one_and_its_line_to_say_on_the_first_phone_screen(phone, served_site, key, tmp_path):
    """As a result of search opens it (the address carries the searched words), on a 390 × 844 phone."""
    page = CORPUS.pages[key]
    phone.goto(served_site + page_url("", page) + "?h=" + page.steps[0].id.split("-")[0])
    found = step_one_boxes(phone, page.steps[0].id)
    phone.screenshot(path=str(tmp_path / "phone.png"))
    assert found["heading"][0] >= found["header"], found
    assert found["line"][1] <= PHONE["height"], f"{page.path}: step 1's line to say ends at {found['line'][1]:.0f} px"


LONGEST = {lang: max((k for k in PLAYBOOKS if k[0] == lang), key=lambda k: (len(CORPUS.pages[k].steps), k))
           for lang in CORPUS.languages if any(k[0] == lang for k in PLAYBOOKS)}


@pytest.mark.browser
@pytest.mark.parametrize("lang", sorted(LONGEST))
def test_a_tap_in_the_steps_list_puts_that_step_in_the_address(phone, served_site, lang):
    """Tapped one after another, each step of the list becomes the address's anchor (switching language
    then opens that step, not the one before it)."""
    from playwright.sync_api import expect

    page = CORPUS.pages[LONGEST[lang]]
    phone.goto(served_site + page_url("", page))
    for step in page.steps:
        phone.locator(f'.kb-glance a[href="#{step.id}"]').tap()
        expect(phone).to_have_url(re.compile(f"#{re.escape(step.id)}$"))
        phone.wait_for_timeout(300)   # the scroll has settled: the address must still name this step
        assert phone.evaluate("location.hash") == f"#{step.id}"


FINGER = 44


def too_small(tab, selector: str) -> list:
    return tab.evaluate("""([selector, least]) => [...document.querySelectorAll(selector)]
        .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
        .map(e => [e.outerHTML.slice(0, 80), Math.round(e.getBoundingClientRect().width), Math.round(e.getBoundingClientRect().height)])
        .filter(([, w, h]) => w < least || h < least)""", [selector, FINGER])


@pytest.mark.browser
@pytest.mark.parametrize("lang", sorted(LONGEST))
def test_tap_targets_are_a_finger_wide(phone, served_site, lang):
    """Header buttons, language entries, steps-list links, tags and checklist items: 44 × 44 px at least."""
    page = CORPUS.pages[LONGEST[lang]]
    phone.goto(served_site + page_url("", page))
    for selector in (".md-header__button.md-icon", ".kb-glance a", ".md-tag"):
        assert phone.locator(selector).count(), selector
        assert too_small(phone, selector) == [], selector
    phone.locator(".md-select > button").tap()
    phone.locator(".md-select__link").first.wait_for(state="visible")
    phone.wait_for_timeout(500)   # the menu's opening transition has ended
    assert too_small(phone, ".md-select__link") == []
    checklist = next(k for k in CHECKLISTS if k[0] == lang)
    phone.goto(served_site + page_url("", CORPUS.pages[checklist]))
    assert too_small(phone, ".task-list-item") == []


@pytest.mark.browser
def test_tapping_a_checklist_items_text_ticks_its_box(phone, served_site):
    phone.goto(served_site + page_url("", CORPUS.pages[CHECKLISTS[0]]))
    item = phone.locator(".task-list-item").first
    box = item.locator(".task-list-control > input[type=checkbox]")
    assert not box.is_checked()
    text = item.bounding_box()
    phone.touchscreen.tap(text["x"] + text["width"] - 20, text["y"] + text["height"] / 2)
    assert box.is_checked()
    phone.touchscreen.tap(text["x"] + text["width"] - 20, text["y"] + text["height"] / 2)
    assert not box.is_checked()
