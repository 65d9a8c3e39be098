"""The front door of the monorepo: every check CI runs is a nox session here.

    nox -s lint layering typecheck typecheck_js build wheelhouse tests bounds e2e conformance  # README
    nox -s bench                                         # benchmarks (ratios against in-run anchors)
    nox -s demo                                          # serve examples/todomvc on :8000
    nox -s lock                                          # re-resolve constraints/dev.txt (CONTRIBUTING.md)
    nox -s bounds                                        # tests at the lowest declared dependency versions
    nox -s docs                                          # docs site, strict, into site/; its code blocks run

Every install goes through ``_install``, which applies ``constraints/dev.txt`` (the pinned toolchain
and third-party dependencies). Our own packages are only ever installed from the wheels hatch
builds into ``dist/``, through ``dist/siblings.txt`` (``name @ file:///.../dist/<wheel>``
constraints), so pip never takes a same-named distribution from the package index.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
import tomllib
from pathlib import Path

import nox
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).parent
CONSTRAINTS = ROOT / "constraints" / "dev.txt"
nox.needs_version = ">=2024.4"
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = [
    "lint", "layering", "typecheck", "typecheck_js", "build", "wheelhouse",
    "tests", "bounds", "protocol", "reliability", "e2e", "conformance", "docs",
]

# The published packages, in dependency order. A new package is one more line here; the local
# packages it depends on are read from its pyproject.toml (runtime dependencies, and the `test`
# extra for what its tests need), so nothing else in this file names it.
PACKAGE_NAMES = [
    "tempestweb-contract",
    "tempest-core",
    "tempestweb-native",
    "tempestweb-server",
    "tempestweb-wasm",
    "tempestweb-cli",
    "tempestweb-desktop",
]
ALL = [name for name in PACKAGE_NAMES if (ROOT / "packages" / name / "pyproject.toml").is_file()]
# The tools every session may need; their versions come from constraints/dev.txt.
TEST_TOOLS = ["pytest>=8.2", "pytest-asyncio>=0.24", "hypothesis>=6.100", "httpx>=0.27", "playwright>=1.45"]
# The docs site's toolchain (mkdocs.yml, `nox -s docs`).
DOCS_TOOLS = ["mkdocs>=1.6", "mkdocs-material>=9.5", "mkdocstrings[python]>=0.30"]
# What `nox -s lock` resolves, besides every package with its `test` extra.
LOCK_TOOLS = [
    "nox>=2024.4",
    "mypy>=1.11",
    "ruff>=0.6",
    *TEST_TOOLS,
    "websockets>=12",
    "jsonschema>=4.20",
    "tomlkit>=0.12",
    "import-linter>=2.0",
    "build>=1.2",
    "hatchling>=1.21",
    "packaging>=24",
    *DOCS_TOOLS,
]


def _project(name: str) -> dict[str, object]:
    """Return the ``[project]`` table of a package's pyproject.toml."""
    text = (ROOT / "packages" / name / "pyproject.toml").read_text("utf-8")
    project: dict[str, object] = tomllib.loads(text)["project"]
    return project


def _requirements(name: str, extra: str | None = None) -> list[Requirement]:
    """Return a package's runtime requirements, or those of one of its extras."""
    project = _project(name)
    if extra is None:
        lines = project.get("dependencies", [])
    else:
        extras = project.get("optional-dependencies", {})
        lines = extras.get(extra, []) if isinstance(extras, dict) else []
    return [Requirement(line) for line in lines] if isinstance(lines, list) else []


def _local(name: str, extra: str | None = None) -> list[str]:
    """Return the local packages a package (or one of its extras) requires directly."""
    return [req.name for req in _requirements(name, extra) if canonicalize_name(req.name) in ALL]


def _closure(names: list[str]) -> list[str]:
    """Return ``names`` and every local package they require, dependencies first."""
    order: list[str] = []

    def visit(name: str) -> None:
        if name not in order:
            for dependency in _local(name):
                visit(dependency)
            order.append(name)

    for name in names:
        visit(name)
    return order


