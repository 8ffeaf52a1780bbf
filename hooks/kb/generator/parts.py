"""Building by language: one site built as parts, one or a few languages each, in parallel processes or in
separate CI jobs, then assembled into the site a single build makes, file for file (README, "Building by
language (CI matrix)"; tests/generator/test_parts.py compares them byte for byte).

mkdocs-static-i18n builds the languages in passes, one after the other, into one folder: the default
language first, then the others in mkdocs.yml's order. A part is the same run limited to some of these
passes (KB_PART="ru", or "tr,lt": languages next to each other in that order), into a folder of its own.
Each part still reads and checks every language (kb.content.corpus), and still knows every language: the language
menu, the `alternate` links and fallbacks are those of the whole site (hooks/kb_hooks.py sets
mkdocs-static-i18n's current language to the part's first and keeps every language "built" for it, except
for the list of passes it runs). Assembling replays the passes: the parts' files are laid down in the
passes' order, a later part's file replacing an earlier one's as a later pass's does (the theme's assets
and Material's tags.json at the root, written by every pass); only what a build writes from every pass
together is joined: the sitemap, whose languages follow one another in sitemap.xml (and its .gz).

    python -m kb.generator.parts build [--jobs N] [mkdocs build options]   the site, its languages in N processes
    python -m kb.generator.parts part ru [mkdocs build options]             one part (make part LANG=ru)
    python -m kb.generator.parts assemble --site-dir SITE PART...           parts into one site (make assemble)
"""
from __future__ import annotations

import gzip
import json
import os
import selectors
import shutil
import subprocess
import sys
import time
from pathlib import Path

from kb.content.model import printable

VARIABLE = "KB_PART"        # the languages of the part this build makes, e.g. "ru" or "tr,lt"
# In a part's folder: its languages and the site's, in the order of the passes (not a hidden file: CI
# artifact uploads leave those out).
MANIFEST = "kb-part.json"
SITEMAP = "sitemap.xml"
SEARCH_INDEX = "search/search_index.json"   # the default language's (hooks/kb_search.py)
JOBS_VARIABLE = "JOBS"


class PartError(Exception):
    """A part cannot be built or assembled; the message is one line saying why."""


# --- in the build (hooks/kb_hooks.py) -----------------------------------------------------------------

def requested() -> list[str] | None:
    """The languages of the part asked for (KB_PART), or None for a whole build."""
    value = os.environ.get(VARIABLE, "").strip()
    if not value:
        return None
    return [code.strip() for code in value.split(",") if code.strip()]


def pass_order(i18n) -> list[str]:
    """The languages mkdocs-static-i18n builds, in the order of its passes: the default language first."""
    default = i18n.default_language
    return [default, *(lang for lang in i18n.build_languages if lang != default)]


def forget_last_page_menu(config) -> None:
    """on_config of every pass: the language menu of the pages MkDocs writes before the Markdown pages (the
    404 page) is the site's, linking each language's home page. mkdocs-static-i18n sets each page's menu as
    an attribute `config.extra.alternate`, which outlives the page and hides the site's menu (the item
    `config.extra["alternate"]`, reset at each pass): a pass's 404 page linked the pages of the previous
    pass's last page (/quotes/), and would differ between a part and the whole build."""
    vars(config.extra).pop("alternate", None)


def for_pass(config, i18n, part: "Part | None", command: str | None) -> "Part | None":
    """on_config of every pass: the part this build makes (KB_PART), ready for the pass (None: the whole site).
    The 404 page of every pass links each language's home page (forget_last_page_menu)."""
    forget_last_page_menu(config)
    languages = requested()
    if languages is None:
        return None
    if part is None or part.i18n is not i18n:
        part = Part(languages, i18n, command)
    part.before_pass()
    return part


