"""A ``native_result`` that breaks the contract settles its call at once (every mode's host)."""

from __future__ import annotations

import asyncio
import json

import pytest
from test_host_render_inline import _frames

from tempest_core import App, Text
from tempest_core.host import Connection, FrameQueue, SessionTable
from tempestweb_contract.native import MalformedResultError, NativeTimeoutError


async def _open() -> tuple[Connection, FrameQueue]:
    queue = FrameQueue()
    connection = Connection(SessionTable(App(view=lambda _s: Text("x"))), queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    assert [f["type"] for f in await _frames(queue)] == ["init"]
    return connection, queue


@pytest.mark.parametrize(
    "error",
    [
        {"code": "no_such_code", "message": "x"},  # an error code the contract does not know
        "denied",  # an error that is a string
    ],
)
async def test_issue_13_an_undecodable_native_result_fails_its_call_at_once(error: object) -> None:
    # Found by probing from outside: such a result got error{malformed_frame}, and the call it
    # answered waited for its timeout (15 s by default) before failing.
    connection, queue = await _open()
    session = connection.session
    assert session is not None
    call = asyncio.ensure_future(session.native.call("clipboard", "read", {}, timeout_s=30))
    await asyncio.sleep(0)
    (sent,) = await _frames(queue)
    assert sent["type"] == "native_call"
    frame = {"type": "native_result", "id": sent["id"], "ok": False, "error": error}
    connection.receive(json.dumps(frame))
    (reply,) = await _frames(queue)
    assert reply["type"] == "error" and reply["code"] == "malformed_frame"
    with pytest.raises(MalformedResultError, match="did not decode"):
        await asyncio.wait_for(call, 1)
    await session.close()


async def test_an_undecodable_frame_naming_no_pending_call_changes_nothing() -> None:
    connection, queue = await _open()
    session = connection.session
    assert session is not None
    call = asyncio.ensure_future(session.native.call("clipboard", "read", {}, timeout_s=0.2))
    await asyncio.sleep(0)
    (sent,) = await _frames(queue)
    for bad in (
        {"type": "native_result", "id": sent["id"] + 1, "ok": False, "error": "x"},  # another id
        {"type": "event", "id": sent["id"], "eid": "x"},  # not a native_result
        {"type": "native_result", "id": "1", "ok": True},  # an id that is not a number
    ):
        connection.receive(json.dumps(bad))
    assert [f["code"] for f in await _frames(queue)] == ["malformed_frame"] * 3
    with pytest.raises(NativeTimeoutError):  # still pending until its own timeout
        await call
    await session.close()
