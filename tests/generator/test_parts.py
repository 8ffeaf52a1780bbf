"""Building by language (kb/generator/parts.py and its events in hooks/kb_hooks.py): parts built apart and assembled make the site a
single build makes, file for file and byte for byte."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ENV, ROOT, _ConfigDumper, make_tree, site_config
from kb.generator import parts
from kb.content.model import LANGUAGES

PARTS_ENV = {**ENV, "KB_SITE_URL": "http://kb.example.intranet/", "SOURCE_DATE_EPOCH": "1767225600"}
HOOKS = [str(ROOT / "hooks" / name) for name in ("kb_hooks.py", "kb_search.py")]


def run(args: list[str], cwd: Path = ROOT, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, env={**PARTS_ENV, **env}, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=900)


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def assert_same_site(expected: Path, actual: Path) -> None:
    want, got = files_of(expected), files_of(actual)
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    differing = sorted(name for name in set(want) & set(got) if want[name] != got[name])
    assert not (missing or extra or differing), (f"assembled site differs from the full build: missing {missing[:20]}, "
                                                f"extra {extra[:20]}, differing {differing[:20]}")
    assert sorted(p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_dir()) == \
        sorted(p.relative_to(actual).as_posix() for p in actual.rglob("*") if p.is_dir())


def build_full(config: Path, site: Path) -> None:
    done = run(["-m", "kb.generator.building", "--strict", "-f", str(config), "--site-dir", str(site)], cwd=config.parent)
    assert done.returncode == 0, done.stdout


def build_by_parts(config: Path, site: Path, jobs: int) -> str:
    done = run(["-m", "kb.generator.parts", "build", "--jobs", str(jobs), "--strict", "-f", str(config), "--site-dir", str(site)],
               cwd=config.parent)
    assert done.returncode == 0, done.stdout
    assert not Path(f"{site}.parts").exists()
    return done.stdout


def build_part(config: Path, languages: str, folder: Path) -> None:
    done = run(["-m", "kb.generator.parts", "part", languages, "--strict", "-f", str(config), "--site-dir", str(folder)],
               cwd=config.parent)
    assert done.returncode == 0, done.stdout


def assemble(site: Path, folders: list[Path]) -> subprocess.CompletedProcess:
    return run(["-m", "kb.generator.parts", "assemble", "--site-dir", str(site), *map(str, folders)])


# --- the real site ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def full_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("parts") / "full"
    build_full(ROOT / "mkdocs.yml", site)
    return site


def test_two_processes_make_the_site_of_one_build(full_site, tmp_path):
    """make build's way (JOBS=2): the languages in two processes, assembled."""
    output = build_by_parts(ROOT / "mkdocs.yml", tmp_path / "site", jobs=2)
    assert_same_site(full_site, tmp_path / "site")
    # each part reads and checks every language; the build says so once
    assert output.count("kb: read and checked") == 1, output
    assert "Documentation built in" in output.splitlines()[-1] and "2 processes" in output.splitlines()[-1]


def test_one_part_per_language_assembled_makes_the_site_of_one_build(full_site, tmp_path):
    """The CI matrix: one job per language, each uploading its part, and a job assembling them (in any order)."""
    folders = [tmp_path / "parts" / lang for lang in LANGUAGES]
    for lang, folder in zip(LANGUAGES, folders):
        build_part(ROOT / "mkdocs.yml", lang, folder)
        # a part holds its own language's pages only
        others = [other for other in LANGUAGES[1:] if other != lang]
        assert not any((folder / other).exists() for other in others), (lang, sorted(os.listdir(folder)))
    done = assemble(tmp_path / "site", list(reversed(folders)))
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip() == f"kb.generator.parts: assembled {', '.join(LANGUAGES)}"
    assert_same_site(full_site, tmp_path / "site")
    assert all(folder.exists() for folder in folders)   # assembling copies: the parts stay for another run


