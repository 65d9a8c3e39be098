"""Hoisting of pure widgets' elements (issue 13: the per-click render cost).

An equal call of a pure widget returns the element built before, once the call has repeated;
the reconciler skips such an element without a diff. What must hold: the DOM is that of a
fresh mount at every step, nothing but plain values is hoisted (so no state is kept alive and a
different argument type is never mistaken for an equal one), errors are raised on every call,
and the table stays bounded.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from treegen import fresh_dom

from tempest_core import App, Badge, Button, Column, Divider, Icon, Row, Session, Text, WidgetError, _hoist
from tempest_core.nodes import Node
from tempest_core.testing._dom import DomModel
from tempestweb_contract import Event, SetText


@pytest.fixture(autouse=True)
def _empty_table() -> Iterator[None]:
    _hoist.hoist_clear()
    yield
    _hoist.hoist_clear()


def _module_handler() -> None:
    return None


def test_issue_13_an_equal_call_returns_the_same_element_once_it_repeats() -> None:
    first = Button("Save", on_click=_module_handler, id="save")
    second = Button("Save", on_click=_module_handler, id="save")
    third = Button("Save", on_click=_module_handler, id="save")
    assert first is not second  # the first call only records the key
    assert second is third
    assert Button("Save", on_click=_module_handler, id="other") is not third
    # a container of hoisted children is hoisted too; one with a fresh child is not
    col = [Column(third, Text("x"), gap=8) for _ in range(4)]  # Text repeats at 2, the Column at 3
    assert col[2] is col[3] and col[3].children[0] is third and col[1] is not col[2]
    fresh = [Column(Text(str(i)), third, gap=8) for i in range(3)]
    assert len({id(c) for c in fresh}) == 3


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda: Icon("check", size=16.0), "a float (1.0 == 1 would share a key)"),
        (lambda: Text("x" * (_hoist.HOIST_MAX_TEXT + 1)), "a long string"),
        (lambda: Column(gap=1 << 40), "an int beyond 32 bits"),
        (lambda: Row(Text("a").children[0], gap=1), "a child that is not a hoisted element"),
        (lambda: Badge("a", key=("t", 1)), "a tuple"),
    ],
)
def test_issue_13_only_plain_values_are_hoisted(make: Any, why: str) -> None:
    nodes = [make() for _ in range(3)]
    assert nodes[1] is not nodes[2], why
    assert Badge("plain") is not None and Badge("plain") is Badge("plain")  # the table works


def test_issue_13_closures_and_bound_methods_are_not_hoisted_so_no_state_is_kept_alive() -> None:
    class Big:
        def click(self) -> None:
            return None

    held = [Big()]
    ref = weakref.ref(held[0])

    def render() -> None:
        big = held[0]
        Button("a", on_click=lambda: print(big))  # a closure over big
        Button("b", on_click=big.click)  # a bound method holds big

    for _ in range(3):
        render()
    assert len(_hoist._table) == 0
    held.clear()
    gc.collect()
    assert ref() is None


def test_issue_13_true_and_1_do_not_share_a_key_and_errors_are_raised_on_every_call() -> None:
    assert Button("a", disabled=True) is not None
    ok = [Button("a", disabled=True) for _ in range(2)]
    assert ok[0] is ok[1]
    for _ in range(3):  # 1 == True as a dict key: the bool positions keep them apart
        with pytest.raises(WidgetError, match=r"Button\(disabled=...\): expected bool, got int"):
            Button("a", disabled=1)  # type: ignore[arg-type]
    for _ in range(3):
        with pytest.raises(WidgetError, match="did you mean 'on_click'"):
            Button("a", onclick=_module_handler)  # type: ignore[call-arg]
        with pytest.raises(WidgetError, match=r"Row\(align=...\)"):
            Row(align="middle")  # type: ignore[arg-type]


def test_issue_13_the_table_stays_bounded() -> None:
    for i in range(_hoist.HOIST_MAX_ENTRIES * 3):
        for _ in range(2):
            Text(f"t{i}")
    assert len(_hoist._table) <= _hoist.HOIST_MAX_ENTRIES
    assert len(_hoist._seen) <= _hoist.HOIST_MAX_ENTRIES
    assert len(_hoist._nodes) == len(_hoist._table)


@dataclass(frozen=True)
class State:
    n: int = 0
    flip: bool = False


def _increment() -> None:
    APP.set_state(lambda s: replace(s, n=s.n + 1))


def _view(state: State) -> Node:
    sep = Divider()
    buttons = Row(Button("-", on_click=_module_handler, id="dec"), Button("+", on_click=_increment, id="inc"))
    body = [Text(str(state.n), id="count"), sep, buttons, sep]
    if state.flip:
        body.reverse()
    return Column(Text("Title", as_="h1"), *body, Badge("static"), gap=4)


APP = App(view=_view, state=State, theme=None)


class Shown:
    """A session of APP and the DOM its patches build."""

    def __init__(self) -> None:
        self.batches: list[tuple[Any, ...]] = []
        self.session = Session(APP, on_patch=lambda ops, ack: self.batches.append(ops))
        self.dom = DomModel()
        self.dom.apply_all(self.session.mount())

    async def show(self, state: State) -> list[tuple[Any, ...]]:
        self.batches.clear()
        self.session.set_state(lambda _s: state)
        await self.session.flush()
        for ops in self.batches:
            self.dom.apply_all(ops)
        return list(self.batches)

    def node(self, element_id: str) -> int:
        listeners = self.session._rec.listeners.values()
        return next(m.id for m in listeners if getattr(m, "attrs", {}).get("id") == element_id)


async def test_issue_13_hoisted_subtrees_patch_to_the_dom_of_a_fresh_mount() -> None:
    shown = Shown()
    steps = [State(1), State(2), State(2, True), State(3, True), State(3), State(3), State(-1), State(0)]
    for state in steps:
        await shown.show(state)
        assert shown.dom.serialize() == fresh_dom(_view(state)).serialize()
    assert len(_hoist._table) >= 6  # title, both buttons, their row, divider, badge
    # only the count changes: the hoisted title, buttons, badge and dividers send nothing
    batches = await shown.show(State(5))
    assert [[type(op) for op in ops] for ops in batches] == [[SetText]]
    assert await shown.show(State(5)) == []


async def test_issue_13_a_hoisted_buttons_handler_acts_on_the_session_clicked() -> None:
    one, two = Shown(), Shown()
    await one.show(State(1))
    await two.show(State(1))
    await one.show(State(1))
    assert one.node("inc") == two.node("inc")  # same position in the same view
    await one.session.dispatch(Event(eid=1, node=one.node("inc"), name="click", data={}))
    await one.session.flush()
    for ops in one.batches:
        one.dom.apply_all(ops)
    assert one.session.state.n == 2 and two.session.state.n == 1
    assert one.dom.serialize() == fresh_dom(_view(State(2))).serialize()
    assert two.dom.serialize() == fresh_dom(_view(State(1))).serialize()
