"""`make new-page TYPE=<type> SLUG=<slug> [ORIGIN=<lang>] [TITLE="..."]`: a new page in its origin language,
from the template of its type, valid as it is under `mkdocs build --strict`.

`SLUG=billing/refund` puts the page into a sub-folder of its section (a sub-section of the menu, for large
sites: README, Performance); a sub-folder that no language has yet gets its index page too, named after
the folder, which lists the sub-folder's pages.

Nothing else is edited by hand: the navigation, its section's index page and (a checklist) the print pack
follow the pages in docs/ (kb.rendering.navigation); the other languages list it as missing until it is translated.
The file is written whole or not at all; every refusal is one line.
"""
from __future__ import annotations

import os
import posixpath
import re
import sys
import tempfile
from pathlib import Path

from kb.util import cli
from kb.rendering import navigation
from kb.checking import rawhtml
from kb.content.corpus import Corpus
from kb.content.model import DEFAULT_LANGUAGE, LANGUAGES, PAGE_TYPES, TAGS, printable
from kb.checking.publish import SLUG_LIMIT

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*){0,2}", re.ASCII)   # up to 2 sub-folders
FOLDERS = {"playbook": "playbooks", "checklist": "checklists", "faq": "faq", "quotes": "quotes", "page": ""}


class Refusal(Exception):
    """Why the page was not created: one line for the person who asked."""


def rel_path(page_type: str, slug: str) -> str:
    folder = FOLDERS[page_type]
    return f"{folder}/{slug}.md" if folder else f"{slug}.md"


def validate(page_type: str, slug: str, origin: str, title: str, docs: Path) -> str:
    """The new page's docs-relative path, or a Refusal."""
    if page_type not in PAGE_TYPES:
        raise Refusal(f"unknown TYPE '{page_type}' (one of {', '.join(PAGE_TYPES)})" if page_type
                      else f"TYPE is missing: make new-page TYPE=<{'|'.join(PAGE_TYPES)}> SLUG=<slug>")
    if not slug:
        raise Refusal("SLUG is missing: make new-page TYPE=<type> SLUG=first-call (lower-case English words joined by hyphens)")
    if not SLUG.fullmatch(slug):
        raise Refusal(f"SLUG '{slug}' is not lower-case ASCII words joined by hyphens (e.g. first-call, or "
                      "billing/first-call in a sub-folder); it is the page's file name and address in every language")
    longest = max(slug.split("/"), key=len)
    if len(longest) > SLUG_LIMIT:
        raise Refusal(f"SLUG '{longest[:40]}…' is {len(longest)} characters long (at most {SLUG_LIMIT} for a file or "
                      "folder name): choose a shorter one")
    if "/" in slug and not FOLDERS.get(page_type):
        raise Refusal(f"SLUG '{slug}': only pages in a section (playbook, checklist, faq, quotes) go into a "
                      "sub-folder; a page of TYPE page stays at the top")
    if origin not in LANGUAGES:
        raise Refusal(f"unknown ORIGIN '{origin}' (one of {', '.join(LANGUAGES)})")
    if "\n" in title or "\r" in title or any(ord(c) < 32 for c in title):
        raise Refusal("TITLE must be one line of text")
    refused = rawhtml.line_problems(f"# {title}")   # what the build would refuse on the page's title line
    if refused:
        raise Refusal(f"TITLE holds {refused[0]}")
    rel = rel_path(page_type, slug)
    if slug.rsplit("/", 1)[-1] == "index":
        raise Refusal(f"SLUG '{slug}' is the section's own page ({rel}); choose another slug")
    for lang in LANGUAGES:
        existing = docs / lang / rel
        if existing.exists():
            raise Refusal(f"docs/{lang}/{rel} already exists: choose another SLUG (or edit that page)")
        if page_type == "page" and (docs / lang / slug).is_dir():
            raise Refusal(f"SLUG '{slug}' is a section of the site (docs/{lang}/{slug}/): choose another slug")
    return rel


def _front_matter(page_type: str, origin: str, order: int | None, extra: list[str]) -> str:
    lines = ["---", f"type: {page_type}"]
    if order is not None:
        lines.append(f"nav_order: {order}")
    tag = {"page": "", "quotes": "quotes"}.get(page_type, "communication")
    tags = f"tags: [{tag}]   # English tag ids, one or more of: {', '.join(TAGS)}" if tag else "tags: []"
    lines += [f"origin: {origin}", tags]
    if page_type != "page":   # what staff type to find it, written by a speaker of each language (README, Search words)
        lines.append("search_words: []   # the words staff type to find this page, in this page's language")
    lines += [*extra, "---", ""]
    return "\n".join(lines)


