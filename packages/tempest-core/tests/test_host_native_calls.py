"""The host's pending-call table: late results, the size rule of one call and large-call turns.

- A call the app cancelled (its task cancelled, ``asyncio.wait_for``), or that timed out, or
  whose connection was lost, still gets its ``native_result`` from the page, which finishes what
  it started. The host answered it with ``error{unknown_message}``, which the client logs with
  ``console.error``: noise for an expected situation. It is now dropped with a debug log; a
  result for a call never made, and a duplicate, still get ``unknown_message``.
- The size rule of one call (``tempestweb_contract.native.call_frame``) and the large-call turns
  live in the table every mode's host uses, measured on the frame it sends; they used to live in
  ``tempestweb.native``'s ``Capability.call``, which a direct ``tempestweb_contract.native.call``
  bypassed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from test_host_render_inline import _frames

from tempest_core import App, Text
from tempest_core.host import Connection, FrameQueue, NativeCalls, SessionTable
from tempest_core.host._native import OUTCOMES_REMEMBERED
from tempestweb_contract import NativeCall, NativeResult
from tempestweb_contract import native as contract_native
from tempestweb_contract.native import (
    CURRENT_BRIDGE,
    LARGE_CALL_BYTES,
    MAX_CALL_ARGS_BYTES,
    AbortedError,
    InvalidArgumentError,
    NativeTimeoutError,
    QuotaExceededError,
)

MIB = 1024 * 1024


async def _open() -> tuple[Connection, FrameQueue]:
    queue = FrameQueue()
    connection = Connection(SessionTable(App(view=lambda _s: Text("x"))), queue, transport="test")
    connection.receive('{"type":"hello","v":1,"path":"/"}')
    assert [f["type"] for f in await _frames(queue)] == ["init"]
    return connection, queue


def _sender(sent: list[NativeCall], epoch: int = 1) -> Callable[[NativeCall, bytes], int]:
    """A table's ``send``: records each call, as sent over the connection of ``epoch``."""

    def send(message: NativeCall, frame: bytes) -> int:
        sent.append(message)
        return epoch

    return send


def _memory(table: NativeCalls) -> bytearray | None:
    return table._outcomes


def _result(call_id: int, value: Any = "late") -> str:
    return json.dumps({"type": "native_result", "id": call_id, "ok": True, "value": value})


# -- late results ----------------------------------------------------------------------------------
async def test_the_late_result_of_a_cancelled_call_is_dropped_quietly(
    caplog: pytest.LogCaptureFixture,
) -> None:
    connection, queue = await _open()
    session = connection.session
    assert session is not None
    call = asyncio.ensure_future(session.native.call("http", "fetch", {}, timeout_s=30))
    await asyncio.sleep(0)
    (sent,) = await _frames(queue)
    assert sent["type"] == "native_call"
    call.cancel()  # the app gave up (a task cancelled, asyncio.wait_for)
    with pytest.raises(asyncio.CancelledError):
        await call
    assert len(session.native) == 0
    with caplog.at_level(logging.DEBUG, logger="tempestweb.host"):
        connection.receive(_result(sent["id"]))  # the page finished its fetch meanwhile
    assert await _frames(queue) == []  # was error{unknown_message} "its call already cancelled"
    assert f"native_result {sent['id']} dropped: its call was cancelled" in caplog.text
    assert all(record.levelno == logging.DEBUG for record in caplog.records if "dropped" in record.message)
    connection.receive(_result(sent["id"] + 1))  # an id never issued is still an error
    (reply,) = await _frames(queue)
    assert reply["code"] == "unknown_message" and reply["message"].endswith("no such call was made")
    await session.close()


async def test_the_late_result_of_a_timed_out_call_is_dropped_quietly() -> None:
    connection, queue = await _open()
    session = connection.session
    assert session is not None
    with pytest.raises(NativeTimeoutError):
        await session.native.call("clipboard", "read", {}, timeout_s=0.05)
    (sent,) = await _frames(queue)
    connection.receive(_result(sent["id"]))  # the page's own timeout answer comes after the host's
    assert await _frames(queue) == []
    await session.close()


async def test_the_late_result_of_a_call_whose_connection_was_lost_is_dropped_quietly() -> None:
    sent: list[NativeCall] = []
    table = NativeCalls(_sender(sent, 7))
    call = asyncio.ensure_future(table.call("storage", "get", {"key": "k"}, timeout_s=30))
    await asyncio.sleep(0)
    table.detached(7)
    with pytest.raises(AbortedError):
        await call
    assert table.resolve(NativeResult(id=sent[0].id, ok=True, value=None)) is None  # the resumed page


async def test_a_duplicate_or_a_result_for_no_call_still_gets_unknown_message() -> None:
    sent: list[NativeCall] = []
    table = NativeCalls(_sender(sent))
    call = asyncio.ensure_future(table.call("clipboard", "read", {}, timeout_s=30))
    await asyncio.sleep(0)
    assert table.resolve(NativeResult(id=sent[0].id, ok=True, value="x")) is None
    assert await call == "x"
    duplicate = table.resolve(NativeResult(id=sent[0].id, ok=True, value="x"))
    assert duplicate is not None and duplicate.code == "unknown_message"
    assert duplicate.message == "native_result 1 ignored: its call already answered"
    for never in (0, -1, 2, 10**12):
        reply = table.resolve(NativeResult(id=never, ok=True, value=None))
        assert reply is not None and reply.code == "unknown_message", never
        assert reply.message.endswith("no such call was made")


