"""Check the wheels and sdists in ``dist/`` against each package's ``pyproject.toml`` and sources.

Usage: ``python .ci/check_dists.py DIST_DIR [PACKAGE ...]`` (default: every ``packages/*``). Run it
with an interpreter that has ``build``, ``hatchling`` and ``packaging`` (``nox -s build`` does).

For each package, with ``NAME-VERSION`` taken from its pyproject ([PEP 427] file names):

- the wheel holds ``py.typed``, every file of ``src/<import>/`` (byte-equal), no tests, no
  ``__pycache__``/``.pyc``; its ``METADATA`` ([core metadata 2.x]) has the pyproject's name,
  version, ``Requires-Python``, ``Requires-Dist`` (runtime and extras) and ``Provides-Extra``;
  its ``entry_points.txt`` equals ``[project.scripts]`` and ``[project.entry-points]`` and holds
  the entry points the CLI relies on; its ``RECORD`` hashes match ([PEP 376]/[PEP 627]);
- package-specific assets are present: the contract's ``tempestweb_contract/client/`` equals the
  repository's ``client/src``; the wasm runtime's ``static/bootstrap.js`` and ``static/sw.js``;
- the sdist holds ``pyproject.toml``, ``README.md``, ``PKG-INFO`` and every source file, no
  ``__pycache__``; a wheel built from the unpacked sdist has the same files, byte for byte, as
  the direct wheel.

Every problem is printed as ``<artifact>: <what is wrong>``; the exit status is 1 if any.

[PEP 427]: https://peps.python.org/pep-0427/
[core metadata 2.x]: https://packaging.python.org/en/latest/specifications/core-metadata/
[PEP 376]: https://peps.python.org/pep-0376/
[PEP 627]: https://peps.python.org/pep-0627/
"""

from __future__ import annotations

import base64
import configparser
import hashlib
import re
import subprocess
import sys
import tarfile
import tempfile
import tomllib
import zipfile
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
CLIENT_SRC = ROOT / "client" / "src"
# Files that must be in a wheel whatever the pyproject says (paths inside the wheel).
REQUIRED_FILES: dict[str, list[str]] = {
    "tempestweb-contract": [
        "tempestweb_contract/client/tempestweb.js",
        "tempestweb_contract/client/boot.js",
        "tempestweb_contract/client/constants.js",
    ],
    "tempestweb-wasm": ["tempestweb_wasm/static/bootstrap.js", "tempestweb_wasm/static/sw.js"],
    "tempestweb-native": [
        "tempestweb/native/py.typed",
        "tempestweb/native/_client/native/http.js",
        "tempestweb/native/_client/pwa/install-prompt.js",
    ],
}
# Entry points other packages find at run time: (group, name) -> object reference.
REQUIRED_ENTRY_POINTS: dict[str, dict[tuple[str, str], str]] = {
    "tempestweb-server": {("tempestweb.modes", "server"): "tempestweb_server._mode:MODE"},
    "tempestweb-wasm": {("tempestweb.modes", "wasm"): "tempestweb_wasm._mode:MODE"},
    "tempestweb-desktop": {("tempestweb.modes", "desktop"): "tempestweb_desktop._mode:MODE"},
    "tempestweb-cli": {("console_scripts", "tempestweb"): "tempestweb_cli.main:cli"},
}
# Wheel directories (paths inside the wheel) whose files come from outside ``src/``.
EXTRA_TREES: dict[str, list[tuple[str, Path]]] = {
    "tempestweb-contract": [("tempestweb_contract/client", CLIENT_SRC)],
    "tempestweb-native": [
        ("tempestweb/native/_client/native", ROOT / "client" / "native"),
        ("tempestweb/native/_client/pwa", ROOT / "client" / "pwa"),
    ],
}
# Sdist directories (relative to the sdist root) that must mirror a repository directory.
SDIST_TREES: dict[str, list[tuple[str, Path]]] = {
    "tempestweb-contract": [("client/src", CLIENT_SRC)],
    "tempestweb-native": [
        ("client/native", ROOT / "client" / "native"),
        ("client/pwa", ROOT / "client" / "pwa"),
    ],
}
# Namespace packages (PEP 420): py.typed belongs in the package inside them.
NAMESPACES = frozenset({"tempestweb"})