# The template's placeholder text in each origin language (natural and short, in the glossary's terms), for
# the writer to replace. Ids stay English in every language; a language without its own gets English.
PLACEHOLDERS = {
    "en": {
        "description": "What this page is for, in one line (shown on its section's page)",
        "playbook": "When to follow this playbook, in one or two sentences.",
        "first step": "First step", "first text": "What to do, in one line. Then why, in one sentence.",
        "say": "**Say:** a phrase the agent can use as it is.",
        "second step": "Second step", "second text": "What to do next, and why.",
        "related": "Related", "checklists": "Checklists",
        "checklist": "When to use this checklist, in one line.",
        "items": ("First thing to check", "Second thing to check", "Third thing to check"),
        "faq": "What these questions are about, in one line.",
        "first question": "The first question", "second question": "The second question",
        "answer": "A short, straight answer.",
        "quotes": "What these quote cards are for, in one line.",
        "author": "Name of the author", "quotation": "The quotation.", "who": "Who the author is, in one line.",
        "page": "The text of the page.",
        "group": "What the pages of this group are about, in one line.",
    },
    "el": {
        "description": "Σε τι χρησιμεύει αυτή η σελίδα, σε μία γραμμή (φαίνεται στη σελίδα της ενότητας)",
        "playbook": "Πότε ακολουθείτε αυτόν τον οδηγό βημάτων, σε μία ή δύο προτάσεις.",
        "first step": "Πρώτο βήμα", "first text": "Τι κάνετε, σε μία γραμμή. Μετά γιατί, σε μία πρόταση.",
        "say": "**Πείτε:** μια φράση που ο εκπρόσωπος μπορεί να πει αυτούσια.",
        "second step": "Δεύτερο βήμα", "second text": "Τι κάνετε μετά, και γιατί.",
        "related": "Σχετικά", "checklists": "Λίστες ελέγχου",
        "checklist": "Πότε χρησιμοποιείτε αυτή τη λίστα ελέγχου, σε μία γραμμή.",
        "items": ("Πρώτο σημείο για έλεγχο", "Δεύτερο σημείο για έλεγχο", "Τρίτο σημείο για έλεγχο"),
        "faq": "Τι αφορούν αυτές οι ερωτήσεις, σε μία γραμμή.",
        "first question": "Η πρώτη ερώτηση", "second question": "Η δεύτερη ερώτηση",
        "answer": "Μια σύντομη, ευθεία απάντηση.",
        "quotes": "Σε τι χρησιμεύουν αυτές οι κάρτες αποφθεγμάτων, σε μία γραμμή.",
        "author": "Όνομα του συγγραφέα", "quotation": "Το απόφθεγμα.", "who": "Ποιος είναι ο συγγραφέας, σε μία γραμμή.",
        "page": "Το κείμενο της σελίδας.",
        "group": "Τι αφορούν οι σελίδες αυτής της ομάδας, σε μία γραμμή.",
    },
    "ru": {
        "description": "Для чего эта страница — одной строкой (видна на странице раздела)",
        "playbook": "Когда применять этот пошаговый сценарий — в одном-двух предложениях.",
        "first step": "Первый шаг", "first text": "Что сделать — одной строкой. Затем зачем — одним предложением.",
        "say": "**Скажите:** фраза, которую сотрудник может сказать как есть.",
        "second step": "Второй шаг", "second text": "Что сделать дальше и зачем.",
        "related": "Смотрите также", "checklists": "Чек-листы",
        "checklist": "Когда пользоваться этим чек-листом — одной строкой.",
        "items": ("Что проверить первым", "Что проверить вторым", "Что проверить третьим"),
        "faq": "О чём эти вопросы — одной строкой.",
        "first question": "Первый вопрос", "second question": "Второй вопрос",
        "answer": "Короткий и прямой ответ.",
        "quotes": "Для чего эти карточки с цитатами — одной строкой.",
        "author": "Имя автора", "quotation": "Цитата.", "who": "Кто автор — одной строкой.",
        "page": "Текст страницы.",
        "group": "О чём страницы этой группы — одной строкой.",
    },
    "tr": {
        "description": "Bu sayfanın amacı, tek satırda (bölüm sayfasında gösterilir)",
        "playbook": "Bu rehberin ne zaman izleneceği, bir iki cümleyle.",
        "first step": "İlk adım", "first text": "Ne yapılacağı, tek satırda. Ardından nedeni, tek cümlede.",
        "say": "**Söyleyin:** temsilcinin aynen kullanabileceği bir cümle.",
        "second step": "İkinci adım", "second text": "Sonra ne yapılacağı ve nedeni.",
        "related": "İlgili sayfalar", "checklists": "Kontrol listeleri",
        "checklist": "Bu kontrol listesinin ne zaman kullanılacağı, tek satırda.",
        "items": ("Kontrol edilecek ilk nokta", "Kontrol edilecek ikinci nokta", "Kontrol edilecek üçüncü nokta"),
        "faq": "Bu soruların konusu, tek satırda.",
        "first question": "Birinci soru", "second question": "İkinci soru",
        "answer": "Kısa ve net bir yanıt.",
        "quotes": "Bu alıntı kartlarının amacı, tek satırda.",
        "author": "Yazarın adı", "quotation": "Alıntı.", "who": "Yazarın kim olduğu, tek satırda.",
        "page": "Sayfanın metni.",
        "group": "Bu gruptaki sayfaların konusu, tek satırda.",
    },
    "lt": {
        "description": "Kam skirtas šis puslapis – viena eilute (rodoma skyriaus puslapyje)",
        "playbook": "Kada taikyti šį veiksmų planą – vienu ar dviem sakiniais.",
        "first step": "Pirmas žingsnis", "first text": "Ką daryti – viena eilute. Tada kodėl – vienu sakiniu.",
        "say": "**Sakykite:** frazė, kurią specialistas gali pasakyti taip, kaip parašyta.",
        "second step": "Antras žingsnis", "second text": "Ką daryti toliau ir kodėl.",
        "related": "Susiję puslapiai", "checklists": "Kontroliniai sąrašai",
        "checklist": "Kada naudoti šį kontrolinį sąrašą – viena eilute.",
        "items": ("Pirmas dalykas, kurį reikia patikrinti", "Antras dalykas, kurį reikia patikrinti",
                  "Trečias dalykas, kurį reikia patikrinti"),
        "faq": "Apie ką šie klausimai – viena eilute.",
        "first question": "Pirmas klausimas", "second question": "Antras klausimas",
        "answer": "Trumpas ir aiškus atsakymas.",
        "quotes": "Kam skirtos šios citatų kortelės – viena eilute.",
        "author": "Autoriaus vardas", "quotation": "Citata.", "who": "Kas yra autorius – viena eilute.",
        "page": "Puslapio tekstas.",
        "group": "Apie ką šios grupės puslapiai – viena eilute.",
    },
}


