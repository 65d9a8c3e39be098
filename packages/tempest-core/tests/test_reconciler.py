"""Reconciler: keyed moves, unkeyed positions, props, handler identity, memoization, styles."""

from __future__ import annotations

import random
from typing import Any

import pytest
from treegen import Harness, fresh_dom

from tempest_core import Style, WidgetError, component
from tempest_core._internal.children import lis_mask
from tempest_core.nodes import Element, EventBinding, Node, Text
from tempestweb_contract import (
    AddStyles,
    Create,
    ElementNode,
    Listen,
    Move,
    Remove,
    RemoveAttrs,
    SetAttrs,
    SetProps,
    SetText,
    Unlisten,
)


def ul(*keys: Any) -> Element:
    return Element("ul", children=tuple(Element("li", key=k, children=(Text(str(k)),)) for k in keys))


def kinds(ops: tuple[object, ...]) -> list[str]:
    return [type(op).__name__ for op in ops]


def test_lis_mask_marks_a_longest_increasing_subsequence() -> None:
    seq = [3, -1, 0, 1, 5, 2, 4]
    mask = lis_mask(seq)
    chosen = [s for s, m in zip(seq, mask, strict=True) if m]
    assert chosen == sorted(chosen) and len(chosen) == 4  # 0 1 2 4
    assert lis_mask([]) == []
    assert lis_mask([-1, -1]) == [False, False]


