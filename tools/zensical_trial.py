"""A trial build of this site with Zensical and zensical-i18n (README, "Another generator: Zensical trial").

`make zensical-trial` runs it (or `.venv/bin/python tools/zensical_trial.py`). It

1. sets up `.venv-zensical/`, a virtual environment of its own (git-ignored; nothing of it goes into
   pyproject.toml or requirements.lock), with the newest zensical and zensical-i18n that install here, else
   the last pair known to install (FALLBACK), and says why a newer release does not install;
2. copies what a build reads into `.zensical-trial/` (git-ignored) and builds it from our mkdocs.yml twice:
   with zensical-i18n into `site/`, and with MkDocs as `make build` does (not strict) into `site-mkdocs/`, the
   reference;
3. prints one line per finding — `works:`, `differs:`, `fails:` (or `tried:` / `not tried:` for what this site
   could not show), then what and where — and writes them to `.zensical-trial/findings.txt`.

Re-run it when either releases. It only reads the project: its copy and environment are its own.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-zensical"
WORK = ROOT / ".zensical-trial"
PACKAGES = ("zensical", "zensical-i18n")
FALLBACK = ("zensical==0.0.73", "zensical-i18n==0.3.0")   # installed here in December 2026, when 0.1.x did not
COPIED = ("mkdocs.yml", "docs", "overrides", "hooks", "locales", "glossary.yml", "moved-pages.yml", "deploy")
TIMEOUT = 900
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(args: list, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT)


def pip_error(done: subprocess.CompletedProcess) -> str:
    """pip's reason in one line: its last ERROR line (the notices about index locations are left out)."""
    errors = [line.removeprefix("ERROR: ") for line in (done.stdout + done.stderr).splitlines()
              if line.startswith("ERROR:")]
    return errors[-1] if errors else f"pip exited with status {done.returncode}"


# --- 1. the environment ---------------------------------------------------------------------------------

def install() -> tuple[dict[str, str], list[str]]:
    """The installed versions ({} when nothing installs) and the findings about installing."""
    findings = []
    python = VENV / "bin" / "python"
    if not python.exists():
        done = run([sys.executable, "-m", "venv", VENV])
        if done.returncode != 0:
            return {}, [f"fails: {sys.executable} -m venv {VENV.name}: {done.stderr.strip() or done.stdout.strip()}"]
    pip = [python, "-m", "pip", "--disable-pip-version-check"]
    done = run([*pip, "install", "--quiet", "--upgrade", *PACKAGES])
    if done.returncode != 0:
        findings.append(f"fails: pip install {' '.join(PACKAGES)}: {pip_error(done)}; trying {' '.join(FALLBACK)}")
        done = run([*pip, "install", "--quiet", *FALLBACK])
        if done.returncode != 0:
            return {}, findings + [f"fails: pip install {' '.join(FALLBACK)}: {pip_error(done)}"]
    versions = {}
    for package in PACKAGES:
        shown = run([python, "-c", f"import importlib.metadata as m; print(m.version({package!r}))"])
        versions[package] = shown.stdout.strip()
    for package in PACKAGES:
        listed = run([*pip, "index", "versions", package])
        newest = re.search(rf"^{re.escape(package)} \(([^)]+)\)", listed.stdout, re.MULTILINE)
        if newest is None:
            findings.append(f"differs: {package}: the newest release could not be asked for ({pip_error(listed)})")
        elif newest.group(1) != versions[package]:
            tried = run([*pip, "install", "--dry-run", "--quiet", f"{package}=={newest.group(1)}"])
            findings.append(f"fails: {package} {newest.group(1)} (the newest) does not install here: {pip_error(tried)}; "
                            f"{versions[package]} does")
        else:
            findings.append(f"works: {package} {versions[package]} (the newest) installs")
    return versions, findings


# --- 2. the builds --------------------------------------------------------------------------------------

def copy_project() -> Path:
    if WORK.is_symlink():
        raise SystemExit(f"zensical trial: {WORK.name} is a symbolic link: remove it first")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, WORK / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pot"))
        elif source.is_file():
            shutil.copy2(source, WORK / name)
    return WORK


def build_zensical(work: Path) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    done = run([VENV / "bin" / "zensical-i18n", "build", "-f", "mkdocs.yml"], cwd=work,
               env={**os.environ, "NO_COLOR": "1"})
    return done, time.monotonic() - start