def template(page_type: str, origin: str, title: str, order: int | None, depth: int = 0) -> str:
    """The page's text, `depth` sub-folders below its section, with placeholders in the origin's language
    for the writer to replace; they pass every check."""
    say = PLACEHOLDERS.get(origin, PLACEHOLDERS[DEFAULT_LANGUAGE])
    heading = f"# {title}\n\n"
    up = "../" * depth   # from the page's folder to its section's
    description = f"description: {say['description']}"
    if page_type == "playbook":
        return (_front_matter(page_type, origin, order, ["steps: 2", description]) + "\n" + heading
                + f"{say['playbook']}\n\n"
                f"## 1. {say['first step']} {{#first-step}}\n\n"
                f"{say['first text']}\n\n"
                f"{say['say']}\n\n"
                f"## 2. {say['second step']} {{#second-step}}\n\n"
                f"{say['second text']}\n\n"
                f"## {say['related']} {{#related}}\n\n"
                f"- [{say['checklists']}](../{up}checklists/index.md)\n")
    if page_type == "checklist":
        return (_front_matter(page_type, origin, order, [description]) + "\n" + heading
                + f"{say['checklist']}\n\n"
                + "".join(f"- [ ] {item}\n" for item in say["items"]) + "\n"
                f"## {say['related']} {{#related}}\n\n"
                f"- [{say['checklists']}]({up}index.md)\n")
    if page_type == "faq":
        mark = ";" if origin == "el" else "?"   # Greek writes the question mark as ";"
        return (_front_matter(page_type, origin, order, []) + "\n" + heading
                + f"{say['faq']}\n\n"
                f"## {say['first question']}{mark} {{#first-question}}\n\n"
                f"{say['answer']}\n\n"
                f"## {say['second question']}{mark} {{#second-question}}\n\n"
                f"{say['answer']}\n")
    if page_type == "quotes":
        return (_front_matter(page_type, origin, order, []) + "\n" + heading
                + f"{say['quotes']}\n\n"
                f"## {say['author']} {{#first-card}}\n\n"
                f"> {say['quotation']}\n\n"
                f"{say['who']}\n")
    return _front_matter(page_type, origin, order, []) + "\n" + heading + f"{say['page']}\n"


