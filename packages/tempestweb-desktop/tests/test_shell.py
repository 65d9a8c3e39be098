"""Menus, accelerators, the tray, custom events and a second window, on a real window.

Input is real: the accelerator is an X key press (``xdotool``), the tray item is clicked through
the tray's own D-Bus menu (``com.canonical.dbusmenu``, what a desktop's status area calls).
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator

import pytest
from conftest import APPS

from tempestweb_desktop.testing import (
    SessionBus,
    VirtualDisplay,
    WebDriverError,
    WebDriverServer,
    WebDriverSession,
)

pytestmark = pytest.mark.window

SHELL = str(APPS / "shell.py")
_LIVE = (
    "return document.getElementById('tw-root')?.dataset.twStatus === 'open'"
    " && document.getElementById('saved')?.textContent === '0'"
)
"""The page shows the first view (prerendered) and its client is connected (hydrated)."""


@pytest.fixture
def bus(display: VirtualDisplay) -> Iterator[SessionBus]:
    with SessionBus() as running:
        yield running


@pytest.fixture
def shell(display: VirtualDisplay, bus: SessionBus) -> Iterator[WebDriverSession]:
    with (
        WebDriverServer(display=display.name, env={"DBUS_SESSION_BUS_ADDRESS": bus.address}) as driver,
        driver.launch(sys.executable, [SHELL]) as page,
    ):
        page.wait_for(_LIVE, timeout_s=20)
        yield page


def _text(page: WebDriverSession, element_id: str, want: str) -> None:
    page.wait_for(
        "return document.getElementById(arguments[0])?.textContent === arguments[1]",
        element_id,
        want,
        what=f"#{element_id} == {want!r}",
    )


def test_accelerator_reaches_its_menu_callback(shell: WebDriverSession, display: VirtualDisplay) -> None:
    display.press("Shell", "ctrl+s")
    _text(shell, "saved", "1")
    display.press("Shell", "ctrl+s")
    _text(shell, "saved", "2")


def test_tray_menu_item_reaches_its_callback(shell: WebDriverSession, bus: SessionBus) -> None:
    bus.click_tray_item("Ping")
    _text(shell, "tray", "1")
    bus.click_tray_item("Ping")
    _text(shell, "tray", "2")


def test_page_event_reaches_the_python_listener(shell: WebDriverSession) -> None:
    shell.find("#emit").click()
    _text(shell, "heard", "{'n': 7}")


def test_two_windows_each_run_their_own_session(shell: WebDriverSession) -> None:
    first = shell.window_handles()
    assert len(first) == 1
    shell.find("#whoami").click()
    _text(shell, "label", "main")
    shell.find("#open").click()
    second = _wait_handles(shell, 2)
    other = next(h for h in second if h not in first)
    shell.switch_to_window(other)
    shell.wait_for(_LIVE, timeout_s=20)
    shell.find("#whoami").click()
    _text(shell, "label", "second")  # its own session: the first window's label stays "main"
    shell.switch_to_window(first[0])
    _text(shell, "label", "main")


def test_single_mode_replaces_the_content_with_a_new_session(shell: WebDriverSession) -> None:
    before = shell.window_handles()
    shell.find("#emit").click()
    _text(shell, "heard", "{'n': 7}")  # state of the first session
    shell.find("#replace").click()
    shell.wait_for(
        "return document.getElementById('heard')?.textContent === ''", what="the replaced page"
    )  # a new session of the app: initial state
    shell.wait_for(_LIVE, timeout_s=20)
    assert shell.window_handles() == before  # no window opened
    shell.find("#whoami").click()
    _text(shell, "label", "main")  # the same window, answering over IPC


def test_closing_main_closes_multi_windows_and_keeps_new_ones(shell: WebDriverSession) -> None:
    first = shell.window_handles()
    shell.find("#open").click()  # "second", default mode multi
    shell.find("#open-new").click()  # "third", mode new
    handles = _wait_handles(shell, 3)
    button = shell.find("#close-main")
    with contextlib.suppress(WebDriverError):  # the clicked window may be gone before the reply
        button.click()
    remaining = _wait_handles(shell, 1, exact=True)
    assert remaining[0] not in first and remaining[0] in handles
    shell.switch_to_window(remaining[0])
    shell.wait_for(_LIVE, timeout_s=20)
    shell.find("#whoami").click()
    _text(shell, "label", "third")  # the "new" window outlived the main one and still runs


def _wait_handles(page: WebDriverSession, count: int, *, exact: bool = False) -> list[str]:
    deadline = time.monotonic() + 10
    while True:
        handles = page.window_handles()
        if len(handles) == count or (not exact and len(handles) > count):
            return handles
        if time.monotonic() > deadline:
            raise TimeoutError(f"{count} windows expected, got {handles}")
        time.sleep(0.05)
