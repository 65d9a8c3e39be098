from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from tempestweb_wasm import (
    CacheIntegrityError,
    FetchError,
    ToolMissingError,
    _cache,
    ensure_pyodide,
    ensure_wheels,
)
from tempestweb_wasm.constants import PYODIDE_FILES, PYODIDE_VERSION


def _fake_tgz(path: Path, marker: str) -> str:
    with tarfile.open(path, "w:gz") as archive:
        for name in PYODIDE_FILES:
            data = f"{name}:{marker}".encode()
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return _cache.sha256_file(path)


class FakeNpm:
    """Stands in for `npm pack`: copies prepared tarballs into the working directory."""

    def __init__(self, tarballs: list[Path]) -> None:
        self.tarballs = tarballs
        self.calls = 0

    def __call__(self, argv: Sequence[str], cwd: Path) -> None:
        assert argv[1:3] == ["pack", f"pyodide@{PYODIDE_VERSION}"]
        source = self.tarballs[min(self.calls, len(self.tarballs) - 1)]
        self.calls += 1
        (cwd / f"pyodide-{PYODIDE_VERSION}.tgz").write_bytes(source.read_bytes())


@pytest.fixture
def good_tgz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "good.tgz"
    monkeypatch.setattr("tempestweb_wasm._cache.PYODIDE_TGZ_SHA256", _fake_tgz(path, "good"))
    monkeypatch.setattr("tempestweb_wasm._cache.shutil.which", lambda name: f"/fake/{name}")
    return path


def test_pyodide_fetched_once_then_reused(tmp_path: Path, good_tgz: Path) -> None:
    npm = FakeNpm([good_tgz])
    folder = ensure_pyodide(cache=tmp_path / "c", runner=npm)
    assert sorted(p.name for p in folder.iterdir()) == sorted(PYODIDE_FILES)
    assert ensure_pyodide(cache=tmp_path / "c", runner=npm) == folder
    assert npm.calls == 1


def test_corrupt_extracted_file_is_detected_and_restored(tmp_path: Path, good_tgz: Path) -> None:
    npm = FakeNpm([good_tgz])
    folder = ensure_pyodide(cache=tmp_path / "c", runner=npm)
    (folder / "pyodide.asm.wasm").write_bytes(b"corrupt")
    folder = ensure_pyodide(cache=tmp_path / "c", runner=npm)
    assert (folder / "pyodide.asm.wasm").read_bytes() == b"pyodide.asm.wasm:good"
    assert npm.calls == 1  # the verified tarball was reused


def test_corrupt_tarball_is_downloaded_again(tmp_path: Path, good_tgz: Path) -> None:
    npm = FakeNpm([good_tgz])
    folder = ensure_pyodide(cache=tmp_path / "c", runner=npm)
    tgz = folder.parent / f"pyodide-{PYODIDE_VERSION}.tgz"
    tgz.write_bytes(b"garbage")
    (folder / "pyodide.mjs").write_bytes(b"corrupt")
    ensure_pyodide(cache=tmp_path / "c", runner=npm)
    assert npm.calls == 2
    assert _cache.sha256_file(tgz) == _cache.sha256_file(good_tgz)


def test_tarball_with_wrong_hash_twice_raises(tmp_path: Path, good_tgz: Path) -> None:
    bad = tmp_path / "bad.tgz"
    _fake_tgz(bad, "tampered")
    npm = FakeNpm([bad])
    with pytest.raises(CacheIntegrityError, match="SHA-256") as info:
        ensure_pyodide(cache=tmp_path / "c", runner=npm)
    assert npm.calls == 2
    assert info.value.path.endswith(".tgz")


def test_npm_missing_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempestweb_wasm._cache.shutil.which", lambda name: None)
    with pytest.raises(ToolMissingError, match="npm"):
        ensure_pyodide(cache=tmp_path / "c", runner=FakeNpm([]))


class FakePip:
    """Stands in for `pip download`: writes wheels (content per call) into the -d folder."""

    def __init__(self, contents: list[bytes]) -> None:
        self.contents = contents
        self.calls = 0

    def __call__(self, argv: Sequence[str], cwd: Path) -> None:
        assert "download" in argv and "--platform" in argv and "--only-binary=:all:" in argv
        dest = Path(argv[argv.index("-d") + 1])
        content = self.contents[min(self.calls, len(self.contents) - 1)]
        self.calls += 1
        (dest / "pkg-1.0-py3-none-any.whl").write_bytes(content)
        (dest / "dep-2.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl").write_bytes(b"dep")


