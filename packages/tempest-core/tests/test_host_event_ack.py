"""An ``event`` may carry the client's pending acknowledgement (``event.ack``, docs/protocol.md).

The host applies it before handling the event, exactly as an ``ack{seq}`` frame: the replay
buffer drops the acknowledged batches, and an acknowledgement never moves backwards.
"""

from __future__ import annotations

import json
from typing import Any

from test_host_render_inline import CLICK, _frames, _node, counter

from tempest_core.host import Connection, FrameQueue, SessionTable


async def _open() -> tuple[Connection, FrameQueue, int]:
    """A counter session after its ``init``: the connection, its queue and the + button's id."""
    queue = FrameQueue()
    connection = Connection(SessionTable(counter([])), queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    (init,) = await _frames(queue)
    button = next(n for op in init["ops"] if op[0] == "create" and (n := _node(op[3], "inc")) is not None)
    return connection, queue, button


async def _clicks(connection: Connection, queue: FrameQueue, button: int, eids: range, **extra: Any) -> None:
    for eid in eids:
        event = {"type": "event", "eid": eid, "node": button, "name": "click", "data": CLICK, **extra}
        connection.receive(json.dumps(event))
    assert [p["seq"] for p in await _frames(queue)] == list(eids)


async def test_an_event_carrying_ack_trims_the_replay_buffer_before_it_is_handled() -> None:
    connection, queue, button = await _open()
    session = connection.session
    assert session is not None
    await _clicks(connection, queue, button, range(1, 4))
    missed = session.missed(0)
    assert missed is not None and len(missed) == 3  # nothing acknowledged: all three kept

    await _clicks(connection, queue, button, range(4, 5), ack=2)
    assert session.missed(0) is None  # batches 1 and 2 are gone: a resume from 0 needs a resync
    replay = session.missed(2)
    assert replay is not None and [json.loads(f)["seq"] for f in replay] == [3, 4]

    await _clicks(connection, queue, button, range(5, 6), ack=1)  # stale: changes nothing
    replay = session.missed(2)
    assert replay is not None and [json.loads(f)["seq"] for f in replay] == [3, 4, 5]

    await _clicks(connection, queue, button, range(6, 7), ack=0)  # 0: nothing to acknowledge
    replay = session.missed(2)
    assert replay is not None and len(replay) == 4
    await session.settle()


async def test_a_malformed_ack_in_an_event_is_a_malformed_frame_and_the_session_goes_on() -> None:
    connection, queue, button = await _open()
    event = {"type": "event", "eid": 1, "node": button, "name": "click", "data": CLICK, "ack": "1"}
    connection.receive(json.dumps(event))
    (error,) = await _frames(queue)
    assert error["type"] == "error" and error["code"] == "malformed_frame" and not error.get("fatal")
    await _clicks(connection, queue, button, range(1, 2))
    session = connection.session
    assert session is not None
    await session.settle()


async def test_an_ack_ahead_of_the_last_patch_sent_is_refused_and_trims_nothing() -> None:
    """An ``ack`` (frame or in an event) above the session's ``seq``: ``error{malformed_frame}``,
    the replay buffer kept whole (a resume can still replay every batch), the event handled."""
    connection, queue, button = await _open()
    session = connection.session
    assert session is not None
    await _clicks(connection, queue, button, range(1, 3))

    connection.receive('{"type":"ack","seq":1000000}')
    (error,) = await _frames(queue)
    assert error["type"] == "error" and error["code"] == "malformed_frame" and not error.get("fatal")
    assert error["message"] == "ack 1000000 is ahead of the last patch sent (seq 2)"
    replay = session.missed(0)
    assert replay is not None and [json.loads(f)["seq"] for f in replay] == [1, 2]

    event = {"type": "event", "eid": 3, "node": button, "name": "click", "data": CLICK, "ack": 3}
    connection.receive(json.dumps(event))  # seq 3 is the patch this very event will produce
    error, patch = await _frames(queue)
    assert error["code"] == "malformed_frame" and "ack 3 is ahead" in error["message"]
    assert patch["type"] == "patch" and patch["seq"] == 3 and patch["ack"] == 3  # handled all the same
    replay = session.missed(0)
    assert replay is not None and [json.loads(f)["seq"] for f in replay] == [1, 2, 3]

    await _clicks(connection, queue, button, range(4, 5), ack=3)  # a true ack still trims
    replay = session.missed(3)
    assert replay is not None and [json.loads(f)["seq"] for f in replay] == [4]
    assert session.missed(0) is None
    await session.settle()
