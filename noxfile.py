"""The front door of the monorepo: every check CI runs is a nox session here.

    nox -s lint layering typecheck typecheck_js build tests e2e conformance   # the README's test command
    nox -s bench                                         # benchmarks (ratios against in-run anchors)
    nox -s demo                                          # serve examples/todomvc on :8000
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
import tomllib
from pathlib import Path

import nox

ROOT = Path(__file__).parent
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = [
    "lint", "layering", "typecheck", "typecheck_js", "build", "tests", "e2e", "conformance"
]

# Each package with the local packages it depends on, in install order. A package's tests run in
# a venv holding only these (plus its own `test` extra), which proves its declared dependencies.
PACKAGES: dict[str, list[str]] = {
    "tempestweb-contract": [],
    "tempest-core": ["tempestweb-contract"],
    "tempestweb-native": ["tempestweb-contract"],
    "tempestweb-server": ["tempestweb-contract", "tempest-core"],
    "tempestweb-wasm": ["tempestweb-contract", "tempest-core"],
    "tempestweb-cli": ["tempestweb-contract"],
}
# Local packages a package's *tests* need beyond its runtime dependencies (its `test` extra names
# them too; installing them from the tree first keeps pip from looking for them on an index).
TEST_LOCAL: dict[str, list[str]] = {
    "tempestweb-cli": ["tempest-core", "tempestweb-server"],
    "tempestweb-native": ["tempest-core"],
}
ALL = list(PACKAGES)
IMPORTS = {name: name.replace("-", "_") for name in ALL} | {"tempestweb-native": "tempestweb"}  # PEP 420
TEST_TOOLS = ["pytest>=8", "pytest-asyncio>=0.24", "hypothesis>=6.100", "httpx>=0.27", "playwright>=1.45"]


def _paths(names: list[str]) -> list[str]:
    return [str(ROOT / "packages" / name) for name in names]


def _pytest(session: nox.Session, name: str, *args: str) -> None:
    """Run pytest; exit code 5 ("no tests ran") is a failure, not a pass.

    With ``TEMPESTWEB_JUNIT_DIR`` set (CI), each run also writes ``<dir>/<name>.xml`` so that
    ``.ci/summarize_junit.py`` can print one total for the whole suite.
    """
    junit = os.environ.get("TEMPESTWEB_JUNIT_DIR")
    extra = [f"--junitxml={Path(junit) / (name + '.xml')}"] if junit else []
    # .ci/pytest_ci_policy.py: under TEMPESTWEB_REQUIRE_BROWSER=1 a skipped test is a failure.
    session.env["PYTHONPATH"] = str(ROOT / ".ci")
    session.run("python", "-m", "pytest", "-p", "pytest_ci_policy", *args, *extra, *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff over the whole tree (root ``pyproject.toml`` config)."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")


@nox.session
def layering(session: nox.Session) -> None:
    """import-linter contracts: mode packages, native and the CLI never import each other."""
    session.install("import-linter>=2.0", *_paths(ALL))
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over every package's sources and tests."""
    session.install("mypy>=1.11", *TEST_TOOLS, "websockets", "tomlkit", *_paths(ALL))
    # One run per package: test directories are not packages, so each run sees one ``tests``.
    for name in ALL:
        package = ROOT / "packages" / name
        session.run(
            "mypy",
            "--strict",
            str(package / "src"),
            str(package / "tests"),
            env={"MYPYPATH": str(package / "tests")},
        )


CLIENT = ROOT / "client"  # also the npm project that pins TypeScript (package-lock.json)
# One tsc run per config: the client (DOM), Mode A page scripts (DOM), Mode A service workers
# (WebWorker). All three live in client/ because tempestweb-wasm's static/ ships in its wheel.
TSC_CONFIGS = ["tsconfig.json", "tsconfig.wasm.json", "tsconfig.sw.json", "tsconfig.native.json"]


@nox.session(venv_backend="none")
def typecheck_js(session: nox.Session) -> None:
    """``tsc --noEmit --strict --checkJs`` over the JS client and the Mode A static scripts.

    TypeScript comes from ``client/package-lock.json`` (``npm ci``). The install is skipped while
    ``client/node_modules`` holds a stamp with the SHA-256 of the current lock; ``npm ci`` wipes
    ``node_modules`` first, so a stale or partial install never keeps its stamp.
    """
    lock = hashlib.sha256((CLIENT / "package-lock.json").read_bytes()).hexdigest()
    stamp = CLIENT / "node_modules" / ".tempestweb-lock.sha256"
    if stamp.is_file() and stamp.read_text() == lock:
        session.log("client/node_modules matches package-lock.json")
    else:
        npm_ci = ["npm", "ci", "--prefix", str(CLIENT), "--ignore-scripts", "--no-audit", "--no-fund"]
        session.run(*npm_ci, external=True)
        stamp.write_text(lock)
    session.chdir(CLIENT)
    # `--` ends npx's own options (its `-p` is `--package`).
    session.run("npx", "--no", "--", "tsc", "--version", external=True)
    for config in TSC_CONFIGS:
        session.run("npx", "--no", "--", "tsc", "-p", config, external=True)


