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


async def test_init_tells_the_client_a_frame_limit_below_the_protocols() -> None:
    # A client that does not know the limit sends a larger frame; the transport ends the
    # connection for it (close 1009 / HTTP 413) and the resume sends it again, for ever.
    table = SessionTable(counter([]))
    inits = []
    for resume in (False, True):
        queue = FrameQueue()
        connection = Connection(table, queue, transport="test", max_frame_bytes=4096)
        hello: dict[str, object] = {"type": "hello", "v": 1, "path": "/"}
        if resume:  # the resume of the first session, as after a dropped connection
            session = next(iter(table))
            hello.update(session=session.id, token=session.token, last_seq=0)
        connection.receive(json.dumps(hello))
        inits.append(next(frame for frame in await _frames(queue) if frame["type"] == "init"))
    assert [init["max_frame_bytes"] for init in inits] == [4096, 4096]
    assert inits[0]["session"] == inits[1]["session"]


async def test_init_leaves_out_the_protocols_own_frame_limit() -> None:
    from tempestweb_contract.constants import MAX_FRAME_BYTES

    queue = FrameQueue()
    table = SessionTable(counter([]))
    connection = Connection(table, queue, transport="test", max_frame_bytes=MAX_FRAME_BYTES)
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    (init,) = await _frames(queue)
    assert init["type"] == "init" and "max_frame_bytes" not in init