def test_sitemap_of_the_parts_is_the_whole_sites(full_site):
    text = (full_site / "sitemap.xml").read_text(encoding="utf-8")
    assert all(f"<loc>http://kb.example.intranet/{lang}/</loc>" in text for lang in LANGUAGES[1:])
    with gzip.open(full_site / "sitemap.xml.gz", "rt", encoding="utf-8") as packed:
        assert packed.read() == text
    assert parts.gzip_mtime(full_site / "sitemap.xml.gz") == 1767225600   # SOURCE_DATE_EPOCH's day


# --- a fixture tree --------------------------------------------------------------------------------

def part_tree(dest: Path, case: str | None = None) -> Path:
    """A fixture tree whose configuration runs the hooks of a build by part."""
    root = make_tree(dest, case)
    config = site_config(root / "docs", hooks=HOOKS)
    (root / "mkdocs.yml").write_text(yaml.dump(config, Dumper=_ConfigDumper, allow_unicode=True), encoding="utf-8")
    return root


@pytest.fixture
def fixture_tree(tmp_path) -> Path:
    return part_tree(tmp_path / "tree")


def test_parts_of_two_and_three_languages_make_the_fixture_site(fixture_tree, tmp_path):
    config = fixture_tree / "mkdocs.yml"
    build_full(config, tmp_path / "full")
    for jobs in (3, 5):
        build_by_parts(config, tmp_path / f"site{jobs}", jobs=jobs)
        assert_same_site(tmp_path / "full", tmp_path / f"site{jobs}")


def test_a_full_disk_in_the_parts_is_one_line(fixture_tree, tmp_path):
    import re
    import resource

    def small_files():   # no write may make a file larger than 20 kB: as a full disk, a write fails
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    site = tmp_path / "site.tmp.abc123"
    done = subprocess.run([sys.executable, "-m", "kb.generator.parts", "build", "--jobs", "2", "--strict", "-f",
                           str(fixture_tree / "mkdocs.yml"), "--site-dir", str(site)], cwd=fixture_tree,
                          env={**PARTS_ENV, "KB_CACHE": "0"}, preexec_fn=small_files, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600)
    assert done.returncode == 1 and "Traceback" not in done.stdout, done.stdout
    [line] = [line for line in done.stdout.splitlines() if "cannot write" in line]
    assert re.fullmatch(rf"make build: cannot write {re.escape(str(site))}/: the file would be larger than this "
                        r"system allows: free some space, then make build again", line), line
    assert not Path(f"{site}.parts").exists()


def test_make_publish_by_parts_publishes_and_reports_as_one_build(tmp_path):
    """make publish: a translation with an error published as its fallback, in the site and in the report."""
    root = part_tree(tmp_path / "tree", "step-missing")
    config = str(root / "mkdocs.yml")
    one = run(["-m", "kb.generator.building", "--strict", "-f", config, "--site-dir", str(tmp_path / "one")], cwd=root,
              KB_PUBLISH=str(tmp_path / "one.report"))
    assert one.returncode == 0, one.stdout
    done = run(["-m", "kb.generator.parts", "build", "--jobs", "2", "--strict", "-f", config, "--site-dir", str(tmp_path / "site")],
               cwd=root, KB_PUBLISH=str(tmp_path / "site.report"))
    assert done.returncode == 0 and "2 processes" in done.stdout, done.stdout
    assert json.loads((tmp_path / "site.report").read_text(encoding="utf-8"))["pages"]   # something was replaced
    assert (tmp_path / "site.report").read_bytes() == (tmp_path / "one.report").read_bytes()
    assert_same_site(tmp_path / "one", tmp_path / "site")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "one.report", "site", "site.report", "tree"]


