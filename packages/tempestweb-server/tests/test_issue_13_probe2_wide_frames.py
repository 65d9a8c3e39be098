"""Issue 13, second probe: a client frame of millions of tiny JSON values is refused before decoding.

Found by probing ``tempestweb run examples/counter`` from outside with frames under the 16 MiB
limit that are wide rather than deep: a ``native_result`` whose value is ``[[],[],...]`` (5.6
million arrays), an ``event`` whose ``data`` has 1.6 million keys, an ``event`` whose one value
is a list of 4 million strings. Each decoded value is a Python object, so each such frame took
the server from about 50 MiB to a 290-490 MiB peak and held its event loop for 0.4-1.6 s (a
healthy session's click waited that long), before the frame was refused or ignored. Now a
client's frame of more than ``MAX_FRAME_VALUES`` values is answered ``error{frame_too_large}``
(not fatal after the handshake) without being decoded.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
from pathlib import Path
from typing import Any

import pytest
import websockets
from server_live import MODE_SCRIPT, free_port, python_server

from tempestweb_contract import ContractError
from tempestweb_contract.codec import check_values, json_values
from tempestweb_contract.constants import MAX_FRAME_BYTES, MAX_FRAME_VALUES
from tempestweb_server._sse import split_frames

COUNTER = """\
from tempest_core import App, Button, Column, Text


def increment() -> None:
    app.set_state(lambda n: n + 1)


app = App(view=lambda n: Column(Text(f"Count: {n}"), Button("+", on_click=increment)), state=0, title="C")
"""
CLICK = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
PEAK_GROWTH_LIMIT_MIB = 160
"""What the three wide frames may add to the server's peak RSS (the old code: 290-490 MiB each)."""
LIMIT = MAX_FRAME_BYTES - 256


def _wide_frames(node: int) -> dict[str, str]:
    native = '{"type":"native_result","id":1,"ok":true,"value":['
    event = f'{{"type":"event","eid":2,"node":{node},"name":"click","data":{{'
    keys = ",".join(f'"{i:x}":0' for i in range((LIMIT - len(event)) // 12))
    strings = ",".join(['"a"'] * ((LIMIT - len(event)) // 4))
    return {
        "native_result of arrays": native + ",".join(["[]"] * ((LIMIT - len(native)) // 3)) + "]}",
        "event data of keys": event + keys + "}}",
        "event value of strings": event + '"v":[' + strings + "]}}",
    }


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise KeyError("VmHWM")


async def _send_wide_frames(port: int) -> tuple[dict[str, dict[str, Any]], bool]:
    async with websockets.connect(f"ws://127.0.0.1:{port}/_tw/ws", compression=None, max_size=None) as ws:
        await ws.send(json.dumps({"type": "hello", "v": 1, "path": "/"}))
        init = await asyncio.wait_for(ws.recv(), 10)
        assert json.loads(init)["type"] == "init", init
        node = int(re.findall(r'\["e",\s*(\d+),\s*"button"', str(init))[0])
        answers: dict[str, dict[str, Any]] = {}
        for name, frame in _wide_frames(node).items():
            assert len(frame.encode()) <= MAX_FRAME_BYTES
            await ws.send(frame)
            answers[name] = json.loads(await asyncio.wait_for(ws.recv(), 30))
        await ws.send(json.dumps({"type": "event", "eid": 3, "node": node, "name": "click", "data": CLICK}))
        patch = json.loads(await asyncio.wait_for(ws.recv(), 10))
    return answers, patch["type"] == "patch" and patch["ack"] == 3


def test_wide_frames_are_refused_without_decoding(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(COUNTER)
    port = free_port()
    with python_server(MODE_SCRIPT, "run", str(tmp_path / "app.py"), str(port), port=port) as process:
        before = _peak_rss_mib(process.pid)
        answers, clicked = asyncio.run(_send_wide_frames(port))
        growth = _peak_rss_mib(process.pid) - before
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    for name, answer in answers.items():
        assert answer["type"] == "error" and answer["code"] == "frame_too_large", (name, answer)
        assert f"exceeds {MAX_FRAME_VALUES}" in answer["message"] and not answer.get("fatal"), answer
    assert clicked  # the connection stays open and its session answers
    assert growth < PEAK_GROWTH_LIMIT_MIB, f"peak RSS grew {growth:.0f} MiB"
    assert "Traceback" not in output, output


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (b'{"type":"ack","seq":3}', 5),
        (b"[]", 2),  # an empty container counts as two: an upper bound
        (b'["a,b:[c{", 1]', 3),
        (b'["\\\\", "\\"[,", 2]', 4),
        (b'{"k\\\\\\"": ["\\\\\\"x,"]}', 4),
    ],
)
def test_json_values_counts_outside_strings(text: bytes, values: int) -> None:
    assert json_values(text) >= values  # few marks: strings' characters are counted too
    # Past MAX_FRAME_VALUES marks the count leaves strings out: the commas of "pad" are none.
    long = b'{"pad":"' + b"," * (MAX_FRAME_VALUES + 1) + b'","v":' + text + b"}"
    assert json_values(long) == values + 4  # the object, "pad", its string and "v"
    check_values(long)


def test_check_values_refuses_past_the_limit() -> None:
    wide = b"[" + b",".join([b"0"] * (MAX_FRAME_VALUES + 1)) + b"]"
    with pytest.raises(ContractError) as caught:
        check_values(wide)
    assert caught.value.code == "frame_too_large"
    check_values(b"[" + b",".join([b"0"] * (MAX_FRAME_VALUES - 1)) + b"]")
    with pytest.raises(ContractError, match="JSON values"):  # an SSE POST of it: 413, none handled
        split_frames(b"[" + wide + b"]")
