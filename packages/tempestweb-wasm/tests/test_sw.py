from __future__ import annotations

import json
import re
from pathlib import Path

from tempestweb_wasm._sw import SW_FILE, precache_list, write_service_worker


def _config(out: Path) -> dict[str, object]:
    text = (out / SW_FILE).read_text()
    match = re.search(r"const CONFIG = \((\{.*?\})\);", text)
    assert match is not None, "CONFIG not injected"
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def _tree(out: Path) -> None:
    for rel in [
        "index.html",
        "bootstrap.js",
        "pyodide/pyodide.asm.wasm",
        "wheels/a-1-py3-none-any.whl",
        "x/y/z.png",
    ]:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(rel)


def test_precache_lists_every_file(tmp_path: Path) -> None:
    _tree(tmp_path)
    cache, entries = write_service_worker(tmp_path)
    files = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert set(entries) == {"./"} | {f"./{f}" for f in files - {SW_FILE}}
    config = _config(tmp_path)
    assert config["files"] == entries
    assert config["cache"] == cache
    assert cache.startswith("tw-")


def test_cache_name_follows_content(tmp_path: Path) -> None:
    _tree(tmp_path)
    first, _ = write_service_worker(tmp_path)
    again, _ = write_service_worker(tmp_path)
    assert first == again
    (tmp_path / "bootstrap.js").write_text("changed")
    changed, _ = write_service_worker(tmp_path)
    assert changed != first


def test_precache_list_is_sorted_and_excludes_sw(tmp_path: Path) -> None:
    _tree(tmp_path)
    (tmp_path / SW_FILE).write_text("old")
    entries = precache_list(tmp_path)
    assert entries[0] == "./"
    assert entries[1:] == sorted(entries[1:])
    assert f"./{SW_FILE}" not in entries
