from __future__ import annotations

import asyncio

import pytest

from tempestweb.native import clipboard, geolocation, storage
from tempestweb.native.errors import AbortedError, InvalidArgumentError, NativeTimeoutError, NotSupportedError
from tempestweb.native.plugins import Capability
from tempestweb.native.testing import FakeNative, fake_native


async def test_unset_results_say_what_to_set(fake: FakeNative) -> None:
    with pytest.raises(NotSupportedError, match=r"set_result\('geolocation', 'get'"):
        await geolocation.get()


async def test_responder_functions_and_async_responders(fake: FakeNative) -> None:
    fake.set_result("clipboard", "read", lambda args: "computed")
    assert await clipboard.read() == "computed"

    async def later(args: dict[str, object]) -> str:
        await asyncio.sleep(0)
        return "async"

    fake.set_result("clipboard", "read", later)
    assert await clipboard.read() == "async"


async def test_results_are_consumed_in_order_and_the_last_repeats(fake: FakeNative) -> None:
    fake.set_result("clipboard", "read", "a", "b")
    assert [await clipboard.read() for _ in range(3)] == ["a", "b", "b"]


async def test_method_failure_wins_over_capability_failure(fake: FakeNative) -> None:
    fake.fail("clipboard", code="aborted")
    fake.set_result("clipboard", "read", "ok")
    assert await clipboard.read() == "ok"
    with pytest.raises(AbortedError):
        await clipboard.write("x")
    fake.reset("clipboard")
    await clipboard.write("x")


async def test_fail_with_every_code(fake: FakeNative) -> None:
    fake.fail("clipboard", "read", code="timeout", message="slow")
    with pytest.raises(NativeTimeoutError, match="slow") as info:
        await clipboard.read()
    assert info.value.capability == "clipboard" and info.value.method == "read"


async def test_arguments_must_be_json(fake: FakeNative) -> None:
    with pytest.raises(InvalidArgumentError):
        await Capability("x_test").call("m", {"v": object()}, result=type(None))


async def test_calls_are_recorded(fake: FakeNative) -> None:
    await storage.put("k", 1)
    assert fake.calls_to("storage", "put")[0].args == {"key": "k", "kind": "json", "value": 1}
    assert fake.storage["k"]["json_value"] == 1


async def test_fakes_nest_and_restore() -> None:
    with fake_native() as outer:
        with fake_native() as inner:
            await clipboard.write("inner")
        await clipboard.write("outer")
    assert inner.clipboard == "inner" and outer.clipboard == "outer"


async def test_tasks_started_inside_see_the_fake(fake: FakeNative) -> None:
    await asyncio.create_task(clipboard.write("from a task"))
    assert fake.clipboard == "from a task"
