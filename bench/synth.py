"""Synthetic content trees for the benchmark: valid, five languages, every page type, realistic sizes.

`python bench/synth.py DEST --pages 100` writes DEST/docs/<lang>/… and DEST/mkdocs.yml (the project's
configuration, our hooks included, pointed at the tree; the hooks make its navigation from the pages).
`--subsection 10` puts each section's pages into folders of ten (sub-sections of the navigation).
Pages follow docs/ and shared/content-model.md: playbooks with numbered steps, checklists (some
with groups), FAQ pages, quote-card pages, figure and case pages, the generated pages (status, print
pack, tags, the section pages listing their pages), sources and a glossary. Prose is made of words
taken from the real pages of each language, so sizes and scripts are real; structure (ids, step counts,
items, figures, links) is the same in every language, figures are written as each locale writes
numbers, and every translation carries the fingerprint of its origin, so the tree has no error and
nothing outdated: every check runs and passes.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.numbers import format_decimal, format_percent

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from kb.content.model import LANGUAGES, TAGS, TRANSLATED_FROM, parse_page  # noqa: E402

# Pages every tree has, whatever its size (the real site's fixed pages).
FIXED = (
    "index.md", "tags.md", "status.md", "sources.md", "glossary.md", "figures.md", "cases.md",
    "playbooks/index.md", "checklists/index.md", "checklists/print.md", "faq/index.md", "quotes/index.md",
    "topics/index.md",
)
# Fixed pages with a layout of their own; figures, cases, FAQ and quotes are written like content pages.
SPECIAL = tuple(rel for rel in FIXED if rel not in ("figures.md", "cases.md", "faq/index.md", "quotes/index.md"))
MIN_PAGES = len(FIXED) + 2          # at least one playbook and one checklist
# Share of the other pages by type, close to the real site (5 playbooks, 9 checklists, FAQ, quotes, pages).
MIX = (("playbook", 0.35), ("checklist", 0.40), ("faq", 0.10), ("quotes", 0.05), ("page", 0.10))
FOLDER = {"playbook": "playbooks", "checklist": "checklists", "faq": "faq", "quotes": "quotes", "page": "topics"}


# --- words of each language, from the real pages ---------------------------------------------------

WORD = re.compile(r"[^\W\d_]{2,}")


def word_pools(docs: Path) -> dict[str, list[str]]:
    """Every word of the real prose of each language (headings, front matter and code left out)."""
    pools = {}
    for lang in LANGUAGES:
        words: list[str] = []
        for path in sorted((docs / lang).rglob("*.md")):
            text = path.read_text(encoding="utf-8")
            body = text.split("\n---\n", 1)[-1]
            for line in body.splitlines():
                if line.startswith(("#", "<", "|", "`")):
                    continue
                line = re.sub(r"\]\([^)]*\)|\{[^}]*\}|<[^>]+>", " ", line)
                words += WORD.findall(line)
        pools[lang] = words or ["lorem", "ipsum"]
    return pools


class Writer:
    """Prose in one language: sentences of real words in a seeded order."""

    def __init__(self, pool: list[str], seed: str):
        self.pool, self.rng = pool, random.Random(seed)

    def words(self, n: int) -> str:
        return " ".join(self.rng.choice(self.pool) for _ in range(n))

    def title(self, lo: int = 2, hi: int = 5) -> str:
        text = self.words(self.rng.randint(lo, hi))
        return text[:1].upper() + text[1:]

    def sentence(self, lo: int = 8, hi: int = 20) -> str:
        return self.title(lo, hi) + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))


# --- figures, written as each locale writes them ---------------------------------------------------

@dataclass(frozen=True)
class Number:
    kind: str          # "percent" | "integer" | "decimal"
    value: float

    def written(self, lang: str) -> str:
        if self.kind == "percent":
            return format_percent(self.value / 100, locale=lang)
        return format_decimal(self.value, locale=lang)


def numbers(rng: random.Random, count: int) -> list[Number]:
    found = []
    for _ in range(count):
        kind = rng.choice(("percent", "integer", "decimal"))
        if kind == "percent":
            found.append(Number(kind, rng.randint(2, 98)))
        elif kind == "integer":
            found.append(Number(kind, rng.choice((rng.randint(3, 90), rng.randint(2200, 99000)))))
        else:
            found.append(Number(kind, rng.randint(11, 99) / 10))
    return found


def with_figures(text: str, figures: list[Number], lang: str, rng: random.Random) -> str:
    """Put each figure into the text, in bold as the real pages do."""
    words = text.split(" ")
    for figure in figures:
        at = rng.randint(1, max(1, len(words) - 1))
        words.insert(at, f"**{figure.written(lang)}**")
    return " ".join(words)


# --- the structure of a page: the same in every language --------------------------------------------

@dataclass
class Plan:
    rel: str
    type: str
    origin: str
    tags: list[str]
    seed: str
    ids: list[str] = field(default_factory=list)          # steps, questions, cards, sections, groups
    counts: list[int] = field(default_factory=list)       # items per group (checklists)
    figures: list[list[Number]] = field(default_factory=list)   # per unit, [0] for the introduction
    related: list[str] = field(default_factory=list)      # docs-relative targets
    source: str = ""


def _slug(rng: random.Random, english: list[str], used: set[str]) -> str:
    ascii_words = [w.lower() for w in english if w.isascii() and w.isalpha() and len(w) > 3] or ["item"]
    while True:
        slug = "-".join(rng.choice(ascii_words) for _ in range(2))
        if slug not in used:
            used.add(slug)
            return slug


def plan_tree(pages: int, pools: dict[str, list[str]], seed: int = 1, subsection: int = 0) -> list[Plan]:
    """The pages to write; `subsection` > 0 puts each section's pages into folders of that many
    (`playbooks/group-01/…`), which the generated navigation shows as sub-sections."""
    if pages < MIN_PAGES:
        raise SystemExit(f"--pages must be at least {MIN_PAGES} (the fixed pages plus a playbook and a checklist)")
    rng = random.Random(seed)
    english = pools["en"]
    free = pages - len(FIXED)
    counts = {kind: int(free * share) for kind, share in MIX}
    counts["playbook"] = max(1, counts["playbook"])
    counts["checklist"] = max(1, counts["checklist"])
    counts["checklist"] += free - sum(counts.values())     # rounding goes to the checklists
    sources = [f"source-{i}" for i in range(1, max(5, pages // 20) + 1)]
    used_slugs: set[str] = set()
    plans: list[Plan] = []
    for kind, _ in MIX:
        for number in range(counts[kind]):
            group = f"group-{number // subsection + 1:02d}/" if subsection else ""
            rel = f"{FOLDER[kind]}/{group}{_slug(rng, english, used_slugs)}.md"
            plans.append(Plan(rel=rel, type=kind, origin=rng.choice(LANGUAGES),
                              tags=sorted(rng.sample(TAGS, rng.randint(1, 2))), seed=f"{seed}:{rel}"))
    content = [p.rel for p in plans]
    for plan in plans:
        r = random.Random(plan.seed)
        ids_used: set[str] = {"related"}
        if plan.type == "playbook":
            units = r.randint(5, 8)
        elif plan.type == "checklist":
            units = 2 if r.random() < 0.33 else 0            # a third of the checklists have groups
            plan.counts = [r.randint(3, 6) for _ in range(units)] if units else [r.randint(5, 11)]
        elif plan.type == "faq":
            units = r.randint(7, 11)
        elif plan.type == "quotes":
            units = r.randint(8, 11)
        else:
            units = r.randint(4, 6)
        plan.ids = [_slug(r, english, ids_used) for _ in range(units)]
        figure_share = 0.5 if plan.type in ("page", "faq") else 0.3
        plan.figures = [numbers(r, r.randint(1, 2)) if r.random() < figure_share else [] for _ in range(units + 1)]
        plan.related = r.sample([c for c in content if c != plan.rel], min(2, len(content) - 1))
        plan.source = r.choice(sources)
    fixed = [
        Plan("index.md", "page", "en", [], f"{seed}:index"),
        Plan("tags.md", "page", "en", [], f"{seed}:tags"),
        Plan("status.md", "page", "en", [], f"{seed}:status"),
        Plan("sources.md", "page", "en", [], f"{seed}:sources", ids=sources),
        Plan("glossary.md", "page", "en", [], f"{seed}:glossary"),
        Plan("figures.md", "page", "en", ["loyalty", "qualities"], f"{seed}:figures"),
        Plan("cases.md", "page", "en", ["qualities", "recovery"], f"{seed}:cases"),
        Plan("playbooks/index.md", "page", "en", [], f"{seed}:playbooks"),
        Plan("checklists/index.md", "page", "en", [], f"{seed}:checklists"),
        Plan("checklists/print.md", "page", "en", [], f"{seed}:print"),
        Plan("topics/index.md", "page", "en", [], f"{seed}:topics"),
        Plan("faq/index.md", "faq", "en", ["complaints", "loyalty"], f"{seed}:faq"),
        Plan("quotes/index.md", "quotes", "lt", ["quotes"], f"{seed}:quotes"),
    ]
    for plan in fixed:
        r = random.Random(plan.seed)
        if plan.rel in ("figures.md", "cases.md", "faq/index.md", "quotes/index.md"):
            ids_used = {"related"}
            units = {"figures.md": 5, "cases.md": 6, "faq/index.md": 10, "quotes/index.md": 11}[plan.rel]
            plan.ids = [_slug(r, english, ids_used) for _ in range(units)]
            plan.figures = [[]] + [numbers(r, r.randint(1, 3)) if plan.rel != "quotes/index.md" else []
                                   for _ in range(units)]
            plan.source = r.choice(sources)
            plan.related = r.sample(content, min(2, len(content)))
    return fixed + plans


# --- writing one page in one language ---------------------------------------------------------------

def _relative(target: str, rel: str) -> str:
    depth = rel.count("/")
    return "../" * depth + target


def _front(plan: Plan, lang: str, extra: dict | None = None) -> list[str]:
    lines = ["---", f"type: {plan.type}", f"origin: {plan.origin}", f"tags: [{', '.join(plan.tags)}]"]
    if plan.type == "playbook":
        lines.append(f"steps: {len(plan.ids)}")
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {value}")
    return lines + ["---", ""]


def _related(plan: Plan, w: Writer, titles: dict[str, str]) -> list[str]:
    lines = ["## " + w.title(1, 2) + " {#related}", ""]
    for target in plan.related:
        lines.append(f"- [{titles[target]}]({_relative(target, plan.rel)}) — {w.words(w.rng.randint(6, 14))}")
    return lines + [""]


def _credit(plan: Plan, w: Writer) -> list[str]:
    return [f"{w.title(1, 1)}: [{w.title(4, 9)}]({_relative('sources.md', plan.rel)}#{plan.source})"]


def _figured(w: Writer, plan: Plan, unit: int, lang: str, sentences: int) -> str:
    figure_rng = random.Random(f"{plan.seed}:figures:{unit}")
    return with_figures(w.paragraph(sentences), plan.figures[unit] if unit < len(plan.figures) else [], lang, figure_rng)


def content_page(plan: Plan, lang: str, w: Writer, titles: dict[str, str]) -> list[str]:
    lines = [f"# {titles[plan.rel]}", "", _figured(w, plan, 0, lang, w.rng.randint(2, 3)), ""]
    if plan.type == "playbook":
        for i, sid in enumerate(plan.ids, start=1):
            lines += [f"## {i}. {w.title(2, 6)} {{#{sid}}}", "", _figured(w, plan, i, lang, w.rng.randint(3, 5)), ""]
    elif plan.type == "checklist":
        for g, count in enumerate(plan.counts):
            if plan.ids:
                lines += [f"## {w.title(1, 3)} {{#{plan.ids[g]}}}", ""]
            for _ in range(count):
                lines.append(f"- [ ] **{w.title(1, 3)}** — {w.words(w.rng.randint(6, 16))}")
            lines.append("")
    elif plan.type == "faq":
        for i, qid in enumerate(plan.ids, start=1):
            lines += [f"## {w.title(4, 8)}? {{#{qid}}}", "", _figured(w, plan, i, lang, w.rng.randint(3, 5)), ""]
    elif plan.type == "quotes":
        for cid in plan.ids:
            lines += [f"## {w.title(2, 3)} {{#{cid}}}", "", f"> “{w.sentence(8, 24)}”", "", w.sentence(4, 10), ""]
    else:
        for i, sid in enumerate(plan.ids, start=1):
            lines += [f"## {w.title(1, 3)} {{#{sid}}}", ""]
            for figure in plan.figures[i] or [None]:
                written = f"**{figure.written(lang)}** " if figure else ""
                lines.append(f"- {written}{w.words(w.rng.randint(10, 24))} — {w.title(2, 4)}")
            lines += ["", w.paragraph(w.rng.randint(1, 3)), ""]
    if plan.type != "quotes":
        lines += _related(plan, w, titles)
    return lines + _credit(plan, w)


def fixed_page(plan: Plan, lang: str, w: Writer, titles: dict[str, str], plans: list[Plan]) -> list[str]:
    by_type = lambda kind: [p for p in plans if p.type == kind and p.rel.startswith(FOLDER[kind] + "/")]  # noqa: E731
    lines = [f"# {titles[plan.rel]}", "", w.paragraph(2), ""]
    if plan.rel == "index.md":
        lines += ['<div class="grid cards" markdown>', ""]
        for target in ("playbooks/index.md", "checklists/index.md", "quotes/index.md", "faq/index.md", "figures.md", "cases.md"):
            lines += [f"-   **[{titles[target]}]({target})**", "", "    ---", "", f"    {w.sentence()}", ""]
        lines += ["</div>", "", f"{w.sentence()} [{titles['glossary.md']}](glossary.md), [{titles['sources.md']}](sources.md).", ""]
    elif plan.rel == "tags.md":
        lines += ["<!-- material/tags -->"]
    elif plan.rel == "sources.md":
        for sid in plan.ids:
            lines += [f"## {w.title(2, 4)} {{#{sid}}}", ""]
            for _ in range(5):
                lines.append(f"- **{w.title(1, 2)}:** {w.words(w.rng.randint(5, 30))}")
            lines.append("")
    elif plan.rel == "glossary.md":
        lines += ["| " + " | ".join([*LANGUAGES, w.title(1, 1)]) + " |", "|" + "---|" * (len(LANGUAGES) + 1)]
        for _ in range(16):
            lines.append("| " + " | ".join([*(w.words(1) for _ in LANGUAGES), w.sentence(6, 16)]) + " |")
        lines.append("")
    # playbooks/, checklists/, topics/index.md: the hooks list the section's pages (generate: section-index)
    elif plan.rel == "checklists/print.md":
        lines += ['<div class="kb-pack-contents" markdown>', "", f"**{w.title(2, 4)}**", ""]
        for n, target in enumerate(by_type("checklist"), start=1):
            lines.append(f"{n}. [{titles[target.rel]}]({target.rel.split('/', 1)[1]})")
        lines += ["", "</div>"]
    return lines


GENERATE = {"status.md": "translation-status", "checklists/print.md": "checklist-pack",
            **{f"{folder}/index.md": "section-index" for folder in ("playbooks", "checklists", "topics")}}


def page_text(plan: Plan, lang: str, pools, titles, plans, translated_from: str | None) -> str:
    w = Writer(pools[lang], f"{plan.seed}:{lang}:body")
    extra = {}
    if plan.rel in GENERATE:
        extra["generate"] = GENERATE[plan.rel]
    if translated_from:
        # As `make mark-current` writes it, but quoted where YAML would read another value: a fingerprint
        # such as 050551131214 is an octal number to YAML 1.1 (the page would stay outdated).
        same = yaml.safe_load(f"v: {translated_from}")["v"] == translated_from
        extra[TRANSLATED_FROM] = translated_from if same else f'"{translated_from}"'
    if plan.rel in SPECIAL:
        body = fixed_page(plan, lang, w, titles[lang], plans)
    else:
        body = content_page(plan, lang, w, titles[lang])
        # the words staff type for the page, as the real pages carry them (searched, not shown)
        said = Writer(pools[lang], f"{plan.seed}:{lang}:search-words")
        words = [said.words(said.rng.randint(1, 2)) for _ in range(said.rng.randint(8, 20))]
        extra["search_words"] = "[" + ", ".join(json.dumps(word, ensure_ascii=False) for word in words) + "]"
    return "\n".join(_front(plan, lang, extra) + body).rstrip("\n") + "\n"


def _titles(plans: list[Plan], pools) -> dict[str, dict[str, str]]:
    return {lang: {p.rel: Writer(pools[lang], f"{p.seed}:{lang}:title").title(2, 6) for p in plans} for lang in LANGUAGES}


def write_tree(dest: Path, pages: int, seed: int = 1, subsection: int = 0) -> dict:
    """Write the tree and its configuration; returns a summary (pages per language, files, bytes)."""
    pools = word_pools(ROOT / "docs")
    plans = plan_tree(pages, pools, seed, subsection)
    titles = _titles(plans, pools)
    docs = dest / "docs"
    if docs.exists():
        shutil.rmtree(docs)   # no page of an earlier tree may stay behind
    total_bytes = 0
    for plan in plans:
        origin_text = page_text(plan, plan.origin, pools, titles, plans, None)
        fingerprint = parse_page(origin_text, plan.rel, plan.origin, plan.rel).fingerprint
        for lang in LANGUAGES:
            if lang == plan.origin:
                text = origin_text
            else:
                text = page_text(plan, lang, pools, titles, plans, fingerprint)
            path = docs / lang / plan.rel
            path.parent.mkdir(parents=True, exist_ok=True)
            data = text.encode("utf-8")
            path.write_bytes(data)
            total_bytes += len(data)
    write_config(dest)
    return {"pages_per_language": len(plans), "files": len(plans) * len(LANGUAGES), "bytes": total_bytes}


# --- configuration ----------------------------------------------------------------------------------

class _ConfigReader(yaml.SafeLoader):
    """Reads mkdocs.yml for a few plain values, whatever tags it uses (!ENV, !!python/…)."""


_ConfigReader.add_multi_constructor("", lambda loader, suffix, node: None)
_ConfigReader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigReader) or {}


HOOK_ITEM = re.compile(r"""^\s*-\s*(?:"([^"]*)"|'([^']*)'|([^#\s]+))""")


