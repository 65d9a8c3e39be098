"""Ctrl+C or SIGTERM with a page connected: its connection closes at once (1001), no traceback.

Found by probing as a new user: with a browser tab open, stopping ``tempestweb run`` or ``dev``
took 5 s (Hypercorn's graceful timeout waited for the page's WebSocket) and then printed about
30 lines of a cancelled read's traceback; the page's socket ended with 1011.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
from pathlib import Path

import httpx
import pytest
import websockets
from server_live import MODE_SCRIPT, free_port, python_server

APP = """\
from tempest_core import App, Text

app = App(view=lambda s: Text("hi"), title="T")
"""


async def _connected_then_stopped(port: int, process: subprocess.Popen[str], signum: int) -> int | None:
    page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10).text
    session = re.search(r'data-tw-session="([^"]+)"', page)
    token = re.search(r'data-tw-token="([^"]+)"', page)
    assert session is not None and token is not None
    async with websockets.connect(f"ws://127.0.0.1:{port}/_tw/ws") as ws:
        hello = {"type": "hello", "v": 1, "path": "/", "session": session[1], "token": token[1]}
        await ws.send(json.dumps(hello))
        await ws.recv()  # init: the page is live
        process.send_signal(signum)
        with pytest.raises(websockets.ConnectionClosed):
            while True:
                await asyncio.wait_for(ws.recv(), 30)
        return ws.close_code


@pytest.mark.parametrize("command", ["run", "dev"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_issue_13_stopping_with_a_page_connected_closes_it_going_away(
    tmp_path: Path, command: str, signum: int
) -> None:
    (tmp_path / "app.py").write_text(APP)
    port = free_port()
    with python_server(MODE_SCRIPT, command, str(tmp_path / "app.py"), str(port), port=port) as process:
        code = asyncio.run(_connected_then_stopped(port, process, signum))
        output, _ = process.communicate(timeout=30)
    assert code == 1001, output  # going away (RFC 6455): the page reconnects to the next server
    assert process.returncode == 0, output
    assert "Traceback" not in output, output
    assert "closed 1 connection(s) (going away)" in output, output
