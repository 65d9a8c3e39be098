"""The PyTauri + WebKitGTK stack itself, without tempestweb: what the desktop host builds on.

Pins the behaviour the host relies on (and the traps it avoids): a ``pyInvoke`` round trip
answering bytes arrives as an ``ArrayBuffer``; Channel messages arrive in order; a Channel
message sent as ``str`` arrives parsed as JSON (so frames are sent as bytes); plugin globals on
``window.__TAURI__`` are non-enumerable; the launched program sees only its own arguments.
"""

from __future__ import annotations

import json
import sys

import pytest
from conftest import APPS

from tempestweb_desktop.testing import WebDriverServer

RAW_ECHO = str(APPS / "raw_echo.py")

pytestmark = pytest.mark.window


def test_pyinvoke_round_trip_and_channel_bytes(driver: WebDriverServer) -> None:
    with driver.launch(sys.executable, [RAW_ECHO]) as page:
        page.wait_for("return document.getElementById('status').textContent === 'ready'", what="page ready")
        assert page.url == "tauri://localhost"
        reply = page.execute_async("window.rawEcho.echo('héllo').then(arguments[0])")
        assert reply == {"kind": "ArrayBuffer", "text": "héllo"}

        page.execute_async("window.rawEcho.stream(50).then(() => arguments[0](null))")
        received = page.wait_for(
            "const r = window.rawEcho.received; return r.length === 51 && r", what="51 channel messages"
        )
        assert isinstance(received, list)
        assert received[:50] == [{"kind": "ArrayBuffer", "text": json.dumps({"i": i})} for i in range(50)]
        assert received[50] == {"kind": "object", "text": '{"as":"str"}'}  # str: parsed JSON, not text


def test_plugin_globals_are_not_enumerable(driver: WebDriverServer) -> None:
    with driver.launch(sys.executable, [RAW_ECHO]) as page:
        page.wait_for("return window.rawEcho !== undefined", what="page ready")
        enumerable = page.execute("return Object.keys(window.__TAURI__)")
        own = page.execute("return Object.getOwnPropertyNames(window.__TAURI__)")
        assert isinstance(enumerable, list) and isinstance(own, list)
        assert "pytauri" not in enumerable
        assert "pytauri" in own
        assert page.execute("return typeof window.__TAURI__.pytauri.pyInvoke") == "function"
