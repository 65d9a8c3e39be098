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
from hypothesis import given, settings
from hypothesis import strategies as st
from treegen import fresh_dom

from tempest_core import (
    App,
    Badge,
    Button,
    Column,
    Divider,
    Icon,
    Row,
    Session,
    Style,
    Text,
    WidgetError,
    _hoist,
)
from tempest_core.nodes import Element, Node
from tempest_core.nodes import Text as TextNode
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


# -- call sites (tempest_core._hoist.CallSites) ---------------------------------------------------
RED = Style(color="red")
GAP = [4, 8]
"""A list argument, mutated between calls: never a plain value, so never re-used."""
KWARGS: list[Any] = [
    lambda i: {},
    lambda i: {"gap": 8},
    lambda i: {"gap": 8, "align": "center"},
    lambda i: {"align": "center", "gap": 8},
    lambda i: {"style": RED, "id": "c"},
    lambda i: {"key": "k", "class_": "x"},
    lambda i: {"id": f"c{i % 2}"},  # equal strings, new objects
    lambda i: {"gap": GAP},
    lambda i: {"wrap": True},
    lambda i: {"wrap": 1},  # a WidgetError, as from the widget itself
    lambda i: {"gap": i % 2 == 0},  # a bool where an int goes: True == 1, a different element
    lambda i: {"gap": 1},
    lambda i: {"id": "gap"},  # a value that is the very (interned) string of a keyword name
    lambda i: {"id": "gap", "key": "id"},
]
CHILDREN: list[Any] = [
    lambda i: "gap",  # the very strings of keyword names, as positional children
    lambda i: "id",
    lambda i: Text(f"t{i}"),
    lambda i: f"s{i % 2}",  # equal strings, new objects
    lambda i: "plain",
    lambda i: None,
    lambda i: Button("b", on_click=_module_handler),
    lambda i: [Text("x"), "y", i],
    lambda i: Divider(),
    lambda i: object(),  # a WidgetError
]


def _same_element(a: object, b: object) -> None:
    """Assert two nodes build the same DOM: tags, attributes, properties, listeners, style, keys."""
    assert type(a) is type(b)
    if isinstance(a, TextNode):
        assert a.text == b.text  # type: ignore[attr-defined]
        return
    assert isinstance(a, Element) and isinstance(b, Element)
    assert (a.tag, a.key, a.attrs, a.props, a.style) == (b.tag, b.key, b.attrs, b.props, b.style)
    assert {k: v.handler for k, v in a.events.items()} == {k: v.handler for k, v in b.events.items()}
    assert len(a.children) == len(b.children)
    for x, y in zip(a.children, b.children, strict=True):
        _same_element(x, y)


def _outcome(widget: Any, kids: list[Any], kwargs: dict[str, Any]) -> object:
    try:
        return widget(*kids, **kwargs)
    except WidgetError as exc:
        return str(exc)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(KWARGS) - 1), st.lists(st.integers(0, len(CHILDREN) - 1), max_size=4)),
        min_size=1,
        max_size=40,
    )
)
def test_issue_13_a_call_site_gives_what_the_widget_builds_at_every_call(
    steps: list[tuple[int, list[int]]],
) -> None:
    _hoist.hoist_clear()
    raw = Column.__wrapped__  # type: ignore[attr-defined]
    for i, (k, picks) in enumerate(steps):
        kids = [CHILDREN[p](i) for p in picks]
        kwargs = KWARGS[k](i)
        GAP[0] = i  # the list's content changes; its identity does not
        got = _outcome(Column, kids, kwargs)  # one call site (in _outcome) for every step
        want = _outcome(raw, kids, kwargs)
        if isinstance(want, str):
            assert got == want
        else:
            _same_element(got, want)


