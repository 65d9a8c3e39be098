from __future__ import annotations

from pathlib import Path

import pytest

from tempestweb_wasm import ModuleResolutionError, resolve_module


def test_vendored_file_wins_over_installed(tmp_path: Path) -> None:
    (tmp_path / "click.py").write_text("X = 1\n")  # click is installed too
    resolved = resolve_module("click", tmp_path)
    assert resolved.origin == "vendored"
    assert resolved.files == ((tmp_path / "click.py", "click.py"),)


def test_vendored_package_keeps_paths_and_skips_caches(tmp_path: Path) -> None:
    pkg = tmp_path / "helpers"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "data.txt").write_text("x")
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    resolved = resolve_module("helpers.sub", tmp_path)
    assert resolved.origin == "vendored"
    assert sorted(rel for _, rel in resolved.files) == [
        "helpers/__init__.py",
        "helpers/sub/__init__.py",
        "helpers/sub/data.txt",
    ]


def test_installed_pure_package(tmp_path: Path) -> None:
    resolved = resolve_module("tomlkit", tmp_path)
    assert resolved.origin == "installed"
    rels = [rel for _, rel in resolved.files]
    assert "tomlkit/__init__.py" in rels
    assert all(rel.startswith("tomlkit/") for rel in rels)


def test_stdlib_needs_no_copy(tmp_path: Path) -> None:
    assert resolve_module("json", tmp_path).origin == "stdlib"
    assert resolve_module("json", tmp_path).files == ()


def test_missing_module_names_it(tmp_path: Path) -> None:
    with pytest.raises(ModuleResolutionError) as info:
        resolve_module("no_such_module_xyz.sub", tmp_path)
    assert info.value.module == "no_such_module_xyz.sub"
    assert "no_such_module_xyz" in str(info.value)
    assert "neither" in str(info.value)


def test_installed_native_module_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ModuleResolutionError, match=r"\[wasm\]\.packages|compiled"):
        resolve_module("msgspec", tmp_path)  # ships a compiled _core extension
