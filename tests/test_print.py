"""Paper, printed for real: Debian's Chromium prints pages of the built site to PDF (print media, A4, the
page's own @page size, no background graphics) and pypdf reads them back.

Every checklist in every language: one A4 page with its title, language, items, signature labels and
footer, and nothing of the web page around it. The print pack: one sheet per checklist. The quote cards:
several to a sheet, none split. What the tests expect comes from the content model, not from the HTML.
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import markdown
import pytest
from pypdf import PdfReader

from conftest import ROOT, checklists_of
from kb.content.corpus import Corpus
from kb.content.locales import Interface, language_name
from kb.content.model import LANGUAGES, Page
from kb.rendering.printing import page_url

pytestmark = pytest.mark.browser

CORPUS = Corpus.load(ROOT / "docs", ROOT)
CHECKLISTS = sorted((lang, rel) for (lang, rel), page in CORPUS.pages.items() if page.type == "checklist")
PACK = "checklists/print.md"
QUOTES = "quotes/index.md"
A4_POINTS = (595.28, 841.89)
ARTIFACTS = ROOT / "tests" / "artifacts"
# One page of each kind is also kept as a PNG (gitignored) for a person to look at.
SAMPLES = {("ru", "checklists/inviting-complaints.md"): ("checklist-ru", 1), ("el", PACK): ("pack-el", 7),
           ("el", QUOTES): ("quotes-el", 2)}


def url_path(page: Page) -> str:
    return page_url("", page)


def plain(text: str) -> str:
    """Markdown or extracted PDF text as comparable words: no markup, one space between words."""
    rendered = markdown.markdown(text, extensions=["pymdownx.smartsymbols"])
    return words(html.unescape(re.sub(r"<[^>]+>", "", rendered)))


def words(text: str) -> str:
    # A line may break after a hyphen ("complaint-|handling"): the break is not a space.
    return re.sub(r"-\s+", "-", " ".join(unicodedata.normalize("NFKC", text).split()))


class PrintedPdf:
    def __init__(self, path: Path):
        self.path = path
        reader = PdfReader(path)
        self.pages = len(reader.pages)
        self.sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
        # pypdf rather than pdftotext: pdftotext drops the hyphen of a word broken at a line end.
        self.page_texts = [words(p.extract_text()) for p in reader.pages]
        self.text = " ".join(self.page_texts)

    def pages_with(self, needle: str) -> list[int]:
        return [i for i, text in enumerate(self.page_texts) if needle in text]

    def png(self, name: str, page: int = 1) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(page), "-l", str(page),
                        str(self.path), str(ARTIFACTS / name)], check=True)


@pytest.fixture(scope="module")
def tab(browser, served_site):
    """One tab for the whole module; requests to other hosts are blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.external_requests = []

    def route(request_route):
        if request_route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            request_route.continue_()
        else:
            page.external_requests.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    yield page
    assert page.external_requests == []
    context.close()


@pytest.fixture
def printed(tab, served_site, tmp_path):
    """printed(page) opens a page of the site and prints it as Chromium's Print to PDF does."""

    def print_page(model: Page) -> PrintedPdf:
        tab.goto(served_site + url_path(model))
        tab.evaluate("document.fonts.ready.then(() => true)")
        pdf = tmp_path / f"{model.lang}-{model.rel.replace('/', '-')}.pdf"
        # page.pdf() prints with the print media, without background graphics, as a person's browser does.
        tab.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
        result = PrintedPdf(pdf)
        if (model.lang, model.rel) in SAMPLES and shutil.which("pdftoppm"):
            name, sheet = SAMPLES[model.lang, model.rel]
            result.png(name, page=min(result.pages, sheet))
        return result

    return print_page


def web_furniture(tab) -> list[str]:
    """Text of the web page around the content as the browser shows it: site name, search, navigation,
    table of contents, previous/next links — leaving out words that the content itself also has."""
    found = tab.evaluate("""() => {
        const texts = [document.querySelector('.md-search__input')?.getAttribute('placeholder') || ''];
        const pick = '.md-header__topic:first-child, .md-sidebar .md-nav__link, .md-sidebar .md-nav__title, '
                   + '.md-footer__direction, .md-path__link, .md-select__link, .md-tag';
        for (const el of document.querySelectorAll(pick)) texts.push(el.textContent);
        return {texts, content: document.querySelector('article').textContent};
    }""")
    content = words(found["content"])
    return sorted({words(t) for t in found["texts"] if words(t) and words(t) not in content})


def assert_a4(pdf: PrintedPdf) -> None:
    for width, height in pdf.sizes:
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, f"page is {width} x {height} pt, not A4"