def _import_name(name: str) -> str:
    """Return a package's import package, from its hatch wheel target (e.g. ``tempest_core``)."""
    pyproject = tomllib.loads((ROOT / "packages" / name / "pyproject.toml").read_text("utf-8"))
    targets = pyproject.get("tool", {}).get("hatch", {}).get("build", {}).get("targets", {})
    packages = targets.get("wheel", {}).get("packages", [])
    return Path(packages[0]).name if packages else name.replace("-", "_")


# Each package with the local packages it depends on, in install order. A package's tests run in
# a venv holding only these (plus its own `test` extra), which proves its declared dependencies.
PACKAGES: dict[str, list[str]] = {name: _closure([name])[:-1] for name in ALL}
# Local packages a package's *tests* need beyond its runtime dependencies (from its `test` extra).
TEST_LOCAL: dict[str, list[str]] = {
    name: [dep for dep in _closure(_local(name, "test")) if dep not in PACKAGES[name] and dep != name]
    for name in ALL
}
IMPORTS = {name: _import_name(name) for name in ALL}


def _install(session: nox.Session, *args: str) -> None:
    """``pip install`` under the pinned versions of ``constraints/dev.txt`` (every session uses this)."""
    session.install("-c", str(CONSTRAINTS), *args)


def _pytest(session: nox.Session, name: str, *args: str, timeout_s: int | None = None) -> None:
    """Run pytest; exit code 5 ("no tests ran") is a failure, not a pass.

    With ``TEMPESTWEB_JUNIT_DIR`` set (CI), each run also writes ``<dir>/<name>.xml`` so that
    ``.ci/summarize_junit.py`` can print one total for the whole suite. With ``timeout_s`` (and
    coreutils ``timeout`` on PATH) the run is interrupted after that many seconds and fails.
    """
    junit = os.environ.get("TEMPESTWEB_JUNIT_DIR")
    extra = [f"--junitxml={Path(junit) / (name + '.xml')}"] if junit else []
    # .ci/pytest_ci_policy.py: under TEMPESTWEB_REQUIRE_BROWSER=1 a skipped test is a failure.
    session.env["PYTHONPATH"] = str(ROOT / ".ci")
    limit = ["timeout", "--signal=INT", "--kill-after=30", str(timeout_s)]
    prefix = limit if timeout_s is not None and shutil.which("timeout") else []
    command = [*prefix, "python", "-m", "pytest", "-p", "pytest_ci_policy", *args, *extra, *session.posargs]
    session.run(*command, external=bool(prefix))


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff over the whole tree; every dependency bound and pin agrees (``.ci/check_bounds.py``)."""
    _install(session, "ruff>=0.6", "packaging>=24")
    session.run("ruff", "check", ".")
    session.run("python", str(ROOT / ".ci" / "check_bounds.py"), str(CONSTRAINTS), *ALL)


@nox.session
def layering(session: nox.Session) -> None:
    """import-linter contracts: mode packages, native and the CLI never import each other."""
    _install_wheels(session, ALL, "import-linter>=2.0")
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over every package's sources and tests."""
    extras = ["websockets", "tomlkit", "redis", "uvicorn", "granian"]  # what tests and optional code import
    _install_wheels(session, ALL, "mypy>=1.11", *TEST_TOOLS, *extras)
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


def _client_npm_tools(session: nox.Session) -> None:
    """Install ``client/package-lock.json``'s dev tools (TypeScript, axe-core) into client/node_modules.

    ``npm ci`` runs unless ``client/node_modules`` holds a stamp with the SHA-256 of the current
    lock; ``npm ci`` wipes ``node_modules`` first, so a stale or partial install never keeps its
    stamp.
    """
    lock = hashlib.sha256((CLIENT / "package-lock.json").read_bytes()).hexdigest()
    stamp = CLIENT / "node_modules" / ".tempestweb-lock.sha256"
    if stamp.is_file() and stamp.read_text() == lock:
        session.log("client/node_modules matches package-lock.json")
    else:
        npm_ci = ["npm", "ci", "--prefix", str(CLIENT), "--ignore-scripts", "--no-audit", "--no-fund"]
        session.run(*npm_ci, external=True)
        stamp.write_text(lock)