class Part:
    """What a part build keeps between events: its languages and mkdocs-static-i18n's `build` flags."""

    def __init__(self, languages: list[str], i18n, command: str | None):
        if command not in (None, "build"):
            raise PartError(f"{VARIABLE} builds a part with mkdocs build, not with mkdocs {command}")
        if os.environ.get("KB_ONLY_LANGUAGE", "").strip():
            raise PartError(f"{VARIABLE} and KB_ONLY_LANGUAGE (a one-language preview) cannot be used together")
        if i18n is None:
            raise PartError(f"{VARIABLE}: this site has no mkdocs-static-i18n languages to build by part")
        self.i18n = i18n
        self.flags = {language.locale: language.build for language in i18n.config.languages}
        order = pass_order(i18n)
        unknown = next((code for code in languages if code not in order), None)
        if unknown is not None:
            raise PartError(f"{VARIABLE}: unknown language '{printable(unknown, 40)}': a part takes languages of "
                            f"this site: {', '.join(order)}")
        self.languages = sorted(set(languages), key=order.index)
        first, last = order.index(self.languages[0]), order.index(self.languages[-1])
        if order[first:last + 1] != self.languages:
            raise PartError(f"{VARIABLE}: a part's languages follow one another in the order of the build "
                            f"({', '.join(order)}): '{','.join(languages)}' skips "
                            f"{', '.join(lang for lang in order[first:last + 1] if lang not in self.languages)}")
        self.site = order

    def before_pass(self) -> None:
        """on_config, before mkdocs-static-i18n's: the first pass builds the part's first language, and every
        pass sees every language as built (its language menu and `alternate` links are the whole site's)."""
        for language in self.i18n.config.languages:
            language.build = self.flags[language.locale]
        if self.i18n.current_language is None:
            self.i18n.current_language = self.languages[0]

    def after_pass(self) -> None:
        """on_post_build, before mkdocs-static-i18n's (which runs the other passes): it runs the passes of the
        part's other languages only. Each of those passes starts with before_pass, which shows every language
        again; the list of passes is taken before they start."""
        for language in self.i18n.config.languages:
            if language.locale not in self.languages:
                language.build = False

    def finish(self, site_dir: str) -> None:
        """on_post_build, last, after the part's last pass: what the part's folder holds that belongs to
        another part goes (the default language's search index, written by hooks/kb_search.py in every
        build, is the default language's part's), and the manifest says what the part is."""
        if self.i18n.building:
            return
        site = Path(site_dir)
        if self.site[0] not in self.languages:
            index = site / SEARCH_INDEX
            index.unlink(missing_ok=True)
            try:
                index.parent.rmdir()
            except OSError:
                pass   # not empty, or not there
        (site / MANIFEST).write_text(json.dumps({"languages": self.languages, "site": self.site}) + "\n",
                                     encoding="utf-8")


# --- assembling ---------------------------------------------------------------------------------------

def read_manifest(part: Path) -> dict:
    if not part.is_dir():
        raise PartError(f"no part at {printable(str(part), 200)}: build the parts with make part LANG=…")
    try:
        manifest = json.loads((part / MANIFEST).read_text(encoding="utf-8"))
        if not (isinstance(manifest, dict) and _codes(manifest.get("languages")) and _codes(manifest.get("site"))):
            raise ValueError("not a part's manifest")
    except (OSError, ValueError) as exc:
        reason = "it has no manifest" if isinstance(exc, FileNotFoundError) else f"its {MANIFEST} cannot be read"
        raise PartError(f"{printable(str(part), 200)} is not a part of the site ({reason}): build it with "
                        f"make part LANG=…") from None
    return manifest


def _codes(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(code, str) for code in value)


def ordered(parts: list[Path]) -> list[tuple[Path, dict]]:
    """The parts in the order of the passes; every language of the site exactly once."""
    if not parts:
        raise PartError("no part to assemble: build them with make part LANG=…")
    found = [(part, read_manifest(part)) for part in parts]
    site = found[0][1]["site"]
    other = next((part for part, manifest in found if manifest["site"] != site), None)
    if other is not None:
        raise PartError(f"{printable(str(other), 200)} is a part of a site with other languages "
                        f"({', '.join(read_manifest(other)['site'])}, not {', '.join(site)})")
    unknown = next((lang for _, manifest in found for lang in manifest["languages"] if lang not in site), None)
    if unknown is not None:
        raise PartError(f"a part has language '{printable(unknown, 40)}', which the site has not")
    found.sort(key=lambda item: site.index(item[1]["languages"][0]))
    languages = [lang for _, manifest in found for lang in manifest["languages"]]
    if languages != site:
        twice = sorted({lang for lang in languages if languages.count(lang) > 1})
        missing = [lang for lang in site if lang not in languages]
        said = ([f"no part has {', '.join(missing)}"] if missing else []) + \
               ([f"more than one part has {', '.join(twice)}"] if twice else [])
        raise PartError(f"the parts do not make the site ({', '.join(site)}): {'; '.join(said) or 'their languages are out of order'}")
    return found


