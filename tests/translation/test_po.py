"""make po / make po-import (kb/translation/po.py): page content through PO catalogs and back, edited by polib as a
translator's CAT tool would."""
from __future__ import annotations

import subprocess
import sys

import polib

from conftest import ENV
from kb.translation import po as po_mod
from kb.content.corpus import Corpus

KEYS_RU = "docs/ru/checklists/keys.md"
GIFT_EL = "docs/el/playbooks/gift.md"


def kb_po(root, command: str, lang: str):
    done = subprocess.run([sys.executable, "-m", "kb.translation.po", command], cwd=root, env={**ENV, "KB_ONLY_LANGUAGE": lang},
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300)
    return done.returncode, done.stdout.splitlines()


def snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "docs").rglob("*") if p.is_file()}


def git(root, *args):
    subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args], cwd=root, check=True,
                   capture_output=True)


def test_export_holds_text_only_origin_as_source_translation_as_target(tree):
    root = tree()
    status, lines = kb_po(root, "export", "el")
    assert status == 0 and "po/el/playbooks/gift.po: 11 entries" in lines
    assert not (root / "po" / "el" / "checklists" / "keys.po").exists()   # el is that page's origin
    catalog = polib.pofile(str(root / "po" / "el" / "playbooks" / "gift.po"))
    entries = {e.msgctxt: e for e in catalog}
    step = entries["fix-it-fast:title"]
    assert (step.msgid, step.msgstr) == ("Fix it fast", "Fix it fast")                  # no '## 2.', no {#id}
    figures = entries["fix-it-fast:1"]
    origin_line = (root / "docs" / "ru" / "playbooks" / "gift.md").read_text(encoding="utf-8").split("\n")[17]
    assert figures.msgid == origin_line and origin_line.startswith("62")   # the origin's (ru) text, as written
    assert figures.msgstr == "62% of customers expect a fix within a day; the hotel allows 2.000 dollars."
    assert entries["intro:1"].msgid == "Gift (ru)" and entries["intro:1"].msgstr == "Gift (el)"
    assert catalog.metadata["Language"] == "el" and catalog.metadata["X-Source-Language"] == "ru"
    assert not catalog.fuzzy_entries() and not catalog.untranslated_entries()


def test_round_trip_changes_nothing_but_the_edited_text(tree):
    root = tree()
    before = snapshot(root)
    assert kb_po(root, "export", "el")[0] == 0
    path = root / "po" / "el" / "playbooks" / "gift.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:   # what a translator does in Poedit: two entries edited
        if entry.msgctxt == "fix-it-fast:title":
            entry.msgstr = "Διορθώστε το γρήγορα"
        if entry.msgctxt == "fix-it-fast:1":
            entry.msgstr = "Το 62% των πελατών περιμένει λύση μέσα σε μια μέρα· το ξενοδοχείο διαθέτει 2.000 δολάρια."
    catalog.save(str(path))
    status, lines = kb_po(root, "import", "el")
    assert status == 0, lines
    assert lines == [f"{GIFT_EL}: written"]
    after = snapshot(root)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {GIFT_EL}
    old, new = before[GIFT_EL].decode().split("\n"), after[GIFT_EL].decode().split("\n")
    assert len(old) == len(new)
    assert [(o, n) for o, n in zip(old, new) if o != n] == [
        ("## 2. Fix it fast {#fix-it-fast}", "## 2. Διορθώστε το γρήγορα {#fix-it-fast}"),
        ("62% of customers expect a fix within a day; the hotel allows 2.000 dollars.",
         "Το 62% των πελατών περιμένει λύση μέσα σε μια μέρα· το ξενοδοχείο διαθέτει 2.000 δολάρια."),
    ]
    corpus = Corpus.load(root / "docs", root)
    assert corpus.problems_for("el", "playbooks/gift.md") == [] and corpus.cell("el", "playbooks/gift.md") == "ok"
    # importing again writes nothing
    assert kb_po(root, "import", "el")[1][-1].startswith("make po-import: nothing to write")


def test_import_runs_the_checks_one_line_per_problem(tree):
    root = tree()
    kb_po(root, "export", "el")
    path = root / "po" / "el" / "playbooks" / "gift.po"
    catalog = polib.pofile(str(path))
    catalog.find("fix-it-fast:1", by="msgctxt").msgstr = "Το 26% των πελατών περιμένει· 2.000 δολάρια."
    catalog.find("fix-it-fast:title", by="msgctxt").msgstr = "Δύο\nγραμμές"
    catalog.save(str(path))
    status, lines = kb_po(root, "import", "el")
    assert status == 1
    assert lines[0].startswith("po/el/playbooks/gift.po:") and "a heading or table row is one line; not imported" in lines[0]
    assert f"{GIFT_EL}: written" in lines
    assert any(line.startswith(f"{GIFT_EL}:19: figure 26% in step 2 'fix-it-fast' does not match the origin") for line in lines)
    assert lines[-1].startswith("make po-import: 1 problem(s) above")
    assert "## 2. Fix it fast {#fix-it-fast}" in (root / GIFT_EL).read_text(encoding="utf-8")   # the heading kept


