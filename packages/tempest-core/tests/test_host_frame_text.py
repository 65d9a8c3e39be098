"""Text frames that are not ASCII: counted, bounded and decoded as the UTF-8 bytes they travel as.

A WebSocket text frame or an SSE POST body reaches the host as ``str``. Its size against
``max_frame_bytes`` is its UTF-8 length (RFC 6455 §5.6), not its length in characters; a lone
surrogate (which no UTF-8 frame can carry) is a malformed frame, and the session goes on.
"""

from __future__ import annotations

import json

from test_host_render_inline import CLICK, _frames, _node, counter

from tempest_core.host import Connection, FrameQueue, SessionTable


async def _open(max_frame_bytes: int = 65_536) -> tuple[Connection, FrameQueue, int]:
    queue = FrameQueue()
    connection = Connection(
        SessionTable(counter([])), queue, transport="test", max_frame_bytes=max_frame_bytes
    )
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    (init,) = await _frames(queue)
    button = next(n for op in init["ops"] if op[0] == "create" and (n := _node(op[3], "inc")) is not None)
    return connection, queue, button


def _event(eid: int, node: int, name: str) -> str:
    return json.dumps(
        {"type": "event", "eid": eid, "node": node, "name": name, "data": CLICK}, ensure_ascii=False
    )


async def test_a_non_ascii_frame_is_decoded_and_answered() -> None:
    connection, queue, button = await _open()
    connection.receive(_event(1, button, "clíck"))
    (error,) = await _frames(queue)
    assert error["code"] == "unknown_handler" and "clíck" in error["message"] and not error.get("fatal")
    connection.receive(_event(2, button, "click"))
    (patch,) = await _frames(queue)
    assert patch["type"] == "patch"


async def test_a_frame_is_held_to_its_limit_in_utf8_bytes_not_characters() -> None:
    probe = _event(1, 1, "é" * 100)
    limit = len(probe) + 50  # the characters fit; the bytes (2 per "é") do not
    assert len(probe.encode()) > limit
    connection, queue, _button = await _open(max_frame_bytes=limit)
    connection.receive(probe)
    (error,) = await _frames(queue)
    assert error["code"] == "frame_too_large" and str(len(probe.encode())) in error["message"]


async def test_a_lone_surrogate_is_a_malformed_frame_and_the_session_goes_on() -> None:
    connection, queue, button = await _open()
    connection.receive(_event(1, button, "click").replace('"click"', '"\ud800"'))
    (error,) = await _frames(queue)
    assert error["code"] == "malformed_frame" and not error.get("fatal")
    connection.receive(_event(1, button, "click"))
    (patch,) = await _frames(queue)
    assert patch["type"] == "patch"
