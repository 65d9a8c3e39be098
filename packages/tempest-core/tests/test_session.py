"""Session: scheduling and coalescing, dispatch errors, handler errors, isolation, resync."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import pytest

from tempest_core import App, ClickEvent, InputEvent, NoSessionError, Session, SessionError
from tempest_core.nodes import Element, EventBinding, Node, Text
from tempest_core.testing import DomModel
from tempestweb_contract import ROOT_ID, Create, Event, Op, SetProps


@dataclass(frozen=True)
class Counter:
    n: int = 0


def make_app() -> App[Counter]:
    def view(s: Counter) -> Node:
        return Element(
            "div",
            children=(
                Element(
                    "button", {"id": "inc"}, events={"click": EventBinding(inc)}, children=(Text(str(s.n)),)
                ),
                Element("button", {"id": "boom"}, events={"click": EventBinding(boom)}),
                Element("input", events={"input": EventBinding(typed)}),
            ),
        )

    def inc() -> None:
        app.set_state(lambda s: Counter(s.n + 1))

    def boom() -> None:
        raise ValueError("kaboom")

    def typed(e: InputEvent) -> None:
        app.set_state(lambda s: Counter(len(e.value)))

    app = App(view=view, state=Counter)
    return app


class Host:
    def __init__(self, app: App[Counter], path: str = "/") -> None:
        self.patches: list[tuple[tuple[Op, ...], int]] = []
        self.errors: list[SessionError] = []
        self.dom = DomModel()
        self.session = Session(app, path=path, on_patch=self.on_patch, on_error=self.errors.append)
        self.dom.apply_all(self.session.mount())

    def on_patch(self, ops: tuple[Op, ...], ack: int) -> None:
        self.patches.append((ops, ack))
        self.dom.apply_all(ops)

    def node(self, attr_id: str) -> int:
        return next(el.id for el in self.dom.root.iter_descendants() if el.attrs.get("id") == attr_id)


async def test_mount_creates_under_root() -> None:
    host = Host(make_app())
    ops = host.session.resync()
    assert isinstance(ops[-1], Create) and ops[-1].parent == ROOT_ID and ops[-1].before is None


async def test_three_set_state_in_one_tick_make_one_patch() -> None:
    app = make_app()
    host = Host(app)
    inc = host.node("inc")
    for eid in (1, 2, 3):
        await host.session.dispatch(Event(eid=eid, node=inc, name="click", data={"button": 0}))
    # nothing rendered yet: the render is scheduled with call_soon
    assert host.patches == []
    await asyncio.sleep(0)
    assert len(host.patches) == 1
    _ops, ack = host.patches[0]
    assert ack == 3
    assert "3" in host.dom.serialize()


async def test_unknown_handler() -> None:
    host = Host(make_app())
    with pytest.raises(SessionError) as info:
        await host.session.dispatch(Event(eid=1, node=999, name="click"))
    assert info.value.code == "unknown_handler"
    with pytest.raises(SessionError) as info:
        await host.session.dispatch(Event(eid=2, node=host.node("inc"), name="keydown"))
    assert info.value.code == "unknown_handler"


async def test_invalid_event_data_is_rejected_before_handler_runs() -> None:
    host = Host(make_app())
    node = next(el.id for el in host.dom.root.iter_descendants() if el.tag == "input")
    with pytest.raises(SessionError) as info:
        await host.session.dispatch(Event(eid=1, node=node, name="input", data={"value": 5}))
    assert info.value.code == "invalid_event_data"
    await host.session.flush()
    assert host.patches == []


async def test_handler_exception_goes_to_on_error_and_session_continues(
    caplog: pytest.LogCaptureFixture,
) -> None:
    host = Host(make_app())
    with caplog.at_level(logging.ERROR, logger="tempest_core.session"):
        await host.session.dispatch(Event(eid=1, node=host.node("boom"), name="click"))
    assert [e.code for e in host.errors] == ["handler_error"]
    assert "kaboom" in host.errors[0].message
    assert "Traceback" in caplog.text or any(r.exc_info for r in caplog.records)
    await host.session.dispatch(Event(eid=2, node=host.node("inc"), name="click"))
    await host.session.flush()
    assert "1" in host.dom.serialize()


async def test_async_handler_is_awaited_and_event_model_passed() -> None:
    seen: list[object] = []

    async def clicked(e: ClickEvent) -> None:
        await asyncio.sleep(0)
        seen.append(e)
        app.set_state(lambda s: s + 1)

    app: App[int] = App(
        view=lambda n: Element("b", events={"click": EventBinding(clicked)}, children=(Text(str(n)),)),
        state=0,
    )
    host = Host(app)  # type: ignore[arg-type]
    await host.session.dispatch(Event(eid=1, node=1, name="click", data={"button": 0, "shift": True}))
    await host.session.flush()
    assert isinstance(seen[0], ClickEvent) and seen[0].shift is True
    assert host.dom.serialize() == "<b @click=0>1</b>"


async def test_bound_method_and_partial_handlers() -> None:
    import functools

    class Handlers:
        def __init__(self) -> None:
            self.calls: list[str] = []

        def no_arg(self) -> None:
            self.calls.append("no_arg")

        def with_event(self, e: ClickEvent) -> None:
            self.calls.append(type(e).__name__)

    h = Handlers()

    def both(tag: str, e: ClickEvent) -> None:
        h.calls.append(tag)

    app: App[None] = App(
        view=lambda _: Element(
            "div",
            children=(
                Element("a", events={"click": EventBinding(h.no_arg)}),
                Element("a", events={"click": EventBinding(h.with_event)}),
                Element("a", events={"click": EventBinding(functools.partial(both, "partial"))}),
            ),
        )
    )
    host = Host(app)  # type: ignore[arg-type]
    for eid, node in enumerate((2, 3, 4), 1):
        await host.session.dispatch(Event(eid=eid, node=node, name="click"))
    assert h.calls == ["no_arg", "ClickEvent", "partial"]


async def test_sessions_are_isolated() -> None:
    app = make_app()
    a, b = Host(app), Host(app)
    await a.session.dispatch(Event(eid=1, node=a.node("inc"), name="click"))
    await a.session.flush()
    await b.session.flush()
    assert a.session.state == Counter(1) and b.session.state == Counter(0)
    assert b.patches == []


async def test_plain_state_value_is_copied_per_session() -> None:
    app: App[list[int]] = App(view=lambda s: Text(str(s)), state=[1])
    s1, s2 = Session(app), Session(app)
    assert s1.state == s2.state and s1.state is not s2.state


def test_app_state_outside_session_is_a_clear_error() -> None:
    app = make_app()
    with pytest.raises(NoSessionError, match="running session"):
        app.set_state(lambda s: s)
    with pytest.raises(NoSessionError):
        _ = app.state


def test_app_rejects_bad_arguments() -> None:
    from tempest_core import WidgetError

    with pytest.raises(WidgetError):
        App(view=42)  # type: ignore[arg-type]
    with pytest.raises(WidgetError):
        App(view=lambda s: Text(""), title=3)  # type: ignore[arg-type]


async def test_view_error_on_render_is_reported_and_previous_tree_kept() -> None:
    def view(n: int) -> Node:
        if n == 1:
            raise RuntimeError("bad state")
        return Element(
            "p",
            events={"click": EventBinding(lambda: app.set_state(lambda s: s + 1))},
            children=(Text(str(n)),),
        )

    app: App[int] = App(view=view, state=0)
    host = Host(app)  # type: ignore[arg-type]
    await host.session.dispatch(Event(eid=1, node=1, name="click"))
    await host.session.flush()
    assert host.errors and host.errors[0].code == "handler_error" and "bad state" in host.errors[0].message
    assert host.dom.serialize() == "<p @click=0>0</p>"


async def test_mount_view_error_raises_session_error() -> None:
    def view(_: None) -> Node:
        raise KeyError("x")

    with pytest.raises(SessionError) as info:
        Session(App(view=view)).mount()
    assert info.value.code == "handler_error"


async def test_resync_recreates_same_tree_with_same_ids() -> None:
    host = Host(make_app())
    await host.session.dispatch(Event(eid=1, node=host.node("inc"), name="click"))
    await host.session.flush()
    fresh = DomModel()
    fresh.apply_all(host.session.resync())
    assert fresh.serialize(ids=True) == host.dom.serialize(ids=True)


async def test_closed_session_rejects_events() -> None:
    host = Host(make_app())
    await host.session.close()
    with pytest.raises(SessionError) as info:
        await host.session.dispatch(Event(eid=1, node=host.node("inc"), name="click"))
    assert info.value.code == "session_expired"


async def test_issue_3_typed_text_is_cleared_when_input_and_enter_share_a_tick() -> None:
    """TodoMVC: "c" typed then Enter in one tick renders "" twice; the DOM still shows "c"."""
    from tempest_core import KeyEvent, html

    def view(text: str) -> Node:
        def on_input(e: InputEvent) -> None:
            todo.set_state(lambda _: e.value)

        def on_keydown(e: KeyEvent) -> None:
            if e.key == "Enter":
                todo.set_state(lambda _: "")

        return html.input(class_="new-todo", value=text, on_input=on_input, on_keydown=on_keydown)

    todo = App(view=view, state="", theme=None)
    batches: list[list[Op]] = []
    session = Session(todo, on_patch=lambda ops, ack: batches.append(list(ops)))
    (create,) = session.mount()
    assert isinstance(create, Create)
    node = create.node.id
    await session.dispatch(Event(eid=1, node=node, name="input", data={"value": "c"}))
    await session.dispatch(Event(eid=2, node=node, name="keydown", data={"key": "Enter", "value": "c"}))
    await session.flush()
    assert [op for batch in batches for op in batch] == [SetProps(node, {"value": ""})]


async def test_reported_value_equal_to_the_render_sends_nothing() -> None:
    def view(text: str) -> Node:
        return Element(
            "input",
            props={"value": text},
            events={"input": EventBinding(lambda e: echo.set_state(lambda _: e.value))},
        )

    echo = App(view=view, state="", theme=None)
    batches: list[list[Op]] = []
    session = Session(echo, on_patch=lambda ops, ack: batches.append(list(ops)))
    (create,) = session.mount()
    assert isinstance(create, Create)
    await session.dispatch(Event(eid=1, node=create.node.id, name="input", data={"value": "ab"}))
    await session.flush()
    # The render asks for "ab": the normal props diff sends it once; no extra op is added.
    assert [op for batch in batches for op in batch] == [SetProps(create.node.id, {"value": "ab"})]


async def test_an_eid_is_handled_once() -> None:
    """A resuming client re-sends unacknowledged events; the session runs each eid once."""
    calls: list[int] = []

    def view(_: None) -> Node:
        return Element("button", events={"click": EventBinding(lambda: calls.append(1))})

    once = App(view=view, state=None, theme=None)
    session = Session(once)
    (create,) = session.mount()
    assert isinstance(create, Create)
    button = create.node.id
    for eid in (1, 2, 2, 1, 3):
        await session.dispatch(Event(eid=eid, node=button, name="click"))
    assert calls == [1, 1, 1]
    assert session.last_event_id == 3


@pytest.mark.parametrize("enabled", [True, False])
async def test_render_turns_the_cyclic_gc_off_and_restores_it(enabled: bool) -> None:
    """The collector is off during mount, renders and on_patch, then back as the app had it."""
    import gc

    seen: list[bool] = []

    def view(n: int) -> Node:
        seen.append(gc.isenabled())
        if n == 2:
            raise RuntimeError("boom")
        return Text(str(n))

    app: App[int] = App(view=view, state=0)
    session = Session(app, on_patch=lambda ops, ack: seen.append(gc.isenabled()), on_error=lambda e: None)
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        session.mount()
        assert gc.isenabled() is enabled
        for _ in range(2):  # a render that patches, then one whose view raises
            session.set_state(lambda n: n + 1)
            await session.flush()
            assert gc.isenabled() is enabled
        assert seen and not any(seen)
    finally:
        (gc.enable if was else gc.disable)()
