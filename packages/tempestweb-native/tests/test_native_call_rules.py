"""Where the rules of one native call live: the size rule once, in the contract; the integer check once.

- ``Capability.call`` JSON-encoded every call's arguments to measure them and kept the large-call
  turns in a table of its own; the size rule is now ``tempestweb_contract.native.call_frame``,
  which the host's table applies to the frame it sends and the fake imports (not a copy), so a
  plugin's direct ``tempestweb_contract.native.call`` is held to it too, in every mode and in
  tests;
- ``storage.put`` walked a value for unsafe integers twice (its own message, then the general
  check of ``Capability.call``); once now, with storage's message.
"""

from __future__ import annotations

import asyncio
import math
import re

import pytest

from tempest_core.host import NativeCalls
from tempestweb.native import _wire as wire
from tempestweb.native import plugins, storage
from tempestweb.native.constants import LARGE_CALL_BYTES, MAX_CALL_ARGS_BYTES
from tempestweb.native.errors import InvalidArgumentError, QuotaExceededError
from tempestweb.native.testing import FakeNative
from tempestweb_contract import NativeCall
from tempestweb_contract import native as contract_native

MIB = 1024 * 1024


def test_the_limits_are_the_contracts() -> None:
    assert MAX_CALL_ARGS_BYTES == contract_native.MAX_CALL_ARGS_BYTES == 6 * MIB
    assert LARGE_CALL_BYTES == contract_native.LARGE_CALL_BYTES == MIB


async def test_the_fake_holds_a_direct_contract_call_to_the_size_rule(fake: FakeNative) -> None:
    with pytest.raises(QuotaExceededError, match="limit of one native call") as caught:
        await contract_native.call("my_plugin", "upload", {"blob": "x" * (7 * MIB)})
    assert (caught.value.capability, caught.value.method) == ("my_plugin", "upload")
    assert fake.calls == []


async def test_the_fake_and_a_session_refuse_a_call_with_the_same_words(fake: FakeNative) -> None:
    args = {"blob": "x" * MAX_CALL_ARGS_BYTES}
    with pytest.raises(QuotaExceededError) as in_fake:
        await fake.call("my_plugin", "upload", args, timeout_s=30)
    table = NativeCalls(lambda message, frame: 1)
    with pytest.raises(QuotaExceededError) as in_session:
        await table.call("my_plugin", "upload", args, timeout_s=30)
    assert str(in_fake.value) == str(in_session.value)  # the same frame, measured by the same rule
    assert f"over the {MAX_CALL_ARGS_BYTES}-byte limit" in str(in_fake.value)


async def test_the_fake_applies_the_contracts_rule_not_a_copy(
    fake: FakeNative, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contract_native, "MAX_CALL_ARGS_BYTES", 1000)
    with pytest.raises(QuotaExceededError, match="over the 1000-byte limit"):
        await storage.put("k", "x" * 1000)
    await storage.put("k", "x" * 800)
    assert len(contract_native.call_frame(NativeCall(id=1, capability="c", method="m"))) < 100


async def test_storage_put_checks_for_unsafe_integers_once(
    fake: FakeNative, monkeypatch: pytest.MonkeyPatch
) -> None:
    walked: list[object] = []

    def counting(value: object, /) -> int | None:
        walked.append(value)
        return wire.unsafe_integer(value)

    monkeypatch.setattr(storage, "unsafe_integer", counting)
    monkeypatch.setattr(plugins, "unsafe_integer", counting)
    await storage.put("doc", {"n": [1, 2, 3]})
    assert len(walked) == 1  # was 2: storage's own check, then Capability.call's
    with pytest.raises(InvalidArgumentError) as caught:
        await storage.put("big", {"n": 2**53})
    assert caught.value.message.startswith("storage values are JSON values or bytes: the integer ")
    await storage.put("blob", b"\x00" * 10)  # bytes go as base64: nothing to walk
    assert len(walked) == 2
    fake.set_result("probe_rules", "n", None)
    await plugins.Capability("probe_rules").call("n", {"n": 1}, result=type(None))
    assert len(walked) == 3  # any other call: the general check, once


async def test_storage_put_still_checks_its_timeout(fake: FakeNative) -> None:
    with pytest.raises(InvalidArgumentError, match="timeout_s must be a positive"):
        await storage.put("k", 1, timeout_s=0)
    assert fake.calls == []


async def test_large_calls_through_the_fake_run_at_once(fake: FakeNative) -> None:
    # The turns protect a transport's bound of unread bytes; the fake has none.
    await asyncio.gather(*(storage.put(f"b{i}", b"\x01" * (2 * MIB)) for i in range(3)))
    assert len(fake.calls_to("storage", "put")) == 3


@pytest.mark.parametrize(
    ("args", "where"),
    [
        ({"x": math.nan}, "args['x']"),
        ({"point": {"lat": 1.5, "lon": -math.inf}}, "args['point']['lon']"),
        ({"tensor": [0.5, 1.0, math.inf, 2.0]}, "args['tensor'][2]"),
        ({"rows": [[1.0], (2.0, math.nan)]}, "args['rows'][1][1]"),
    ],
)
async def test_a_nan_or_infinity_is_refused_alike_by_the_fake_and_a_session(
    fake: FakeNative, args: dict[str, object], where: str
) -> None:
    """JSON has no NaN or infinity: a host's encoder wrote ``null`` in their place, so the page got
    another value than the one sent, while the fake refused the call. Now the contract's rule
    (``call_frame``) refuses it in every mode, naming where it is, and nothing is sent."""
    sent: list[NativeCall] = []
    table = NativeCalls(lambda message, frame: sent.append(message) or 1)  # type: ignore[func-returns-value]
    with pytest.raises(InvalidArgumentError, match=re.escape(f"{where} is NaN or an infinity")) as in_session:
        await table.call("my_plugin", "run", args, timeout_s=30)
    assert sent == []
    with pytest.raises(InvalidArgumentError):
        await fake.call("my_plugin", "run", args, timeout_s=30)
    assert fake.calls == []
    assert (in_session.value.capability, in_session.value.method) == ("my_plugin", "run")


async def test_finite_numbers_and_the_word_null_still_go(fake: FakeNative) -> None:
    args = {"x": 1.5, "text": "null is a word", "none": None, "big": 1e308, "list": [0.0, -0.0]}
    table = NativeCalls(lambda message, frame: 1)
    task = asyncio.ensure_future(table.call("my_plugin", "run", args, timeout_s=30))
    await asyncio.sleep(0)
    assert not task.done()  # sent, waiting for the page's answer
    task.cancel()
    fake.set_result("my_plugin", "run", "ok")
    assert await fake.call("my_plugin", "run", args, timeout_s=30) == "ok"
    assert fake.calls[-1].args == args
