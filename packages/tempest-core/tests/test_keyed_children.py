"""``use_keyed_children`` (issue 11): the DOM of a plain keyed list, at the cost of what changed.

Every step of a random sequence of list edits, selection changes and ``deps`` changes is checked
against a fresh mount of the same list built without the hook (the plain ``[row(...) for ...]``
view), and the hook's own promises are checked on the cases it is for: a selection change
renders and patches the two rows it flips, an unchanged list costs no ``render`` call, the
children of earlier renders are not kept alive.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from treegen import fresh_dom

from tempest_core import (
    App,
    HookError,
    KeyedChildren,
    Session,
    SessionError,
    WidgetError,
    component,
    html,
    template,
    use_keyed_children,
    use_state,
)
from tempest_core.nodes import Element, Node
from tempest_core.testing._dom import DomModel
from tempestweb_contract import Op, RemoveAttrs, SetAttrs, SetText


@dataclass(frozen=True)
class Item:
    id: int
    label: str


@dataclass(frozen=True)
class State:
    items: tuple[Item, ...] | list[Item] = ()
    selected: Any = None
    prefix: str = ""
    kind: str = "component"


RENDERS: list[int] = []
"""Ids of the items ``render`` was called for (reset per step)."""
BUILT: list[KeyedChildren] = []
"""What the last render of ``hook_view`` built."""


@component
def row_component(*, item: Item, selected: bool, prefix: str) -> Node:
    return html.tr(html.td(prefix + item.label), class_="danger" if selected else None)


@template
def row_template(label: str, row_class: str | None, on_click: Any) -> Element:
    return html.tr(html.td(html.a(label, on_click=on_click)), class_=row_class)


def _noop() -> None:
    pass


def row_node(item: Item, selected: bool, prefix: str, kind: str) -> Node:
    """One row as the plain view builds it (and as ``render`` builds it)."""
    cls = "danger" if selected else None
    if kind == "component":
        return row_component(item=item, selected=selected, prefix=prefix, key=item.id)
    if kind == "template":
        return row_template(prefix + item.label, cls, _noop, key=item.id)
    return html.tr(html.td(prefix + item.label, on_click=_noop), class_=cls, key=item.id)


def is_selected(state: State, item: Item) -> bool:
    sel = state.selected
    return item.id in sel if isinstance(sel, (set, frozenset)) else item.id == sel


def plain_view(state: State) -> Node:
    rows = [row_node(i, is_selected(state, i), state.prefix, state.kind) for i in state.items]
    return html.table(html.tbody(rows, id="tbody"))


def hook_view(state: State) -> Node:
    def render(item: Item, selected: bool) -> Node:
        RENDERS.append(item.id)
        return row_node(item, selected, state.prefix, state.kind)

    rows = use_keyed_children(
        state.items,
        key=lambda i: i.id,
        render=render,
        selected=state.selected,
        deps=(state.prefix, state.kind),
    )
    BUILT[-1:] = [rows]
    return html.table(html.tbody(rows, id="tbody"))


class KeyedHarness:
    """A session of ``hook_view``; ``show`` renders a state and returns that render's ops."""

    def __init__(self, state: State) -> None:
        self.patches: list[tuple[Op, ...]] = []
        self.session = Session(
            App(view=hook_view, state=lambda: state, theme=None),
            on_patch=lambda ops, ack: self.patches.append(tuple(ops)),
        )
        self.dom = DomModel()
        self.dom.apply_all(self.session.mount())

    async def show(self, state: State) -> tuple[Op, ...]:
        self.patches.clear()
        RENDERS.clear()
        self.session.set_state(lambda _: state)
        await self.session.flush()
        ops = tuple(op for batch in self.patches for op in batch)
        self.dom.apply_all(ops)
        return ops


def expected(state: State) -> str:
    return fresh_dom(plain_view(state)).serialize()


def _items(n: int, start: int = 0) -> tuple[Item, ...]:
    return tuple(Item(i, f"row {i}") for i in range(start, start + n))