def _lis_len(seq: list[int]) -> int:
    best = [1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


def test_lis_mask_is_optimal_on_random_permutations() -> None:
    rng = random.Random(3)
    for n in range(0, 40):
        seq = list(range(n))
        rng.shuffle(seq)
        assert sum(lis_mask(seq)) == _lis_len(seq)


async def test_swapping_two_keyed_rows_emits_only_moves() -> None:
    keys = list(range(1, 1001))
    h = Harness(ul(*keys))
    keys[1], keys[998] = keys[998], keys[1]
    ops = await h.show(ul(*keys))
    assert ops and all(isinstance(op, Move) for op in ops)
    assert len(ops) == 2
    assert h.dom.serialize() == fresh_dom(ul(*keys)).serialize()


@pytest.mark.parametrize("seed", range(20))
async def test_shuffled_keyed_list_moves_at_most_n_minus_lis(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(2, 60)
    keys = list(range(n))
    h = Harness(ul(*keys))
    old_pos = {k: i for i, k in enumerate(keys)}
    rng.shuffle(keys)
    ops = await h.show(ul(*keys))
    assert all(isinstance(op, Move) for op in ops)
    assert len(ops) <= n - _lis_len([old_pos[k] for k in keys])
    assert h.dom.serialize() == fresh_dom(ul(*keys)).serialize()


async def test_reversing_keyed_list_moves_n_minus_1() -> None:
    h = Harness(ul(*range(10)))
    ops = await h.show(ul(*reversed(range(10))))
    assert kinds(ops) == ["Move"] * 9


async def test_keyed_insert_remove_keep_nodes() -> None:
    h = Harness(ul("a", "b", "c"))
    ids = {li.text_content: li.id for li in h.dom.root.children[0].children}  # type: ignore[union-attr]
    ops = await h.show(ul("a", "x", "c"))
    assert kinds(ops) == ["Remove", "Create"]
    assert isinstance(ops[0], Remove) and ops[0].id == ids["b"]
    assert isinstance(ops[1], Create) and ops[1].before == ids["c"]


async def test_unkeyed_children_diff_by_position() -> None:
    h = Harness(Element("div", children=(Text("a"), Element("b"), Text("c"))))
    ops = await h.show(Element("div", children=(Text("a"), Element("i"), Text("d"), Text("e"))))
    # b -> i replaced in place, c -> d text change, e appended
    assert kinds(ops) == ["Create", "Remove", "SetText", "Create"]
    assert isinstance(ops[3], Create) and ops[3].before is None


async def test_duplicate_keys_raise_widget_error() -> None:
    with pytest.raises(Exception, match="duplicate key 1") as info:
        Harness(ul(1, 2, 1))
    assert isinstance(info.value.__cause__, WidgetError)


async def test_duplicate_keys_on_update_are_reported_and_tree_stays_consistent() -> None:
    errors: list[Exception] = []
    h = Harness(ul(1, 2))
    h.session.on_error = errors.append
    await h.show(ul(1, 2, 3, 3))
    assert errors and errors[0].code == "handler_error" and "duplicate key 3" in errors[0].message  # type: ignore[attr-defined]
    assert h.dom.serialize() == fresh_dom(ul(1, 2)).serialize()


def el(**kw: Any) -> Element:
    return Element("input", **kw)


async def test_props_diff_attrs_props_events() -> None:
    h = Harness(
        el(
            attrs={"a": "1", "b": "2"},
            props={"value": "x", "checked": True},
            events={"click": EventBinding(print)},
        )
    )
    nid = h.dom.root.children[0].id
    ops = await h.show(
        el(attrs={"a": "1", "c": "3"}, props={"value": "y"}, events={"input": EventBinding(print, 1)})
    )
    assert sorted(ops, key=repr) == sorted(
        [
            SetAttrs(nid, {"c": "3"}),
            RemoveAttrs(nid, ("b",)),
            SetProps(nid, {"value": "y", "checked": None}),
            Listen(nid, {"input": 1}),
            Unlisten(nid, ("click",)),
        ],
        key=repr,
    )


async def test_issue_2_new_closures_on_rerender_produce_no_ops() -> None:
    def view(n: int) -> Node:
        return Element(
            "div",
            children=tuple(
                Element("button", {"class": "b"}, events={"click": EventBinding(lambda i=i: print(i))}, key=i)
                for i in range(n)
            ),
        )

    h = Harness(view(5))
    assert await h.show(view(5)) == ()


async def test_listener_flag_change_emits_listen() -> None:
    h = Harness(Element("a", events={"click": EventBinding(print, 0)}))
    nid = h.dom.root.children[0].id
    assert await h.show(Element("a", events={"click": EventBinding(print, 1)})) == (
        Listen(nid, {"click": 1}),
    )


async def test_tag_change_replaces_node_with_fresh_id() -> None:
    h = Harness(Element("div", children=(Element("p", children=(Text("x"),)),)))
    ops = await h.show(Element("div", children=(Element("h1", children=(Text("x"),)),)))
    assert kinds(ops) == ["Create", "Remove"]
    create = ops[0]
    assert isinstance(create, Create) and isinstance(create.node, ElementNode)
    assert create.node.id == 4 and create.before == 2 and ops[1] == Remove(2)


async def test_text_change_is_one_set_text() -> None:
    h = Harness(Element("p", children=(Text("a"),)))
    assert await h.show(Element("p", children=(Text("b"),))) == (SetText(2, "b"),)


async def test_memoized_component_is_not_called_again() -> None:
    calls: list[int] = []

    @component
    def row(*, n: int) -> Node:
        calls.append(n)
        return Element("li", children=(Text(str(n)),))

    def view(sel: int) -> Node:
        return Element("ul", {"data-sel": str(sel)}, children=tuple(row(n=i, key=i) for i in range(5)))

    h = Harness(view(0))
    assert calls == [0, 1, 2, 3, 4]
    ops = await h.show(view(1))
    assert calls == [0, 1, 2, 3, 4] and kinds(ops) == ["SetAttrs"]
    await h.show(Element("ul", children=(row(n=9, key=1),)))
    assert calls[-1] == 9 and len(calls) == 6


async def test_style_becomes_class_and_add_styles_comes_first() -> None:
    red = Style(color="red")
    h = Harness(Element("div", {"class": "u"}))
    ops = await h.show(Element("div", {"class": "u"}, style=red))
    assert isinstance(ops[0], AddStyles) and ops[0].rules and ".tw-" in ops[0].rules[0]
    assert isinstance(ops[1], SetAttrs)
    cls = ops[1].attrs["class"]
    assert cls.startswith("u tw-")
    # equal style: no rule and no op
    assert await h.show(Element("div", {"class": "u"}, style=Style(color="red"))) == ()
    assert h.session.styles == ops[0].rules


async def test_mount_starts_with_add_styles_then_one_create() -> None:
    h = Harness(Element("div", style=Style(color="red"), children=(Text("x"),)))
    assert kinds(h.mount_ops) == ["AddStyles", "Create"]


async def test_mixed_keyed_and_unkeyed_children() -> None:
    def view(keys: list[int]) -> Element:
        return Element("ul", children=(Element("h"), *(Element("li", key=k) for k in keys), Text("end")))

    h = Harness(view([1, 2, 3]))
    ops = await h.show(view([3, 1, 2]))
    assert kinds(ops) == ["Move"]
    assert h.dom.serialize() == fresh_dom(view([3, 1, 2])).serialize()


async def test_component_rendering_text_and_components_nested() -> None:
    @component
    def inner(*, t: str) -> Node:
        return Text(t) if t else Element("br")

    @component
    def outer(*, t: str) -> Node:
        return inner(t=t)

    h = Harness(Element("div", children=(outer(t="a", key=1), outer(t="", key=2))))
    await h.show(Element("div", children=(outer(t="", key=2), outer(t="b", key=1))))
    assert (
        h.dom.serialize()
        == fresh_dom(Element("div", children=(outer(t="", key=2), outer(t="b", key=1)))).serialize()
    )


async def test_bad_child_raises_widget_error() -> None:
    with pytest.raises(Exception, match="expected a widget") as info:
        Harness(Element("div", children=(42,)))  # type: ignore[arg-type]
    assert isinstance(info.value.__cause__, WidgetError)
