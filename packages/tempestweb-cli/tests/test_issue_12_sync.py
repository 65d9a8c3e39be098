"""Issue 12: ``tempestweb sync`` on a project made by ``tempestweb new`` (no pyproject.toml).

Run as a person would: ``tempestweb new``, edit ``app.py`` to import an installed pure-Python
library and a local helper, ``tempestweb sync``; then import something that is not installed.
Before the fix the first failed with ``has no pyproject.toml`` and a missing dependency exited 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SOURCES = [REPO / "packages" / name / "src" for name in ("tempestweb-contract", "tempestweb-cli")]


def _tempestweb(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(map(str, SOURCES))}
    return subprocess.run(
        [sys.executable, "-m", "tempestweb_cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_issue_12_sync_works_on_a_new_project_and_fails_on_a_missing_dependency(tmp_path: Path) -> None:
    created = _tempestweb("new", "proj", "--dir", str(tmp_path), cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    project = tmp_path / "proj"
    assert not (project / "pyproject.toml").exists()
    app = project / "app.py"
    (project / "helpers.py").write_text("import json\n\nTITLE = 'x'\n")
    app.write_text("import tomlkit\nimport helpers\nfrom click import echo\n" + app.read_text())

    synced = _tempestweb("sync", cwd=project)
    assert synced.returncode == 0, synced.stdout + synced.stderr
    # the app's imports first; the requirements of tomlkit and click that are installed follow
    # (none at the pinned versions; the oldest tested ones can bring a few)
    first = synced.stdout.splitlines()[0]
    assert first.startswith("tempestweb.toml: added to [wasm].modules: tomlkit, click")
    assert synced.stderr == ""
    config = tomllib.loads((project / "tempestweb.toml").read_text())
    assert config["wasm"]["modules"][:2] == ["tomlkit", "click"]
    assert config["app"]["module"] == "app.py"  # the rest of the file is kept

    again = _tempestweb("sync", str(project), cwd=tmp_path)
    assert again.returncode == 0 and again.stdout == "tempestweb.toml: [wasm].modules is up to date\n"

    app.write_text("import not_installed_xyz_pkg\n" + app.read_text())
    missing = _tempestweb("sync", cwd=project)
    assert missing.returncode == 1, missing.stdout + missing.stderr
    assert missing.stderr == (
        "Error: not installed (imported by the app): not_installed_xyz_pkg; "
        "install them (pip install ...), then run tempestweb sync again\n"
    )
