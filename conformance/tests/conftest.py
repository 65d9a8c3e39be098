"""Fixtures of the conformance suite: ``--mode a|b|both``, ``--update-golden``, one page per mode."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

CONFORMANCE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(CONFORMANCE))
for _src in sorted((CONFORMANCE.parent / "packages").glob("*/src")):
    if str(_src) not in sys.path:
        sys.path.append(str(_src))

from runner import TOTALS, Driver, launch_browser, mode_a_site, mode_b_site, stage_app  # noqa: E402


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--mode`` and ``--update-golden``."""
    group = parser.getgroup("conformance")
    group.addoption("--mode", choices=("a", "b", "both"), default="both", help="which modes to run")
    group.addoption("--update-golden", action="store_true", help="rewrite conformance/golden/*.snap")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the totals: cases, steps and comparisons."""
    if TOTALS.cases:
        terminalreporter.write_line(
            f"conformance totals: {TOTALS.cases} cases, {TOTALS.steps} steps, "
            f"{TOTALS.comparisons} comparisons, {len(TOTALS.failures)} failing"
        )


@pytest.fixture(scope="session")
def modes(pytestconfig: pytest.Config) -> list[str]:
    """The modes selected with ``--mode``."""
    mode = pytestconfig.getoption("--mode")
    return ["a", "b"] if mode == "both" else [mode]


@pytest.fixture(scope="session")
def staged() -> Iterator[Path]:
    """The conformance app staged once (app + example copies)."""
    with tempfile.TemporaryDirectory(prefix="tw-conformance-") as tmp:
        yield stage_app(Path(tmp) / "app")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the run."""
    with sync_playwright() as pw:
        b = launch_browser(pw)
        yield b
        b.close()


@pytest.fixture(scope="session")
def sites(staged: Path) -> Iterator[dict[str, str]]:
    """Lazily started sites: mode -> URL (``site("a")`` builds Mode A once)."""
    with ExitStack() as stack:
        urls: dict[str, str] = {}

        class _Sites(dict[str, str]):
            def __missing__(self, mode: str) -> str:
                cm = (
                    mode_a_site(staged, staged.parent.parent / "site") if mode == "a" else mode_b_site(staged)
                )
                urls[mode] = stack.enter_context(cm)
                self[mode] = urls[mode]
                return urls[mode]

        yield _Sites()


@pytest.fixture(scope="session")
def drivers(browser: Browser, sites: dict[str, str], modes: list[str]) -> Iterator[dict[str, Driver]]:
    """One page per selected mode, open for the whole run (Pyodide boots once)."""
    contexts = []
    out: dict[str, Driver] = {}
    for mode in modes:
        context = browser.new_context(viewport={"width": 1000, "height": 900}, bypass_csp=True)
        contexts.append(context)
        out[mode] = Driver(context.new_page(), sites[mode])
    yield out
    for context in contexts:
        context.close()
