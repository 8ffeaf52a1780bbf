"""Outdated translations: not an error, but a notice on the page, a log line and a status entry."""
from __future__ import annotations

import re

from conftest import mkdocs_build, status
from kb.content.corpus import Corpus
from kb.content.locales import language_in
from kb.translation.staleness import mark_current


def test_origin_edited_makes_translations_outdated_but_the_build_passes(tree):
    root = tree("origin-edited")
    result = mkdocs_build(root)
    assert result.returncode == 0, result.output
    assert "docs/el/playbooks/gift.md:6: outdated: origin ru changed since this translation" in result.output
    html = (root / "site" / "el" / "playbooks" / "gift" / "index.html").read_text(encoding="utf-8")
    notice = re.search(r'<aside class="admonition warning[^"]*"[^>]*>.*?</aside>', html, re.S).group(0)
    from kb.content.locales import Interface
    assert Interface("el").gettext("This translation is outdated") in notice   # in the page's own language
    assert language_in("ru", "el") in notice                    # names the origin language, in Greek words
    assert 'href="../../../ru/playbooks/gift/"' in notice and 'hreflang="ru"' in notice
    origin = (root / "site" / "ru" / "playbooks" / "gift" / "index.html").read_text(encoding="utf-8")
    assert 'kb-outdated' not in origin
    report = status(root)
    assert report.returncode == 0
    assert re.search(r"playbooks/gift\.md\s+outdated\s+outdated\s+ok\s+outdated\s+outdated", report.output)


def test_mark_current_clears_the_notice(tree):
    root = tree("origin-edited")
    corpus = Corpus.load(root / "docs", root)
    message = mark_current(corpus, root / "docs" / "el" / "playbooks" / "gift.md")
    assert message.startswith("docs/el/playbooks/gift.md: marked as translated from origin ru")
    again = Corpus.load(root / "docs", root)
    assert not again.outdated("el", "playbooks/gift.md")
    assert again.outdated("tr", "playbooks/gift.md")
    assert mark_current(again, root / "docs" / "el" / "playbooks" / "gift.md").endswith("already current with origin ru")
    assert mark_current(again, root / "docs" / "ru" / "playbooks" / "gift.md").endswith("is the origin (ru); nothing to mark")


def test_base_translations_are_current(tree):
    root = tree()
    corpus = Corpus.load(root / "docs", root)
    assert [p for p in corpus.problems] == []