def assert_checklist_sheet(text: str, page: Page) -> None:
    ui = Interface(page.lang)
    assert plain(page.title) in text
    assert language_name(page.lang) in text
    for item in page.items:
        assert text.count(plain(item.text)) == 1, f"item not printed once: {item.text}"
    for label in ("Name", "Date", "Signature"):
        assert ui.gettext(label) in text
    assert url_path(page) in text, "the footer names the page's address"


@pytest.mark.parametrize("lang, rel", CHECKLISTS, ids=[f"{lang}:{rel}" for lang, rel in CHECKLISTS])
def test_checklist_prints_on_one_a4_sheet(printed, tab, lang, rel):
    page = CORPUS.pages[lang, rel]
    pdf = printed(page)
    assert pdf.pages == 1, f"{lang}/{rel} prints on {pdf.pages} pages"
    assert_a4(pdf)
    assert_checklist_sheet(pdf.text, page)
    ui = Interface(lang)
    assert words(ui.gettext("Content version: {date}").split("{date}")[0]) in pdf.text
    furniture = web_furniture(tab)
    assert len(furniture) > 5, furniture   # the page does have navigation on screen
    assert [t for t in furniture if t in pdf.text] == []
    label = words(ui.gettext("Print"))   # the Print button is not on paper (the page's own text may say "print")
    assert pdf.text.count(label) <= words(" ".join([plain(page.title), *map(plain, page.body)])).count(label)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_pack_prints_one_sheet_per_checklist(printed, tab, lang):
    pack = CORPUS.pages[lang, PACK]
    checklists = [CORPUS.shown(lang, rel) for rel in checklists_of(CORPUS, lang)]
    # every checklist of the site, in the language or (not translated yet) as its stand-in's text
    assert {p.rel for p in checklists} == {rel for _, rel in CHECKLISTS}
    pdf = printed(pack)
    assert pdf.pages == len(checklists) >= 1
    assert_a4(pdf)
    for number, page in enumerate(checklists):
        assert pdf.pages_with(plain(page.title)) == [number], f"{page.title} is not alone on sheet {number + 1}"
        assert_checklist_sheet(pdf.page_texts[number], page)
    assert plain(pack.title) not in pdf.text, "the pack's own title and contents stay on screen"
    assert [t for t in web_furniture(tab) if t in pdf.text] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_quote_cards_print_several_to_a_sheet_and_never_split(printed, lang):
    quotes = CORPUS.pages[lang, QUOTES]
    cards = quotes.units
    assert len(cards) >= 4
    pdf = printed(quotes)
    assert_a4(pdf)
    sheet_of_card = []
    for card in cards:
        quote = plain(" ".join(line.lstrip("> ") for line in card.text if line.startswith(">")))
        assert quote, f"card {card.id} has no quotation"
        author = plain(card.title)
        sheets = pdf.pages_with(quote)
        assert len(sheets) == 1, f"card {card.id}: the quotation is not whole on one sheet"
        assert author in pdf.page_texts[sheets[0]], f"card {card.id}: the author is not on the card's sheet"
        sheet_of_card.append(sheets[0])
    per_sheet = [sheet_of_card.count(n) for n in range(pdf.pages)]
    assert all(count >= 4 for count in per_sheet[1:-1]), per_sheet
    assert per_sheet[0] >= 2, per_sheet


CSS_ON_PAPER = """() => {
    const box = getComputedStyle(document.querySelector('.task-list-indicator'), '::before');
    const button = document.querySelector('.kb-print-button');
    return {
        box: [box.borderTopStyle, parseFloat(box.borderTopWidth), box.borderTopColor, box.maskImage || box.webkitMaskImage,
              parseFloat(box.width), parseFloat(box.height)],
        button: button ? getComputedStyle(button).display : null,
    };
}"""


def test_tick_boxes_are_drawn_with_borders_on_paper(tab, served_site):
    """The checkbox must print without background graphics: a border, no mask or background."""
    tab.goto(served_site + "/lt/checklists/inviting-complaints/")
    tab.emulate_media(media="print")
    try:
        paper = tab.evaluate(CSS_ON_PAPER)
    finally:
        tab.emulate_media(media="screen")
    style, width, color, mask, box_width, box_height = paper["box"]
    assert style == "solid" and width >= 1 and color == "rgb(0, 0, 0)"
    assert mask in ("none", None) and box_width >= 14 and box_height >= 14
    assert paper["button"] == "none"


@pytest.mark.parametrize("rel", ["checklists/customer-emails.md", QUOTES, PACK])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_button_on_screen_in_the_readers_language(tab, served_site, lang, rel):
    tab.goto(served_site + url_path(CORPUS.pages[lang, rel]))
    button = tab.locator(".kb-print-button button")
    assert button.is_visible()
    assert button.inner_text().strip() == Interface(lang).gettext("Print")
    tab.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    button.click()
    assert tab.evaluate("window.printed") == 1