def merge_sitemaps(texts: list[str]) -> str:
    """One sitemap of the parts' sitemaps, in the parts' order: the entries of each between the first's
    opening and closing <urlset> tags (mkdocs-static-i18n's template writes each pass's entries after the
    earlier passes')."""
    head = tail = None
    bodies = []
    for text in texts:
        start = text.find("<urlset")
        start = text.find(">", start) + 1 if start >= 0 else 0
        end = text.rfind("</urlset>")
        if not start or end < start:
            raise PartError("a part's sitemap.xml is not a sitemap (no <urlset>)")
        end = max(start, len(text[:end].rstrip()))   # the line break before </urlset> is the tail's
        if head is None:
            head, tail = text[:start], text[end:]
        elif text[:start] != head:
            raise PartError("the parts' sitemaps begin differently: were they built with the same mkdocs.yml?")
        bodies.append(text[start:end])
    return head + "".join(bodies) + tail


def gzip_mtime(path: Path) -> int:
    """The time in a gzip file's header (MkDocs writes the sitemap's as the date of the last pass's pages)."""
    with path.open("rb") as handle:
        header = handle.read(8)
    return int.from_bytes(header[4:8], "little") if len(header) == 8 and header[:2] == b"\x1f\x8b" else 0


def write_sitemap(site: Path, text: str, mtime: int) -> None:
    """sitemap.xml and sitemap.xml.gz as MkDocs writes them (mkdocs/commands/build.py)."""
    output = site / SITEMAP
    output.write_bytes(text.encode("utf-8"))
    gz_name = f"{output}.gz"
    with open(gz_name, "wb") as handle, gzip.GzipFile(fileobj=handle, filename=gz_name, mode="wb", mtime=mtime) as gz:
        gz.write(text.encode("utf-8"))


def _lay(source: Path, target: Path, move: bool, top: bool) -> None:
    """The files of `source` into `target`, replacing files of the same name."""
    for entry in os.scandir(source):
        if top and entry.name in (MANIFEST, SITEMAP, f"{SITEMAP}.gz"):
            continue
        destination = target / entry.name
        if entry.is_dir(follow_symlinks=False):
            if move and not os.path.lexists(destination):
                os.rename(entry.path, destination)   # a folder no earlier part has: moved whole
                continue
            destination.mkdir(exist_ok=True)
            _lay(Path(entry.path), destination, move, False)
        elif move:
            os.replace(entry.path, destination)
        else:
            shutil.copyfile(entry.path, destination)


def assemble(parts: list[Path], site: Path, move: bool = False) -> list[str]:
    """The parts laid into `site` (an empty or new folder) in the order of the passes; their languages.
    `move`: the parts' files are moved, not copied (the parts are used up)."""
    found = ordered(parts)
    site.mkdir(parents=True, exist_ok=True)
    if any(site.iterdir()):
        raise PartError(f"{printable(str(site), 200)} is not empty: the parts are assembled into an empty folder")
    sitemaps = [part / SITEMAP for part, _ in found if (part / SITEMAP).is_file()]
    if sitemaps and len(sitemaps) != len(found):
        raise PartError("some parts have a sitemap.xml and some have not: were they built with the same mkdocs.yml?")
    texts = [path.read_text(encoding="utf-8") for path in sitemaps]
    last_gz = found[-1][0] / f"{SITEMAP}.gz"
    mtime = gzip_mtime(last_gz) if last_gz.is_file() else 0
    for part, _ in found:
        _lay(part, site, move, True)
    if texts:
        write_sitemap(site, merge_sitemaps(texts), mtime)
    return [lang for _, manifest in found for lang in manifest["languages"]]


# --- building the parts in parallel processes ---------------------------------------------------------