def next_order(corpus: Corpus, rel: str) -> int | None:
    """A nav_order after the last ordered page beside the new one, so that it goes to the end of its list."""
    folder = rel.rsplit("/", 1)[0] if "/" in rel else ""
    orders = []
    for other in corpus.rels:
        same_place = other.rsplit("/", 1)[0] == folder if folder else "/" not in other or other.endswith("/index.md")
        page = navigation.reference(corpus, other)
        if not same_place or page is None or page.generate or other == f"{folder}/index.md":
            continue
        if navigation.for_editors(corpus, other):
            continue
        order = navigation.nav_order(page)
        if order is not None:
            orders.append(order)
    return max(orders) + 10 if orders else None


def sub_folder_index(origin: str, title: str, order: int | None) -> str:
    """The index page of a new sub-folder: it names the sub-section and lists its pages."""
    return (_front_matter("page", origin, order, ["generate: section-index"])
            + f"\n# {title}\n\n{PLACEHOLDERS.get(origin, PLACEHOLDERS[DEFAULT_LANGUAGE])['group']}\n")


def create(root: Path, page_type: str, slug: str, origin: str = DEFAULT_LANGUAGE, title: str = "") -> list[Path]:
    """Write the page (and the index of a new sub-folder); the files written."""
    docs = root / "docs"
    rel = validate(page_type, slug, origin, title, docs)
    title = title.strip() or slug.rsplit("/", 1)[-1].replace("-", " ").capitalize()
    corpus = Corpus.load(docs, root)
    section = FOLDERS[page_type]
    if not (docs / origin / section).is_dir():
        where = f"docs/{origin}/{section}".rstrip("/")
        raise Refusal(f"{where} does not exist: run make new-page in the project's folder")
    pending = []   # (docs-relative path, text): every file to write
    folder = posixpath.dirname(rel)
    while folder != section:   # sub-folders no language has yet: their index pages, outermost first
        index = f"{folder}/index.md"
        if not any((docs / lang / folder).is_dir() for lang in LANGUAGES):
            pending.insert(0, (index, sub_folder_index(origin, navigation.folder_title(folder), next_order(corpus, index))))
        folder = posixpath.dirname(folder)
    pending.append((rel, template(page_type, origin, title, next_order(corpus, rel), slug.count("/"))))
    written: list[Path] = []
    try:
        for path, text in pending:
            written.append(_write_new(docs / origin / path, text, f"docs/{origin}/{path}"))
    except BaseException:
        for path in reversed(written):   # all or nothing
            path.unlink(missing_ok=True)
        for path in reversed(written):
            remove_empty_folders(path.parent, docs / origin / section)
        raise
    return written


def _write_new(target: Path, text: str, shown: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written to a temporary file beside it, then renamed: the page is there whole or not at all.
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".new-page-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        if target.exists():
            raise Refusal(f"{shown} already exists: choose another SLUG")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def remove_empty_folders(folder: Path, stop: Path) -> None:
    """Remove `folder` and its parents up to `stop` while they are empty (what a page left behind)."""
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def main(argv: list[str]) -> int:
    env = os.environ   # `make new-page TYPE=... SLUG=...`: make passes its command-line variables on
    args = dict(arg.split("=", 1) for arg in argv if "=" in arg)
    get = lambda key, default="": args.get(key, env.get(key, default)).strip()  # noqa: E731
    try:
        written = create(Path.cwd(), get("TYPE"), get("SLUG"), get("ORIGIN") or DEFAULT_LANGUAGE, get("TITLE"))
    except Refusal as refusal:
        print(f"new-page: {printable(str(refusal))}", file=sys.stderr)   # SLUG and TITLE as typed: escaped
        return 2
    *indexes, target = (path.relative_to(Path.cwd()).as_posix() for path in written)
    print(f"created {target}: write it, then `make serve` to see it. The navigation, its section's page "
          "and the print pack (checklists) list it by themselves; make status lists its translations as missing.")
    for index in indexes:
        print(f"created {index}: the new sub-folder's page (its title names the sub-section in the menu; "
              "write one line on what its pages are about)")
    return 0


if __name__ == "__main__":
    sys.exit(cli.run(main, sys.argv[1:]))
