"""Issue 13: a connection whose client stops reading is aborted after ``send_timeout_s``.

Found by probing ``tempestweb run examples/counter`` from outside: 100 raw WebSockets that sent
their clicks and never read held their connections (each with 300-650 KiB of kernel buffers and
a file descriptor) for as long as the clients stayed connected. Hypercorn waits on ``drain()``
without a limit, so once a client's buffers were full even the close after ``queue_overflow``
could not be written. Now a write the client does not take within ``send_timeout_s`` aborts the
transport (Cowboy's ``send_timeout``), while healthy sessions are served as before; under
Uvicorn too, whose protocols wait for a paused transport with no limit either. HTTP requests
pipelined and never read meet the same deadline.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time

import httpx
import pytest
import websockets
from server_live import client_frame, live_server, open_raw_websocket

from tempest_core import App, Button, Column, Node, Text
from tempestweb_server import ServerConfig
from tempestweb_server.errors import ConfigError

BIG = 256 * 1024
"""Characters of the text every click re-renders: 40 unread clicks are about 10 MiB of patches."""
CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


def big_app() -> App[int]:
    def more() -> None:
        app.set_state(lambda n: n + 1)

    def view(n: int) -> Node:
        big = Text(str(n % 10) * BIG)
        return Column(Text(f"Count: {n}", id="count"), big, Button("+", on_click=more, id="inc"))

    app: App[int] = App(view=view, state=0, title="Big")
    return app


def _silent_reader(base: str, node: int, clicks: int) -> socket.socket:
    """Open a WebSocket with a tiny receive buffer, say hello, click ``clicks`` times; read nothing."""
    sock = open_raw_websocket(base, receive_buffer=4096)
    sock.sendall(client_frame(0x1, json.dumps({"type": "hello", "v": 1, "path": "/"}).encode()))
    for eid in range(1, clicks + 1):
        event = {"type": "event", "eid": eid, "node": node, "name": "click", "data": CLICK}
        sock.sendall(client_frame(0x1, json.dumps(event).encode()))
    return sock


def _server_connections(base: str) -> int:
    """Count the server's established TCP connections on ``base``'s port (``/proc/net/tcp``).

    The client cannot tell: an aborted connection's reset lies outside the window of a client
    that reads nothing, so it only shows once the client reads, and a server that merely closed
    queues its FIN behind that unread data. The server's side of the socket is what ends.
    """
    port = f":{int(base.rsplit(':', 1)[1]):04X}"
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                count += fields[1].endswith(port) and fields[3] == "01"  # 01: ESTABLISHED
    return count


async def _until_no_connections(base: str, timeout_s: float) -> float:
    """Seconds until the server holds no connection on ``base``'s port (``inf`` past ``timeout_s``)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if _server_connections(base) == 0:
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    return float("inf")


def test_issue_13_send_timeout_is_a_checked_setting() -> None:
    assert ServerConfig().send_timeout_s == 30.0
    assert ServerConfig.from_options({"send_timeout_s": 2}).send_timeout_s == 2.0
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ConfigError, match="send_timeout_s: expected a positive number of seconds"):
            ServerConfig(send_timeout_s=bad)


@pytest.mark.parametrize("server", ["hypercorn", "uvicorn"])
async def test_issue_13_a_client_that_stops_reading_is_aborted_after_send_timeout(server: str) -> None:
    pytest.importorskip(server, reason=f"needs the {server} extra")
    with live_server(big_app(), send_timeout_s=1.0, asgi_server=server) as base:
        page = httpx.get(f"http://{base}/").text
        button = re.search(r'<button data-tw="(\d+)"[^>]*\bid="inc"', page)
        assert button is not None
        # The node ids of a page's prerender and of a hello's first render are the same.
        node = int(button.group(1))
        silent = [_silent_reader(base, node, 40) for _ in range(3)]
        try:
            assert _server_connections(base) >= len(silent)
            # Healthy sessions are served meanwhile.
            async with websockets.connect(f"ws://{base}/_tw/ws", max_size=None) as ws:
                await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
                assert json.loads(await ws.recv())["type"] == "init"
                event = {"type": "event", "eid": 1, "node": node, "name": "click", "data": CLICK}
                await ws.send(json.dumps(event))
                patch = json.loads(await asyncio.wait_for(ws.recv(), 10))
                assert patch["type"] == "patch" and patch["ack"] == 1
            # The writes block on full buffers; 1 s later each is aborted: the server's side of
            # every silent connection ends while the client's is still open.
            assert await _until_no_connections(base, 20) < 20
        finally:
            for sock in silent:
                sock.close()


@pytest.mark.parametrize("server", ["hypercorn", "uvicorn"])
async def test_issue_13_an_http_client_that_stops_reading_is_aborted_after_send_timeout(server: str) -> None:
    """Pages asked for (pipelined, HTTP/1.1) and never read: the same deadline ends the connection."""
    pytest.importorskip(server, reason=f"needs the {server} extra")
    with live_server(big_app(), send_timeout_s=1.0, asgi_server=server) as base:
        host, port = base.split(":")
        silent: list[socket.socket] = []
        try:
            for _ in range(3):
                sock = socket.socket()
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.connect((host, int(port)))
                request = f"GET / HTTP/1.1\r\nHost: {base}\r\n\r\n".encode()
                sock.sendall(request * 40)  # 40 pages of 256 KiB, none read
                silent.append(sock)
            assert _server_connections(base) >= len(silent)
            assert await _until_no_connections(base, 20) < 20
        finally:
            for sock in silent:
                sock.close()
