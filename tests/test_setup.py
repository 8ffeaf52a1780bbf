"""`make setup`: quiet when pip succeeds (a machine's pip configuration may make pip print dozens of notices
about index locations), pip's whole output and one line saying so when it fails. pip is stood in for by a
script here: installing the lock file takes minutes."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import ENV, ROOT

NOTICE = "WARNING: Location 'file:///opt/pypi/simple/babel/' is ignored: it is neither a file nor a directory."


@pytest.mark.parametrize("pip_status", [0, 1])
def test_setup_shows_pips_output_only_when_it_fails(tmp_path, pip_status):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "requirements.lock").write_text("babel==2.18.0\n", encoding="utf-8")
    python = tmp_path / ".venv/bin/python"
    python.parent.mkdir(parents=True)
    python.write_text(f"#!/bin/sh\necho \"{NOTICE}\"\necho \"$*\" > \"$(dirname \"$0\")/args\"\nexit {pip_status}\n",
                      encoding="utf-8")
    python.chmod(0o755)
    done = subprocess.run(["make", "setup"], cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=60)
    assert "--require-hashes -r requirements.lock" in (python.parent / "args").read_text(encoding="utf-8")
    if pip_status == 0:
        assert done.returncode == 0 and done.stdout.splitlines() == ["setting up .venv/ from requirements.lock"]
        assert (tmp_path / ".venv/.installed-from-lock").exists()
    else:
        assert done.returncode != 0 and NOTICE in done.stdout
        assert "error: pip could not install requirements.lock (its output is above and in .venv/pip.log)" in done.stdout
        assert not (tmp_path / ".venv/.installed-from-lock").exists()