async def test_the_memory_of_finished_calls_is_bounded_in_count_and_bytes() -> None:
    sent: list[NativeCall] = []
    table = NativeCalls(_sender(sent))
    assert _memory(table) is None  # a session that never calls holds nothing
    first = asyncio.ensure_future(table.call("http", "fetch", {}, timeout_s=30))
    await asyncio.sleep(0)
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    for _ in range(OUTCOMES_REMEMBERED - 1):  # the first id is still one of the latest
        call = asyncio.ensure_future(table.call("clipboard", "read", {}, timeout_s=30))
        await asyncio.sleep(0)
        table.resolve(NativeResult(id=sent[-1].id, ok=True, value=""))
        await call
    assert table.resolve(NativeResult(id=1, ok=True, value=None)) is None
    call = asyncio.ensure_future(table.call("clipboard", "read", {}, timeout_s=30))
    await asyncio.sleep(0)
    table.resolve(NativeResult(id=sent[-1].id, ok=True, value=""))
    await call
    forgotten = table.resolve(NativeResult(id=1, ok=True, value=None))  # one id too old now
    assert forgotten is not None and forgotten.code == "unknown_message"
    memory = _memory(table)
    assert memory is not None and len(memory) == OUTCOMES_REMEMBERED  # one byte an id
    assert len(table) == 0


# -- the size rule and the turns -------------------------------------------------------------------
class _Page:
    """Answers each call ``delay_s`` after it was sent; counts the large frames out at once."""

    def __init__(self, delay_s: float = 0.05) -> None:
        self.delay_s = delay_s
        self.sent: list[NativeCall] = []
        self.running = 0
        self.most_running = 0
        self.table = NativeCalls(self._send)

    def _send(self, message: NativeCall, frame: bytes) -> int:
        self.sent.append(message)
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        asyncio.get_running_loop().call_later(self.delay_s, self._answer, message.id)
        return 1

    def _answer(self, call_id: int) -> None:
        self.running -= 1
        self.table.resolve(NativeResult(id=call_id, ok=True, value=None))


async def test_a_call_over_the_limit_is_a_quota_error_and_never_sent() -> None:
    page = _Page()
    data = "x" * MAX_CALL_ARGS_BYTES
    with pytest.raises(
        QuotaExceededError, match=rf"over the {MAX_CALL_ARGS_BYTES}-byte limit of one native call"
    ):
        await page.table.call("storage", "put", {"value": data}, timeout_s=5)
    fits = "x" * (MAX_CALL_ARGS_BYTES - 200)  # the envelope is about 100 bytes
    await page.table.call("storage", "put", {"value": fits}, timeout_s=5)
    assert [len(m.args["value"]) for m in page.sent] == [len(fits)]
    assert len(page.table) == 0


async def test_a_direct_contract_call_is_held_to_the_rule_too() -> None:
    page = _Page()
    token = CURRENT_BRIDGE.set(page.table)
    try:
        with pytest.raises(QuotaExceededError) as caught:
            await contract_native.call("my_plugin", "upload", {"blob": "x" * (7 * MIB)})
        assert (caught.value.capability, caught.value.method) == ("my_plugin", "upload")
        with pytest.raises(InvalidArgumentError, match="arguments are not JSON"):
            await contract_native.call("my_plugin", "upload", {"blob": object()})
        with pytest.raises(InvalidArgumentError, match="arguments are not JSON"):
            await contract_native.call("my_plugin", "upload", {"text": "\ud800"})
    finally:
        CURRENT_BRIDGE.reset(token)
    assert page.sent == []


async def test_large_calls_take_turns_per_session_and_small_ones_do_not() -> None:
    page, other = _Page(), _Page()
    big = {"value": "x" * LARGE_CALL_BYTES}
    await asyncio.gather(
        *(page.table.call("storage", "put", big, timeout_s=5) for _ in range(3)),
        *(other.table.call("storage", "put", big, timeout_s=5) for _ in range(3)),
    )
    assert (page.most_running, other.most_running) == (1, 1)  # one at a time in each session ...
    assert page.sent[0].timeout_ms == 5000  # the first waited for nothing
    assert 4000 < page.sent[2].timeout_ms < 5000  # a waiting one's page gets what is left
    page.most_running = 0
    small = {"value": "x" * (LARGE_CALL_BYTES - 200)}
    await asyncio.gather(*(page.table.call("storage", "put", small, timeout_s=5) for _ in range(4)))
    assert page.most_running == 4


async def test_both_sessions_run_their_large_call_at_once() -> None:
    page, other = _Page(delay_s=0.2), _Page(delay_s=0.2)
    big = {"value": "x" * LARGE_CALL_BYTES}
    first = asyncio.ensure_future(page.table.call("storage", "put", big, timeout_s=5))
    await asyncio.sleep(0)
    second = asyncio.ensure_future(other.table.call("storage", "put", big, timeout_s=5))
    await asyncio.sleep(0)
    assert (len(page.sent), len(other.sent)) == (1, 1)  # no turn shared between sessions
    await asyncio.gather(first, second)


async def test_a_large_call_waiting_past_its_timeout_or_cancelled_frees_the_turn() -> None:
    page = _Page(delay_s=0.3)
    big = {"value": "x" * LARGE_CALL_BYTES}
    first = asyncio.ensure_future(page.table.call("storage", "put", big, timeout_s=5))
    await asyncio.sleep(0)
    with pytest.raises(NativeTimeoutError, match=r"no turn within 0\.05 s: another large call"):
        await page.table.call("storage", "put", big, timeout_s=0.05)
    waiting = asyncio.ensure_future(page.table.call("storage", "put", big, timeout_s=5))
    await asyncio.sleep(0.01)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await first
    page.delay_s = 0.01
    await page.table.call("storage", "put", big, timeout_s=0.1)  # the turn is free at once
    assert len(page.sent) == 2 and len(page.table) == 0
