"""Sixth outside probe of ``tempestweb.native``: what differed between the fake and the real modes.

- ``storage.put(10**30)`` came back as ``1e+30`` in Mode A, Mode B and desktop (a JavaScript
  number) and exactly in the fake: an integer beyond ``±MAX_SAFE_INTEGER`` is now refused with
  ``InvalidArgumentError`` before any bridge, in every mode (any capability's arguments too);
- ``storage.put([1.0, -0.0, 1e20])`` read back ``[1, 0, 10**20]`` from a page and the floats from
  the fake: the fake now answers what a page answers (one number type);
- a ``storage.put`` or ``file.save`` of 9 or 16 MB failed in Mode B and desktop with
  ``AbortedError`` "connection was lost" (the one frame passed the 8 MiB of unread bytes a host
  allows; whether it did depended on what the page had not read or acknowledged yet) and worked
  in the fake: arguments over ``MAX_CALL_ARGS_BYTES`` are ``QuotaExceededError`` everywhere, and
  concurrent large calls take turns, so that three 4 MiB puts no longer overflow together;
- a result over the frame limit is ``QuotaExceededError`` from a page's client; the fake now
  refuses to answer one too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from tempest_core.host import NativeCalls
from tempestweb.native import file, http, storage
from tempestweb.native.constants import LARGE_CALL_BYTES, MAX_CALL_ARGS_BYTES, MAX_SAFE_INTEGER
from tempestweb.native.errors import InvalidArgumentError, NativeTimeoutError, QuotaExceededError
from tempestweb.native.plugins import Capability
from tempestweb.native.testing import FakeNative
from tempestweb_contract import NativeCall, NativeResult
from tempestweb_contract.native import CURRENT_BRIDGE

MIB = 1024 * 1024


class _SlowBridge:
    """A session's own bridge (the host's ``NativeCalls``) whose page answers ``None`` after ``delay_s``.

    The size rule and the large-call turns live in the host's table (every mode's), so the tests
    of those rules go through it; ``running`` counts the calls sent and not yet answered.
    """

    def __init__(self, delay_s: float = 0.05) -> None:
        self.delay_s = delay_s
        self.calls: list[tuple[str, str, dict[str, Any], float]] = []
        self.running = 0
        self.most_running = 0
        self.table = NativeCalls(self._send)

    def _send(self, message: NativeCall, frame: bytes) -> int:
        self.calls.append((message.capability, message.method, message.args, message.timeout_ms / 1000))
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        asyncio.get_running_loop().call_later(self.delay_s, self._answer, message.id)
        return 1

    def _answer(self, call_id: int) -> None:
        self.running -= 1
        self.table.resolve(NativeResult(id=call_id, ok=True, value=None))

    async def call(
        self, capability: str, method: str, args: Mapping[str, Any], /, *, timeout_s: float
    ) -> Any:
        return await self.table.call(capability, method, args, timeout_s=timeout_s)


@pytest.fixture
def bridge() -> Iterator[_SlowBridge]:
    slow = _SlowBridge()
    token = CURRENT_BRIDGE.set(slow)
    try:
        yield slow
    finally:
        CURRENT_BRIDGE.reset(token)


UNSAFE = [10**30, 2**53, -(2**53), {"a": [1, {"b": 2**64}]}, [[[-(10**20)]]]]


@pytest.mark.parametrize("value", UNSAFE)
async def test_an_unsafe_integer_is_refused_by_the_fake(fake: FakeNative, value: object) -> None:
    with pytest.raises(InvalidArgumentError, match="beyond JavaScript's safe range") as caught:
        await storage.put("big", value)  # type: ignore[arg-type]
    assert caught.value.message.startswith("storage values are JSON values or bytes: the integer ")
    assert fake.calls == [] and fake.storage == {}


@pytest.mark.parametrize("value", UNSAFE)
async def test_an_unsafe_integer_never_reaches_a_session(bridge: _SlowBridge, value: object) -> None:
    with pytest.raises(InvalidArgumentError, match="beyond JavaScript's safe range"):
        await storage.put("big", value)  # type: ignore[arg-type]
    assert bridge.calls == []


async def test_the_safe_range_edges_and_floats_still_store(fake: FakeNative) -> None:
    await storage.put("edges", [MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, 1e30, True])
    assert await storage.get("edges") == [MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, 1e30, True]


async def test_any_capability_refuses_an_unsafe_integer_argument(bridge: _SlowBridge) -> None:
    plugin = Capability("probe6_plugin")
    with pytest.raises(InvalidArgumentError, match=r"the integer 9007199254740992 is beyond") as caught:
        await plugin.call("count", {"n": 2**53}, result=type(None))
    assert (caught.value.capability, caught.value.method) == ("probe6_plugin", "count")
    assert bridge.calls == []
    await plugin.call("count", {"n": 2**53 - 1, "flag": True}, result=type(None))
    assert len(bridge.calls) == 1


async def test_the_fake_answers_numbers_as_a_page_does(fake: FakeNative) -> None:
    # Mode A and Mode B answered exactly this (examples/tests/test_native_probe6_modes.py).
    await storage.put("floats", [1.0, -0.0, 0.5, 1e20, 1e21, 2.5e-7])
    assert await storage.get("floats") == [1, 0, 0.5, 10**20, 1e21, 2.5e-7]
    got = await storage.get("floats")
    assert isinstance(got, list) and type(got[0]) is int and type(got[4]) is float
    fake.set_result("probe6_plugin", "n", {"big": 2**60 + 1, "huge": 10**400})
    answer = await Capability("probe6_plugin").call("n", result=dict[str, Any])
    assert answer == {"big": 2**60, "huge": None}  # rounded to a double; Infinity is null


@pytest.mark.parametrize("size", [16 * MIB, 9 * MIB, 5 * MIB])
async def test_arguments_over_the_call_limit_are_a_quota_error_in_the_fake(
    fake: FakeNative, size: int
) -> None:
    with pytest.raises(
        QuotaExceededError, match=rf"over the {MAX_CALL_ARGS_BYTES}-byte limit of one native call"
    ):
        await storage.put("blob", b"\x01" * size)
    with pytest.raises(QuotaExceededError, match="limit of one native call"):
        await file.save("blob.bin", b"\x01" * size)
    assert fake.calls == []


async def test_arguments_over_the_call_limit_never_reach_a_session(bridge: _SlowBridge) -> None:
    with pytest.raises(QuotaExceededError) as caught:
        await storage.put("blob", b"\x01" * (16 * MIB))
    assert (caught.value.capability, caught.value.method) == ("storage", "put")
    assert bridge.calls == []
    largest = MAX_CALL_ARGS_BYTES * 3 // 4 - 1024  # bytes go as base64
    await storage.put("blob", b"\x01" * largest)
    assert len(bridge.calls) == 1


async def test_concurrent_large_calls_take_turns_and_small_ones_do_not(bridge: _SlowBridge) -> None:
    await asyncio.gather(*(storage.put(f"b{i}", bytes([i]) * (4 * MIB)) for i in range(3)))
    assert bridge.most_running == 1
    assert all(timeout == 15.0 for *_, timeout in bridge.calls[:1])
    bridge.most_running = 0
    await asyncio.gather(*(storage.put(f"s{i}", "x" * 1000) for i in range(5)))
    assert bridge.most_running == 5
    assert LARGE_CALL_BYTES < 4 * MIB


async def test_a_large_call_waiting_its_turn_past_its_timeout_is_a_timeout(bridge: _SlowBridge) -> None:
    bridge.delay_s = 0.5
    first = asyncio.ensure_future(storage.put("a", b"\x01" * (2 * MIB)))
    await asyncio.sleep(0)
    with pytest.raises(NativeTimeoutError, match="another large call of this session was running"):
        await storage.put("b", b"\x02" * (2 * MIB), timeout_s=0.1)
    await first
    bridge.delay_s = 0.01  # a page that answers within the next call's 0.1 s
    await storage.put("c", b"\x03" * (2 * MIB), timeout_s=0.1)  # its turn came at once
    assert [call[2]["key"] for call in bridge.calls] == ["a", "c"]
    assert bridge.calls[1][3] == 0.1  # it waited for nothing: the page got the whole timeout


async def test_a_result_over_the_frame_limit_is_a_quota_error_in_the_fake(fake: FakeNative) -> None:
    fake.set_result("http", "fetch", http.fake_response(200, body=b"\x03" * (20 * MIB)))
    with pytest.raises(
        QuotaExceededError, match=r"a result of \d+ bytes exceeds the host's frame limit of 16777216 bytes"
    ):
        await http.request("GET", "/api/big")
    fake.set_result("http", "fetch", http.fake_response(200, body=b"\x03" * MIB))
    assert len((await http.request("GET", "/api/big")).content) == MIB
