"""The re-render fast paths (issues 11 and 13) give the ops and the tree the general paths give.

Each test builds the case a fast path takes and checks the ops it emits, the DOM they produce
(against a fresh mount) and the reconciler's bookkeeping (listeners, dirty components).
"""

from __future__ import annotations

from typing import Any

import pytest
from treegen import Harness, fresh_dom

from tempest_core import App, Session, Style, TempestError, component, html, use_state
from tempest_core._html_build import normalize_children
from tempest_core.hooks import Setter
from tempest_core.nodes import Element, EventBinding, Node, Text
from tempestweb_contract import Create, SetAttrs, SetText


def kinds(ops: tuple[object, ...]) -> list[str]:
    return [type(op).__name__ for op in ops]


@component
def row(*, n: int, selected: bool) -> Node:
    return Element("tr", {"class": "danger"} if selected else {}, children=(Text(str(n)),))


def table(count: int, selected: int | None, order: list[int] | None = None) -> Element:
    keys = order if order is not None else list(range(count))
    return Element("tbody", children=tuple(row(n=k, selected=k == selected, key=k) for k in keys))


async def test_issue_11_select_in_a_long_keyed_list_patches_only_the_changed_rows() -> None:
    h = Harness(table(300, None))
    ops = await h.show(table(300, 7))
    assert kinds(ops) == ["SetAttrs"] and isinstance(ops[0], SetAttrs) and ops[0].attrs == {"class": "danger"}
    ops = await h.show(table(300, 250))
    assert kinds(ops) == ["RemoveAttrs", "SetAttrs"]  # row 7 first, then row 250: document order
    assert h.dom.serialize() == fresh_dom(table(300, 250)).serialize()
    assert await h.show(table(300, 250)) == ()  # equal props, new dicts: nothing to send


async def test_issue_11_a_key_change_after_a_long_equal_prefix_still_moves_and_creates() -> None:
    order = list(range(200))
    h = Harness(table(200, None, order))
    swapped = order.copy()
    swapped[150], swapped[151] = swapped[151], swapped[150]
    ops = await h.show(table(200, None, swapped))
    assert kinds(ops) == ["Move"]
    grown = [*swapped, 500]
    ops = await h.show(table(201, None, grown))
    assert kinds(ops) == ["Create"] and isinstance(ops[0], Create) and ops[0].before is None
    shrunk = grown[:100] + grown[101:]
    ops = await h.show(table(200, None, shrunk))
    assert kinds(ops) == ["Remove"]
    assert h.dom.serialize() == fresh_dom(table(200, None, shrunk)).serialize()


async def test_issue_11_a_dirty_row_with_equal_props_renders_in_the_same_pass_in_order() -> None:
    setters: dict[int, Setter[int]] = {}
    renders: list[int] = []

    @component
    def counted(*, n: int, mark: str) -> Node:
        clicks, set_clicks = use_state(0)
        setters[n] = set_clicks
        renders.append(n)
        return Element("li", children=(Text(f"{n}:{clicks}{mark}"),))

    def view(label: str) -> Element:
        rows = tuple(counted(n=k, mark="!" if k == 40 and label == "b" else "", key=k) for k in range(50))
        return Element("ul", {"data-label": label}, children=rows)

    h = Harness(view("a"))
    renders.clear()
    setters[20](1)  # row 20's own state changed; its parent re-renders it with equal props ...
    ops = await h.show(view("b"))  # ... and row 40 with new props, after it
    assert renders == [20, 40]
    texts = [op.text for op in ops if isinstance(op, SetText)]
    assert kinds(ops) == ["SetAttrs", "SetText", "SetText"] and texts == ["20:1", "40:0!"]


@pytest.mark.parametrize("change", ["remove first", "swap"])
async def test_issue_11_dirty_rows_after_a_key_change_render_in_diff_order(change: str) -> None:
    setters: dict[int, Setter[int]] = {}
    renders: list[int] = []

    @component
    def counted(*, n: int, mark: str) -> Node:
        clicks, set_clicks = use_state(0)
        setters[n] = set_clicks
        renders.append(n)
        return Element("li", children=(Text(f"{n}:{clicks}{mark}"),))

    def view(keys: list[int], marked: int | None) -> Element:
        return Element(
            "ul", children=tuple(counted(n=k, mark="!" if k == marked else "", key=k) for k in keys)
        )

    keys = list(range(50))
    h = Harness(view(keys, None))
    renders.clear()
    if change == "remove first":  # rows 1..49 are the common suffix, diffed from the end
        keys = keys[1:]
    else:  # rows 2..47 are the middle, diffed from the end
        keys[1], keys[48] = keys[48], keys[1]
    setters[30](1)  # row 30's own state changed; its props are equal ...
    await h.show(view(keys, 20))  # ... and row 20 gets new props: 30 comes first from the end
    assert renders == [30, 20]
    assert h.dom.serialize() == fresh_dom(view(keys, 20)).serialize().replace("30:0", "30:1")


