"""Issue 14: what a build gives its service worker and its boot to check a deploy with.

``sw.js`` carries the Subresource Integrity value of every precached file but the HTML ones, so
its install refuses a file of another build (a half-uploaded deploy) instead of caching it
under this build's name; ``tw-build.json`` names Pyodide's files, which the boot checks when
Pyodide fails to load. The browser side is in ``test_issue_14_pwa_lifecycle_*.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

from tempestweb_contract.names import BUILD_MANIFEST_FILE
from tempestweb_wasm import build
from tempestweb_wasm._sw import SW_FILE, write_service_worker
from tempestweb_wasm.constants import PYODIDE_FILES


def _config(out: Path) -> dict[str, object]:
    match = re.search(r"const CONFIG = \((\{.*?\})\);", (out / SW_FILE).read_text("utf-8"))
    assert match is not None, "CONFIG not injected"
    config: dict[str, object] = json.loads(match.group(1))
    return config


def _sri(path: Path) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(path.read_bytes()).digest()).decode()


def test_issue_14_sw_checks_every_file_but_html(tmp_path: Path) -> None:
    for rel in ["index.html", "bootstrap.js", "docs/page.html", "wheels/a-1-py3-none-any.whl", "x y/z.png"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"content of {rel}")
    cache, entries = write_service_worker(tmp_path)
    config = _config(tmp_path)
    assert config["cache"] == cache and config["files"] == entries
    expected = {
        entry: _sri(tmp_path / entry[2:])
        for entry in entries
        if entry != "./" and not entry.endswith(".html")
    }
    assert config["integrity"] == expected
    assert set(expected) == {"./bootstrap.js", "./wheels/a-1-py3-none-any.whl", "./x y/z.png"}


def test_issue_14_a_build_names_pyodide_files_and_hashes_its_wheels(
    counter_app: Path, tmp_path: Path
) -> None:
    result = build(counter_app, out=tmp_path / "out")
    manifest = json.loads((result.out / BUILD_MANIFEST_FILE).read_text("utf-8"))
    assert manifest["pyodide"]["files"] == list(PYODIDE_FILES)
    integrity = _config(result.out)["integrity"]
    assert isinstance(integrity, dict)
    for wheel in manifest["wheels"]:
        assert integrity[wheel] == _sri(result.out / wheel[2:]), wheel
    assert "./" not in integrity and "./index.html" not in integrity