TEXT_KWARGS: list[Any] = [
    lambda i: {},
    lambda i: {"id": "count"},
    lambda i: {"style": RED, "id": "count"},
    lambda i: {"id": "count", "style": RED},
    lambda i: {"as_": "h1"},
    lambda i: {"as_": "nav"},  # a WidgetError, as from the widget itself
    lambda i: {"id": f"c{i % 2}"},  # equal strings, new objects
    lambda i: {"key": i % 2 == 0},  # a bool key: True == 1, a different element
    lambda i: {"key": 1},
    lambda i: {"id": "id"},  # a value that is the very (interned) string of a keyword name
]
TEXT_ARGS: list[Any] = [
    lambda i: ("id",),
    lambda i: (str(i),),  # a count's text: new on every call
    lambda i: (f"s{i % 2}",),  # equal strings, new objects
    lambda i: ("plain",),
    lambda i: ("",),
    lambda i: (i,),  # an int: a WidgetError
    lambda i: ("a", "b"),  # two positional arguments: the widget's own TypeError
    lambda i: (),  # the text as a keyword (below), or missing
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(TEXT_KWARGS) - 1), st.integers(0, len(TEXT_ARGS) - 1)),
        min_size=1,
        max_size=40,
    )
)
def test_issue_13_a_text_call_site_gives_what_the_widget_builds_at_every_call(
    steps: list[tuple[int, int]],
) -> None:
    _hoist.hoist_clear()
    raw = Text.__wrapped__  # type: ignore[attr-defined]

    def outcome(widget: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> object:
        if not args:
            kwargs = {**kwargs, "text": "by keyword"}
        try:
            return widget(*args, **kwargs)  # one call site for every step
        except (WidgetError, TypeError) as exc:
            return f"{type(exc).__name__}: {exc}"

    for i, (k, a) in enumerate(steps):
        args = TEXT_ARGS[a](i)
        got = outcome(Text, args, TEXT_KWARGS[k](i))
        want = outcome(raw, args, TEXT_KWARGS[k](i))
        if isinstance(want, str):
            assert got == want
        else:
            _same_element(got, want)


def test_issue_13_a_text_called_again_with_new_text_and_the_same_keywords_shares_its_dicts() -> None:
    red = Style(color="red")
    built = [Text(str(1000 + i), id="count", style=red) for i in range(4)]  # never repeats
    first = built[0]
    for t in built[1:]:
        assert t.attrs is first.attrs and t.style is first.style and t.props is first.props
    assert [t.children[0].text for t in built] == ["1000", "1001", "1002", "1003"]  # type: ignore[union-attr]
    with pytest.raises(WidgetError, match=r"Text\(text=...\): expected str, got int"):
        [Text(1004 + i, id="count", style=red) for i in range(2)]  # type: ignore[arg-type]


def test_issue_13_a_call_with_more_arguments_is_not_taken_for_a_shorter_one_it_begins_with() -> None:
    # A site keeps its last call flat: (*args, separator, *names, *values). A value can be the
    # very (interned) string of a keyword name, so a longer call can begin with the items of a
    # shorter one: (sep, "id", "key") and (sep, "id", "key", "other", "k").
    def column(*args: Any, **kwargs: Any) -> Element:
        return Column(*args, **kwargs)  # one call site for every call

    def text(*args: Any, **kwargs: Any) -> Element:
        return Text(*args, **kwargs)

    _hoist.hoist_clear()
    for _ in range(3):
        kept = column(id="key")
    assert column(id="key") is kept  # answered at its call site
    assert column(id="other", key="k").attrs["id"] == "other"
    for _ in range(3):
        column(id="key", key="k")  # the longer call kept now
    assert column(id="key").attrs["id"] == "key"  # and the shorter one is not taken for it
    for _ in range(3):
        text("x", id="key")
    with pytest.raises(TypeError, match="takes 1 positional argument"):  # the widget's own error
        text("x", "id", "key")


def test_issue_13_equal_arguments_of_the_same_type_are_found_at_their_call_site(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys: list[object] = []
    real = _hoist.hoist_key

    def counted(*args: Any) -> Any:
        if args[1]:  # a table key; ``hoist_key(where, (), kwargs)`` is a built site's plainness check
            keys.append(args)
        return real(*args)

    monkeypatch.setattr(_hoist, "hoist_key", counted)
    texts = [str(12345 + 0 * i) for i in range(10)]  # equal, not the same objects
    assert texts[0] is not texts[1]
    nodes = [Text(t, id=f"n{1 + 0 * i}") for i, t in enumerate(texts)]
    assert all(n is nodes[1] for n in nodes[1:])  # kept from the second call on
    assert len(keys) == 2  # the first call records the key, the second keeps it; then the site
    assert Text("12345", id="n1") is nodes[1]  # another site: the table


def test_issue_13_a_container_called_again_with_the_same_keywords_shares_its_dicts() -> None:
    red = Style(color="red")
    built = [Column(Text(f"n{i}"), gap=8, style=red, id="c") for i in range(3)]
    first, second, third = built
    assert second.attrs is first.attrs and third.attrs is first.attrs
    assert third.style is first.style and third.events is first.events and third.props is first.props
    assert [c.children[0].children[0].text for c in built] == ["n0", "n1", "n2"]  # type: ignore[union-attr]


def test_issue_13_a_site_whose_calls_keep_changing_is_hoisted_again_once_they_stop() -> None:
    nodes = [
        Text(f"v{min(i, 10)}", id="t") for i in range(10 + _hoist.COLD_CALLS + 2 * _hoist.COLD_AFTER + 2)
    ]
    assert nodes[-1] is nodes[-2]  # probed, found repeating, kept
    assert all(n.children[0].text == f"v{min(i, 10)}" for i, n in enumerate(nodes))  # type: ignore[union-attr]


def test_issue_13_true_and_1_at_one_call_site_are_told_apart() -> None:
    def button(value: Any) -> Element:
        return Button("a", disabled=value)  # one call site for every call

    def column(gap: Any) -> Element:
        return Column(gap=gap)

    for _ in range(3):
        assert button(True).attrs.get("disabled") == ""
        assert column(1).style == Column.__wrapped__(gap=1).style  # type: ignore[attr-defined]
    with pytest.raises(WidgetError, match=r"Button\(disabled=...\): expected bool, got int"):
        button(1)  # 1 == True: the same value, not the same type
    with pytest.raises(WidgetError, match=r"Column\(gap=...\): expected a number, got bool"):
        column(True)


def test_issue_13_call_sites_are_bounded_and_emptied_with_the_table() -> None:
    namespace: dict[str, Any] = {"Text": Text}
    for i in range(_hoist.MAX_SITES + 50):  # each function is a code object of its own: a site of its own
        exec(f"def f{i}():\n    return Text('x', id='s')", namespace)
        namespace[f"f{i}"]()
    assert max(len(sites) for sites in _hoist._all_sites) <= _hoist.MAX_SITES
    _hoist.hoist_clear()
    assert all(not sites for sites in _hoist._all_sites)
