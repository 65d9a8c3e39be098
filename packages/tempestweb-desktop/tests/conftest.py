"""Fixtures: one virtual display per test session, one WebKitWebDriver per test.

The stack (Debian: ``xvfb``, ``libwebkit2gtk-4.1-0``, ``webkit2gtk-driver``) is required; a test
that needs it is skipped with the missing piece named (and CI turns such a skip into a failure).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tempestweb_desktop.testing import VirtualDisplay, WebDriverServer

APPS = Path(__file__).parent / "apps"

# tests/e2e drives the repository's examples and conformance cases through the CLI: it needs
# every tempestweb package, so it runs in `nox -s desktop` (which sets this variable), not in the
# package's own isolated test venv.
collect_ignore = [] if os.environ.get("TEMPESTWEB_DESKTOP_E2E") else ["e2e"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "window: opens a real desktop window (Xvfb + WebKitWebDriver)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A window test needs a webview as a browser test needs Chromium: sessions that select
    # `-m "not browser"` (the lowest-dependency bounds run) leave both out.
    for item in items:
        if item.get_closest_marker("window") is not None:
            item.add_marker(pytest.mark.browser)


def _missing_stack() -> str | None:
    for tool, package in (("Xvfb", "xvfb"), ("WebKitWebDriver", "webkit2gtk-driver")):
        if shutil.which(tool) is None:
            return f"{tool} not installed (Debian: apt-get install {package})"
    return None


@pytest.fixture(scope="session")
def display() -> Iterator[VirtualDisplay]:
    """A running Xvfb for the whole test session (stopped after every app and driver)."""
    missing = _missing_stack()
    if missing is not None:
        pytest.skip(missing)
    with VirtualDisplay() as running:
        yield running


@pytest.fixture
def driver(display: VirtualDisplay) -> Iterator[WebDriverServer]:
    """A WebKitWebDriver with webview automation on, for one test."""
    with WebDriverServer(display=display.name) as server:
        yield server
