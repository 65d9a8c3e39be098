"""The example apps in desktop mode, launched as users launch them, driven through WebKitWebDriver.

Each test starts ``tempestweb run examples/<app> --mode desktop`` from WebKitWebDriver (so the
CLI's desktop mode is what runs) and drives the window with the same checks the Chromium suites
run in Mode A and Mode B (``examples/tests/*_checks.py``), through :class:`WebDriverPage`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from webdriver_page import WebDriverPage

from tempestweb_desktop.testing import KEYS, WebDriverServer, WebDriverSession

ROOT = Path(__file__).resolve().parents[4]
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(EXAMPLES / "tests"))  # the suites import their driver as a top-level module


def _suite(name: str) -> Any:
    """Import ``examples/tests/<name>.py`` (the Chromium suites' checks, untyped here)."""
    return importlib.import_module(name)


JSFB = _suite("jsfb_checks")
TODOMVC = _suite("todomvc_checks")
open_app = _suite("todomvc_driver").open_app

pytestmark = pytest.mark.window

READY_TIMEOUT_S = 20.0
"""Launch to first view: the CLI imports the app and PyTauri, then the window connects."""


@contextmanager
def launched(driver: WebDriverServer, example: str) -> Iterator[WebDriverSession]:
    """Run ``tempestweb run examples/<example> --mode desktop`` and wait for its first view."""
    args = ["-m", "tempestweb_cli", "run", str(EXAMPLES / example), "--mode", "desktop"]
    with driver.launch(sys.executable, args) as session:
        session.wait_for(
            "const root = document.getElementById('tw-root');"
            "return root && root.dataset.twStatus === 'open' && root.childElementCount > 0",
            timeout_s=READY_TIMEOUT_S,
            what=f"{example}: first view over IPC",
        )
        yield session


def test_counter_clicks(driver: WebDriverServer) -> None:
    with launched(driver, "counter") as session:
        assert session.url.startswith("tauri://localhost")
        assert session.execute("return document.getElementById('tw-root').dataset.twTransport") == "ipc"
        for button, want in (
            ("#increment", "1"),
            ("#increment", "2"),
            ("#decrement", "1"),
            ("#decrement", "0"),
            ("#decrement", "-1"),
            ("#reset", "0"),
            ("#increment", "1"),
        ):
            session.find(button).click()
            session.wait_for(
                "return document.getElementById('count').textContent === arguments[0]",
                want,
                what=f"count {want}",
            )
        assert [b.text for b in session.find_all("button")] == ["-", "+", "Reset"]


@pytest.mark.parametrize("check", list(TODOMVC.ALL_CHECKS.values()), ids=list(TODOMVC.ALL_CHECKS))
def test_todomvc(driver: WebDriverServer, check: Callable[..., None]) -> None:
    with launched(driver, "todomvc") as session:
        page = WebDriverPage(session)
        open_app(page, "tauri://localhost/")
        check(page)


@pytest.mark.parametrize("check", list(JSFB.ALL_CHECKS.values()), ids=list(JSFB.ALL_CHECKS))
def test_jsfb(driver: WebDriverServer, check: Callable[..., None]) -> None:
    with launched(driver, "jsfb") as session:
        page = WebDriverPage(session)
        JSFB.open_jsfb(page, "tauri://localhost/")
        check(page)


def test_gallery(driver: WebDriverServer) -> None:
    """The component gallery: every section its navigation lists, a click, a toast, the dialog's focus."""
    with launched(driver, "gallery") as session:
        sections = session.execute(
            "return [...document.querySelectorAll('main section[data-gallery-section]')].map(s => s.id)"
        )
        links = session.execute(
            "return [...document.querySelectorAll('nav[aria-label=Components] a')]"
            ".map(a => a.getAttribute('href').slice(1))"
        )
        assert isinstance(sections, list) and len(sections) >= 10 and sections == links
        session.find("#demo-primary").click()
        session.wait_for(
            "return document.getElementById('demo-clicks').textContent === 'Save changes clicked 1 time.'",
            what="the click count",
        )
        session.find("#toast-success").click()
        session.wait_for(
            "return [...document.querySelectorAll('[role=status]')]"
            ".some(s => s.textContent.includes('Changes saved.'))",
            what="the success toast",
        )
        session.find("#open-invite").click()
        session.wait_for("return document.activeElement.id === 'invite-name'", what="focus in the dialog")
        session.press(KEYS["Escape"])
        session.wait_for(
            "return document.activeElement.id === 'open-invite'", what="focus back on the opener"
        )
        session.execute("document.getElementById('demo-image').scrollIntoView()")
        session.wait_for(
            "const image = document.getElementById('demo-image');"
            "return image.complete && image.naturalWidth > 0",
            what="the Image asset loaded",
        )