def _step(rng: random.Random, state: State, next_id: list[int]) -> State:
    items = list(state.items)
    ids = [i.id for i in items]
    roll = rng.randrange(13)
    if roll == 0 and items:  # edit one row: a new object, same key
        j = rng.randrange(len(items))
        items[j] = replace(items[j], label=items[j].label + "!")
    elif roll == 1:  # insert a few rows somewhere
        j = rng.randint(0, len(items))
        new = [Item(next_id[0] + k, f"new {next_id[0] + k}") for k in range(rng.randint(1, 3))]
        next_id[0] += len(new)
        items[j:j] = new
    elif roll == 2 and items:  # remove a row
        del items[rng.randrange(len(items))]
    elif roll == 3 and len(items) > 1:  # swap two rows
        a, b = rng.sample(range(len(items)), 2)
        items[a], items[b] = items[b], items[a]
    elif roll == 4:  # shuffle
        rng.shuffle(items)
    elif roll == 5:  # select one key (maybe gone, maybe None)
        return replace(state, selected=rng.choice([*ids, None, -1]))
    elif roll == 6:  # select a set of keys
        return replace(state, selected=frozenset(rng.sample(ids, min(len(ids), rng.randint(0, 3)))))
    elif roll == 7:  # deps change
        return replace(state, prefix=rng.choice(["", ">", "#"]))
    elif roll == 8:  # the same items, a new list object (not trusted by identity)
        return replace(state, items=list(items))
    elif roll == 9:  # equal content, new objects for every row
        items = [replace(i) for i in items]
    elif roll == 10:  # clear or refill
        if items:
            items = []
        else:
            items = list(_items(rng.randint(1, 6), next_id[0]))
            next_id[0] += len(items)
    elif roll == 11 and items:  # edit one row and move another in the same step
        j = rng.randrange(len(items))
        items[j] = replace(items[j], label=items[j].label + "?")
        items.append(items.pop(rng.randrange(len(items))))
        if len(items) > 1:
            items.insert(0, items.pop())
    else:  # nothing changed at all
        return state
    return replace(state, items=tuple(items))


async def _check_chain(seed: int, kind: str, steps: int = 30) -> None:
    rng = random.Random(seed)
    next_id = [100]
    state = State(items=_items(rng.randint(0, 8)), kind=kind)
    h = KeyedHarness(state)
    assert h.dom.serialize() == expected(state)
    for _ in range(steps):
        state = _step(rng, state, next_id)
        ops = await h.show(state)
        assert h.dom.serialize() == expected(state), (seed, kind, state, ops)
        assert await h.show(state) == ()  # a second render of the same state sends nothing
        assert RENDERS == []  # ... and calls no render


@pytest.mark.parametrize("kind", ["component", "template", "element"])
async def test_issue_11_keyed_children_match_the_plain_list_over_random_edits(kind: str) -> None:
    for seed in range(60):
        await _check_chain(seed, kind)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(["component", "template", "element"]))
async def test_issue_11_keyed_children_match_the_plain_list_hypothesis(seed: int, kind: str) -> None:
    await _check_chain(seed, kind, steps=15)


async def test_issue_11_a_selection_change_renders_and_patches_only_the_rows_it_flips() -> None:
    state = State(items=_items(1000), selected=None)
    h = KeyedHarness(state)
    ops = await h.show(replace(state, selected=7))
    assert RENDERS == [7]
    assert [type(op) for op in ops] == [SetAttrs]
    state = replace(state, selected=900)
    ops = await h.show(state)
    assert sorted(RENDERS) == [7, 900]
    assert [type(op) for op in ops] == [RemoveAttrs, SetAttrs]
    assert h.dom.serialize() == expected(state)
    # a set of selected keys: only the keys that enter or leave it
    state = replace(state, selected=frozenset({900, 3, 4}))
    await h.show(state)
    assert sorted(RENDERS) == [3, 4]
    assert h.dom.serialize() == expected(state)


async def test_issue_11_an_edit_renders_only_the_edited_rows_and_sends_their_text() -> None:
    items = _items(500)
    state = State(items=items)
    h = KeyedHarness(state)
    edited = tuple(replace(i, label=i.label + " !!!") if i.id % 100 == 0 else i for i in items)
    ops = await h.show(replace(state, items=edited))
    assert RENDERS == [0, 100, 200, 300, 400]
    assert [type(op) for op in ops] == [SetText] * 5


async def test_issue_11_unchanged_rows_of_a_reordered_list_are_not_rendered_again() -> None:
    items = _items(50)
    state = State(items=items, selected=3)
    h = KeyedHarness(state)
    state = replace(state, items=(items[49], *items[1:49], items[0], Item(500, "new")))
    await h.show(state)
    assert RENDERS == [500]  # only the new row; the swap is a move of the existing nodes
    assert h.dom.serialize() == expected(state)


async def test_issue_11_earlier_renders_children_are_not_kept_alive() -> None:
    state = State(items=_items(20))
    h = KeyedHarness(state)
    for n in range(1, 6):
        state = replace(state, selected=n)
        await h.show(state)
        rows = BUILT[-1]
        assert rows.changed is not None and len(rows.changed) == (1 if n == 1 else 2)
        chain = 0
        link: KeyedChildren | None = rows
        while link is not None:
            chain += 1
            link = link.prev
        assert chain == 2  # this render's children and the one before: no longer chain