@nox.session(venv_backend="none")
def typecheck_js(session: nox.Session) -> None:
    """``tsc --noEmit --strict --checkJs`` over the JS client and the Mode A static scripts.

    TypeScript comes from ``client/package-lock.json`` (see :func:`_client_npm_tools`).
    """
    _client_npm_tools(session)
    session.chdir(CLIENT)
    # `--` ends npx's own options (its `-p` is `--package`).
    session.run("npx", "--no", "--", "tsc", "--version", external=True)
    for config in TSC_CONFIGS:
        session.run("npx", "--no", "--", "tsc", "-p", config, external=True)


DIST = ROOT / "dist"
# `name @ file:///.../dist/<wheel>` for every wheel in dist/: as a pip constraints file it makes
# pip take our packages from dist/ and nowhere else (`--find-links` alone does not: on a version
# tie pip may prefer the index, which holds an unrelated tempest-core 0.1.0).
SIBLINGS = DIST / "siblings.txt"
BUILDER = ROOT / ".nox" / "_builder"  # a venv holding only the build frontend and hatchling
BUILD_TOOLS = ["build>=1.2", "hatchling>=1.21"]
# Inputs of a package's artifacts outside its directory (see tempestweb-contract/hatch_build.py).
OUTSIDE_INPUTS: dict[str, list[Path]] = {
    "tempestweb-contract": [ROOT / "client" / "src"],
    "tempestweb-native": [ROOT / "client" / "native", ROOT / "client" / "pwa"],
}


def _builder(session: nox.Session) -> str:
    """Return the python of the shared builder venv, creating it on first use (pinned tools)."""
    python = BUILDER / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    ready = BUILDER / "tempestweb-ready.txt"
    # Only `nox -s lock` run before constraints/dev.txt exists builds without it.
    pinned = ["-c", str(CONSTRAINTS)] if CONSTRAINTS.is_file() else []
    digest = hashlib.sha256(CONSTRAINTS.read_bytes()).hexdigest() if pinned else ""
    stamp = " ".join([*BUILD_TOOLS, *pinned, digest])
    if not (python.is_file() and ready.is_file() and ready.read_text() == stamp):
        session.run(sys.executable, "-m", "venv", "--clear", str(BUILDER), external=True)
        command = ["-m", "pip", "install", "-q", *pinned, *BUILD_TOOLS]
        session.run(str(python), *command, external=True)
        ready.write_text(stamp)
    return str(python)


def _artifacts(name: str) -> dict[str, Path]:
    """Return the paths in ``dist/`` of a package's wheel and sdist (PEP 427 / PEP 625 names)."""
    project = _project(name)
    base = f"{re.sub(r'[-_.]+', '_', str(project['name'])).lower()}-{project['version']}"
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


def _write_siblings() -> None:
    """Rewrite ``dist/siblings.txt``: one URL constraint per wheel of ours present in ``dist/``."""
    lines = [f"{name} @ {wheel.as_uri()}\n" for name in ALL if (wheel := _artifacts(name)["wheel"]).is_file()]
    text = "# Written by noxfile.py: pip install -c dist/siblings.txt takes our packages from here.\n"
    text += "".join(lines)
    if not SIBLINGS.is_file() or SIBLINGS.read_text("utf-8") != text:
        with tempfile.NamedTemporaryFile("w", dir=DIST, prefix=".siblings-", delete=False) as tmp:
            tmp.write(text)
        os.replace(tmp.name, SIBLINGS)


