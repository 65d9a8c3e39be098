"""Conformance cases: keyed and unkeyed children, big lists, deep trees (conformance app components)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from tempest_core import Node, component, html, use_state

__all__ = ["CASES", "button"]

ROWS_10K = 10_000
Groups = tuple[tuple[str, tuple[int, ...]], ...]
DEEP_LEVELS = 120


def button(label: str, bid: str, fn: Callable[[], None]) -> Node:
    """A ``<button type=button id=bid>`` calling ``fn`` on click."""
    return html.button(label, id=bid, type="button", on_click=fn)


def _keyed(items: Sequence[int]) -> Node:
    return html.ul([html.li(f"item {i}", data_id=str(i), key=i) for i in items], id="list")


def _list_case(ops: dict[str, Callable[[tuple[int, ...]], tuple[int, ...]]], start: tuple[int, ...]) -> Node:
    items, set_items = use_state(start)

    def op(fn: Callable[[tuple[int, ...]], tuple[int, ...]]) -> Callable[[], None]:
        return lambda: set_items(fn)

    return html.div(html.div(*(button(n, n, op(f)) for n, f in ops.items())), _keyed(items))


@component
def keyed_insert() -> Node:
    """Keyed insert at the front, in the middle and at the end."""
    return _list_case(
        {
            "front": lambda xs: (min(xs, default=100) - 1, *xs),
            "middle": lambda xs: (*xs[: len(xs) // 2], 1000 + len(xs), *xs[len(xs) // 2 :]),
            "end": lambda xs: (*xs, max(xs, default=0) + 1),
        },
        (1, 2, 3),
    )


@component
def keyed_remove() -> Node:
    """Keyed remove of the first, a middle, the last and every item."""
    return _list_case(
        {
            "first": lambda xs: xs[1:],
            "middle": lambda xs: xs[: len(xs) // 2] + xs[len(xs) // 2 + 1 :],
            "last": lambda xs: xs[:-1],
            "all": lambda xs: (),
        },
        tuple(range(1, 9)),
    )


@component
def keyed_move() -> Node:
    """Keyed moves: reverse, rotate, swap ends, move one to the front."""
    return _list_case(
        {
            "reverse": lambda xs: xs[::-1],
            "rotate": lambda xs: xs[1:] + xs[:1],
            "swap": lambda xs: (xs[-1], *xs[1:-1], xs[0]) if len(xs) > 1 else xs,
            "tofront": lambda xs: (xs[len(xs) // 2], *xs[: len(xs) // 2], *xs[len(xs) // 2 + 1 :]),
        },
        tuple(range(1, 11)),
    )


@component
def keyed_shuffle() -> Node:
    """Keyed permutations mixing moves, inserts and removes in one patch."""
    return _list_case(
        {
            "mix1": lambda xs: (7, 3, 42, 1, 9, 5),
            "mix2": lambda xs: (5, 9, 1, 42, 3, 7, 8, 2),
            "mix3": lambda xs: (2, 8, 100, 101, 3),
            "replace": lambda xs: (200, 201, 202),
        },
        tuple(range(1, 10)),
    )


@component
def unkeyed_list() -> Node:
    """Unkeyed children diffed by position: push, pop, insert at front, change text."""
    start: tuple[str, ...] = ("a", "b", "c")
    items, set_items = use_state(start)
    return html.div(
        button("push", "push", lambda: set_items(lambda xs: (*xs, f"n{len(xs)}"))),
        button("pop", "pop", lambda: set_items(lambda xs: xs[:-1])),
        button("unshift", "unshift", lambda: set_items(lambda xs: ("first", *xs))),
        button("upper", "upper", lambda: set_items(lambda xs: tuple(x.upper() for x in xs))),
        html.ol([html.li(x, class_=f"c-{i}") for i, x in enumerate(items)], id="list"),
    )


@component
def unkeyed_mixed() -> Node:
    """Unkeyed siblings changing kind: text <-> element <-> nothing."""
    mode, set_mode = use_state(0)
    options: list[list[Any]] = [
        ["text", html.b("bold"), None],
        [html.i("italic"), "text", html.b("bold")],
        [None, None, "only text"],
        [html.span("x"), html.span("y"), html.span("z"), "tail"],
    ]
    kids = options[mode % 4]
    return html.div(button("next", "next", lambda: set_mode(lambda m: m + 1)), html.p(*kids, id="mixed"))


def _rows(start: int, count: int) -> tuple[tuple[int, str], ...]:
    return tuple((i, f"row {i}") for i in range(start, start + count))


@component
def rows_10k() -> Node:
    """10,000 keyed rows: create, update every 100th, swap, clear."""
    empty: tuple[tuple[int, str], ...] = ()
    rows, set_rows = use_state(empty)

    def update(rs: tuple[tuple[int, str], ...]) -> tuple[tuple[int, str], ...]:
        return tuple((i, t + " !") if n % 100 == 0 else (i, t) for n, (i, t) in enumerate(rs))

    def swap(rs: tuple[tuple[int, str], ...]) -> tuple[tuple[int, str], ...]:
        if len(rs) < 9000:
            return rs
        out = list(rs)
        out[1], out[8998] = out[8998], out[1]
        return tuple(out)

    return html.div(
        button("create", "create", lambda: set_rows(_rows(1, ROWS_10K))),
        button("update", "update", lambda: set_rows(update)),
        button("swap", "swap", lambda: set_rows(swap)),
        button("clear", "clear", lambda: set_rows(())),
        html.table(html.tbody([html.tr(html.td(str(i)), html.td(t), key=i) for i, t in rows]), id="t"),
        html.p(f"{len(rows)} rows", id="count"),
    )


def _deep(level: int, leaf: str, marked: bool) -> Node:
    node: Node = html.span(leaf, id="leaf", classes={"marked": marked})
    for i in range(level):
        node = html.div(node, data_level=str(level - i))
    return node


@component
def deep_tree() -> Node:
    """A 120-level nested tree: change the leaf text and class, then cut it to 10 levels and back."""
    state, set_state = use_state((DEEP_LEVELS, "leaf", False))
    depth, leaf, marked = state
    return html.div(
        button("leaf", "leaf", lambda: set_state(lambda s: (s[0], s[1] + "!", s[2]))),
        button("mark", "mark", lambda: set_state(lambda s: (s[0], s[1], not s[2]))),
        button("shallow", "shallow", lambda: set_state(lambda s: (10, s[1], s[2]))),
        button("deep", "deep", lambda: set_state(lambda s: (DEEP_LEVELS, s[1], s[2]))),
        _deep(depth, leaf, marked),
    )


@component
def nested_components() -> Node:
    """Memoized child components with their own state inside a keyed list of them."""
    start: tuple[int, ...] = (1, 2, 3)
    order, set_order = use_state(start)
    return html.div(
        button("reverse", "reverse", lambda: set_order(lambda o: o[::-1])),
        button("drop", "drop", lambda: set_order(lambda o: o[1:])),
        html.div([counter_box(label=f"box {i}", key=i) for i in order], id="boxes"),
    )


@component
def counter_box(*, label: str) -> Node:
    """A child component with a private counter."""
    n, set_n = use_state(0)
    slug = label.replace(" ", "-")
    return html.section(
        html.h3(label),
        html.span(str(n), class_="n"),
        button("+", f"inc-{slug}", lambda: set_n(lambda v: v + 1)),
    )


@component
def keyed_grow() -> Node:
    """A keyed list grown from empty to 50 items, trimmed from both ends, then emptied."""
    return _list_case(
        {
            "grow": lambda xs: tuple(range(1, 51)),
            "trim": lambda xs: xs[5:-5],
            "evens": lambda xs: tuple(x for x in xs if x % 2 == 0),
            "empty": lambda xs: (),
        },
        (),
    )


@component
def nested_keyed() -> Node:
    """Keyed groups of keyed items: move whole groups and items between groups."""
    start: Groups = (("g1", (1, 2, 3)), ("g2", (4, 5)), ("g3", (6,)))
    groups, set_groups = use_state(start)

    def move_item(gs: Groups) -> Groups:
        first, *rest = gs
        if not first[1]:
            return gs
        moved = first[1][-1]
        return (
            (first[0], first[1][:-1]),
            *((n, (moved, *xs)) if i == 0 else (n, xs) for i, (n, xs) in enumerate(rest)),
        )

    return html.div(
        button("rotate", "rotate", lambda: set_groups(lambda gs: gs[1:] + gs[:1])),
        button("move item", "moveitem", lambda: set_groups(move_item)),
        html.div(
            [
                html.ul([html.li(str(i), key=i) for i in items], data_group=name, key=name)
                for name, items in groups
            ],
            id="groups",
        ),
    )


CASES: dict[str, Callable[..., Node]] = {
    "keyed_grow": keyed_grow,
    "nested_keyed": nested_keyed,
    "keyed_insert": keyed_insert,
    "keyed_remove": keyed_remove,
    "keyed_move": keyed_move,
    "keyed_shuffle": keyed_shuffle,
    "unkeyed_list": unkeyed_list,
    "unkeyed_mixed": unkeyed_mixed,
    "rows_10k": rows_10k,
    "deep_tree": deep_tree,
    "nested_components": nested_components,
}
