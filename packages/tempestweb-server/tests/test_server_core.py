"""Integration with the real ``tempest_core.Session``: events, validation errors, resync, isolation."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from server_live import counter_app
from starlette.testclient import TestClient

from tempestweb_server import create_app

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


@pytest.fixture
def client() -> Any:
    with TestClient(create_app(counter_app())) as test_client:
        yield test_client


def recv(ws: Any) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(ws.receive_text())
        if message["type"] != "ping":
            return message


def open_session(client: TestClient, path: str = "/") -> tuple[str, str, int]:
    page = client.get(path).text
    assert "Count: 0" in page
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    button = re.search(r'<button data-tw="(\d+)"[^>]*\bid="inc"', page)
    assert session and token and button
    return session.group(1), token.group(1), int(button.group(1))


def test_click_patches_the_count_and_isolates_sessions(client: TestClient) -> None:
    a, a_token, button = open_session(client)
    b, b_token, _ = open_session(client)
    with client.websocket_connect("/_tw/ws") as wa, client.websocket_connect("/_tw/ws") as wb:
        wa.send_text(json.dumps({"type": "hello", "v": 1, "path": "/", "session": a, "token": a_token}))
        wb.send_text(json.dumps({"type": "hello", "v": 1, "path": "/", "session": b, "token": b_token}))
        assert recv(wa)["seq"] == 0 and recv(wb)["seq"] == 0
        wa.send_text(json.dumps({"type": "event", "eid": 1, "node": button, "name": "click", "data": CLICK}))
        patch = recv(wa)
        wb.send_text(
            json.dumps({"type": "event", "eid": 1, "node": button, "name": "click", "data": {"button": "x"}})
        )
        invalid = recv(wb)
        wb.send_text(json.dumps({"type": "hello", "v": 1, "path": "/", "session": b, "token": b_token}))
        recv(wb)
    assert patch["seq"] == 1 and patch["ack"] == 1 and "Count: 1" in json.dumps(patch["ops"])
    assert invalid["type"] == "error" and invalid["code"] == "invalid_event_data"
    with client.websocket_connect("/_tw/ws") as wb:  # b was never incremented: resync shows Count: 0
        wb.send_text(
            json.dumps({"type": "hello", "v": 1, "path": "/", "session": b, "token": b_token, "last_seq": 7})
        )
        init = recv(wb)
    assert init["reset"] is True and "Count: 0" in json.dumps(init["ops"])


def test_unknown_handler_from_core(client: TestClient) -> None:
    session, token, _ = open_session(client)
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(json.dumps({"type": "hello", "v": 1, "path": "/", "session": session, "token": token}))
        recv(ws)
        ws.send_text(json.dumps({"type": "event", "eid": 1, "node": 9999, "name": "click", "data": CLICK}))
        error = recv(ws)
        ws.send_text(json.dumps({"type": "ping", "ts": 3.0}))
        assert recv(ws) == {"type": "pong", "ts": 3.0}
    assert error["code"] == "unknown_handler"


def test_new_session_over_websocket_mounts_with_styles(client: TestClient) -> None:
    with client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(json.dumps({"type": "hello", "v": 1, "path": "/"}))
        init = recv(ws)
    assert init["reset"] is True
    assert init["ops"][0][0] == "styles"
    assert "Count: 0" in json.dumps(init["ops"])


async def test_hot_reload_keeps_the_app_state_with_the_real_core() -> None:
    from tempest_core import App, Button, Column, Text
    from tempest_core.host import Connection, FrameQueue
    from tempestweb_server import ServerConfig, SessionManager

    manager = SessionManager(counter_app(), config=ServerConfig(errors="traceback"))  # as in dev
    queue = FrameQueue()
    connection = Connection(manager, queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    await queue.get()
    session = connection.session
    assert session is not None
    core: Any = session.core
    session.run(core.set_state, lambda n: n + 4)
    await session.settle()
    assert b"Count: 4" in (await queue.get() or b"")

    def view(count: int) -> Any:
        return Column(Text(f"Total: {count}", id="count"), Button("Add", id="inc"))

    await manager.reload_app(App(view=view, state=0))
    init = json.loads(await queue.get() or b"{}")
    assert init["type"] == "init" and init["reset"] is True and init["seq"] == 1
    assert "Total: 4" in json.dumps(init["ops"])

    def broken(count: int) -> Any:
        raise ValueError("typo in the view")

    await manager.reload_app(App(view=broken, state=0))
    error = json.loads(await queue.get() or b"{}")
    assert error["type"] == "error" and "typo in the view" in error["message"]
    assert "test_server_core.py" in error["detail"] and len(error["id"]) == 8  # issue 12: the overlay's
    assert "Total: 4" in session.core.render_html()  # the previous view stays
    await manager.close_all()