def _dists(
    session: nox.Session, names: list[str], kinds: tuple[str, ...] = ("wheel",), *, force: bool = False
) -> dict[str, Path]:
    """Build with hatch into ``dist/`` the artifacts that are missing or stale; return the wheels.

    An artifact is stale when the digest of its inputs differs from the one recorded next to it
    in ``dist/.inputs/``, so each wheel is built once per source change, not once per session.
    ``dist/siblings.txt`` is rewritten to name every wheel present.
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
    _write_siblings()
    return {name: _artifacts(name)["wheel"] for name in names}


def _install_wheels(session: nox.Session, names: list[str], *args: str, extra: str = "") -> None:
    """Install the wheels of ``names`` (built if stale) and ``args``; siblings come from ``dist/``.

    Only the named wheels are listed; the local packages they require are resolved by pip through
    ``dist/siblings.txt``, exactly as a user installing one wheel from the wheelhouse. Our
    packages are uninstalled first: a reused venv may hold the same version with older contents.
    """
    wheels = _dists(session, _closure([*names, *(dep for name in names for dep in TEST_LOCAL[name])]))
    session.run("python", "-m", "pip", "uninstall", "-y", "-q", *ALL, silent=True)
    _install(session, "-c", str(SIBLINGS), *(f"{wheels[name]}{extra}" for name in names), *args)


@nox.session
@nox.parametrize("package", ALL)
def tests(session: nox.Session, package: str) -> None:
    """One package's tests against its wheel, in a venv holding only it and its declared dependencies.

    The package's wheel is installed alone (with its ``test`` extra); pip takes the local packages
    it requires from the wheels hatch builds into ``dist/`` (rebuilt only when their sources
    change), never from the source tree or the index. ``.ci/check_wheelhouse.py`` then checks that
    every one of ours installed has our version and came from its wheel in ``dist/``. Smoke checks
    run next from the session's tmp directory, no source on sys.path (``.ci/smoke_installed.py``:
    site-packages imports; for the contract, ``python -m tempestweb_contract schema`` and
    ``client_dir()`` inside site-packages; mode entry points; the ``tempestweb`` script). pytest
    then runs with ``.ci/pytest_installed_only.py``, which fails the run if any first-party module
    was imported from outside site-packages.
    """
    local = PACKAGES[package] + TEST_LOCAL[package]
    _install_wheels(session, [package], *TEST_TOOLS, extra="[test]")
    session.run("python", "-m", "pip", "check")
    session.chdir(session.create_tmp())
    session.run("python", str(ROOT / ".ci" / "check_wheelhouse.py"), str(SIBLINGS), package, *local)
    session.run("python", str(ROOT / ".ci" / "smoke_installed.py"), package, *local)
    session.chdir(ROOT / "packages" / package)
    session.env["TEMPESTWEB_INSTALLED_PACKAGE"] = IMPORTS[package]
    _pytest(session, package, "tests", "-p", "no:cacheprovider", "-p", "pytest_installed_only")


@nox.session(venv_backend="none")
def wheelhouse(session: nox.Session) -> None:
    """Each package's wheel installed alone into a brand-new venv pulls our siblings from ``dist/``.

    For every package: a fresh venv, then ``pip install -c dist/siblings.txt --find-links dist/
    <wheel>`` (third-party dependencies from the index under ``constraints/dev.txt``), then
    ``.ci/check_wheelhouse.py``: every local package it requires is installed, every one of ours has
    its pyproject version and was installed from its wheel in ``dist/`` (``direct_url.json`` names
    the file, hashes equal), no foreign ``tempestweb`` came along; and ``.ci/smoke_installed.py``.
    The package's tests run against the same kind of install in ``tests(package)``.
    """
    _dists(session, ALL)
    for package in ALL:
        with tempfile.TemporaryDirectory(prefix=f"wheelhouse-{package}-") as tmp:
            venv = Path(tmp) / "venv"
            python = str(venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
            session.run(sys.executable, "-m", "venv", str(venv), external=True)
            wheel = str(_artifacts(package)["wheel"])
            pip = [python, "-m", "pip", "install", "-q", "-c", str(CONSTRAINTS), "-c", str(SIBLINGS)]
            session.run(*pip, "--find-links", str(DIST), wheel, external=True)
            checks = [str(SIBLINGS), package, *PACKAGES[package]]
            session.chdir(tmp)  # no source on sys.path: only site-packages can provide our imports
            session.run(python, str(ROOT / ".ci" / "check_wheelhouse.py"), *checks, external=True)
            smoke = [str(ROOT / ".ci" / "smoke_installed.py"), package, *PACKAGES[package]]
            session.run(python, *smoke, external=True)
            session.chdir(ROOT)


BOUNDS_TIMEOUT_S = 600  # per package: the whole session takes about two minutes


def _lower_bounds(names: list[str]) -> dict[str, str]:
    """Return ``{name: lowest version}`` over the third-party requirements of ``names``.

    Runtime dependencies, the ``test`` extras and ``TEST_TOOLS``: every one must declare a lower
    bound (``>=``, ``==`` or ``~=``); where two declare one, the higher wins.
    """
    lower: dict[str, str] = {}
    declared = [
        (name, req) for name in names for extra in (None, "test") for req in _requirements(name, extra)
    ]
    declared += [("TEST_TOOLS", Requirement(tool)) for tool in TEST_TOOLS]
    for owner, req in declared:
        key = canonicalize_name(req.name)
        if key in ALL:
            continue
        floors = [spec.version for spec in req.specifier if spec.operator in (">=", "==", "~=")]
        if not floors:
            raise ValueError(f"{owner}: {req} declares no lower bound")
        lower[key] = str(max(Version(v) for v in [*floors, lower.get(key, "0")]))
    return lower


@nox.session
def bounds(session: nox.Session) -> None:
    """Every package's tests except the browser ones, against the lowest declared dependencies.

    Installs every third-party requirement (runtime dependencies, ``test`` extras and the test
    tools) at the lower bound its pyproject declares (``name==lower``) and runs
    ``pytest -m "not browser"`` per package; what they need beyond that resolves freely. The upper
    bounds are what ``constraints/dev.txt`` pins and every other session tests.
    """
    lower = _lower_bounds(ALL)
    floor = Path(session.create_tmp()) / "lower.txt"
    floor.write_text("".join(f"{name}=={version}\n" for name, version in sorted(lower.items())))
    wheels = _dists(session, _closure([dep for name in ALL for dep in [name, *TEST_LOCAL[name]]]))
    session.run("python", "-m", "pip", "uninstall", "-y", "-q", *ALL, silent=True)
    specs = [f"{wheels[name]}[test]" for name in ALL]
    # Not _install: lower.txt takes the place of constraints/dev.txt here.
    session.install("-c", str(floor), "-c", str(SIBLINGS), *specs, *TEST_TOOLS)
    session.run("python", "-m", "pip", "check")
    installed = str(session.run("python", "-m", "pip", "freeze", silent=True) or "").split()
    under_test = [line for line in installed if canonicalize_name(line.partition("=")[0]) in lower]
    session.log(f"lowest versions under test: {', '.join(under_test)}")
    failed = []
    for name in ALL:  # every package runs, so one failure does not hide another's
        session.chdir(ROOT / "packages" / name)
        # An older dependency can make a test wait forever (an SSE stream the older test client
        # buffers): dump the stacks of a test stuck for 2 minutes, stop the package after 10.
        args = ["tests", "-m", "not browser", "-p", "no:cacheprovider", "-o", "faulthandler_timeout=120"]
        try:
            _pytest(session, f"bounds-{name}", *args, timeout_s=BOUNDS_TIMEOUT_S)
        except nox.command.CommandFailed:
            failed.append(name)
    if failed:
        session.error(f"tests failed at the lowest declared versions: {', '.join(failed)}")


@nox.session(reuse_venv=False)
def lock(session: nox.Session) -> None:
    """Resolve the toolchain and every package's dependencies afresh; rewrite ``constraints/dev.txt``.

    Installs ``LOCK_TOOLS`` and every package's wheel with its ``test`` extra into this session's
    new venv with no constraints (the pyproject bounds still apply), then writes ``pip freeze``
    less our own distributions, and the list of pinned versions in CONTRIBUTING.md. Review the
    diff, run the README's test command, commit both files.
    """
    wheels = _dists(session, ALL)
    session.install("-c", str(SIBLINGS), *(f"{wheel}[test]" for wheel in wheels.values()), *LOCK_TOOLS)
    frozen = str(session.run("python", "-m", "pip", "freeze", silent=True) or "")
    pins: dict[str, str] = {}
    for line in frozen.splitlines():
        name, sep, pinned = line.partition("==")
        key = canonicalize_name(name)
        if sep and key not in ALL and key not in ("pip", "setuptools", "wheel"):
            pins[key] = pinned
    python = ".".join(map(str, sys.version_info[:2]))
    header = (
        "# The pinned development and test toolchain and every third-party dependency, as resolved\n"
        f"# and tested together on Python {python}. Used by every nox session and by .ci/run.\n"
        "# Generated by `nox -s lock` (see CONTRIBUTING.md); do not edit by hand.\n"
        "# Our own distributions are never pinned here: they come from dist/ (dist/siblings.txt).\n"
    )
    CONSTRAINTS.parent.mkdir(exist_ok=True)
    CONSTRAINTS.write_text(header + "".join(f"{key}=={pins[key]}\n" for key in sorted(pins)), "utf-8")
    session.log(f"wrote {len(pins)} pins to {CONSTRAINTS.relative_to(ROOT)}")
    # CONTRIBUTING.md lists the pinned versions; rewrite that list and check bounds against pins.
    session.run("python", str(ROOT / ".ci" / "check_bounds.py"), "--write-docs", str(CONSTRAINTS), *ALL)


@nox.session
def e2e(session: nox.Session) -> None:
    """The example apps in real Chromium: TodoMVC behaviour suite, jsfb keyed checks, counter, axe-core."""
    _install_wheels(session, ALL, *TEST_TOOLS)
    _client_npm_tools(session)  # axe-core for examples/tests/test_a11y.py
    # Two runs: Playwright's sync API keeps an event loop running in the main thread for the
    # whole session, which asyncio.run()/pytest-asyncio in a later headless test cannot share.
    suite = str(ROOT / "examples" / "tests")
    bench_tests = str(ROOT / "bench" / "e2e")  # unit tests of the benchmark's op table and score
    _pytest(session, "e2e-headless", suite, bench_tests, "-m", "not browser", "-p", "no:cacheprovider")
    _pytest(session, "e2e-browser", suite, "-m", "browser", "-p", "no:cacheprovider")


@nox.session
def protocol(session: nox.Session) -> None:
    """The protocol suite: the same scripted frame exchanges against every host adapter.

    In process (the pilot's and desktop's host), Mode A's runtime under CPython, Mode B over
    WebSocket and over SSE + POST on a real server on loopback; every reply must be identical
    (``conformance/protocol``; a new host joins by adding one adapter in ``adapters.py``).
    """
    _install_wheels(session, ALL, *TEST_TOOLS, "websockets>=12")
    _pytest(session, "protocol", str(ROOT / "conformance" / "protocol"), "-p", "no:cacheprovider")


@nox.session
def reliability(session: nox.Session) -> None:
    """Mode B under attack (``conformance/reliability``, issue 13), against real servers on loopback.

    Fuzzed frames over every endpoint beside healthy sessions, origin and token attacks, a
    disconnect storm, slow readers and flooders (resident memory under a bound derived from the
    byte limits), an XSS corpus in Chromium under CSP + Trusted Types, and worker kills with 2
    workers on Redis (needs ``redis-server``). Each test counts what it tried; the figures go to
    ``build/reliability.json`` (docs/reliability.md reports a run).
    """
    _install_wheels(session, ALL, *TEST_TOOLS, "websockets>=12", "redis>=5.0.1")
    session.env["TEMPESTWEB_RELIABILITY_JSON"] = str(ROOT / "build" / "reliability.json")
    _pytest(session, "reliability", str(ROOT / "conformance" / "reliability"), "-p", "no:cacheprovider")


@nox.session
def desktop(session: nox.Session) -> None:
    """Desktop mode in real windows (Xvfb + WebKitWebDriver): examples, conformance, the CLI.

    ``tempestweb run examples/<app> --mode desktop`` driven by the Chromium suites' own checks
    (counter, TodoMVC, jsfb), the conformance cases against the golden snapshots as a third mode,
    and doctor / no-display errors (``packages/tempestweb-desktop/tests/e2e``; the package's own
    window tests run in ``tests``). Needs, on Debian: xvfb libwebkit2gtk-4.1-0 webkit2gtk-driver
    xdotool dbus-daemon libglib2.0-bin libayatana-appindicator3-1.
    """
    _install_wheels(session, ALL, *TEST_TOOLS)
    session.env["TEMPESTWEB_DESKTOP_E2E"] = "1"
    suite = ROOT / "packages" / "tempestweb-desktop" / "tests"
    session.chdir(suite.parent)  # the package's conftest and helpers; no source on sys.path
    _pytest(session, "desktop", str(suite / "e2e"), "-p", "no:cacheprovider")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks, as ratios against anchors measured in the same run.

    Reconciler vs a minimal keyed reconciler; jsfb in Chromium vs vanilla JS in Mode B and in
    Mode A; Mode A cold start vs bare Pyodide + ``import pydantic``; Mode B on 2 workers and Redis
    while a worker is killed every 10 s (no acknowledged event lost; needs ``redis-server``); a
    FileUpload relayed to the worker serving its session vs the same upload stored there; a
    click's instructions under callgrind vs the echo anchor's (when ``valgrind`` is installed).
    """
    _install_wheels(session, ALL, "playwright>=1.45", "httpx>=0.27", "websockets>=12", "redis>=5.0.1")
    session.run("python", str(ROOT / "bench" / "reconciler.py"))
    session.run("python", str(ROOT / "bench" / "event_answer.py"))  # one event, in process
    session.run("python", str(ROOT / "bench" / "e2e" / "jsfb_bench.py"), *session.posargs)
    session.run("python", str(ROOT / "bench" / "e2e" / "jsfb_bench.py"), "--mode", "a", *session.posargs)
    session.run("python", str(ROOT / "bench" / "e2e" / "wasm_coldstart.py"))
    session.run("python", str(ROOT / "bench" / "e2e" / "virtual_table_bench.py"))  # Table, B and A
    # The p99 target holds "when the machine has a free core": servers on one CPU, the load client
    # on another, and (as root) both under SCHED_FIFO so other jobs wait (docs/benchmarks.md).
    free_core = ["--pin"] if len(os.sched_getaffinity(0)) >= 2 else []
    if free_core and os.geteuid() == 0:
        free_core.append("--realtime")
    session.run("python", str(ROOT / "bench" / "load.py"), *free_core)
    if shutil.which("valgrind"):  # a click's instructions, deterministic (Debian package valgrind)
        session.run("python", str(ROOT / "bench" / "click_instructions.py"))
    else:
        session.log("click_instructions.py skipped: no valgrind on PATH")
    session.run("python", str(ROOT / "bench" / "cluster_kill.py"))  # 2 workers on Redis, kills
    session.run("python", str(ROOT / "bench" / "upload_relay.py"))  # uploads relayed between workers


