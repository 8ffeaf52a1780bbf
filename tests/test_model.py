"""The content model: one parse per page into front matter, sections, steps, items, figures and links."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.model import ContentError, parse_page, read_page

PLAYBOOK = """---
type: playbook
origin: ru
tags: [complaints]
steps: 2
---

# Gift

Intro with 62% and a [link](../faq/index.md#why).

## 1. Say thank you {#say-thank-you}

Thank them. See [keys](../checklists/keys.md).

## 2. Fix it {#fix-it}

- [ ] not a checklist item on a playbook, but parsed as one

## Related {#related}
"""


def test_playbook_parses_into_steps_figures_and_links_with_lines():
    page = parse_page(PLAYBOOK, "docs/ru/playbooks/gift.md", "ru", "playbooks/gift.md")
    assert page.type == "playbook" and page.origin == "ru" and page.meta["steps"] == 2
    assert (page.title, page.title_line) == ("Gift", 8)
    assert [(s.number, s.id, s.title, s.line) for s in page.steps] == [
        (1, "say-thank-you", "Say thank you", 12), (2, "fix-it", "Fix it", 16)]
    assert [(l.target, l.anchor, l.line) for l in page.links] == [
        ("faq/index.md", "why", 10), ("checklists/keys.md", "", 14)]
    assert [(f.text, f.line) for f in page.sections[0].figures] == [("62%", 10)]
    assert page.line_of("steps") == 5
    assert page.body_line == 8   # MkDocs strips the blank line after the front matter


def test_fingerprint_ignores_translated_from_and_follows_content():
    page = parse_page(PLAYBOOK, "a.md", "ru", "playbooks/gift.md")
    marked = parse_page(PLAYBOOK.replace("steps: 2\n", "steps: 2\ntranslated_from: abc\n"), "a.md", "ru", "playbooks/gift.md")
    edited = parse_page(PLAYBOOK.replace("Thank them.", "Thank them warmly."), "a.md", "ru", "playbooks/gift.md")
    assert page.fingerprint == marked.fingerprint != edited.fingerprint


def test_errors_name_file_and_line():
    cases = {
        "": (1, "the file is empty"),
        "# No front matter\n": (1, "front matter is missing"),
        "---\ntype: page\n": (1, "front matter is not closed"),
        "---\ntype: page\norigin: [en\n---\n# T\n": (3, "front matter is not valid YAML"),
        "---\n- a list\n---\n# T\n": (2, "front matter must be"),
    }
    for text, (line, start) in cases.items():
        try:
            parse_page(text, "x.md", "en", "x.md")
        except ContentError as error:
            assert (error.path, error.line) == ("x.md", line), text
            assert error.message.startswith(start), (text, error.message)
        else:
            raise AssertionError(f"no error for {text!r}")


def test_read_page_reports_non_utf8_with_its_line(tmp_path):
    path = tmp_path / "x.md"
    path.write_bytes("---\ntype: page\norigin: lt\n---\n\n# Ąžuolas\n".encode("cp1257"))
    try:
        read_page(path, "docs/lt/x.md", "lt", "x.md")
    except ContentError as error:
        assert (error.path, error.line) == ("docs/lt/x.md", 6)
        assert "not UTF-8" in error.message
    else:
        raise AssertionError("cp1257 text was accepted")


front_matter = st.one_of(
    st.text(max_size=80),
    st.dictionaries(st.sampled_from(["type", "origin", "tags", "steps", "generate", "translated_from", "x"]),
                    st.one_of(st.text(max_size=10), st.integers(), st.lists(st.text(max_size=8), max_size=3),
                              st.none(), st.booleans()), max_size=5).map(
        lambda d: "\n".join(f"{k}: {v!r}" for k, v in d.items())),
)
body_line = st.one_of(
    st.text(max_size=40),
    st.builds(lambda n, t, i: f"## {n}. {t} {{#{i}}}", st.integers(-3, 30), st.text(max_size=10), st.text(max_size=6)),
    st.builds(lambda t: f"- [ ] {t}", st.text(max_size=20)),
    st.builds(lambda t, u: f"[{t}]({u})", st.text(max_size=8), st.text(max_size=20)),
    st.sampled_from(["```", "~~~", "# Title", "## Related {#related}", "---", "...", "%95", "2 000", "1,2,3.4"]),
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(front_matter, st.lists(body_line, max_size=25), st.sampled_from(["en", "el", "ru", "tr", "lt"]),
       st.booleans())
def test_parser_raises_nothing_but_content_errors(meta, body, lang, fenced):
    text = (f"---\n{meta}\n---\n" if fenced else meta + "\n") + "\n".join(body)
    try:
        page = parse_page(text, "x.md", lang, "playbooks/x.md")
    except ContentError as error:
        assert error.path == "x.md" and isinstance(error.line, int) and error.message
        return
    from kb.checks import check_page, check_translation
    check_page(page)
    check_translation(page, page)