def hook_paths(config: Path) -> list[Path]:
    """The `hooks:` of a configuration, as absolute paths (read as text: the file may use any tag)."""
    paths, inside = [], False
    for line in config.read_text(encoding="utf-8").splitlines():
        if re.match(r"^hooks\s*:", line):
            inside = True
            continue
        if inside and line.strip() and not line.lstrip().startswith("#"):
            item = HOOK_ITEM.match(line)
            if not item or line[:1] not in (" ", "\t", "-"):
                break
            paths.append((config.parent / next(g for g in item.groups() if g is not None)).resolve())
    return paths


def site_config(dest: Path) -> dict:
    """The project's mkdocs.yml (INHERIT), pointed at the tree: every path it gives relative to the
    project made absolute. No `nav:`: our hooks make the navigation from the pages, as on the site."""
    project = ROOT / "mkdocs.yml"
    base = read_config(project)
    theme = base.get("theme") or {}
    config = {
        "INHERIT": str(project),
        "site_name": f"{base.get('site_name', 'Site')} (benchmark)",
        "docs_dir": str((dest / "docs").resolve()),
        "hooks": [str(path) for path in hook_paths(project)],
        "watch": [str(ROOT / path) for path in base.get("watch") or []],
    }
    if isinstance(theme, dict) and theme.get("custom_dir"):
        config["theme"] = {"custom_dir": str(ROOT / theme["custom_dir"])}
    return config


def write_config(dest: Path) -> None:
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(site_config(dest), allow_unicode=True, sort_keys=False),
                                     encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--pages", type=int, default=100, help="pages per language")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--subsection", type=int, default=0, help="pages per sub-folder of a section (0: none)")
    args = parser.parse_args(argv)
    if args.dest.exists():
        shutil.rmtree(args.dest)
    summary = write_tree(args.dest, args.pages, args.seed, args.subsection)
    print(f"{args.dest}: {summary['pages_per_language']} pages per language, {summary['files']} files, "
          f"{summary['bytes'] / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