def normalize(name: str) -> str:
    """Return the wheel/sdist file-name form of a distribution name (PEP 427, PEP 625).

    Args:
        name: A project name such as ``tempestweb-contract``.

    Returns:
        The lower-case name with runs of ``-_.`` replaced by ``_``.

    """
    return re.sub(r"[-_.]+", "_", name).lower()


CACHE_DIRS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".hypothesis", ".ruff_cache"})
"""Directories of tool caches (all in .gitignore, so hatch leaves them out of every artifact)."""


def source_files(directory: Path) -> dict[str, bytes]:
    """Return every file under ``directory`` (caches excluded) as ``relative posix path -> bytes``.

    Args:
        directory: A source directory.

    Returns:
        The files' contents, keyed by their path relative to ``directory``.

    """
    files: dict[str, bytes] = {}
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if path.is_file() and not CACHE_DIRS.intersection(relative.parts) and path.suffix != ".pyc":
            files[relative.as_posix()] = path.read_bytes()
    return files


def _requirement(text: str) -> str:
    return str(Requirement(text))


def expected_requires(project: dict[str, Any]) -> set[str]:
    """Return the ``Requires-Dist`` values the pyproject declares, in canonical form.

    Args:
        project: The ``[project]`` table.

    Returns:
        Runtime requirements and each extra's requirements (with ``extra == "<name>"`` markers).

    """
    wanted = {_requirement(dep) for dep in project.get("dependencies", [])}
    for extra, deps in project.get("optional-dependencies", {}).items():
        wanted |= {_requirement(f'{dep}; extra == "{extra}"') for dep in deps}
    return wanted


def expected_entry_points(project: dict[str, Any]) -> dict[tuple[str, str], str]:
    """Return the entry points the pyproject declares as ``(group, name) -> reference``.

    Args:
        project: The ``[project]`` table.

    Returns:
        ``[project.scripts]`` under ``console_scripts``, ``gui-scripts`` under
        ``gui_scripts``, and every ``[project.entry-points.<group>]``.

    """
    points = {("console_scripts", k): v for k, v in project.get("scripts", {}).items()}
    points |= {("gui_scripts", k): v for k, v in project.get("gui-scripts", {}).items()}
    for group, table in project.get("entry-points", {}).items():
        points |= {(group, k): v for k, v in table.items()}
    return points


def _record_problems(wheel: zipfile.ZipFile, dist_info: str) -> list[str]:
    problems = []
    record = wheel.read(f"{dist_info}/RECORD").decode()
    listed = set()
    for line in record.splitlines():
        if not line.strip():
            continue
        path, digest, _size = line.rsplit(",", 2)
        listed.add(path)
        if path == f"{dist_info}/RECORD":
            continue
        if path not in wheel.namelist():
            problems.append(f"RECORD lists a file the wheel lacks: {path}")
            continue
        algorithm, _, value = digest.partition("=")
        actual = base64.urlsafe_b64encode(hashlib.new(algorithm, wheel.read(path)).digest()).rstrip(b"=")
        if actual.decode() != value:
            problems.append(f"RECORD hash mismatch for {path}")
    unlisted = set(wheel.namelist()) - listed
    problems += [f"file not in RECORD: {path}" for path in sorted(unlisted)]
    return problems