def cpu_count() -> int:
    """The CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def jobs_from(value: str | None) -> int:
    """JOBS as given (make build JOBS=2), else one process per CPU."""
    if value is None or not value.strip():
        return cpu_count()
    value = value.strip()
    if not (value.isascii() and value.isdigit() and 0 < int(value) <= 256):
        raise PartError(f"JOBS '{printable(value, 40)}' is not a number of processes: e.g. make build JOBS=2")
    return int(value)


def groups(languages: list[str], jobs: int) -> list[list[str]]:
    """The languages in at most `jobs` parts of languages next to each other, as even as can be (every
    language's pass builds every page, its own or its fallback, so they weigh the same); the larger parts
    last, since the first part also writes the theme's files."""
    count = max(1, min(jobs, len(languages)))
    size, extra = divmod(len(languages), count)
    result, start = [], 0
    for index in range(count):
        length = size + (1 if index >= count - extra else 0)
        result.append(languages[start:start + length])
        start += length
    return result


def _option(options: list[str], *names: str) -> str | None:
    """The value of the last of these options ("-d DIR", "--site-dir DIR", "--site-dir=DIR"), or None."""
    value = None
    for index, option in enumerate(options):
        if option in names and index + 1 < len(options):
            value = options[index + 1]
        value = next((option.split("=", 1)[1] for name in names
                      if name.startswith("--") and option.startswith(name + "=")), value)
    return value


def _without(options: list[str], *names: str) -> list[str]:
    """The options without these ones and their values."""
    kept, skip = [], False
    for option in options:
        if skip:
            skip = False
        elif option in names:
            skip = True
        elif not any(name.startswith("--") and option.startswith(name + "=") for name in names):
            kept.append(option)
    return kept


def site_languages(config_file: Path) -> list[str]:
    """The languages of the configuration in the order of mkdocs-static-i18n's passes."""
    from kb.content import languages
    try:
        found = languages.parse(config_file.read_text(encoding="utf-8"), config_file.name)
    except (OSError, UnicodeDecodeError):
        found = None
    return list((found or languages.Languages.load(config_file.parent)).codes)


HOOK = "kb_hooks.py"


def builds_by_part(config_file: Path, depth: int = 0) -> bool:
    """Whether the configuration runs hooks/kb_hooks.py, without which a part build would build the whole
    site (its `hooks:`, else those of the file it INHERITs, as MkDocs merges them)."""
    import yaml

    from kb.content.languages import ConfigLoader
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=ConfigLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False   # MkDocs says what is wrong with it, in one process
    if not isinstance(data, dict):
        return False
    hooks = data.get("hooks")
    if hooks is None and isinstance(data.get("INHERIT"), str) and depth < 4:
        return builds_by_part(config_file.parent / data["INHERIT"], depth + 1)
    return isinstance(hooks, list) and any(isinstance(hook, str) and Path(hook).name == HOOK for hook in hooks)


class Output:
    """The parts' output as it comes, a line at a time, each line once (every part reads and checks every
    language and says so in the same words), each part's folder named as the site's (a full disk is one
    line, as in one build); MkDocs' "Documentation built in …" of each part is left out for the whole build's."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.seen: set[str] = set()
        self.folders: list[tuple[str, str]] = []   # (a part's folder, the site's), longest first

    def show_as(self, folder: Path, site: str) -> None:
        self.folders += [(str(folder.absolute()), str(Path(site).absolute())), (str(folder), site)]
        self.folders.sort(key=lambda pair: -len(pair[0]))

    def line(self, text: str) -> None:
        for folder, site in self.folders:
            text = text.replace(folder, site)
        if text in self.seen or "Documentation built in " in text:
            return
        self.seen.add(text)
        self.stream.write(text + "\n")
        self.stream.flush()


def _run_parts(commands: list[tuple[list[str], dict]], output: Output) -> list[float] | None:
    """Runs the part builds side by side, passing their output on; the first that fails stops the others.
    The seconds each took, or None when one failed."""
    started = time.perf_counter()
    processes = [subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT) for command, env in commands]
    selector = selectors.DefaultSelector()
    pending = {}
    for process in processes:
        selector.register(process.stdout, selectors.EVENT_READ, process)
        pending[process] = b""
    ok, took = True, {}
    try:
        while selector.get_map():
            for key, _ in selector.select():
                process = key.data
                chunk = os.read(key.fd, 65536)
                if chunk:
                    *lines, pending[process] = (pending[process] + chunk).split(b"\n")
                    for line in lines:
                        output.line(line.decode("utf-8", "replace"))
                    continue
                selector.unregister(key.fileobj)
                took[process] = time.perf_counter() - started
                if pending[process]:
                    output.line(pending[process].decode("utf-8", "replace"))
                if process.wait() != 0 and ok:
                    ok = False
                    for other in processes:   # a failed part fails the build: the others' work would be lost
                        if other.poll() is None:
                            other.terminate()
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
            process.wait()
            process.stdout.close()
        selector.close()
    return [took[process] for process in processes] if ok else None


def build(options: list[str], jobs: int, output: Output | None = None) -> int:
    """`mkdocs build` with these options, the languages in `jobs` processes, assembled into the site folder."""
    from kb.generator import building, preview
    from kb.translation import slips
    output = output or Output()
    config_file = Path(_option(options, "-f", "--config-file") or "mkdocs.yml")
    site_dir = _option(options, "-d", "--site-dir")
    if requested():
        raise PartError(f"{VARIABLE} is set: a build makes the whole site (make part LANG=… makes one part)")
    plan = groups(site_languages(config_file), jobs)
    if len(plan) < 2 or preview.requested() or site_dir is None or not builds_by_part(config_file):
        return building.main(options)   # one process: MkDocs as usual
    started = time.perf_counter()
    site = Path(site_dir)
    parts_dir = Path(f"{site_dir.rstrip('/')}.parts")
    report = slips.requested()
    shutil.rmtree(parts_dir, ignore_errors=True)
    try:
        parts_dir.mkdir(parents=True)
        commands = []
        for index, group in enumerate(plan):
            env = {**os.environ, VARIABLE: ",".join(group)}
            if report is not None:   # make publish: each part writes the report (of the whole corpus) apart
                env[slips.VARIABLE] = f"{report}.part{index}"
            commands.append(([sys.executable, "-m", "kb.generator.building", *_without(options, "-d", "--site-dir"),
                              "--site-dir", str(parts_dir / str(index))], env))
            output.show_as(parts_dir / str(index), site_dir)
        took = _run_parts(commands, output)
        if took is None:
            return 1
        if site.exists():   # as MkDocs cleans its site folder before a build
            for entry in list(site.iterdir()):
                shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        assemble([parts_dir / str(index) for index in range(len(plan))], site, move=True)
        if report is not None:
            os.replace(f"{report}.part0", report)
    except OSError as exc:
        output.stream.write(building.message(exc, site_dir) + "\n")
        return 1
    except PartError as exc:
        output.stream.write(f"kb.generator.parts: {exc}\n")
        return 1
    finally:
        shutil.rmtree(parts_dir, ignore_errors=True)
        if report is not None:
            for index in range(len(plan)):
                Path(f"{report}.part{index}").unlink(missing_ok=True)
    each = ", ".join(f"{' '.join(group)} {seconds:.1f} s" for group, seconds in zip(plan, took))
    output.stream.write(f"INFO    -  Documentation built in {time.perf_counter() - started:.2f} seconds, the "
                        f"languages in {len(plan)} processes ({each})\n")
    return 0


USAGE = __doc__.split("\n\n")[-1]


def main(argv: list[str]) -> int:
    from kb.generator import building
    command, *rest = argv or ["help"]
    site_dir = _option(rest, "-d", "--site-dir")
    try:
        if command == "build":
            jobs = jobs_from(_option(rest, "--jobs") or os.environ.get(JOBS_VARIABLE))
            return build(_without(rest, "--jobs"), jobs)
        if command == "part" and rest and not rest[0].startswith("-"):
            os.environ[VARIABLE] = rest[0]
            return building.main(rest[1:])
        if command == "assemble":
            parts = [Path(p) for p in _without(rest, "-d", "--site-dir")]
            if site_dir is None or any(str(p).startswith("-") for p in parts):
                raise PartError("usage: python -m kb.generator.parts assemble --site-dir SITE PART...")
            languages = assemble(parts, Path(site_dir))
            print(f"kb.generator.parts: assembled {', '.join(languages)}", file=sys.stderr)
            return 0
    except PartError as exc:
        print(f"kb.generator.parts: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(building.message(exc, site_dir or ""), file=sys.stderr)
        return 1
    except KeyboardInterrupt:   # Ctrl-C: the parts stopped with it (kb.generator.parts build stops them in any case)
        return 130
    print(f"usage:\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