def _mount_error(view: Callable[[Any], Node], state: Any) -> BaseException:
    """The error the view raised on mount (the session reports it as a ``SessionError``)."""
    session = Session(App(view=view, state=lambda: state, theme=None))
    session.log_view_errors = False
    with pytest.raises(SessionError) as info:
        session.mount()
    assert info.value.__cause__ is not None
    return info.value.__cause__


@pytest.mark.parametrize(
    ("key", "render", "message"),
    [
        (lambda i: i % 2, lambda i: html.li(str(i)), "duplicate key 0 for the items at index 0 and 2"),
        (lambda i: [i], lambda i: html.li(str(i)), "expected hashable keys, got list"),
        (lambda i: i, str, "must return an element, a @component or a @template"),
    ],
)
def test_issue_11_keyed_children_errors_name_the_problem(
    key: Callable[[int], Hashable], render: Callable[[int], Node], message: str
) -> None:
    def view(items: tuple[int, ...]) -> Node:
        return html.ul(use_keyed_children(items, key=key, render=render))

    error = _mount_error(view, (0, 1, 2))
    assert isinstance(error, WidgetError) and message in str(error)


def test_issue_11_render_calling_a_hook_is_refused() -> None:
    def render(i: int) -> Node:
        use_state(0)
        return html.li(str(i))

    def view(items: tuple[int, ...]) -> Node:
        return html.ul(use_keyed_children(items, key=int, render=render))

    error = _mount_error(view, (1,))
    assert isinstance(error, HookError) and "called a hook" in str(error)


def test_issue_11_an_unhashable_selection_is_refused() -> None:
    def view(items: tuple[int, ...]) -> Node:
        return html.ul(
            use_keyed_children(items, key=int, render=lambda i, s: html.li(str(i)), selected=[1])  # type: ignore[call-overload]
        )

    error = _mount_error(view, (1,))
    assert isinstance(error, WidgetError)
    assert "selected=...): expected a hashable key or a set of keys, got list" in str(error)


def test_issue_11_keyed_children_outside_a_render_is_a_hook_error() -> None:
    with pytest.raises(HookError):
        use_keyed_children((1,), key=int, render=lambda i: html.li(str(i)))


async def test_issue_11_a_render_that_raised_is_retried_on_the_next_render() -> None:
    failing: set[int] = set()

    def view(state: State) -> Node:
        def render(item: Item, selected: bool) -> Node:
            if item.id in failing:
                raise ValueError(f"row {item.id}")
            return row_node(item, selected, "", "component")

        rows = use_keyed_children(state.items, key=lambda i: i.id, render=render, selected=state.selected)
        return html.table(html.tbody(rows, id="tbody"))

    state = State(items=_items(5))
    patches: list[tuple[Op, ...]] = []
    errors: list[SessionError] = []
    session = Session(
        App(view=view, state=lambda: state, theme=None),
        on_patch=lambda ops, ack: patches.append(ops),
        on_error=errors.append,
    )
    dom = DomModel()
    dom.apply_all(session.mount())
    for change in (
        replace(state, selected=2),  # the aligned path
        replace(state, items=(*reversed(state.items), Item(9, "nine")), selected=2),  # the keyed rebuild
    ):
        failing.update({2, 9})
        session.set_state(lambda _, change=change: change)  # type: ignore[misc]
        await session.flush()
        assert len(errors) == 1 and "row " in str(errors.pop())
        failing.clear()
        session.set_state(replace)  # an equal state again, nothing failing now
        await session.flush()
        for ops in patches:
            dom.apply_all(ops)
        patches.clear()
        assert dom.serialize() == expected(change)


async def test_issue_11_render_calling_a_hook_on_a_re_render_is_refused() -> None:
    def render(i: int, selected: bool) -> Node:
        if selected:
            use_state(0)
        return html.li(str(i))

    def view(sel: int | None) -> Node:
        return html.ul(use_keyed_children((1, 2, 3), key=int, render=render, selected=sel))

    errors: list[SessionError] = []
    session = Session(App(view=view, state=lambda: None, theme=None), on_error=errors.append)
    session.mount()
    session.set_state(lambda _: 2)  # the positions keep their keys: only item 2 is rendered again
    await session.flush()
    assert len(errors) == 1 and "called a hook" in str(errors[0])