def check_wheel(package: Path, wheel_path: Path) -> list[str]:
    """Check one wheel against its package directory.

    Args:
        package: ``packages/<name>`` (holds ``pyproject.toml`` and ``src/``).
        wheel_path: The wheel file.

    Returns:
        One message per problem found; empty when the wheel is right.

    """
    project = tomllib.loads((package / "pyproject.toml").read_text("utf-8"))["project"]
    name, version = project["name"], project["version"]
    dist_info = f"{normalize(name)}-{version}.dist-info"
    problems: list[str] = []
    with zipfile.ZipFile(wheel_path) as wheel:
        names = set(wheel.namelist())
        # Sources: every file of src/<import>/ byte-equal; nothing else outside dist-info.
        expected: dict[str, bytes] = {}
        for top in sorted(p for p in (package / "src").iterdir() if p.is_dir()):
            expected |= {f"{top.name}/{rel}": data for rel, data in source_files(top).items()}
        for prefix, tree in EXTRA_TREES.get(name, []):
            expected |= {f"{prefix}/{rel}": data for rel, data in source_files(tree).items()}
        problems += [f"missing {path}" for path in sorted(set(expected) - names)]
        problems += [
            f"differs from the source: {p}"
            for p in sorted(expected)
            if p in names and wheel.read(p) != expected[p]
        ]
        payload = {n for n in names if not n.startswith(f"{dist_info}/")}
        problems += [f"unexpected file {path}" for path in sorted(payload - set(expected))]
        problems += [f"missing {path}" for path in REQUIRED_FILES.get(name, []) if path not in names]
        tops = {
            "/".join(path.split("/", 2)[:2]) if path.split("/", 1)[0] in NAMESPACES else path.split("/", 1)[0]
            for path in payload
        }
        problems += [f"missing {top}/py.typed" for top in sorted(tops) if f"{top}/py.typed" not in names]
        for path in sorted(names):
            parts = path.split("/")
            if "__pycache__" in parts or path.endswith((".pyc", ".pyo")):
                problems.append(f"bytecode cache in the wheel: {path}")
            if (
                "tests" in parts
                or "test" in parts
                or re.fullmatch(r"(test_.*|.*_test|conftest)\.py", parts[-1])
            ):
                problems.append(f"test file in the wheel: {path}")
        if f"{dist_info}/METADATA" not in names:
            return [*problems, f"missing {dist_info}/METADATA (is the version in the file name right?)"]
        problems += _metadata_problems(project, wheel.read(f"{dist_info}/METADATA").decode())
        problems += _entry_point_problems(project, wheel, dist_info)
        problems += _record_problems(wheel, dist_info) if f"{dist_info}/RECORD" in names else ["no RECORD"]
    return problems


def _metadata_problems(project: dict[str, Any], text: str) -> list[str]:
    metadata = HeaderParser().parsestr(text)
    problems = []
    for field, wanted in (("Name", project["name"]), ("Version", project["version"])):
        if metadata[field] != wanted:
            problems.append(f"METADATA {field} is {metadata[field]!r}, pyproject says {wanted!r}")
    wanted_python = project.get("requires-python")
    if metadata["Requires-Python"] != wanted_python:
        problems.append(
            f"METADATA Requires-Python is {metadata['Requires-Python']!r}, pyproject says {wanted_python!r}"
        )
    actual = {_requirement(value) for value in metadata.get_all("Requires-Dist") or []}
    wanted = expected_requires(project)
    problems += [f"METADATA lacks Requires-Dist: {req}" for req in sorted(wanted - actual)]
    problems += [f"METADATA has undeclared Requires-Dist: {req}" for req in sorted(actual - wanted)]
    extras = set(metadata.get_all("Provides-Extra") or [])
    declared = sorted(project.get("optional-dependencies", {}))
    if sorted(extras) != declared:
        problems.append(f"METADATA Provides-Extra is {sorted(extras)}, pyproject says {declared}")
    return problems


def _entry_point_problems(project: dict[str, Any], wheel: zipfile.ZipFile, dist_info: str) -> list[str]:
    parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    if f"{dist_info}/entry_points.txt" in wheel.namelist():
        parser.read_string(wheel.read(f"{dist_info}/entry_points.txt").decode())
    actual = {
        (group, key): value.strip() for group in parser.sections() for key, value in parser[group].items()
    }
    wanted = expected_entry_points(project)
    problems = []
    for (group, key), ref in sorted((wanted | REQUIRED_ENTRY_POINTS.get(project["name"], {})).items()):
        if actual.get((group, key)) != ref:
            problems.append(
                f"entry point [{group}] {key} = {ref} missing (found {actual.get((group, key))!r})"
            )
    problems += [f"undeclared entry point [{g}] {k}" for g, k in sorted(set(actual) - set(wanted))]
    return problems


