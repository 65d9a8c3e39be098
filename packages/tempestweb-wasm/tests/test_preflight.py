"""``_preflight``: what ``tempestweb doctor`` says about Mode A's tools and cache (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tempestweb_wasm._cache import sha256_file
from tempestweb_wasm._mode import MODE
from tempestweb_wasm._preflight import Diagnosis, diagnose
from tempestweb_wasm.constants import CACHE_DIR_ENV, PYODIDE_FILES, PYODIDE_TGZ_SHA256, PYODIDE_VERSION


def fake_tools(folder: Path, **versions: str) -> Path:
    folder.mkdir()
    for name, version in versions.items():
        script = folder / name
        script.write_text(f"#!/bin/sh\necho {version}\n")
        script.chmod(0o755)
    return folder


def fill_cache(root: Path) -> Path:
    folder = root / "pyodide" / PYODIDE_VERSION
    (folder / "files").mkdir(parents=True)
    for name in PYODIDE_FILES:
        (folder / "files" / name).write_text(name)
    hashes = {name: sha256_file(folder / "files" / name) for name in PYODIDE_FILES}
    (folder / "lock.json").write_text(json.dumps({"tgz_sha256": PYODIDE_TGZ_SHA256, "files": hashes}))
    return folder


def by_name(diagnoses: list[Diagnosis]) -> dict[str, Diagnosis]:
    return {diagnosis.name: diagnosis for diagnosis in diagnoses}


def test_issue_12_doctor_checks_node_npm_and_the_pyodide_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tools = fake_tools(tmp_path / "bin", node="v20.1.0", npm="10.2.4")
    monkeypatch.setenv("PATH", str(tools))
    cache = tmp_path / "cache"
    # Empty cache: the first build fetches Pyodide with npm, so node and npm are required.
    empty = by_name(diagnose(cache=cache))
    assert list(empty) == ["pyodide cache", "node", "npm"]
    assert not empty["pyodide cache"].ok and not empty["pyodide cache"].required
    assert f"Pyodide {PYODIDE_VERSION} is not in {cache / 'pyodide' / PYODIDE_VERSION} yet" in (
        empty["pyodide cache"].detail
    )
    assert empty["node"] == Diagnosis("node", True, f"v20.1.0 at {tools / 'node'}", required=True)
    assert empty["npm"] == Diagnosis("npm", True, f"10.2.4 at {tools / 'npm'}", required=True)
    # No npm on PATH and nothing cached: a Mode A build cannot run; doctor says why.
    monkeypatch.setenv("PATH", str(fake_tools(tmp_path / "none")))
    missing = by_name(diagnose(cache=cache))
    assert not missing["npm"].ok and missing["npm"].required
    assert missing["npm"].detail.startswith("not found on PATH; needed to fetch pyodide@")
    # A verified cache makes node and npm optional; a tampered file is reported as not cached.
    folder = fill_cache(cache)
    cached = by_name(diagnose(cache=cache))
    assert cached["pyodide cache"] == Diagnosis(
        "pyodide cache", True, f"Pyodide {PYODIDE_VERSION} in {folder}", required=False
    )
    assert not cached["npm"].ok and not cached["npm"].required
    (folder / "files" / PYODIDE_FILES[0]).write_text("tampered")
    assert not by_name(diagnose(cache=cache))["pyodide cache"].ok
    # The mode's check() (what doctor calls) reads the cache the builder uses.
    monkeypatch.setenv(CACHE_DIR_ENV, str(cache))
    assert MODE.check() == diagnose(cache=cache)