def test_a_configuration_without_the_part_hooks_is_built_in_one_process(tmp_path):
    root = make_tree(tmp_path / "tree")
    # without hooks/kb_hooks.py, which runs a part's passes, a part would be the whole site
    config = site_config(root / "docs", hooks=[])
    (root / "mkdocs.yml").write_text(yaml.dump(config, Dumper=_ConfigDumper, allow_unicode=True), encoding="utf-8")
    done = run(["-m", "kb.generator.parts", "build", "--jobs", "2", "-f", str(root / "mkdocs.yml"),
                "--site-dir", str(tmp_path / "site")], cwd=root)
    assert done.returncode == 0, done.stdout
    assert "processes" not in done.stdout and "kb: read and checked" not in done.stdout
    assert all((tmp_path / "site" / lang / "index.html").is_file() for lang in LANGUAGES[1:])


def test_a_part_of_languages_out_of_order_or_unknown_is_refused_in_one_line(fixture_tree, tmp_path):
    config = fixture_tree / "mkdocs.yml"
    for value, said in ((f"{LANGUAGES[0]},{LANGUAGES[2]}", f"skips {LANGUAGES[1]}"),
                        ("xx", f"unknown language 'xx': a part takes languages of this site: {', '.join(LANGUAGES)}")):
        done = run(["-m", "kb.generator.parts", "part", value, "--strict", "-f", str(config), "--site-dir", str(tmp_path / "p")],
                   cwd=fixture_tree)
        assert done.returncode != 0
        assert said in done.stdout and "Traceback" not in done.stdout, done.stdout
    done = run(["-m", "kb.generator.parts", "part", LANGUAGES[1], "--strict", "-f", str(config), "--site-dir", str(tmp_path / "p")],
               cwd=fixture_tree, KB_ONLY_LANGUAGE=LANGUAGES[1])
    assert done.returncode != 0 and "KB_PART and KB_ONLY_LANGUAGE" in done.stdout and "Traceback" not in done.stdout
    # a whole build with KB_PART left in the environment would make a part of the site: refused
    done = run(["-m", "kb.generator.parts", "build", "--jobs", "2", "--strict", "-f", str(config), "--site-dir", str(tmp_path / "s")],
               cwd=fixture_tree, KB_PART=LANGUAGES[1])
    assert done.returncode == 1 and not (tmp_path / "s").exists()
    assert done.stdout.strip() == "kb.generator.parts: KB_PART is set: a build makes the whole site (make part LANG=… makes one part)"


def test_make_part_needs_one_known_language():
    for args, said in (([], "make part needs a language: make part LANG=…"),
                       (["LANG=xx"], "unknown language 'xx': make part LANG=… takes one of")):
        done = subprocess.run(["make", "-s", "part", *args], cwd=ROOT, env=ENV, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=120)
        assert done.returncode != 0 and said in done.stdout, done.stdout


def test_a_failing_part_fails_the_build_with_its_lines_once(fixture_tree, tmp_path):
    page = fixture_tree / "docs" / LANGUAGES[-1] / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[a link](no-such-page.md)\n", encoding="utf-8")
    site = tmp_path / "site"
    done = run(["-m", "kb.generator.parts", "build", "--jobs", "2", "--strict", "-f", str(fixture_tree / "mkdocs.yml"),
                "--site-dir", str(site)], cwd=fixture_tree)
    assert done.returncode == 1, done.stdout
    warnings = [line for line in done.stdout.splitlines() if "no-such-page.md" in line]
    assert len(warnings) == 1, done.stdout
    assert "Traceback" not in done.stdout and not Path(f"{site}.parts").exists()
    assert not (site / "index.html").exists()


# --- assembling: what is refused ----------------------------------------------------------------------

def fake_part(folder: Path, languages: list[str], site: list[str] = list(LANGUAGES)) -> Path:
    folder.mkdir(parents=True)
    (folder / parts.MANIFEST).write_text(json.dumps({"languages": languages, "site": site}), encoding="utf-8")
    return folder