def check_sdist(package: Path, sdist_path: Path) -> list[str]:
    """Check one sdist's member list against its package directory.

    Args:
        package: ``packages/<name>``.
        sdist_path: The ``.tar.gz`` file.

    Returns:
        One message per problem found.

    """
    project = tomllib.loads((package / "pyproject.toml").read_text("utf-8"))["project"]
    base = f"{normalize(project['name'])}-{project['version']}"
    with tarfile.open(sdist_path) as sdist:
        members = {m.name for m in sdist.getmembers() if m.isfile()}
    problems = []
    wanted = {"pyproject.toml", "PKG-INFO", project.get("readme", "README.md")}
    wanted |= {f"src/{rel}" for rel in source_files(package / "src")}
    wanted |= (
        {f"tests/{rel}" for rel in source_files(package / "tests")} if (package / "tests").is_dir() else set()
    )
    for prefix, tree in SDIST_TREES.get(project["name"], []):
        wanted |= {f"{prefix}/{rel}" for rel in source_files(tree)}
    problems += [f"missing {base}/{path}" for path in sorted(wanted) if f"{base}/{path}" not in members]
    problems += [
        f"bytecode cache in the sdist: {m}"
        for m in sorted(members)
        if "__pycache__" in m or m.endswith(".pyc")
    ]
    return problems


def check_rebuild(sdist_path: Path, wheel_path: Path) -> list[str]:
    """Build a wheel from the unpacked sdist and compare it with the direct wheel.

    Args:
        sdist_path: The sdist to unpack and build (``python -m build --wheel --no-isolation``).
        wheel_path: The wheel built directly from the source tree.

    Returns:
        One message per file missing, extra or different (``RECORD`` excluded) in the rebuilt
        wheel, or the build's error output when it fails.

    """
    with tempfile.TemporaryDirectory(prefix="check-dists-") as tmp:
        with tarfile.open(sdist_path) as sdist:
            sdist.extractall(tmp, filter="data")
        (source,) = [p for p in Path(tmp).iterdir() if p.is_dir()]
        out = Path(tmp) / "out"
        build = [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(source),
        ]
        result = subprocess.run(build, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            return [f"building a wheel from the sdist failed:\n{result.stdout}\n{result.stderr}"]
        (rebuilt,) = out.glob("*.whl")
        with zipfile.ZipFile(rebuilt) as new, zipfile.ZipFile(wheel_path) as old:
            new_files = {n: new.read(n) for n in new.namelist() if not n.endswith(".dist-info/RECORD")}
            old_files = {n: old.read(n) for n in old.namelist() if not n.endswith(".dist-info/RECORD")}
    problems = [f"wheel from the sdist lacks {n}" for n in sorted(set(old_files) - set(new_files))]
    problems += [f"wheel from the sdist has extra {n}" for n in sorted(set(new_files) - set(old_files))]
    common = sorted(set(old_files) & set(new_files))
    problems += [f"wheel from the sdist differs in {n}" for n in common if old_files[n] != new_files[n]]
    return problems


def main(argv: list[str]) -> int:
    """Check every requested package's artifacts in the dist directory; print each problem.

    Args:
        argv: ``[DIST_DIR, PACKAGE...]``; no package means every directory of ``packages/``.

    Returns:
        0 when every artifact is right, 1 otherwise, 2 on a usage error.

    """
    if not argv:
        print(__doc__.split("\n\n", 2)[1], file=sys.stderr)
        return 2
    dist = Path(argv[0])
    names = argv[1:] or sorted(
        p.name for p in (ROOT / "packages").iterdir() if (p / "pyproject.toml").is_file()
    )
    failed = False
    for name in names:
        package = ROOT / "packages" / name
        project = tomllib.loads((package / "pyproject.toml").read_text("utf-8"))["project"]
        base = f"{normalize(project['name'])}-{project['version']}"
        wheel, sdist = dist / f"{base}-py3-none-any.whl", dist / f"{base}.tar.gz"
        problems: list[tuple[Path, str]] = []
        for artifact in (wheel, sdist):
            if not artifact.is_file():
                problems.append((artifact, "not built"))
        if wheel.is_file():
            problems += [(wheel, p) for p in check_wheel(package, wheel)]
        if sdist.is_file():
            problems += [(sdist, p) for p in check_sdist(package, sdist)]
        if wheel.is_file() and sdist.is_file():
            problems += [(sdist, p) for p in check_rebuild(sdist, wheel)]
        for artifact, problem in dict.fromkeys(problems):
            print(f"{artifact.name}: {problem}")
        if not problems:
            print(f"{name}: wheel and sdist OK")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