DIST = ROOT / "dist"
BUILDER = ROOT / ".nox" / "_builder"  # a venv holding only the build frontend and hatchling
BUILD_TOOLS = ["build>=1.2", "hatchling>=1.21"]
# Inputs of a package's artifacts outside its directory (see tempestweb-contract/hatch_build.py).
OUTSIDE_INPUTS: dict[str, list[Path]] = {
    "tempestweb-contract": [ROOT / "client" / "src"],
    "tempestweb-native": [ROOT / "client" / "native", ROOT / "client" / "pwa"],
}


def _builder(session: nox.Session) -> str:
    """Return the python of the shared builder venv, creating it on first use."""
    python = BUILDER / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    ready = BUILDER / "tempestweb-ready.txt"
    if not (python.is_file() and ready.is_file() and ready.read_text() == " ".join(BUILD_TOOLS)):
        session.run(sys.executable, "-m", "venv", "--clear", str(BUILDER), external=True)
        session.run(str(python), "-m", "pip", "install", "-q", *BUILD_TOOLS, external=True)
        ready.write_text(" ".join(BUILD_TOOLS))
    return str(python)


def _artifacts(name: str) -> dict[str, Path]:
    """Return the paths in ``dist/`` of a package's wheel and sdist (PEP 427 / PEP 625 names)."""
    pyproject = tomllib.loads((ROOT / "packages" / name / "pyproject.toml").read_text("utf-8"))
    project = pyproject["project"]
    base = f"{re.sub(r'[-_.]+', '_', project['name']).lower()}-{project['version']}"
    return {"wheel": DIST / f"{base}-py3-none-any.whl", "sdist": DIST / f"{base}.tar.gz"}


def _inputs_digest(name: str) -> str:
    """Return a SHA-256 over the paths and contents of every file a package's artifacts come from."""
    digest = hashlib.sha256()
    for top in [ROOT / "packages" / name, *OUTSIDE_INPUTS.get(name, [])]:
        for path in sorted(top.rglob("*")):
            skipped = any(part[0] == "." or part == "__pycache__" for part in path.relative_to(top).parts)
            if path.is_file() and path.suffix != ".pyc" and not skipped:
                digest.update(f"{path.relative_to(ROOT).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _dists(
    session: nox.Session, names: list[str], kinds: tuple[str, ...] = ("wheel",), *, force: bool = False
) -> dict[str, Path]:
    """Build with hatch into ``dist/`` the artifacts that are missing or stale; return the wheels.

    An artifact is stale when the digest of its inputs differs from the one recorded next to it
    in ``dist/.inputs/``, so each wheel is built once per source change, not once per session.
    """
    stamps = DIST / ".inputs"
    stamps.mkdir(parents=True, exist_ok=True)
    for name in names:
        paths, digest = _artifacts(name), _inputs_digest(name)

        def fresh(kind: str, paths: dict[str, Path] = paths, digest: str = digest) -> bool:
            stamp = stamps / f"{paths[kind].name}.sha256"
            return paths[kind].is_file() and stamp.is_file() and stamp.read_text() == digest

        stale = [kind for kind in kinds if force or not fresh(kind)]
        if not stale:
            session.log(f"{name}: {', '.join(paths[k].name for k in kinds)} up to date")
            continue
        with tempfile.TemporaryDirectory(dir=DIST, prefix=".build-") as tmp:
            command = ["-m", "build", "--no-isolation", *(f"--{kind}" for kind in stale), "--outdir", tmp]
            session.run(_builder(session), *command, str(ROOT / "packages" / name), external=True)
            for kind in stale:
                os.replace(Path(tmp) / paths[kind].name, paths[kind])
                (stamps / f"{paths[kind].name}.sha256").write_text(digest)
    return {name: _artifacts(name)["wheel"] for name in names}