def build_mkdocs(work: Path) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    done = run([sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "-d", "site-mkdocs"], cwd=work,
               env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    return done, time.monotonic() - start


# --- 3. the findings ------------------------------------------------------------------------------------

_BUILDING = re.compile(r"^Building '([^']+)'")
_PROBLEM = re.compile(r"^(Warning|Error):\s*(.+)$")
_WHERE = re.compile(r"╭─\[\s*([^\]]+?):(\d+)(?::\d+)?\s*\]")
_EXCEPTION = re.compile(r"^(?:[A-Za-z_.]*Error|Exception): (.+)$")


def build_output_findings(output: str, docs: str = "docs") -> list[str]:
    """What zensical-i18n printed, one line per problem: `fails: docs/<lang>/<file>:<line>: <message>`, its
    source box read for the file and line (Zensical names files relative to the language's docs folder)."""
    findings, lang, pending = [], None, None
    for raw in ANSI.sub("", output).splitlines():
        line = raw.strip()
        if (match := _BUILDING.match(line)) is not None:
            lang = match.group(1)
        elif (match := _WHERE.search(line)) is not None and pending is not None:
            kind, message = pending
            where = f"{docs}/{lang}/{match.group(1)}" if lang else match.group(1)
            findings.append(f"{'fails' if kind == 'Error' else 'differs'}: {where}:{match.group(2)}: {message}")
            pending = None
        elif (match := _PROBLEM.match(line)) is not None:
            if pending is not None:   # a problem without a source box
                findings.append(f"{'fails' if pending[0] == 'Error' else 'differs'}: {pending[1]}")
            pending = (match.group(1), match.group(2))
        elif (match := _EXCEPTION.match(line)) is not None:
            findings.append(f"fails: zensical-i18n stopped{f' building {lang!r}' if lang else ''}: {match.group(1)}")
    if pending is not None:
        findings.append(f"{'fails' if pending[0] == 'Error' else 'differs'}: {pending[1]}")
    # The same problem in many places: its first place and how many more.
    counted = Counter(re.sub(r"^(\w+): \S+:\d+: ", r"\1: ", f) for f in findings)
    shown, seen = [], set()
    for finding in findings:
        key = re.sub(r"^(\w+): \S+:\d+: ", r"\1: ", finding)
        if key in seen:
            continue
        seen.add(key)
        more = counted[key] - 1
        shown.append(finding + (f" (and {more} more like it)" if more else ""))
    return shown


class _Page(HTMLParser):
    """What a built page shows of the features compared: its language, classes, headings, menu and breadcrumb."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.classes: set[str] = set()
        self.nav_links: list[str] = []
        self.h1: list[str] = []
        self.breadcrumb = False
        self.alternates = 0          # <link rel="alternate" hreflang>: the page in the other languages
        self.language_links: list[str] = []   # the language menu's links
        self._in_h1 = 0
        self._in_primary_nav = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        self.classes.update(classes)
        if tag == "html" and self.lang is None:
            self.lang = attributes.get("lang")
        if tag == "link" and attributes.get("rel") == "alternate" and attributes.get("hreflang"):
            self.alternates += 1
        if tag == "a" and "md-select__link" in classes and attributes.get("hreflang"):
            self.language_links.append(attributes.get("href") or "")
        if tag == "nav" and "md-path" in classes:
            self.breadcrumb = True
        if tag == "nav" and "md-nav--primary" in classes:
            self._in_primary_nav = 1
        elif tag == "nav" and self._in_primary_nav:
            self._in_primary_nav += 1
        if tag == "a" and self._in_primary_nav and "md-nav__link" in classes and attributes.get("href"):
            self.nav_links.append(attributes["href"])
        if tag == "h1":
            self._in_h1 += 1
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "nav" and self._in_primary_nav:
            self._in_primary_nav -= 1
        if tag == "h1" and self._in_h1:
            self._in_h1 -= 1

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def read_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")} if site.is_dir() else set()


def languages_of(site: Path, pages: set[str]) -> list[str]:
    """The site's languages: the default's at the root, the others' folders with their own home page."""
    return sorted({page.split("/")[0] for page in pages if page.count("/") == 1 and page.endswith("/index.html")
                   and (site / page.split("/")[0] / "404.html").exists()})


def compare_sites(mkdocs_site: Path, zensical_site: Path, root: Path) -> list[str]:
    """What Zensical's site has and lacks of MkDocs' (both built from the same files), one line each."""
    findings = []
    ours, theirs = html_pages(mkdocs_site), html_pages(zensical_site)
    if not theirs:
        return ["fails: Zensical wrote no page"]
    missing, extra = sorted(ours - theirs), sorted(theirs - ours)
    if not missing and not extra:
        findings.append(f"works: the same {len(ours)} HTML pages as MkDocs, at the same addresses")
    if missing:
        findings.append(f"differs: {len(missing)} page(s) of MkDocs' site not written, e.g. {', '.join(missing[:3])}")
    if extra:
        findings.append(f"differs: {len(extra)} page(s) MkDocs does not write, e.g. {', '.join(extra[:3])}")
    both = sorted(ours & theirs)
    read = {page: (read_page(mkdocs_site / page), read_page(zensical_site / page)) for page in both}
    # The page's language (<html lang>): the folder's, or the origin's on a page a language lacks.
    wrong_lang = [page for page, (a, b) in read.items() if a.lang != b.lang]
    findings.append(f"works: every page's <html lang> is MkDocs' ({len(both)} pages)" if not wrong_lang else
                    f"differs: {len(wrong_lang)} page(s) in another <html lang> than MkDocs', e.g. {wrong_lang[0]}: "
                    f"{read[wrong_lang[0]][1].lang!r}, MkDocs {read[wrong_lang[0]][0].lang!r}")
    # What our hooks and templates add: each kb-* class, in how many pages of each site.
    classes = sorted({c for a, _ in read.values() for c in a.classes if c.startswith("kb-")})
    absent = []
    for name in classes:
        with_mkdocs = [page for page, (a, _) in read.items() if name in a.classes]
        with_zensical = [page for page, (_, b) in read.items() if name in b.classes]
        if not with_zensical:
            absent.append(f"{name} {len(with_mkdocs)}")
        elif len(with_zensical) == len(with_mkdocs):
            findings.append(f"works: class {name} in {len(with_mkdocs)} page(s), as with MkDocs")
        else:
            findings.append(f"differs: class {name} in {len(with_zensical)} page(s), with MkDocs {len(with_mkdocs)}")
    if absent:
        example = next((page for page, (a, _) in read.items() if "kb-glance" in a.classes), both[0])
        findings.append(f"differs: what hooks/kb adds to pages is on none (Zensical runs no hooks; e.g. {example}): "
                        f"{len(absent)} classes, with the number of pages MkDocs writes them into: " + ", ".join(absent))
    # Interface text of the templates in the reader's language (kb_text), as the 404 pages show it.
    for lang in languages_of(mkdocs_site, ours):
        page = f"{lang}/404.html"
        if page in read:
            a, b = read[page]
            said, reference = (b.h1[:1] or [""])[0].strip(), (a.h1[:1] or [""])[0].strip()
            findings.append(f"works: {page} says {said!r} as MkDocs does" if said == reference else
                            f"differs: {page} says {said!r}, MkDocs {reference!r} (the templates' kb_text comes from our "
                            f"hooks, which Zensical does not run: the English text shows)")
    # The menu: the same pages in the same order, on each language's home page.
    for page in ["index.html"] + [f"{lang}/index.html" for lang in languages_of(mkdocs_site, ours)]:
        if page not in read:
            continue
        menus = [_pages_linked(p.nav_links) for p in read[page]]
        if menus[0] == menus[1]:
            findings.append(f"works: the menu of {page} lists the same {len(menus[0])} pages in the same order")
        else:
            findings.append(f"differs: the menu of {page} lists {len(menus[1])} pages, MkDocs' {len(menus[0])} (made by "
                            f"hooks/kb/rendering/navigation.py from front matter); it begins {', '.join(menus[1][:5])}, MkDocs' "
                            f"{', '.join(menus[0][:5])}")
    crumbs = [[page for page, pair in read.items() if pair[side].breadcrumb] for side in (0, 1)]
    lacking, added = sorted(set(crumbs[0]) - set(crumbs[1])), sorted(set(crumbs[1]) - set(crumbs[0]))
    findings.append(f"works: the breadcrumb (navigation.path) on the same {len(crumbs[0])} pages" if not lacking and not added
                    else f"differs: the breadcrumb (navigation.path) on {len(crumbs[1])} pages, MkDocs {len(crumbs[0])}"
                    + (f"; not on {lacking[0]}" if lacking else "") + (f"; on {added[0]}, which MkDocs' lacks" if added else ""))
    # The language menu: each language's link leads to the same page in that language.
    def targets(page: str, side: int) -> list[str]:
        """Where the page's language links lead, from the site's root ('/el/' and '../el/' alike)."""
        return [posixpath.normpath(posixpath.join(posixpath.dirname(page), link)).lstrip("/") or "."
                for link in read[page][side].language_links]

    same_menu = [page for page in both if targets(page, 0) == targets(page, 1)]
    other = next((page for page in both if page not in same_menu), None)
    findings.append(f"works: the language menu leads where MkDocs' does on all {len(both)} pages" if len(same_menu) == len(both)
                    else f"differs: the language menu leads where MkDocs' does on {len(same_menu)} of {len(both)} pages"
                    + (f"; on {other} to {', '.join(targets(other, 1)[:3])}, MkDocs' to {', '.join(targets(other, 0)[:3])}"
                       if other else ""))
    alternates = [sum(pair[side].alternates > 0 for pair in read.values()) for side in (0, 1)]
    findings.append(f"{'works' if alternates[0] == alternates[1] else 'differs'}: <link rel=\"alternate\" hreflang> on "
                    f"{alternates[1]} pages, MkDocs {alternates[0]}")
    # Search: the index each language's pages fetch.
    indexes = sorted(p.relative_to(zensical_site).as_posix() for p in zensical_site.rglob("search*.json"))
    ours_indexes = sorted(p.relative_to(mkdocs_site).as_posix() for p in mkdocs_site.rglob("search_index.json"))
    findings.append(f"{'works' if indexes == ours_indexes else 'differs'}: search indexes {', '.join(indexes) or 'none'} "
                    f"(the theme's own search); MkDocs: {', '.join(ours_indexes) or 'none'}, searched by our worker "
                    f"(hooks/kb_search.py, overrides/assets/javascripts/workers/kb-search.js)")
    findings += _publishing_findings(zensical_site, sorted(theirs), root)
    findings.append(_fallback_finding(root / "docs"))
    sizes = [sum((site / page).stat().st_size for page in both) / max(len(both), 1) / 1024
             for site in (mkdocs_site, zensical_site)]
    findings.append(f"differs: a page is {sizes[1]:.0f} KiB on average, with MkDocs {sizes[0]:.0f} KiB ({len(both)} pages)")
    return findings


def _fallback_finding(docs: Path) -> str:
    """Whether the trial met a page that some language lacks (MkDocs shows the next-best language's there)."""
    languages = [folder for folder in sorted(docs.iterdir()) if folder.is_dir()] if docs.is_dir() else []
    pages = {lang.name: {p.relative_to(lang).as_posix() for p in lang.rglob("*.md")} for lang in languages}
    every = set().union(*pages.values()) if pages else set()
    lacking = sorted(f"{lang}/{rel}" for lang, rels in pages.items() for rel in every - rels)
    if not lacking:
        return ("not tried: every page is in every language of docs/, so a page a language lacks (its fallback, "
                "hooks/kb) was not built")
    return (f"tried: {len(lacking)} page(s) a language lacks, e.g. docs/{lacking[0]} (the pages compared above include "
            f"them where MkDocs writes them)")


def _pages_linked(links: list[str]) -> list[str]:
    """The pages a menu links to, in its order, as folder addresses ('./playbooks/' and 'playbooks/' alike)."""
    pages = []
    for link in links:
        if link.startswith("#"):
            continue   # the current page's table of contents, which the theme puts into the menu
        address = link.split("#")[0]
        address = address[2:] if address.startswith("./") else address
        pages.append(address or ".")
    return pages


def _publishing_findings(site: Path, pages: list[str], root: Path) -> list[str]:
    """What the intranet's web server would refuse: scripts its CSP does not allow, loads from other hosts."""
    if str(root / "hooks") not in sys.path:
        sys.path.insert(0, str(root / "hooks"))
    try:
        from kb.checking import publish
    except Exception as exc:   # the core cannot be read: the other findings stand
        return [f"differs: the publishing checks did not run (hooks/kb/checking/publish.py: {exc})"]
    allowed = publish.allowed_script_hashes(root)
    unknown: dict[str, str] = {}
    loads: dict[str, str] = {}
    for page in pages:
        text = (site / page).read_text(encoding="utf-8", errors="replace")
        if allowed is not None:
            for digest, start in publish.inline_scripts(text):
                if digest not in allowed:
                    unknown.setdefault(digest, f"{page} ({start}…)")
        for load in publish.external_loads(text):
            loads.setdefault(load, page)
    findings = []
    if allowed is not None:
        findings.append(f"works: every inline script is one {publish.NGINX_CONF.as_posix()}'s CSP allows" if not unknown else
                        f"fails: {len(unknown)} inline script(s) that {publish.NGINX_CONF.as_posix()}'s CSP does not allow "
                        f"(browsers would not run them): {'; '.join(unknown.values())}")
    findings.append("works: nothing is loaded from another host" if not loads else
                    f"fails: {len(loads)} load(s) from another host, e.g. {next(iter(loads))} in {next(iter(loads.values()))}")
    return findings


_CONFIG_PROBE = r"""
import json, sys
from zensical import config as zc
with open(sys.argv[1], encoding="utf-8") as handle:
    project = zc._yaml_load(handle)
found = []
if project.get("hooks"):
    found.append("differs: mkdocs.yml hooks: " + ", ".join(project["hooks"]) + " are not run (Zensical has no hooks)")
known = getattr(zc, "_PLUGIN_UNSUPPORTED_OPTIONS", None)
for entry in project.get("plugins") or []:
    name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
    options = options or {}
    if name == "i18n":
        found.append("works: plugin i18n: zensical-i18n reads its settings (Zensical itself ignores it)")
    elif known is not None and name not in known:
        found.append(f"differs: plugin {name} is not one Zensical knows: ignored")
    elif known is not None:
        ignored = [o for o in options if o in known[name]]
        found.append(f"differs: plugin {name}: option(s) {', '.join(ignored)} ignored" if ignored else
                     f"works: plugin {name} is one Zensical knows")
print(json.dumps(found))
"""


def config_findings(work: Path) -> list[str]:
    """How Zensical reads our mkdocs.yml (through its own configuration module, which may change)."""
    done = run([VENV / "bin" / "python", "-c", _CONFIG_PROBE, work / "mkdocs.yml"], cwd=work)
    try:
        return json.loads(done.stdout)
    except ValueError:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return [f"differs: the configuration could not be probed ({lines[-1] if lines else done.returncode})"]


def main() -> int:
    print(f"zensical trial: setting up {VENV.name}/ (pip)", file=sys.stderr)
    versions, findings = install()
    for line in findings:
        print(line)
    if not versions:
        return 1
    work = copy_project()
    print(f"zensical trial: building {work.name}/ with zensical-i18n, then with MkDocs", file=sys.stderr)
    zensical, zensical_time = build_zensical(work)
    mkdocs, mkdocs_time = build_mkdocs(work)
    (work / "zensical-build.log").write_text(ANSI.sub("", zensical.stdout + zensical.stderr), encoding="utf-8")
    (work / "mkdocs-build.log").write_text(mkdocs.stdout + mkdocs.stderr, encoding="utf-8")
    more = config_findings(work)
    more.append(f"{'works' if zensical.returncode == 0 else 'fails'}: zensical-i18n build exited with status "
                f"{zensical.returncode} in {zensical_time:.1f} s (MkDocs: status {mkdocs.returncode}, {mkdocs_time:.1f} s); "
                f"its output: {work.name}/zensical-build.log")
    more += build_output_findings(zensical.stdout + zensical.stderr)
    if zensical.returncode == 0:
        more += compare_sites(work / "site-mkdocs", work / "site", work)
    for line in more:
        print(line)
    header = f"# zensical trial, {time.strftime('%Y-%m-%d')}: " + ", ".join(f"{p} {v}" for p, v in versions.items())
    (work / "findings.txt").write_text("\n".join([header, *findings, *more]) + "\n", encoding="utf-8")
    print(f"zensical trial: {header[2:]}; findings in {work.name}/findings.txt, sites in {work.name}/site "
          f"(Zensical) and {work.name}/site-mkdocs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
