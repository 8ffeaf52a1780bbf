"""Dates of pages (kb/content/history.py): from git where a page is committed and unchanged, else from the file."""
from __future__ import annotations

import datetime as dt
import os
import subprocess

from conftest import ENV
from kb.content.history import last_changed


def git(root, *args, date="2020-01-02T12:00:00Z"):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={**ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
                        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"})


def test_committed_edited_and_new_pages_reached_through_a_link_to_the_project(tmp_path):
    project = tmp_path / "project"
    (project / "docs/el").mkdir(parents=True)
    for name in ("committed.md", "edited.md"):
        (project / "docs/el" / name).write_text("# Σελίδα\n", encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Pages")
    (project / "docs/el/edited.md").write_text("# Σελίδα\n\nΑλλαγή.\n", encoding="utf-8")
    (project / "docs/el/new.md").write_text("# Νέα\n", encoding="utf-8")
    os.utime(project / "docs/el/new.md", (86400 * 365, 86400 * 365))   # 1971-01-01
    link = tmp_path / "link"
    link.symlink_to(project)   # the project opened through a symbolic link: git names the real paths
    pages = [link / "docs/el" / name for name in ("committed.md", "edited.md", "new.md", "gone.md")]
    dates = last_changed(link, pages)
    today = dt.datetime.now(dt.timezone.utc).date()
    assert dates == {pages[0]: dt.date(2020, 1, 2), pages[1]: today, pages[2]: dt.date(1971, 1, 1)}


def test_without_git_every_date_is_the_files(tmp_path):
    page = tmp_path / "docs/en/index.md"
    page.parent.mkdir(parents=True)
    page.write_text("# Home\n", encoding="utf-8")
    os.utime(page, (86400 * 400, 86400 * 400))
    assert last_changed(tmp_path, [page]) == {page: dt.date(1971, 2, 5)}