@nox.session
@nox.parametrize("package", ALL)
def tests(session: nox.Session, package: str) -> None:
    """One package's tests against its wheel, in a venv holding only it and its declared dependencies.

    The package and its local dependencies come from wheels hatch builds into ``dist/`` (rebuilt
    only when their sources change), never from the source tree. Smoke checks run first from the
    session's tmp directory, no source on sys.path (``.ci/smoke_installed.py``: site-packages imports;
    for the contract, ``python -m tempestweb_contract schema`` and ``client_dir()`` inside
    site-packages; mode entry points; the ``tempestweb`` script). pytest then runs with
    ``.ci/pytest_installed_only.py``, which fails the run if any first-party module was imported
    from outside site-packages.
    """
    local = PACKAGES[package] + TEST_LOCAL.get(package, [])
    wheels = _dists(session, [*local, package])
    # Same version numbers, possibly new contents: replace the local packages outright.
    session.install("--force-reinstall", "--no-deps", *(str(wheel) for wheel in wheels.values()))
    session.install(*(str(wheels[name]) for name in local), f"{wheels[package]}[test]", *TEST_TOOLS)
    session.run("python", "-m", "pip", "check")
    session.chdir(session.create_tmp())
    session.run("python", str(ROOT / ".ci" / "smoke_installed.py"), package, *local)
    session.chdir(ROOT / "packages" / package)
    session.env["TEMPESTWEB_INSTALLED_PACKAGE"] = IMPORTS[package]
    _pytest(session, package, "tests", "-p", "no:cacheprovider", "-p", "pytest_installed_only")


@nox.session
def e2e(session: nox.Session) -> None:
    """The example apps in real Chromium: TodoMVC behaviour suite, jsfb keyed checks, counter."""
    session.install(*_paths(ALL), *TEST_TOOLS)
    # Two runs: Playwright's sync API keeps an event loop running in the main thread for the
    # whole session, which asyncio.run()/pytest-asyncio in a later headless test cannot share.
    suite = str(ROOT / "examples" / "tests")
    bench_tests = str(ROOT / "bench" / "e2e")  # unit tests of the benchmark's op table and score
    _pytest(session, "e2e-headless", suite, bench_tests, "-m", "not browser", "-p", "no:cacheprovider")
    _pytest(session, "e2e-browser", suite, "-m", "browser", "-p", "no:cacheprovider")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks, as ratios against anchors measured in the same run.

    Reconciler vs a minimal keyed reconciler; jsfb in Chromium vs vanilla JS in Mode B and in
    Mode A; Mode A cold start vs bare Pyodide + ``import pydantic``.
    """
    session.install(*_paths(ALL), "playwright>=1.45")
    session.run("python", str(ROOT / "bench" / "reconciler.py"))
    session.run("python", str(ROOT / "bench" / "e2e" / "jsfb_bench.py"), *session.posargs)
    session.run("python", str(ROOT / "bench" / "e2e" / "jsfb_bench.py"), "--mode", "a", *session.posargs)
    session.run("python", str(ROOT / "bench" / "e2e" / "wasm_coldstart.py"))


@nox.session
def demo(session: nox.Session) -> None:
    """Serve the TodoMVC example in Mode B on http://127.0.0.1:8000."""
    session.install(*_paths(ALL))
    port = os.environ.get("PORT", "8000")
    session.run("tempestweb", "run", str(ROOT / "examples" / "todomvc"), "--port", port)


@nox.session(venv_backend="none")
def build(session: nox.Session) -> None:
    """Wheel and sdist of every package into ``dist/`` with hatch, then check their contents.

    ``.ci/check_dists.py`` checks each wheel (``py.typed``, every module, METADATA against the
    pyproject, entry points, bundled JS client / static assets, no tests or caches, RECORD) and
    each sdist (pyproject, README, sources), and that a wheel built from the unpacked sdist has
    the same files as the direct one. Always rebuilds, so ``dist/`` matches the tree afterwards.
    """
    _dists(session, ALL, ("wheel", "sdist"), force=True)
    session.run(_builder(session), str(ROOT / ".ci" / "check_dists.py"), str(DIST), *ALL, external=True)


@nox.session
@nox.parametrize("mode", ["a", "b"])
def conformance(session: nox.Session, mode: str) -> None:
    """Mode A vs Mode B conformance: every case's DOM after every step equals its golden snapshot.

    One session per mode (``conformance(mode='a')``: Pyodide build in Chromium; ``mode='b'``: server
    + Chromium); both compare with the same ``conformance/golden`` snapshots, so both green means
    A == B on every step. Rewrite the snapshots with
    ``python -m pytest conformance/tests --mode both --update-golden`` (writes only where A == B).
    """
    session.install(*_paths(ALL), *TEST_TOOLS)
    _pytest(
        session,
        f"conformance-{mode}",
        str(ROOT / "conformance" / "tests"),
        "--mode",
        mode,
        "-p",
        "no:cacheprovider",
    )
