"""``tempestweb.native.notification`` in a real window: the OS notification through the plugin, or denied.

With ``notification`` in ``[desktop] plugins`` and ``notification:default`` granted, the calls a
Mode B app makes reach tauri-plugin-notification, which sends ``org.freedesktop.Notifications.Notify``
on the session bus (watched here with ``dbus-monitor`` on a private bus that runs no notification
daemon: the call still ends, as a typed outcome, never a hang). Listed without permissions, each
command is refused by the window's capability; not listed, the permission is ``"denied"`` and
``show`` raises ``PermissionDeniedError`` naming the plugin.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import APPS

from tempestweb_desktop.testing import SessionBus, VirtualDisplay, WebDriverServer, WebDriverSession

pytestmark = pytest.mark.window

APP = str(APPS / "native_notification.py")
TITLE = "tempestweb desktop notification"  # apps/native_notification.py's TITLE
BODY = "through tauri-plugin-notification"
MONITOR_TIMEOUT_S = 15.0
POLL_S = 0.05


def _outcomes(driver: WebDriverServer, *args: str) -> list[str]:
    """Launch the app with ``args``, click ``#go``, return the three outcomes."""
    with driver.launch(sys.executable, [APP, *args]) as page:
        return _click_go(page)


def _click_go(page: WebDriverSession) -> list[str]:
    page.wait_for(
        "return document.getElementById('tw-root')?.dataset.twStatus === 'open'",
        timeout_s=20,
        what="the live first view",
    )
    page.find("#go").click()
    out = page.wait_for("return document.getElementById('out').textContent", timeout_s=20, what="#out")
    assert isinstance(out, str)
    return out.split(" || ")


@pytest.fixture
def bus(display: VirtualDisplay) -> Iterator[SessionBus]:
    with SessionBus() as running:
        yield running


@pytest.fixture
def monitor(bus: SessionBus) -> Iterator[Path]:
    """``dbus-monitor`` of the bus's Notifications calls, writing to the returned file."""
    if shutil.which("dbus-monitor") is None:
        pytest.skip("dbus-monitor not installed (Debian: apt-get install dbus-bin)")
    with tempfile.TemporaryDirectory(prefix="tw-monitor-") as folder:
        log = Path(folder) / "monitor.txt"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [
                    "dbus-monitor",
                    "--address",
                    bus.address,
                    "--monitor",
                    "type='method_call',interface='org.freedesktop.Notifications'",
                ],
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
            try:
                yield log
            finally:
                process.terminate()
                process.wait(10)


def _wait_for_text(path: Path, *texts: str) -> str:
    deadline = time.monotonic() + MONITOR_TIMEOUT_S
    while True:
        seen = path.read_text("utf-8", errors="replace")
        if all(text in seen for text in texts) or time.monotonic() > deadline:
            return seen
        time.sleep(POLL_S)


def test_with_the_plugin_the_notification_reaches_the_os(
    display: VirtualDisplay, bus: SessionBus, monitor: Path
) -> None:
    env = {"DBUS_SESSION_BUS_ADDRESS": bus.address}
    with (
        WebDriverServer(display=display.name, env=env) as driver,
        driver.launch(sys.executable, [APP, "--plugin"]) as page,
    ):
        permission, requested, shown = _click_go(page)
        # The plugin grants on desktop; show returns no handle (the OS holds the notification).
        assert (permission, requested, shown) == ("ok 'granted'", "ok 'granted'", "ok None")
        seen = _wait_for_text(monitor, "member=Notify", TITLE, BODY)
    assert "member=Notify" in seen, seen
    assert f'string "{TITLE}"' in seen and f'string "{BODY}"' in seen, seen


def test_listed_without_permissions_each_command_is_a_typed_denial(driver: WebDriverServer) -> None:
    outcomes = _outcomes(driver, "--plugin-denied")
    commands = ("is_permission_granted", "request_permission", "notify")
    for outcome, command in zip(outcomes, commands, strict=True):
        assert outcome.startswith("PermissionDeniedError permission_denied "), outcome
        assert f"plugin:notification|{command} not allowed by ACL" in outcome


def test_without_the_plugin_the_permission_is_denied_and_show_names_it(driver: WebDriverServer) -> None:
    permission, requested, shown = _outcomes(driver)
    assert (permission, requested) == ("ok 'denied'", "ok 'denied'")
    assert shown.startswith("PermissionDeniedError permission_denied ")
    assert 'list "notification" in [desktop] plugins' in shown