@nox.session
def docs(session: nox.Session) -> None:
    """Build the docs site (``mkdocs.yml``) into ``site/`` in strict mode, then test its code.

    ``mkdocs build --strict`` fails on any warning: a broken link or anchor, a page missing from
    the nav, an API reference entry (mkdocstrings, read from ``packages/*/src``) that does not
    resolve. ``examples/tests/test_docs.py`` then runs every Python block of every page and of
    the README, each alone in a fresh namespace, against the installed wheels.
    """
    _install_wheels(session, ALL, *TEST_TOOLS, *DOCS_TOOLS, "ruff>=0.6")  # ruff formats signatures
    config, site = str(ROOT / "mkdocs.yml"), str(ROOT / "site")
    session.run("mkdocs", "build", "--strict", "--clean", "--config-file", config, "--site-dir", site)
    _pytest(session, "docs", str(ROOT / "examples" / "tests" / "test_docs.py"), "-p", "no:cacheprovider")


@nox.session
def demo(session: nox.Session) -> None:
    """Serve the TodoMVC example in Mode B on http://127.0.0.1:8000."""
    _install_wheels(session, ALL)
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
    _install_wheels(session, ALL, *TEST_TOOLS)
    _pytest(
        session,
        f"conformance-{mode}",
        str(ROOT / "conformance" / "tests"),
        "--mode",
        mode,
        "-p",
        "no:cacheprovider",
    )
