"""The front door of the monorepo: every check CI runs is a nox session here.

nox -s lint typecheck tests e2e     # what the README's test command runs
nox -s bench                         # benchmarks (ratios against in-run anchors)
nox -s demo                          # serve examples/todomvc on http://127.0.0.1:8000
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

ROOT = Path(__file__).parent
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "typecheck", "tests", "e2e"]

# Each package with the local packages it depends on, in install order. A package's tests run in
# a venv holding only these (plus its own `test` extra), which proves its declared dependencies.
PACKAGES: dict[str, list[str]] = {
    "tempestweb-contract": [],
    "tempest-core": ["tempestweb-contract"],
    "tempestweb-server": ["tempestweb-contract", "tempest-core"],
    "tempestweb-wasm": ["tempestweb-contract", "tempest-core"],
    "tempestweb-cli": ["tempestweb-contract"],
}
# Local packages a package's *tests* need beyond its runtime dependencies (its `test` extra names
# them too; installing them from the tree first keeps pip from looking for them on an index).
TEST_LOCAL: dict[str, list[str]] = {
    "tempestweb-cli": ["tempest-core", "tempestweb-server"],
}
ALL = list(PACKAGES)
IMPORTS = {name: name.replace("-", "_") for name in ALL}
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
    session.run("python", "-m", "pytest", *args, *extra, *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff, and import-linter's layering contracts (mode packages never import each other)."""
    session.install("ruff>=0.6", "import-linter>=2.0", *_paths(ALL))
    session.run("ruff", "check", ".")
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


@nox.session
@nox.parametrize("package", ALL)
def tests(session: nox.Session, package: str) -> None:
    """One package's tests in a venv holding only that package and its declared dependencies."""
    local = PACKAGES[package] + TEST_LOCAL.get(package, [])
    if local:
        session.install(*_paths(local))
    session.install(f"{ROOT / 'packages' / package}[test]", *TEST_TOOLS)
    session.chdir(ROOT / "packages" / package)
    _pytest(session, package, "tests", "-p", "no:cacheprovider")


@nox.session
def e2e(session: nox.Session) -> None:
    """The example apps in real Chromium: TodoMVC behaviour suite, jsfb keyed checks, counter."""
    session.install(*_paths(ALL), *TEST_TOOLS)
    _pytest(session, "e2e", str(ROOT / "examples" / "tests"), "-p", "no:cacheprovider")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: reconciler vs a minimal keyed reconciler; jsfb in Chromium vs vanilla JS."""
    session.install(*_paths(ALL), "playwright>=1.45")
    session.run("python", str(ROOT / "bench" / "reconciler.py"))
    session.run("python", str(ROOT / "bench" / "e2e" / "jsfb_bench.py"), *session.posargs)
    session.run("python", str(ROOT / "bench" / "e2e" / "wasm_coldstart.py"))


@nox.session
def demo(session: nox.Session) -> None:
    """Serve the TodoMVC example in Mode B on http://127.0.0.1:8000."""
    session.install(*_paths(ALL))
    port = os.environ.get("PORT", "8000")
    session.run("tempestweb", "run", str(ROOT / "examples" / "todomvc"), "--port", port)