async def test_issue_11_a_child_gaining_a_listener_in_place_makes_its_parent_dynamic() -> None:
    def view(listen: bool) -> Element:
        on = {"click": EventBinding(lambda: None)} if listen else {}
        return Element("section", children=(Element("div", children=(Element("p", events=on),)),))

    h = Harness(view(False))
    await h.show(view(True))  # same children, same keys: the in-place path
    rec = h.session._rec  # the listener table is what dispatch reads
    assert len(rec.listeners) == 1
    await h.show(Element("section"))  # removing the div must forget the p's listener
    assert rec.listeners == {}


async def test_issue_13_a_styled_element_rebuilt_with_equal_attrs_sends_nothing() -> None:
    card = Style(padding=4)
    h = Harness(Element("div", {"class": "u", "id": "c"}, style=card))
    assert await h.show(Element("div", {"class": "u", "id": "c"}, style=card)) == ()
    ops = await h.show(Element("div", {"class": "u", "id": "d"}, style=card))
    assert kinds(ops) == ["SetAttrs"] and isinstance(ops[0], SetAttrs) and ops[0].attrs == {"id": "d"}
    ops = await h.show(Element("div", {"class": "v", "id": "d"}, style=card))
    assert isinstance(ops[0], SetAttrs) and ops[0].attrs["class"].startswith("v tw-")
    other = await h.show(Element("div", {"class": "v", "id": "d"}, style=Style(padding=5)))
    assert kinds(other) == ["AddStyles", "SetAttrs"]
    assert (
        h.dom.serialize()
        == fresh_dom(Element("div", {"class": "v", "id": "d"}, style=Style(padding=5))).serialize()
    )


class Subclassed(Element):
    pass


def test_issue_11_one_list_of_vnodes_is_kept_and_anything_else_is_normalized() -> None:
    nodes: list[Any] = [row(n=1, selected=False, key=1), Element("td"), Text("t")]
    assert normalize_children("html.tr", (nodes,)) == tuple(nodes)
    mixed = normalize_children("html.tr", (["a", None, Element("td"), [Text("b")]],))
    assert [type(n).__name__ for n in mixed] == ["Text", "Element", "Text"]
    assert normalize_children("html.tr", ([],)) == ()
    sub = Subclassed("td")
    assert normalize_children("html.tr", ([sub],)) == (sub,)  # isinstance, as before
    with pytest.raises(Exception, match="expected a Node"):
        html.tbody([Element("tr"), 3j])  # type: ignore[list-item]


def test_issue_11_a_view_returning_a_bad_value_is_named() -> None:
    def view(_: None) -> Any:
        return 42

    def text_view(_: None) -> Any:
        return "plain text"

    with pytest.raises(TempestError, match=r"view function '\S+<locals>\.view' \(\S+:\d+\)"):
        Session(App(view=view, state=None, theme=None)).mount()
    ops = Session(App(view=text_view, state=None, theme=None)).mount()
    assert any(isinstance(op, Create) and op.node.text == "plain text" for op in ops)  # type: ignore[union-attr]


@pytest.mark.parametrize("call", ["first", "vetted"])
def test_issue_13_keyword_values_other_than_str_take_the_fast_path_with_the_same_result(call: str) -> None:
    def build() -> Element:
        return html.button(
            "x",
            type="button",
            disabled=False,
            hidden=True,
            aria_label=None,
            tabindex=0,
            data_ratio=1.5,
            on_click=None,
            attrs={"title": "from attrs", "data-gone": "y"},
            data_gone=None,
        )

    if call == "vetted":
        build()  # the names are vetted on first use; the second call takes the fast path
    el = build()
    assert el.attrs == {
        "title": "from attrs",
        "type": "button",
        "hidden": "",
        "tabindex": "0",
        "data-ratio": "1.5",
    }
    assert el.events == {} and el.props == {}
    with pytest.raises(Exception, match="expected str, int, float, bool or None"):
        html.button("x", tabindex=[0])
    with pytest.raises(Exception, match="javascript"):
        html.a("x", href="javascript:alert(1)")  # a URL attribute is never a plain one
    assert html.a("x", href=None).attrs == {}
