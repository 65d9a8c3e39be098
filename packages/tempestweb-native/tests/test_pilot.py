"""Capabilities called from handlers under the headless pilot: the fake backend, and the real host."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from tempest_core import App, html
from tempest_core.nodes import Node
from tempest_core.testing import Pilot, run_test
from tempestweb.native import NativeCallError, geolocation, storage
from tempestweb.native.testing import fake_native


@dataclass
class State:
    center: tuple[float, float] | None = None
    error: str = ""
    saved: str = ""


async def locate() -> None:
    try:
        pos = await geolocation.get()
    except NativeCallError as exc:
        code = exc.code
        APP.set_state(lambda s: setattr(s, "error", code))
        return
    APP.set_state(lambda s: setattr(s, "center", (pos.lat, pos.lon)))


async def save() -> None:
    await storage.put("greeting", "hello")
    value = await storage.get("greeting")
    APP.set_state(lambda s: setattr(s, "saved", str(value)))


def view(s: State) -> Node:
    return html.div(
        html.button("locate", id="locate", on_click=locate),
        html.button("save", id="save", on_click=save),
        html.p("" if s.center is None else f"{s.center[0]:.2f},{s.center[1]:.2f}", id="center"),
        html.p(s.error, id="error"),
        html.p(s.saved, id="saved"),
    )


APP = App(view=view, state=State)


async def next_call(pilot: Pilot) -> None:
    for _ in range(1000):
        if pilot.native_calls:
            return
        await asyncio.sleep(0)
    raise AssertionError("the session sent no native_call")


async def test_fake_results_under_the_pilot() -> None:
    with fake_native() as fake:
        fake.set_result("geolocation", "get", {"lat": 48.8566, "lon": 2.3522, "accuracy_m": 5.0})
        async with run_test(APP) as pilot:
            await pilot.click("#locate")
            assert pilot.text("#center") == "48.86,2.35"
            await pilot.click("#save")
            assert pilot.text("#saved") == "hello"
        assert len(fake.calls_to("geolocation", "get")) == 1


async def test_denial_renders_the_typed_error_and_the_app_keeps_working() -> None:
    with fake_native() as fake:
        fake.deny("geolocation")
        async with run_test(APP) as pilot:
            await pilot.click("#locate")
            assert pilot.text("#error") == "permission_denied"
            await pilot.click("#save")
            assert pilot.text("#saved") == "hello"


async def test_through_the_real_host_without_a_fake() -> None:
    """No fake: the host sends a native_call frame; the test answers it as the browser would."""
    async with run_test(APP) as pilot:
        click = asyncio.create_task(pilot.click("#locate"))
        await next_call(pilot)
        call = pilot.native_calls[0]
        assert (call.capability, call.method) == ("geolocation", "get")
        await pilot.answer_native(call, {"lat": 1.0, "lon": 2.0, "accuracy_m": 3.0})
        await click
        assert pilot.text("#center") == "1.00,2.00"


async def test_a_denial_from_the_real_host_is_the_same_class() -> None:
    async with run_test(APP) as pilot:
        click = asyncio.create_task(pilot.click("#locate"))
        await next_call(pilot)
        await pilot.answer_native(
            pilot.native_calls[0], error=("permission_denied", "User denied Geolocation")
        )
        await click
        assert pilot.text("#error") == "permission_denied"


async def test_a_malformed_result_from_the_real_host_is_typed() -> None:
    async with run_test(APP) as pilot:
        click = asyncio.create_task(pilot.click("#locate"))
        await next_call(pilot)
        await pilot.answer_native(pilot.native_calls[0], {"lat": "north"})
        await click
        assert pilot.text("#error") == "malformed_result"
