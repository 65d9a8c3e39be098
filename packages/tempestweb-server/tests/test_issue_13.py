"""Regression tests of issue 13 (Mode B under attack), over real sockets where it matters."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import subprocess
import sys
import time
from typing import Any

import httpx
import pytest
from server_fakes import make_client
from server_live import live_server
from starlette.testclient import TestClient

from tempest_core import App, Button, Column, Style, Text, use_effect
from tempest_core.host import Connection, FrameQueue
from tempest_core.router import parse_location
from tempestweb_server import ServerConfig, SessionManager, create_app

CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


def big_app() -> App[int]:
    """Every click renders 64 KiB of new text, 400 times over 0.4 s: a client that does not read
    fills its queue (renders of one tick coalesce, so the output is spread over ticks)."""

    async def grow() -> None:
        for _ in range(400):
            app.set_state(lambda n: n + 1)
            await asyncio.sleep(0.001)

    def view(n: int) -> Any:
        return Column(Text(f"{n}:" + "x" * 65_536, id="blob"), Button("grow", on_click=grow, id="grow"))

    app: App[int] = App(view=view, state=0)
    return app


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/x",
        "javascript:alert(1)",
        "/\\evil.example/x",
        "\\\\evil.example",
        "/?q=" + "x" * 900_000,  # a session keeps copies of its location: MAX_LOCATION_CHARS
    ],
)
def test_issue_13_hello_with_a_scheme_or_host_is_a_typed_fatal_error(path: str) -> None:
    with make_client() as client, client.websocket_connect("/_tw/ws") as ws:
        ws.send_text(json.dumps({"type": "hello", "v": 1, "path": path}))
        error = json.loads(ws.receive_text())
        assert (error["type"], error["code"], error["fatal"]) == ("error", "not_found", True)
        closing = ws.receive()
        assert closing["type"] == "websocket.close" and closing["code"] == 1008


def test_issue_13_sse_hello_with_a_foreign_path_answers_204_and_an_error_frame() -> None:
    with make_client() as client:
        with client.stream("GET", "/_tw/sse?session=k&token=k") as stream:
            lines = stream.iter_lines()
            assert next(lines).startswith(": tempestweb")
            response = client.post(
                "/_tw/send?session=k&token=k",
                content=json.dumps({"type": "hello", "v": 1, "path": "//evil.example/x"}),
            )
            assert response.status_code == 204
            data = next(line for line in lines if line.startswith("data: "))
        assert json.loads(data[6:])["code"] == "not_found"


def test_issue_13_page_get_of_a_foreign_path_is_404_not_500() -> None:
    with make_client() as client:
        manager = client.app.state.manager  # type: ignore[attr-defined]
        response = client.get("http://testserver//evil.example/x")
        assert response.status_code in (200, 404)  # the client may normalise the double slash
        # The ASGI path itself, as `curl --path-as-is` sends it:
        request = client.build_request("GET", "http://testserver/")
        request.url = request.url.copy_with(raw_path=b"//evil.example/x")
        raw = client.send(request)
        assert raw.status_code == 404 and "Traceback" not in raw.text
        assert len(manager) <= 1
        # A backslash is a slash to a browser's URL parser ("/\\evil.example" names a host): the
        # page is refused, or served at the percent-encoded path, which stays on this host.
        request.url = request.url.copy_with(raw_path=b"/\\evil.example/x")
        raw = client.send(request)
        assert raw.status_code in (200, 404) and "Traceback" not in raw.text
        for session in manager:
            parse_location(session.path)  # raises for a location on another host


def test_issue_13_sse_post_nested_1000_deep_is_a_typed_error_not_500() -> None:
    with make_client() as client:
        with client.stream("GET", "/_tw/sse?session=k&token=k") as stream:
            lines = stream.iter_lines()
            next(lines)
            hello = json.dumps({"type": "hello", "v": 1, "path": "/"})
            assert client.post("/_tw/send?session=k&token=k", content=hello).status_code == 204
            nested = "[" * 1000 + "]" * 1000
            assert client.post("/_tw/send?session=k&token=k", content=nested).status_code == 204
            frames = []
            for line in lines:
                if line.startswith("data: "):
                    frames.append(json.loads(line[6:]))
                    if frames[-1]["type"] == "error":
                        break
        assert frames[-1]["code"] in ("too_deep", "malformed_frame") and frames[-1].get("fatal") is not True


async def test_issue_13_unbounded_client_strings_are_clipped_and_queues_bounded_in_bytes() -> None:
    mgr = SessionManager(big_app(), config=ServerConfig(max_queue_bytes=256 * 1024))
    queue = FrameQueue(max_bytes=mgr.config.max_queue_bytes, budget=mgr.outbox_budget)
    connection = Connection(mgr, queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    name = "n" * 131_072
    for eid in range(1, 1501):  # a client that never reads and sends huge event names
        connection.receive(json.dumps({"type": "event", "eid": eid, "node": 999, "name": name}))
        assert queue.queued_bytes <= 256 * 1024 + 70_000  # one init frame may exceed on its own
    session = connection.session
    assert session is not None
    await session.settle()
    assert queue.queued_bytes <= 256 * 1024 and mgr.outbox_budget.used == queue.queued_bytes
    errors = []
    while queue.queued_bytes:
        frame = await queue.get()
        assert frame is not None
        message = json.loads(frame)
        if message["type"] == "error":
            errors.append(message)
    assert errors and all(len(e["message"]) <= 300 for e in errors)
    await mgr.close_all()


def test_issue_13_a_client_that_reads_late_gets_queue_overflow_then_1013() -> None:
    """A raw socket client (wsproto) that starts 25 MiB of patches and reads late."""
    from wsproto import ConnectionType, WSConnection
    from wsproto.events import AcceptConnection, CloseConnection, Request, TextMessage

    with live_server(big_app(), max_queue_bytes=512 * 1024) as base:
        page = httpx.get(f"http://{base}/").text
        node = int(re.search(r'<button data-tw="(\d+)"[^>]*\bid="grow"', page).group(1))  # type: ignore[union-attr]
        session = re.search(r'data-tw-session="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        token = re.search(r'data-tw-token="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        host, port = base.split(":")
        ws = WSConnection(ConnectionType.CLIENT)
        with socket.create_connection((host, int(port)), timeout=30) as sock:
            sock.sendall(ws.send(Request(host=base, target="/_tw/ws")))
            while not any(isinstance(e, AcceptConnection) for e in _feed(ws, sock)):
                pass
            hello = {"type": "hello", "v": 1, "path": "/", "session": session, "token": token, "last_seq": 0}
            sock.sendall(ws.send(TextMessage(json.dumps(hello))))
            event = {"type": "event", "eid": 1, "node": node, "name": "click", "data": CLICK}
            sock.sendall(ws.send(TextMessage(json.dumps(event))))  # ~25 MiB of patches nobody reads
            time.sleep(2.0)  # the client reads late (the issue measured 25 s)
            last: dict[str, Any] = {}
            code = None
            text = ""
            while code is None:
                for event in _feed(ws, sock):
                    if isinstance(event, TextMessage):
                        text += event.data
                        if event.message_finished:
                            last, text = json.loads(text), ""
                    elif isinstance(event, CloseConnection):
                        code = event.code
        assert last.get("code") == "queue_overflow" and last.get("fatal") is True
        assert code == 1013
        with httpx.Client() as client:  # the server is healthy and the session resumable
            assert client.get(f"http://{base}/").status_code == 200


def _feed(ws: Any, sock: socket.socket) -> list[Any]:
    data = sock.recv(65536)
    if not data:
        raise ConnectionError("closed without a close frame")
    ws.receive_data(data)
    return list(ws.events())


async def test_issue_13_a_bad_navigate_changes_nothing_and_a_hot_reload_still_works() -> None:
    mgr = SessionManager(big_app())
    queue = FrameQueue()
    connection = Connection(mgr, queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/start"}')
    connection.receive('{"type":"navigate","path":"//evil.example/x"}')
    session = connection.session
    assert session is not None
    await session.settle()
    assert session.path == "/start"
    await mgr.reload_app(big_app())  # used to raise on the stored path and stop the dev server
    frames = []
    while queue.queued_bytes:
        frame = await queue.get()
        assert frame is not None
        frames.append(json.loads(frame)["type"])
    assert frames[-1] == "init"
    await mgr.close_all()


def test_issue_13_limits_are_settable_and_typed() -> None:
    config = ServerConfig.from_options({"max_sessions": 5, "max_queue_bytes": 1024, "ping_interval_s": 3})
    assert (config.max_sessions, config.max_queue_bytes, config.ping_interval_s) == (5, 1024, 3.0)
    with TestClient(make_client(config).app):
        pass


def test_issue_13_the_event_models_are_built_at_start_up_not_in_the_first_event() -> None:
    # A fresh interpreter: in this one earlier tests already built the models they used.
    script = (
        "from starlette.testclient import TestClient\n"
        "from tempest_core import App, Text\n"
        "from tempest_core.events import EVENT_MODELS, GenericEvent\n"
        "from tempestweb_server import create_app\n"
        "models = {*EVENT_MODELS.values(), GenericEvent}\n"
        "before = any(m.__pydantic_complete__ for m in models)\n"
        "with TestClient(create_app(App(view=lambda s: Text('x'), state=None))):\n"
        "    print(before, all(m.__pydantic_complete__ for m in models))\n"
    )
    command = [sys.executable, "-W", "ignore", "-c", script]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_issue_13_the_first_page_is_rendered_at_start_up_without_effects() -> None:
    # The first session of a process paid for everyone: the app's style rules (one copy per
    # process) and anyio's backend, about 0.9 MiB of the first session's memory (idle memory per
    # session at N=100: 71 KiB) and the first visitor's wait. Start-up now renders "/" once, as a
    # prerender: the view runs, no effect does.
    calls = {"view": 0, "effect": 0}

    def effect() -> None:
        calls["effect"] += 1

    def view(state: None) -> Any:
        calls["view"] += 1
        use_effect(effect, [])
        return Column(Text("hello", id="greeting", style=Style(color="rebeccapurple")))

    with TestClient(create_app(App(view=view, state=None))) as client:
        assert calls == {"view": 1, "effect": 0}
        page = client.get("/")
        assert page.status_code == 200 and "hello" in page.text and "rebeccapurple" in page.text
        assert calls["view"] == 2


def test_issue_13_a_first_view_that_raises_at_start_up_is_reported_by_the_first_page() -> None:
    def view(state: None) -> Any:
        raise RuntimeError("the view is broken")

    with TestClient(create_app(App(view=view, state=None)), raise_server_exceptions=False) as client:
        page = client.get("/")
        assert page.status_code == 500 and "Traceback" not in page.text