def test_outdated_sections_are_fuzzy_with_the_previous_source(tree):
    root = tree()
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    subprocess.run([sys.executable, "-m", "kb.translation.staleness", "--force", KEYS_RU], cwd=root, env=ENV, check=True,
                   capture_output=True)
    git(root, "commit", "-qam", "ru marked with its origin's commit")
    origin = root / "docs" / "el" / "checklists" / "keys.md"
    origin.write_text(origin.read_text(encoding="utf-8").replace("Eager to help", "Eager to help, always"), encoding="utf-8")
    git(root, "commit", "-qam", "origin changed")
    kb_po(root, "export", "ru")
    catalog = polib.pofile(str(root / "po" / "ru" / "checklists" / "keys.po"))
    fuzzy = catalog.fuzzy_entries()
    assert [(e.msgctxt, e.previous_msgid, e.msgid, e.msgstr) for e in fuzzy] == [
        ("intro:4", "**E** — Eager to help", "**E** — Eager to help, always", "**E** — Eager to help")]
    # the translator updates it and clears the flag: written, checked and marked current
    fuzzy[0].msgstr = "**E** — Всегда готов помочь"
    fuzzy[0].flags.remove("fuzzy")
    catalog.save()
    status, lines = kb_po(root, "import", "ru")
    assert status == 0, lines
    assert lines[0] == f"{KEYS_RU}: written" and lines[1].startswith(f"{KEYS_RU}: marked as translated from origin el")
    corpus = Corpus.load(root / "docs", root)
    assert corpus.cell("ru", "checklists/keys.md") == "ok"


def test_a_page_the_language_lacks_is_written_once_every_entry_is_translated(tree):
    root = tree()
    (root / "docs" / "ru" / "faq" / "index.md").unlink()
    kb_po(root, "export", "ru")
    path = root / "po" / "ru" / "faq" / "index.po"
    catalog = polib.pofile(str(path))
    assert len(catalog.untranslated_entries()) == len(catalog)
    catalog[0].msgstr = "ЧаВо"
    catalog.save()
    status, lines = kb_po(root, "import", "ru")
    assert "po/ru/faq/index.po: docs/ru/faq/index.md not written: 4 entries untranslated or fuzzy" in " ".join(lines)
    assert not (root / "docs" / "ru" / "faq" / "index.md").exists()
    for entry in catalog:
        entry.msgstr = entry.msgstr or f"[ru] {entry.msgid}"
    catalog.save()
    status, lines = kb_po(root, "import", "ru")
    assert status == 0, lines
    page = (root / "docs" / "ru" / "faq" / "index.md").read_text(encoding="utf-8")
    assert "## [ru] Why do customers leave? {#why-customers-leave}" in page and "# ЧаВо" in page
    assert Corpus.load(root / "docs", root).cell("ru", "faq/index.md") == "ok"


def test_export_keeps_a_catalog_with_translations_not_yet_imported(tree):
    root = tree()
    kb_po(root, "export", "el")
    path = root / "po" / "el" / "playbooks" / "gift.po"
    catalog = polib.pofile(str(path))
    catalog.find("say-thank-you:1", by="msgctxt").msgstr = "Ευχαριστήστε πρώτα τον πελάτη."
    catalog.save()
    status, lines = kb_po(root, "export", "el")
    assert "po/el/playbooks/gift.po: kept: it has translations not yet in the Markdown" in " ".join(lines)
    assert polib.pofile(str(path)).find("say-thank-you:1", by="msgctxt").msgstr == "Ευχαριστήστε πρώτα τον πελάτη."


def test_a_catalog_that_cannot_be_read_is_one_line(tree):
    root = tree()
    kb_po(root, "export", "el")
    (root / "po" / "el" / "playbooks" / "gift.po").write_bytes(b'msgid "a\nmsgstr \xff\n')
    status, lines = kb_po(root, "import", "el")
    assert any(line.startswith("po/el/playbooks/gift.po: cannot read the catalog") for line in lines)
    assert not any("Traceback" in line for line in lines)


def test_usage_and_unknown_language(tree):
    root = tree()
    assert kb_po(root, "export", "")[0] == 2
    status, lines = kb_po(root, "export", "xx")
    assert status == 2 and lines[0].startswith("make po: unknown language 'xx'")
    assert po_mod.PO_DIR == "po"
