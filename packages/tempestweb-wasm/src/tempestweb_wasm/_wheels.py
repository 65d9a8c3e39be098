"""Pure-Python wheels of the framework's own packages, zipped from their importable files.

Why zip instead of ``pip wheel``: the builder must work from an installed environment *and*
from a source checkout on ``PYTHONPATH`` without a build backend, network or build isolation.
A wheel of a pure-Python package is just its files plus a ``.dist-info`` folder, so the files
that Python would import are exactly what ships. Zips are deterministic (fixed timestamps,
sorted entries) so an unchanged package gives a byte-identical wheel and the service worker
cache name only changes when code changes.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import importlib.util
import re
import tomllib
import zipfile
from pathlib import Path

from tempestweb_wasm.errors import WasmError

_EPOCH = (1980, 1, 1, 0, 0, 0)
_SKIP_DIRS = {"__pycache__"}
_SKIP_SUFFIXES = {".pyc", ".pyo"}
_NATIVE_SUFFIXES = (".so", ".pyd", ".dylib", ".dll")


def package_dir(import_name: str, /) -> Path:
    """Return the folder of an importable regular package.

    Raises:
        WasmError: The package cannot be found or is a single-file module.

    """
    spec = importlib.util.find_spec(import_name)
    if spec is None or not spec.submodule_search_locations:
        raise WasmError(f"package {import_name!r} is not importable as a package from this environment")
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def dist_version(dist_name: str, folder: Path, /) -> str:
    """Return the version of a distribution: installed metadata, else the nearest pyproject.

    Args:
        dist_name: Distribution name, e.g. ``"tempest-core"``.
        folder: The package folder, used to find ``pyproject.toml`` in a source checkout.

    Returns:
        The version string (``"0"`` when nothing records one).

    """
    for parent in folder.parents:
        pyproject = parent / "pyproject.toml"
        if pyproject.is_file():
            try:
                project = tomllib.loads(pyproject.read_text("utf-8")).get("project", {})
            except (tomllib.TOMLDecodeError, OSError):
                break
            if project.get("name") == dist_name and isinstance(project.get("version"), str):
                return str(project["version"])
            break
    try:
        return importlib.metadata.version(dist_name)
    except importlib.metadata.PackageNotFoundError:
        return "0"


def iter_package_files(folder: Path, /) -> list[Path]:
    """Return every shippable file under a package folder, sorted (no caches, no bytecode).

    Raises:
        WasmError: The folder holds a compiled extension (it cannot run under Pyodide as is).

    """
    files: list[Path] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or _SKIP_DIRS.intersection(path.relative_to(folder).parts):
            continue
        if path.suffix in _SKIP_SUFFIXES:
            continue
        if path.name.endswith(_NATIVE_SUFFIXES):
            raise WasmError(f"{path} is a compiled extension; it cannot be zipped into a pure-Python wheel")
        files.append(path)
    return files


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _write(archive: zipfile.ZipFile, name: str, data: bytes, record: list[str]) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
    record.append(f"{name},{_record_hash(data)},{len(data)}")


def build_pure_wheel(dist_name: str, import_name: str, out_dir: Path, /) -> Path:
    """Zip an importable pure-Python package into a ``py3-none-any`` wheel.

    Args:
        dist_name: Distribution name, e.g. ``"tempest-core"``.
        import_name: Import name of the package, e.g. ``"tempest_core"``, or a package inside a
            PEP 420 namespace, e.g. ``"tempestweb.native"`` (shipped as ``tempestweb/native/``).
        out_dir: Folder the wheel is written to.

    Returns:
        Path of the wheel, e.g. ``out_dir / "tempest_core-0.1.0-py3-none-any.whl"``.

    Raises:
        WasmError: The package is not importable or contains compiled extensions.

    """
    folder = package_dir(import_name)
    version = dist_version(dist_name, folder)
    norm = re.sub(r"[-_.]+", "_", dist_name).lower()
    info_dir = f"{norm}-{version}.dist-info"
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{norm}-{version}-py3-none-any.whl"
    record: list[str] = []
    with zipfile.ZipFile(wheel, "w") as archive:
        for path in iter_package_files(folder):
            arcname = f"{import_name.replace('.', '/')}/{path.relative_to(folder).as_posix()}"
            _write(archive, arcname, path.read_bytes(), record)
        metadata = f"Metadata-Version: 2.1\nName: {dist_name}\nVersion: {version}\n"
        _write(archive, f"{info_dir}/METADATA", metadata.encode(), record)
        wheel_meta = (
            "Wheel-Version: 1.0\nGenerator: tempestweb-wasm\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        _write(archive, f"{info_dir}/WHEEL", wheel_meta.encode(), record)
        _write(archive, f"{info_dir}/top_level.txt", f"{import_name.partition('.')[0]}\n".encode(), record)
        record.append(f"{info_dir}/RECORD,,")
        info = zipfile.ZipInfo(f"{info_dir}/RECORD", date_time=_EPOCH)
        info.external_attr = 0o644 << 16
        archive.writestr(info, "\n".join(record) + "\n")
    return wheel