def test_wheels_recorded_and_reused(tmp_path: Path) -> None:
    pip = FakePip([b"v1"])
    wheels = ensure_wheels(["pkg==1.0"], cache=tmp_path, runner=pip)
    assert [w.name for w in wheels] == [
        "dep-2.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl",
        "pkg-1.0-py3-none-any.whl",
    ]
    lock = json.loads((wheels[0].parent / "lock.json").read_text())
    assert lock["files"]["pkg-1.0-py3-none-any.whl"] == _cache.sha256_file(wheels[1])
    assert ensure_wheels(["pkg==1.0"], cache=tmp_path, runner=pip) == wheels
    assert pip.calls == 1


def test_corrupt_wheel_detected_and_redownloaded(tmp_path: Path) -> None:
    pip = FakePip([b"v1"])
    wheels = ensure_wheels(["pkg==1.0"], cache=tmp_path, runner=pip)
    wheels[1].write_bytes(b"corrupted")
    again = ensure_wheels(["pkg==1.0"], cache=tmp_path, runner=pip)
    assert pip.calls == 2
    assert again[1].read_bytes() == b"v1"


def test_redownload_with_other_hash_raises(tmp_path: Path) -> None:
    pip = FakePip([b"v1", b"evil"])
    wheels = ensure_wheels(["pkg==1.0"], cache=tmp_path, runner=pip)
    wheels[1].write_bytes(b"corrupted")
    with pytest.raises(CacheIntegrityError, match="differs from the recorded"):
        ensure_wheels(["pkg==1.0"], cache=tmp_path, runner=pip)


PIP_NO_DISTRIBUTION = """\
WARNING: Location 'file:///opt/simple/nope-xyz/' is ignored: it is neither a file nor a directory.
ERROR: Could not find a version that satisfies the requirement nope-xyz (from versions: none)
ERROR: No matching distribution found for nope-xyz"""
"""What pip 25 prints for a requirement with no wheel for the platform (as captured)."""


def test_issue_12_a_package_without_a_pyodide_wheel_is_named_in_one_line(tmp_path: Path) -> None:
    """``[wasm] packages = ["nope-xyz"]`` printed the whole ``pip download`` command and output."""

    def pip(argv: Sequence[str], cwd: Path) -> None:
        raise FetchError(f"{' '.join(argv)} failed with exit code 1:\n{PIP_NO_DISTRIBUTION}")

    with pytest.raises(FetchError) as caught:
        ensure_wheels(["pydantic==2.14.3", "nope-xyz"], cache=tmp_path, runner=pip)
    message = str(caught.value)
    assert "\n" not in message and "pip" not in message and "WARNING" not in message
    assert message.startswith("no wheel for Pyodide (platform pyemscripten_2026_0_wasm32, CPython 3.14)")
    assert "for 'nope-xyz': check the name and version ([wasm] packages in tempestweb.toml)" in message


def test_other_pip_failures_keep_pips_own_words(tmp_path: Path) -> None:
    def pip(argv: Sequence[str], cwd: Path) -> None:
        raise FetchError("pip download failed with exit code 1:\nERROR: network is unreachable")

    with pytest.raises(FetchError, match="network is unreachable"):
        ensure_wheels(["pkg==1.0"], cache=tmp_path, runner=pip)


def test_run_command_errors(tmp_path: Path) -> None:
    with pytest.raises(ToolMissingError, match="not installed"):
        _cache.run_command(["definitely-not-a-tool-xyz"], tmp_path)
    with pytest.raises(FetchError, match="exit code 3"):
        _cache.run_command(["python3", "-c", "import sys; sys.stderr.write('nope'); sys.exit(3)"], tmp_path)


def test_cache_dir_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TEMPESTWEB_CACHE_DIR", str(tmp_path / "x"))
    assert _cache.cache_dir() == tmp_path / "x"
    monkeypatch.delenv("TEMPESTWEB_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert _cache.cache_dir() == tmp_path / "xdg" / "tempestweb"
