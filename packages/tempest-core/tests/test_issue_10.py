"""Regression tests for issue 10: ``App.set_state(fn)`` where ``fn`` mutates in place and returns None."""

from __future__ import annotations

from dataclasses import dataclass, field

from tempest_core import App, html
from tempest_core.nodes import Node
from tempest_core.testing import Pilot, run_test
from tempestweb_contract import Op


@dataclass
class Map:
    center: tuple[float, float] = (0.0, 0.0)
    marks: list[str] = field(default_factory=list)


def view(s: Map) -> Node:
    return html.div(
        html.p(f"{s.center[0]},{s.center[1]}", id="center"),
        html.p(str(len(s.marks)), id="marks"),
        html.button("go", id="go", on_click=go),
        html.button("new", id="new", on_click=lambda: APP.set_state(lambda s: Map(center=(1.0, 2.0)))),
    )


APP: App[Map] = App(view=view, state=Map)


def go() -> None:
    before = APP.state
    APP.set_state(lambda s: setattr(s, "center", (48.8, 2.3)))
    APP.set_state(lambda s: s.marks.append("x"))
    assert APP.state is before  # mutated in place: the state object stays


async def test_issue_10_set_state_mutating_in_place_keeps_the_state_and_renders() -> None:
    async with run_test(APP) as pilot:
        state = APP_state(pilot)
        await pilot.click("#go")
        assert pilot.text("#center") == "48.8,2.3"
        assert pilot.text("#marks") == "1"
        assert APP_state(pilot) is state


async def test_issue_10_in_place_updates_of_one_tick_coalesce_into_one_render() -> None:
    async with run_test(APP) as pilot:
        patches: list[int] = []
        session = pilot.session
        original = session.on_patch
        assert original is not None

        def count(ops: tuple[Op, ...], ack: int) -> None:
            patches.append(len(ops))
            original(ops, ack)

        session.on_patch = count
        await pilot.click("#go")
        assert len(patches) == 1


async def test_issue_10_returning_a_new_state_still_replaces_it() -> None:
    async with run_test(APP) as pilot:
        old = APP_state(pilot)
        await pilot.click("#new")
        assert APP_state(pilot) is not old
        assert pilot.text("#center") == "1.0,2.0"


def APP_state(pilot: Pilot) -> Map:
    state: Map = pilot.session.state
    return state
