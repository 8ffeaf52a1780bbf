"""Pages moved with `make move-page`: each old address keeps working, as a redirect to the new one.

The list is `moved-pages.yml` beside mkdocs.yml, docs-relative paths, the same in every language:

    checklists/be-sure.md: checklists/keys-to-service.md

`make move-page` maintains it (kb/translation/move.py); the build hands it to the mkdocs-redirects plugin, once per
language: `/checklists/be-sure/` leads to `/checklists/keys-to-service/`, `/el/checklists/be-sure/` to
`/el/checklists/keys-to-service/` (kb_hooks.py, `configure`).
"""
from __future__ import annotations

from pathlib import Path

import yaml

from kb.checking.checks import Problem

FILE_NAME = "moved-pages.yml"
HEADER = ("# Pages moved with `make move-page`: old address -> new one, docs-relative, the same in every language.\n"
          "# The build keeps each old address working with a redirect (mkdocs-redirects). Written by make move-page.\n")


def _is_page_path(value) -> bool:
    return (isinstance(value, str) and value.endswith(".md") and not value.startswith("/")
            and ".." not in value.split("/") and "\\" not in value and value.isascii() and " " not in value)


def load(root: Path, shown: str = FILE_NAME, exists=None) -> tuple[dict[str, str], list[Problem]]:
    """The old -> new map and one problem line per entry that cannot be used (a missing file is no moves);
    `exists(rel)` tells whether a page is there (a redirect to no page is a problem)."""
    path = root / FILE_NAME
    if not path.is_file():
        return {}, []
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [Problem(shown, 1, f"cannot be read ({exc}): it is written by make move-page")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [Problem(shown, mark.line + 1 if mark else 1, f"not valid YAML ({getattr(exc, 'problem', '') or exc}): "
                                                             f"each line is 'old/page.md: new/page.md'")]
    if node is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return {}, [Problem(shown, node.start_mark.line + 1, "must be 'old/page.md: new/page.md' lines")]
    moves, problems = {}, []
    for key, value in node.value:
        line = key.start_mark.line + 1
        old, new = getattr(key, "value", None), getattr(value, "value", None)
        if not (isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode)
                and _is_page_path(old) and _is_page_path(new)):
            problems.append(Problem(shown, line, "each line is 'old/page.md: new/page.md' (docs-relative page paths)"))
        elif old in moves:
            problems.append(Problem(shown, line, f"'{old}' is listed twice: keep one line"))
        elif exists is not None and not exists(new):
            problems.append(Problem(shown, line, f"'{old}' redirects to '{new}', which is no page in any language: "
                                                 f"write the page's present path, or delete the line"))
        else:
            moves[old] = new
    return moves, problems


def save(root: Path, moves: dict[str, str]) -> Path:
    path = root / FILE_NAME
    body = "".join(f"{old}: {new}\n" for old, new in sorted(moves.items()))
    temporary = path.with_name(f".{FILE_NAME}.tmp")
    temporary.write_text(HEADER + body, encoding="utf-8")
    temporary.replace(path)
    return path


def moved(moves: dict[str, str], old: str, new: str) -> dict[str, str]:
    """The map after moving `old` to `new`: earlier addresses of the page lead to the new one too, and
    `new` is a page again, no longer an old address."""
    updated = {before: (new if after == old else after) for before, after in moves.items() if before != new}
    updated[old] = new
    return {before: after for before, after in updated.items() if before != after}


def redirect_maps(moves: dict[str, str], lang: str, default: str, present: set[str]) -> dict[str, str]:
    """mkdocs-redirects' `redirect_maps` for one language pass: old page -> new page, as the plugin reads
    them under mkdocs-static-i18n's folder layout (the default language's addresses are at the site's
    root). Old addresses that are pages again (`present`: docs-relative paths of the language's pages)
    are left alone: a redirect would overwrite the page."""
    prefix = "" if lang == default else f"{lang}/"
    return {f"{prefix}{old}": f"{lang}/{new}" for old, new in sorted(moves.items()) if old not in present}


def configure(plugin, files, config, moves: dict[str, str], lang: str, default: str) -> None:
    """Give the mkdocs-redirects plugin this language pass's redirects. Run after mkdocs-static-i18n has
    picked the language's files: the plugin then finds each new page's address as this language has it."""
    if plugin is None:
        return
    present = {f.src_uri[len(lang) + 1:] for f in files.documentation_pages() if f.src_uri.startswith(f"{lang}/")}
    plugin.config["redirect_maps"] = redirect_maps(moves, lang, default, present)
    plugin.on_files(files, config=config)
