"""Issue 13, admission control: past capacity new sessions get a typed refusal, existing ones are served.

The live tests run a real Hypercorn on loopback and real WebSocket clients; they assert what is
refused, what is served and in which order, never how long anything took.
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
import time
from typing import Any

import httpx
import pytest
import websockets
from server_live import live_server
from starlette.testclient import TestClient

from tempest_core import App, Button, Column, Text
from tempest_core.host import ByteBudget, SessionRefused
from tempestweb_contract.constants import BUSY_RETRY_MS, CLOSE_TRY_AGAIN_LATER
from tempestweb_server import ServerConfig, SessionManager, create_app
from tempestweb_server._admission import LoadMonitor
from tempestweb_server.errors import ConfigError

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
HELLO = json.dumps({"type": "hello", "v": 1, "path": "/"})
POLL_ATTEMPTS = 400  # bounded polls for a state change (each one a real round trip)
POLL_INTERVAL_S = 0.05  # between two polls (the probe samples every 0.1 s)


def hog_app(hogging: threading.Event) -> App[int]:
    """A counter (``#inc``) and a ``#hog`` button whose handler holds the event loop in 50 ms
    slices (yielding between them) while ``hogging`` is set: the process runs late for everyone."""

    def increment() -> None:
        app.set_state(lambda n: n + 1)

    async def hog() -> None:
        hogging.set()
        while hogging.is_set():
            time.sleep(0.05)  # CPU-bound work that blocks the loop
            await asyncio.sleep(0)

    def view(count: int) -> Any:
        return Column(
            Text(f"Count: {count}", id="count"),
            Button("Increment", on_click=increment, id="inc"),
            Button("Hog", on_click=hog, id="hog"),
        )

    app: App[int] = App(view=view, state=0, title="Hog")
    return app


def button_id(page: str, name: str) -> int:
    for tag in re.findall(r"<button\b[^>]*>", page):
        node = re.search(r'\bdata-tw="(\d+)"', tag)
        if f'id="{name}"' in tag and node is not None:
            return int(node.group(1))
    raise AssertionError(f"no button #{name} in the page")


def page_session(page: str) -> dict[str, Any]:
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    assert session is not None and token is not None
    return {"type": "hello", "v": 1, "path": "/", "session": session.group(1), "token": token.group(1)}


async def try_new_session(base: str) -> tuple[dict[str, Any], int | None]:
    """Open a WebSocket and say ``hello`` without a session: the first frame and the close code
    (``None`` when the server kept the connection, i.e. the session was admitted)."""
    async with websockets.connect(f"ws://{base}/_tw/ws") as ws:
        await ws.send(HELLO)
        first: dict[str, Any] = json.loads(await ws.recv())
        if first["type"] == "init":
            return first, None
        with pytest.raises(websockets.exceptions.ConnectionClosed):
            await ws.recv()
        assert ws.close_code is not None
        return first, ws.close_code


async def click_until(ws: Any, node: int, eid: int, text: str) -> None:
    """Click ``node`` and read frames until one shows ``text`` (fails on any error frame)."""
    await ws.send(json.dumps({"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK}))
    while True:
        frame = json.loads(await ws.recv())
        assert frame["type"] != "error", frame
        if frame["type"] == "patch":
            await ws.send(json.dumps({"type": "ack", "seq": frame["seq"]}))
            if text in json.dumps(frame["ops"]):
                return


def test_issue_13_load_monitor_signals() -> None:
    budget = ByteBudget(1000)
    monitor = LoadMonitor(max_loop_lag_s=0.1, budget=budget)
    assert monitor.overload() is None
    for _ in range(20):
        monitor.sample(0.5)
    reason = monitor.overload()
    assert reason is not None and "event loop" in reason
    for _ in range(40):
        monitor.sample(-1.0)  # a probe that woke early counts as no lag
    assert monitor.lag_s < 0.1 and monitor.overload() is None
    budget.used = 501  # more than half the process's bytes wait for slow clients
    reason = monitor.overload()
    assert reason is not None and "slow clients" in reason
    budget.used = 500
    assert monitor.overload() is None


def test_issue_13_max_loop_lag_is_a_typed_setting() -> None:
    assert ServerConfig.from_options({"max_loop_lag_s": "0.25"}).max_loop_lag_s == 0.25
    assert ServerConfig(max_loop_lag_s=math.inf).max_loop_lag_s == math.inf  # lag signal off
    for bad in (0, -1.0, math.nan):
        with pytest.raises(ConfigError, match=r"ServerConfig.max_loop_lag_s: expected a positive number"):
            ServerConfig(max_loop_lag_s=bad)


async def test_issue_13_an_overloaded_table_refuses_new_sessions_but_resumes_existing_ones() -> None:
    app = hog_app(threading.Event())
    manager = SessionManager(app, config=ServerConfig())
    existing = manager.open("/")
    for _ in range(30):
        manager.load.sample(1.0)
    with pytest.raises(SessionRefused) as refused:
        manager.open("/")
    assert refused.value.code == "server_busy" and refused.value.close_code == CLOSE_TRY_AGAIN_LATER
    assert manager.resume(existing.id, existing.token) is existing  # resuming is never refused
    assert len(manager) == 1 and manager.load.refused == 1
    await manager.close_all()


def test_issue_13_full_table_refuses_hello_and_page_with_the_documented_error() -> None:
    config = ServerConfig(max_sessions=2)
    with TestClient(create_app(hog_app(threading.Event()), config=config)) as client:
        with client.websocket_connect("/_tw/ws") as first, client.websocket_connect("/_tw/ws") as second:
            inits = []
            for ws in (first, second):
                ws.send_text(HELLO)
                inits.append(json.loads(ws.receive_text()))
            assert [m["type"] for m in inits] == ["init", "init"]
            with client.websocket_connect("/_tw/ws") as third:
                third.send_text(HELLO)
                error = json.loads(third.receive_text())
                assert (error["type"], error["code"], error["fatal"]) == ("error", "server_busy", True)
                closing = third.receive()
                assert closing == {
                    "type": "websocket.close",
                    "code": CLOSE_TRY_AGAIN_LATER,
                    "reason": "server_busy",
                }
            page = client.get("/")
            assert page.status_code == 503
            assert page.headers["retry-after"] == str(BUSY_RETRY_MS // 1000)
            assert page.headers["content-type"].startswith("text/html")
            assert "The server is busy" in page.text and 'http-equiv="refresh"' in page.text
            assert "content-security-policy" in page.headers
            assert len(client.app.state.manager) == 2  # type: ignore[attr-defined]  # nothing evicted
        # both disconnected: they make room for a newcomer (the oldest goes)
        assert client.get("/").status_code == 200


def test_issue_13_past_capacity_existing_sessions_are_served_while_new_ones_are_refused() -> None:
    """Real Hypercorn: a session hogs the loop; new sessions (WebSocket hello, page GET) are
    refused with server_busy/1013 and 503, while an existing session's every click is answered
    in order; once the hog stops, new sessions are admitted again."""
    hogging = threading.Event()
    with live_server(hog_app(hogging), max_loop_lag_s=0.02) as base:
        pages = [httpx.get(f"http://{base}/").text for _ in range(2)]
        inc, hog = button_id(pages[0], "inc"), button_id(pages[0], "hog")

        async def scenario() -> list[str]:
            refusals: list[str] = []
            async with (
                websockets.connect(f"ws://{base}/_tw/ws") as served,
                websockets.connect(f"ws://{base}/_tw/ws") as hogger,
            ):
                for ws, page in ((served, pages[0]), (hogger, pages[1])):
                    await ws.send(json.dumps(page_session(page)))
                    assert json.loads(await ws.recv())["type"] == "init"
                event = {"type": "event", "eid": 1, "node": hog, "name": "click", "data": CLICK}
                await hogger.send(json.dumps(event))
                for _ in range(POLL_ATTEMPTS):  # until the probe sees the lag
                    first, code = await try_new_session(base)
                    if code is not None:
                        break
                    await asyncio.sleep(POLL_INTERVAL_S)
                else:
                    pytest.fail("the overloaded server never refused a new session")
                assert (first["code"], first["fatal"], code) == ("server_busy", True, CLOSE_TRY_AGAIN_LATER)
                # While overloaded: every new session is refused, every click of the existing one served.
                for n in range(1, 11):
                    first, code = await try_new_session(base)
                    assert code == CLOSE_TRY_AGAIN_LATER and first["code"] == "server_busy", first
                    refusals.append(first["message"])
                    async with httpx.AsyncClient() as http:
                        refused_page = await http.get(f"http://{base}/")
                    assert refused_page.status_code == 503 and refused_page.headers["retry-after"] == "5"
                    await click_until(served, inc, n, f"Count: {n}")
                hogging.clear()
                for _ in range(POLL_ATTEMPTS):  # until the smoothed lag decays
                    first, code = await try_new_session(base)
                    if code is None:
                        break
                    await asyncio.sleep(POLL_INTERVAL_S)
                else:
                    pytest.fail("the server never admitted a new session after the load stopped")
                assert first["type"] == "init"
                await click_until(served, inc, 11, "Count: 11")
            return refusals

        refusals = asyncio.run(scenario())
    assert len(refusals) == 10 and all("event loop" in message for message in refusals)
