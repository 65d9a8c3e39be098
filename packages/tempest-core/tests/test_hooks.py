"""Hooks and components: state, effects (sync, cleanup, async tasks), memo, ref, memoization."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from tempest_core import App, HookError, component, html, use_effect, use_memo, use_ref, use_state
from tempest_core.nodes import Component, Node
from tempest_core.testing import run_test
from tempestweb_contract import Op


def test_component_returns_a_vnode_with_key_and_rejects_positional_args() -> None:
    @component
    def row(*, n: int) -> Node:
        return html.li(str(n))

    c = row(n=1, key="k")
    assert isinstance(c, Component) and c.key == "k" and c.props == {"n": 1}
    with pytest.raises(TypeError, match="keyword arguments only"):
        row(1)  # type: ignore[call-arg]


def test_hooks_outside_render_raise_hook_error() -> None:
    with pytest.raises(HookError, match="use_state"):
        use_state(0)
    with pytest.raises(HookError):
        use_effect(lambda: None)


async def test_use_state_in_component_and_root_view() -> None:
    @component
    def counter(*, label: str) -> Node:
        n, set_n = use_state(0)
        return html.button(f"{label}{n}", class_=label, on_click=lambda: set_n(lambda v: v + 1))

    def view(_: None) -> Node:
        def initial() -> bool:
            return False

        flag, set_flag = use_state(initial)
        return html.div(
            html.span("on" if flag else "off", id="flag", on_click=lambda: set_flag(not flag)),
            counter(label="a"),
            counter(label="b"),
        )

    async with run_test(App(view=view)) as pilot:
        await pilot.click(".a")
        await pilot.click(".a")
        await pilot.click(".b")
        assert pilot.text(".a") == "a2" and pilot.text(".b") == "b1"
        await pilot.click("#flag")
        assert pilot.text("#flag") == "on"
        # root re-render kept the component state (memoized: equal props)
        assert pilot.text(".a") == "a2"


async def test_component_state_change_rerenders_only_that_component() -> None:
    renders: list[str] = []

    @component
    def item(*, name: str) -> Node:
        renders.append(name)
        n, set_n = use_state(0)
        return html.li(f"{name}{n}", class_=name, on_click=lambda: set_n(n + 1))

    app: App[None] = App(view=lambda _: html.ul([item(name=x, key=x) for x in "xyz"]))
    async with run_test(app) as pilot:
        renders.clear()
        await pilot.click(".y")
        assert renders == ["y"]
        assert pilot.text("ul") == "x0y1z0"


async def test_three_component_setters_in_one_tick_coalesce() -> None:
    patches: list[int] = []

    @component
    def three() -> Node:
        a, set_a = use_state(0)

        def click() -> None:
            set_a(1)
            set_a(lambda v: v + 1)
            set_a(lambda v: v + 1)

        return html.p(str(a), on_click=click)

    async with run_test(App(view=lambda _: three())) as pilot:

        def on_patch(ops: tuple[Op, ...], ack: int) -> None:
            patches.append(len(ops))
            pilot.dom.apply_all(ops)

        pilot.session.on_patch = on_patch
        await pilot.click("p")
        assert len(patches) == 1 and pilot.text("p") == "3"


async def test_effects_run_after_mount_on_deps_change_and_cleanup_on_unmount() -> None:
    log: list[str] = []

    @component
    def child(*, n: int) -> Node:
        def effect() -> Callable[[], None]:
            log.append(f"run{n}")
            return lambda: log.append(f"cleanup{n}")

        use_effect(effect, [n])

        def every() -> None:
            log.append("every")

        use_effect(every)
        return html.span(str(n))

    def view(state: dict[str, Any]) -> Node:
        return html.div(
            child(n=state["n"]) if state["show"] else None,
            html.button("n", id="n", on_click=lambda: app.set_state(lambda s: {**s, "n": s["n"] + 1})),
            html.button("hide", id="hide", on_click=lambda: app.set_state(lambda s: {**s, "show": False})),
        )

    app = App(view=view, state={"n": 0, "show": True})
    async with run_test(app) as pilot:
        assert log == ["run0", "every"]
        await pilot.click("#n")
        assert log == ["run0", "every", "cleanup0", "run1", "every"]
        await pilot.click("#hide")
        assert log[-1] == "cleanup1"
        assert pilot.query("span") == []


async def test_async_effect_runs_as_task_and_is_cancelled_on_unmount() -> None:
    ticks: list[int] = []
    three = asyncio.Event()
    cancelled = asyncio.Event()

    @component
    def clock() -> Node:
        t, set_t = use_state(0)

        async def run() -> None:
            i = 0
            try:
                while True:  # a timer, as an app would write it
                    await asyncio.sleep(0.001)
                    i += 1
                    set_t(i)
                    ticks.append(i)
                    if i == 3:
                        three.set()
            except asyncio.CancelledError:
                cancelled.set()
                raise

        use_effect(run, [])
        return html.time(str(t))

    def view(show: bool) -> Node:
        return html.div(
            clock() if show else None, html.button("x", on_click=lambda: app.set_state(lambda s: False))
        )

    app = App(view=view, state=True)
    async with run_test(app) as pilot:
        await asyncio.wait_for(three.wait(), 5)
        await pilot.wait()
        assert int(pilot.text("time")) >= 3
        await pilot.click("button")
        await asyncio.wait_for(cancelled.wait(), 5)
        assert pilot.query("time") == []


async def test_background_task_is_cancelled_on_close() -> None:
    started = asyncio.Event()
    stopped = asyncio.Event()

    def view(_: None) -> Node:
        async def forever() -> None:
            started.set()
            try:
                await asyncio.Event().wait()
            finally:
                stopped.set()

        use_effect(forever, ())
        return html.p("x")

    async with run_test(App(view=view)):
        await asyncio.wait_for(started.wait(), 5)
    assert stopped.is_set()


async def test_effect_errors_are_reported() -> None:
    def view(_: None) -> Node:
        def broken() -> None:
            raise ZeroDivisionError("division by zero")

        use_effect(broken, ())
        return html.p("x")

    async with run_test(App(view=view), raise_errors=False) as pilot:
        assert pilot.errors and "ZeroDivisionError" in pilot.errors[0].message


async def test_use_memo_and_use_ref() -> None:
    computed: list[int] = []

    def view(n: int) -> Node:
        doubled = use_memo(lambda: computed.append(n) or n * 2, [n // 2])  # type: ignore[func-returns-value]
        renders = use_ref(0)
        renders.current += 1
        return html.p(f"{doubled}:{renders.current}", on_click=lambda: app.set_state(lambda s: s + 1))

    app = App(view=view, state=0)
    async with run_test(app) as pilot:
        await pilot.click("p")  # n=1, deps (0,) unchanged
        assert pilot.text("p") == "0:2"
        await pilot.click("p")  # n=2, deps (1,)
        assert pilot.text("p") == "4:3" and computed == [0, 2]


async def test_hook_order_change_is_a_clear_error() -> None:
    def view(n: int) -> Node:
        if n:
            use_ref(0)
        else:
            use_state(0)
        return html.p("x", on_click=lambda: app.set_state(lambda s: 1))

    app = App(view=view, state=0)
    async with run_test(app, raise_errors=False) as pilot:
        await pilot.click("p")
        assert pilot.errors and "hook order changed" in pilot.errors[0].message


async def test_set_state_after_unmount_is_ignored() -> None:
    setters: list[Any] = []

    @component
    def leaf() -> Node:
        v, set_v = use_state(0)
        setters.append(set_v)
        return html.i(str(v))

    app = App(
        view=lambda show: html.div(
            leaf() if show else None, html.b("x", on_click=lambda: app.set_state(lambda s: False))
        ),
        state=True,
    )
    async with run_test(app) as pilot:
        await pilot.click("b")
        setters[0](5)
        await pilot.wait()
        assert pilot.html() == "<div><b @click=0>x</b></div>"