def test_assembling_needs_every_language_once(tmp_path):
    first = fake_part(tmp_path / "a", list(LANGUAGES[:2]))
    again = fake_part(tmp_path / "b", list(LANGUAGES[1:2]))
    with pytest.raises(parts.PartError, match=f"no part has {', '.join(LANGUAGES[2:])}; more than one part has {LANGUAGES[1]}"):
        parts.ordered([first, again])
    other = fake_part(tmp_path / "c", list(LANGUAGES[2:]), site=["xx", *LANGUAGES])
    with pytest.raises(parts.PartError, match="is a part of a site with other languages"):
        parts.ordered([first, other])
    (tmp_path / "d").mkdir()
    done = assemble(tmp_path / "site", [first, tmp_path / "d"])
    assert done.returncode == 1
    assert done.stdout.strip() == f"kb.generator.parts: {tmp_path / 'd'} is not a part of the site (it has no manifest): build it with make part LANG=…"
    assert assemble(tmp_path / "site", []).stdout.strip() == "kb.generator.parts: no part to assemble: build them with make part LANG=…"
    # make assemble with an empty site-parts/: the shell leaves the pattern as it is
    assert assemble(tmp_path / "site", [tmp_path / "site-parts" / "*"]).stdout.strip() == \
        f"kb.generator.parts: no part at {tmp_path / 'site-parts' / '*'}: build the parts with make part LANG=…"


def test_a_later_part_replaces_an_earlier_ones_file_as_a_later_pass_does(tmp_path):
    first = fake_part(tmp_path / "first", list(LANGUAGES[:2]))
    rest = fake_part(tmp_path / "rest", list(LANGUAGES[2:]))
    for folder, text in ((first, "first"), (rest, "rest")):
        (folder / "assets").mkdir()
        (folder / "assets" / "shared.css").write_text(text, encoding="utf-8")
        (folder / "tags.json").write_text(text, encoding="utf-8")
    (rest / LANGUAGES[2]).mkdir()
    (rest / LANGUAGES[2] / "index.html").write_text("page", encoding="utf-8")
    assert parts.assemble([rest, first], tmp_path / "site") == list(LANGUAGES)
    assert files_of(tmp_path / "site") == {"assets/shared.css": b"rest", "tags.json": b"rest",
                                           f"{LANGUAGES[2]}/index.html": b"page"}
    with pytest.raises(parts.PartError, match="is not empty"):
        parts.assemble([rest, first], tmp_path / "site")


def test_sitemaps_are_joined_in_the_order_of_the_passes():
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    entry = "\n    <url>\n        <loc>{}</loc>\n    </url>"
    whole = head + entry.format("/") + entry.format("/el/") + entry.format("/ru/") + "\n</urlset>"
    assert parts.merge_sitemaps([head + entry.format("/") + "\n</urlset>",
                                 head + entry.format("/el/") + entry.format("/ru/") + "\n</urlset>"]) == whole
    with pytest.raises(parts.PartError, match="begin differently"):
        parts.merge_sitemaps([whole, whole.replace("0.9", "1.0")])
    with pytest.raises(parts.PartError, match="not a sitemap"):
        parts.merge_sitemaps(["<html></html>"])


# --- how the languages are shared out ------------------------------------------------------------------

def test_languages_are_shared_out_next_to_each_other_larger_parts_last():
    five = ["en", "el", "ru", "tr", "lt"]
    assert parts.groups(five, 1) == [five]
    assert parts.groups(five, 2) == [["en", "el"], ["ru", "tr", "lt"]]
    assert parts.groups(five, 3) == [["en"], ["el", "ru"], ["tr", "lt"]]
    assert parts.groups(five, 5) == parts.groups(five, 64) == [[lang] for lang in five]


def test_jobs_is_a_number_of_processes_or_one_per_cpu():
    assert parts.jobs_from(None) == parts.jobs_from("") == parts.cpu_count() >= 1
    assert parts.jobs_from("3") == 3
    for wrong in ("0", "-1", "two", "1e3", "99999"):
        with pytest.raises(parts.PartError, match="is not a number of processes: e.g. make build JOBS=2"):
            parts.jobs_from(wrong)
