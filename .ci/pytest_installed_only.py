"""pytest plugin: fail the run when a first-party module was imported from outside site-packages.

Loaded by the nox ``tests`` session (``-p pytest_installed_only`` with ``.ci`` on ``PYTHONPATH``),
which installs the package under test from its wheel: this proves the tests exercised the
installed files, not ``packages/*/src``. ``TEMPESTWEB_INSTALLED_PACKAGE`` names the import
package under test; the run also fails if the tests never imported it in-process.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

import pytest

FIRST_PARTY = frozenset(
    {
        "tempestweb_contract",
        "tempest_core",
        "tempestweb_server",
        "tempestweb_wasm",
        "tempestweb_cli",
        "tempestweb",
    }
)
SITE_DIRS = frozenset(Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib"))


def foreign_modules() -> list[str]:
    """Return ``"module: path"`` for each imported first-party module not loaded from site-packages.

    Returns:
        One entry per offending module, sorted; empty when every one is installed.

    """
    offenders = []
    for name, module in sorted(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if name.partition(".")[0] not in FIRST_PARTY or file is None:
            continue
        path = Path(file).resolve()
        if not any(path.is_relative_to(site) for site in SITE_DIRS):
            offenders.append(f"{name}: {path}")
    return offenders


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Turn the run into a failure and report why, if the tests ran against the source tree.

    Args:
        session: The pytest session; its ``exitstatus`` is set to ``TESTS_FAILED`` on a problem.
        exitstatus: The status so far (unused: a problem fails even a green run).

    """
    problems = [f"imported from outside site-packages: {entry}" for entry in foreign_modules()]
    expected = os.environ.get("TEMPESTWEB_INSTALLED_PACKAGE")
    if expected and expected not in sys.modules:
        problems.append(f"the tests never imported {expected} in-process")
    if not problems:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", "tests did not run against the installed wheel", red=True)
    for problem in problems:
        if reporter is not None:
            reporter.write_line(f"pytest_installed_only: {problem}", red=True)
        else:
            print(f"pytest_installed_only: {problem}", file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
