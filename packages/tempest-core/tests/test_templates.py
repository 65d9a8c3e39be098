"""``@template``: equivalence with ``html.*``, capture and value errors, dispatch, resync, prerender."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, replace
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from templategen import FAMILIES, Item, ListGen, as_html, as_template, noop, page, row_markup
from treegen import Harness

from tempest_core import (
    App,
    Element,
    InputEvent,
    KeyEvent,
    Node,
    Session,
    SessionError,
    TemplateError,
    WidgetError,
    component,
    html,
    render_to_html,
    template,
)
from tempest_core.events import handler
from tempest_core.nodes import Text
from tempest_core.testing import DomModel, Pilot, run_test, select
from tempestweb_contract import (
    EVENT_PREVENT_DEFAULT,
    EVENT_STOP_PROPAGATION,
    AddStyles,
    Create,
    DefineTemplate,
    ElementNode,
    Event,
    NodeSpec,
    Op,
    Remove,
    SetAttrs,
    SetProps,
    SetText,
    TemplateNode,
    TextNode,
    Unlisten,
    expand_template,
)

CLICK: dict[str, Any] = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}


def expanded(ops: tuple[Op, ...]) -> tuple[Op, ...]:
    """``ops`` with every template instance replaced by the tree it stands for (what a client
    builds) and the definitions dropped; an instance whose definition is not earlier in the same
    batch raises ``KeyError``."""
    defined: dict[int, DefineTemplate] = {}

    def node(spec: NodeSpec) -> NodeSpec:
        if isinstance(spec, TemplateNode):
            return expand_template(defined[spec.template], spec)
        if isinstance(spec, ElementNode) and spec.children:
            return msgspec.structs.replace(spec, children=tuple(node(c) for c in spec.children))
        return spec

    out: list[Op] = []
    for op in ops:
        if isinstance(op, DefineTemplate):
            defined[op.template] = op
        elif isinstance(op, Create):
            out.append(Create(op.parent, op.before, node(op.node)))
        else:
            out.append(op)
    return tuple(out)


def fresh_dom(ops: tuple[Op, ...]) -> DomModel:
    dom = DomModel()
    dom.apply_all(ops)
    return dom


def mounted_dom(tree: Node) -> DomModel:
    """The DOM of a fresh session whose view is ``tree``."""
    return fresh_dom(Session(App(view=lambda _: tree)).mount())


# -- 1. equivalence with html.* --------------------------------------------------------------------
async def _check_sequence(rng: random.Random, steps: int) -> None:
    gen = ListGen(rng)
    items = gen.first()
    ht = Harness(page(items, as_template))
    hh = Harness(page(items, as_html))
    assert expanded(ht.mount_ops) == hh.mount_ops
    for _ in range(steps):
        items = gen.step(items)
        before = ht.session.resync()
        ops = await ht.show(page(items, as_template))
        await hh.show(page(items, as_html))
        # Each batch carries its templates: a client that starts from a resync (or from the
        # prerendered page) and never saw the earlier batches applies it alone.
        alone = fresh_dom(before)
        alone.apply_all(ops)
        assert alone.serialize(ids=True) == ht.dom.serialize(ids=True)
        # ids included: both sides allocate ids in document order
        assert ht.dom.serialize(ids=True) == hh.dom.serialize(ids=True), items
        assert ht.session.render_html() == hh.session.render_html(), items
        resync = ht.session.resync()
        assert resync == hh.session.resync()
        assert fresh_dom(resync).serialize(ids=True) == ht.dom.serialize(ids=True)
        assert ht.dom.styles == hh.dom.styles
        # equal values in new tuples (the factory builds one per call): nothing to send
        assert await ht.show(page(items, as_template)) == ()
        assert await hh.show(page(items, as_html)) == ()


async def test_templates_and_html_give_the_same_dom_seeded_2000_steps() -> None:
    rng = random.Random(20260311)
    for _ in range(25):
        await _check_sequence(rng, 80)


@settings(max_examples=250, deadline=None)
@given(st.randoms(use_true_random=False))
async def test_templates_and_html_give_the_same_dom_hypothesis(rng: random.Random) -> None:
    await _check_sequence(rng, 6)


async def test_value_changes_patch_holes_only() -> None:
    """A value change sends ops for the changed holes and creates nothing."""
    row = FAMILIES[0].factory
    on_select = handler(noop)
    h = Harness(html.tbody(row("1", "a", None, on_select, noop, key=1)))
    ops = await h.show(html.tbody(row("1", "b", "danger", on_select, None, key=1)))
    tr, label, remove_a = 2, 7, 9
    want = [SetText(label, "b"), SetAttrs(tr, {"class": "danger"}), Unlisten(remove_a, ("click",))]
    assert sorted(ops, key=repr) == sorted(want, key=repr)
    assert await h.show(html.tbody(row("1", "b", "danger", on_select, None, key=1))) == ()
    assert not any(isinstance(op, Create | Remove) for op in ops)


# -- 2. create spec --------------------------------------------------------------------------------
def test_create_spec_equals_the_html_one_and_the_expected_tree() -> None:
    def on_select() -> None: ...

    remove = handler(noop, prevent_default=True)
    t = Harness(html.tbody(FAMILIES[0].factory("1", "lbl", "danger", on_select, remove, key=1)))
    h = Harness(html.tbody(row_markup("1", "lbl", "danger", on_select, remove)))
    want = ElementNode(
        1,
        "tbody",
        children=(
            ElementNode(
                2,
                "tr",
                {"class": "danger"},
                children=(
                    ElementNode(3, "td", {"class": "col-md-1"}, children=(TextNode(4, "1"),)),
                    ElementNode(
                        5,
                        "td",
                        {"class": "col-md-4"},
                        children=(
                            ElementNode(
                                6, "a", {"class": "lbl"}, events={"click": 0}, children=(TextNode(7, "lbl"),)
                            ),
                        ),
                    ),
                    ElementNode(
                        8,
                        "td",
                        {"class": "col-md-1"},
                        children=(
                            ElementNode(
                                9,
                                "a",
                                {"class": "remove"},
                                events={"click": EVENT_PREVENT_DEFAULT},
                                children=(
                                    ElementNode(
                                        10,
                                        "span",
                                        {"class": "glyphicon glyphicon-remove", "aria-hidden": "true"},
                                    ),
                                ),
                            ),
                        ),
                    ),
                    ElementNode(11, "td", {"class": "col-md-6"}),
                ),
            ),
        ),
    )
    assert expanded(t.mount_ops) == h.mount_ops == (Create(0, None, want),)
    mounted = t.mount_ops[-1]  # the wire carries the instance, not its tree
    assert isinstance(mounted, Create) and isinstance(mounted.node, ElementNode)
    assert isinstance(mounted.node.children[0], TemplateNode)


async def test_inserted_instance_creates_the_same_op_as_html() -> None:
    gen = ListGen(random.Random(5))
    for family in range(len(FAMILIES)):
        first = [gen.item(), gen.item()]
        new = gen.item(family)
        ht = Harness(page(first, as_template))
        hh = Harness(page(first, as_html))
        items = [first[0], new, first[1]]
        ops_t = await ht.show(page(items, as_template))
        ops_h = await hh.show(page(items, as_html))
        (create,) = [op for op in ops_t if isinstance(op, Create)]
        # nothing else changed; the batch carries the template's definition before its instance
        assert all(isinstance(op, Create | AddStyles | DefineTemplate) for op in ops_t)
        assert isinstance(create.node, TemplateNode)
        assert ops_t.index(create) > ops_t.index(next(op for op in ops_t if isinstance(op, DefineTemplate)))
        assert create.before == ht.dom.root.children[0].children[3].id  # type: ignore[union-attr]
        assert expanded(ops_t) == ops_h


def test_svg_template_keeps_the_namespace() -> None:
    icon = FAMILIES[4].factory
    (create,) = expanded(Harness(icon(2, "red", "dot")).mount_ops)
    assert isinstance(create, Create) and isinstance(create.node, ElementNode)
    assert create.node.ns == "http://www.w3.org/2000/svg"
    circle = create.node.children[0]
    assert isinstance(circle, ElementNode)
    assert (circle.tag, circle.ns, circle.attrs) == (
        "circle",
        "http://www.w3.org/2000/svg",
        {"cx": "5", "cy": "5", "r": "2", "fill": "red"},
    )


# -- 3. dispatch -----------------------------------------------------------------------------------
@template
def counter_markup(label: str, on_click: Any, on_reset: Any) -> Element:
    return html.p(html.button(label, class_="inc", on_click=on_click), html.a("reset", on_click=on_reset))


async def test_dispatch_runs_the_current_closure_and_none_is_unknown_handler() -> None:
    calls: list[tuple[str, int]] = []

    def view(n: int) -> Node:
        def on_click() -> None:
            calls.append(("click", n))
            app.set_state(lambda s: s + 1)

        def on_reset() -> None:
            calls.append(("reset", n))

        return html.div(
            counter_markup(str(n), on_click if n < 2 else None, handler(on_reset, stop_propagation=True))
        )

    app: App[int] = App(view=view, state=0)
    async with run_test(app) as pilot:
        button = pilot.one("button.inc")
        assert button.events == {"click": 0}
        await pilot.click("button.inc")
        await pilot.click("button.inc")
        assert calls == [("click", 0), ("click", 1)]  # the closure of the latest render ran
        assert pilot.text("button.inc") == "2"
        assert pilot.one("button.inc").events == {}  # n == 2: the hole is None, Unlisten was sent
        assert pilot.one("a").events == {"click": EVENT_STOP_PROPAGATION}
        await pilot.click("a")
        assert calls[-1] == ("reset", 2)
        # direct dispatches last: their eids run ahead of the pilot's counter
        with pytest.raises(SessionError) as info:
            await pilot.session.dispatch(Event(eid=100, node=button.id, name="click", data=CLICK))
        assert info.value.code == "unknown_handler"
        with pytest.raises(SessionError) as info:
            await pilot.session.dispatch(Event(eid=101, node=pilot.one("a").id, name="keydown", data={}))
        assert info.value.code == "unknown_handler"
        assert calls == [("click", 0), ("click", 1), ("reset", 2)]


async def test_removed_instance_leaves_no_listener_behind() -> None:
    def view(rows: tuple[int, ...]) -> Node:
        return html.div(*(counter_markup(str(r), noop, noop, key=r) for r in rows))

    app: App[tuple[int, ...]] = App(view=view, state=(1, 2, 3))
    async with run_test(app) as pilot:
        listeners = pilot.session._rec.listeners
        ps = pilot.query("p")
        ids = [[el.id, *(c.id for c in el.iter_descendants())] for el in ps]
        size = counter_markup.template.size
        assert [len(i) for i in ids] == [3, 3, 3] and size == 5  # p, button, a (+ 2 text nodes)
        before = set(listeners)
        assert before == {i[1] for i in ids} | {i[2] for i in ids}
        pilot.session.set_state(lambda _: (1, 3))
        await pilot.wait()
        gone = set(range(ps[1].id, ps[1].id + size))
        assert set(listeners) == before - gone
        for nid in (ids[1][1], ids[1][2]):
            with pytest.raises(SessionError) as info:
                await pilot.session.dispatch(Event(eid=10 + nid, node=nid, name="click", data=CLICK))
            assert info.value.code == "unknown_handler"
        pilot.session.set_state(lambda _: ())
        await pilot.wait()
        assert not listeners


# -- 4. controlled input ---------------------------------------------------------------------------
@template
def entry_markup(label: str, text: Any, on_input: Any, on_keydown: Any) -> Element:
    return html.header(
        html.h1(label), html.input(class_="new-todo", value=text, on_input=on_input, on_keydown=on_keydown)
    )


def _entry_app() -> App[str]:
    def view(text: str) -> Node:
        def on_input(e: InputEvent) -> None:
            todo.set_state(lambda _: e.value)

        def on_keydown(e: KeyEvent) -> None:
            if e.key == "Enter":
                todo.set_state(lambda _: "")

        return entry_markup("todos", text, on_input, on_keydown)

    todo = App(view=view, state="")
    return todo


async def test_typed_text_is_cleared_when_input_and_enter_share_a_tick() -> None:
    """Same as core's test_issue_3 for plain elements: "" rendered twice still clears "c"."""
    batches: list[list[Op]] = []
    session = Session(_entry_app(), on_patch=lambda ops, ack: batches.append(list(ops)))
    dom = fresh_dom(session.mount())
    node = select(dom.root, "input")[0].id
    assert node == 4  # header 1, h1 2, text 3, input 4: the input is not the template's root
    await session.dispatch(Event(eid=1, node=node, name="input", data={"value": "c"}))
    await session.dispatch(Event(eid=2, node=node, name="keydown", data={"key": "Enter", "value": "c"}))
    await session.flush()
    assert [op for batch in batches for op in batch] == [SetProps(node, {"value": ""})]


async def test_reported_value_equal_to_the_render_sends_it_once() -> None:
    batches: list[list[Op]] = []
    session = Session(_entry_app(), on_patch=lambda ops, ack: batches.append(list(ops)))
    session.mount()
    await session.dispatch(Event(eid=1, node=4, name="input", data={"value": "ab"}))
    await session.flush()
    assert [op for batch in batches for op in batch] == [SetProps(4, {"value": "ab"})]
    batches.clear()
    session.set_state(lambda s: s)  # same value, nothing typed since: nothing to send
    await session.flush()
    assert batches == []


# -- 5. capture errors -----------------------------------------------------------------------------
def cond_markup(p: str) -> Element:
    return html.p("yes" if p else "no")


def classes_markup(p: bool) -> Element:
    return html.p("x", classes={"on": p})


def compare_markup(p: str) -> Element:
    return html.p("a" if p == "a" else "b")


def fstring_markup(p: str) -> Element:
    return html.a("x", href=f"#{p}")


def concat_markup(p: str) -> Element:
    return html.p("#" + p)


def upper_markup(p: str) -> Element:
    return html.p(p.upper())


def unused_markup(p: str, q: str) -> Element:
    return html.p(p)


def flags_markup(p: Any) -> Element:
    return html.button("x", on_click=handler(p, prevent_default=True))


def keyed_child_markup(p: str) -> Element:
    return html.ul(html.li(p, key=1))


def key_param_markup(key: str) -> Element:
    return html.p(key)


def args_markup(p: str, *rest: str) -> Element:
    return html.p(p)


def kwargs_markup(p: str, **extra: str) -> Element:
    return html.p(p)


def text_markup(p: str) -> Any:
    return Text(p)


def str_markup(p: str) -> Any:
    return p


@component
def badge(*, label: str) -> Node:
    return html.span(label)


def component_root_markup(p: str) -> Any:
    return badge(label=p)


def component_inside_markup(p: str) -> Element:
    return html.div(html.b(p), badge(label="x"))


def template_inside_markup(p: str) -> Element:
    return html.div(html.b(p), counter_markup("x", None, None))


def raising_markup(p: str) -> Element:
    raise LookupError("no such row")


CAPTURE_ERRORS = [
    (cond_markup, ["'p'", "used as a condition"]),
    (classes_markup, ["'p'", "classes="]),
    (compare_markup, ["'p'", "compared"]),
    (fstring_markup, ["'p'", "formatted"]),
    (concat_markup, ["'p'", "part of a text", "'#{p}'"]),
    (upper_markup, ["'p'"]),
    (unused_markup, ["'q'", "not used"]),
    (flags_markup, ["'p'", "listener flags"]),
    (keyed_child_markup, ["<li>", "key=1"]),
    (key_param_markup, ["'key'", "reserved"]),
    (args_markup, ["*args"]),
    (kwargs_markup, ["**kwargs"]),
    (text_markup, ["one html element", "Text"]),
    (str_markup, ["one html element"]),
    (component_root_markup, ["one html element", "Component"]),
    (component_inside_markup, ["Component", "html elements and text only"]),
    (template_inside_markup, ["TemplateInstance"]),
    (raising_markup, ["LookupError", "no such row"]),
]


@pytest.mark.parametrize(("fn", "needles"), CAPTURE_ERRORS, ids=[f.__name__ for f, _ in CAPTURE_ERRORS])
def test_capture_errors_name_the_template_and_the_parameter(fn: Any, needles: list[str]) -> None:
    with pytest.raises(TemplateError) as info:
        template(fn)
    assert isinstance(info.value, WidgetError)
    message = str(info.value)
    assert fn.__qualname__ in message
    for needle in needles:
        assert needle in message


def test_capture_error_of_the_body_keeps_its_cause() -> None:
    with pytest.raises(TemplateError) as info:
        template(raising_markup)
    assert isinstance(info.value.__cause__, LookupError)


def test_template_rejects_non_functions_and_positional_only() -> None:
    def pos_only(p: str, /) -> Element:
        return html.p(p)

    with pytest.raises(TemplateError, match="expects a function"):
        template(42)  # type: ignore[arg-type]
    with pytest.raises(TemplateError, match="pos_only: positional-only"):
        template(pos_only)


@pytest.mark.parametrize("derive", [str.upper, lambda p: p[1:]], ids=["upper", "slice"])
def test_derived_string_beside_a_whole_use_is_rejected(derive: Any) -> None:
    def derived_markup(p: str) -> Element:
        return html.p(html.span(p), html.span(derive(p)))

    with pytest.raises(TemplateError, match="'p'"):
        template(derived_markup)


def test_var_positional_error_names_the_parameter() -> None:
    with pytest.raises(TemplateError, match="'rest'"):
        template(args_markup)


# -- 6. value errors -------------------------------------------------------------------------------
@template
def values_markup(label: Any, href: Any, title: Any, on_click: Any, checked: Any) -> Element:
    return html.div(
        html.a(label, href=href, title=title, on_click=on_click), html.input(type="checkbox", checked=checked)
    )


GOOD = ("x", "/x", "t", noop, True)
BAD_VALUES = [
    (0, {"a": 1}, "label", "expected str or a number"),
    (1, "javascript:alert(1)", "href", "javascript:"),
    (1, " \tJaVaScRiPt:alert(1)", "href", "javascript:"),
    (2, ["x"], "title", "expected str"),
    (3, 42, "on_click", "callable"),
    (4, "yes", "checked", "bool"),
]


@pytest.mark.parametrize(("index", "bad", "param", "needle"), BAD_VALUES)
def test_bad_value_at_mount_is_a_handler_error_with_the_widget_error(
    index: int, bad: object, param: str, needle: str
) -> None:
    values = list(GOOD)
    values[index] = bad
    session = Session(App(view=lambda _: values_markup(*values)))
    with pytest.raises(SessionError) as info:
        session.mount()
    assert info.value.code == "handler_error"
    cause = info.value.__cause__
    assert isinstance(cause, WidgetError)
    assert f"values_markup({param}=...)" in str(cause)
    assert needle in str(cause)


@pytest.mark.parametrize(("index", "bad", "param", "needle"), BAD_VALUES)
async def test_bad_value_in_a_render_goes_to_on_error_and_keeps_the_dom(
    index: int, bad: object, param: str, needle: str
) -> None:
    errors: list[SessionError] = []
    dom = DomModel()
    values = list(GOOD)
    bad_values = list(GOOD)
    bad_values[index] = bad
    app: App[list[Any]] = App(view=lambda v: html.main(values_markup(*v)), state=lambda: values)
    session = Session(app, on_patch=lambda ops, ack: dom.apply_all(ops), on_error=errors.append)
    dom.apply_all(session.mount())
    shown = dom.serialize(ids=True)
    session.set_state(lambda _: bad_values)
    await session.flush()
    assert [e.code for e in errors] == ["handler_error"]
    assert f"values_markup({param}=...)" in errors[0].message and needle in errors[0].message
    assert dom.serialize(ids=True) == shown


async def test_a_render_after_a_bad_value_recovers() -> None:
    @template
    def three(first: Any, middle: Any, last: Any) -> Element:
        return html.p(html.span(first), html.a("l", title=middle), html.span(last))

    errors: list[SessionError] = []
    dom = DomModel()
    app: App[tuple[Any, ...]] = App(view=lambda v: three(*v), state=("x", "t", "y"))
    session = Session(app, on_patch=lambda ops, ack: dom.apply_all(ops), on_error=errors.append)
    dom.apply_all(session.mount())
    session.set_state(lambda _: ("x2", ["bad"], "y2"))
    await session.flush()
    assert len(errors) == 1
    # the DOM the client holds matches the session's own record of it
    assert dom.serialize(ids=True) == fresh_dom(session.resync()).serialize(ids=True)
    session.set_state(lambda _: ("x2", "t", "y2"))
    await session.flush()
    assert len(errors) == 1
    assert dom.serialize(ids=True) == fresh_dom(
        Session(App(view=lambda _: three("x2", "t", "y2"))).mount()
    ).serialize(ids=True)


async def test_duplicate_keys_among_instances_are_rejected() -> None:
    session = Session(
        App(
            view=lambda _: html.div(
                counter_markup("a", None, None, key=1), counter_markup("b", None, None, key=1)
            )
        )
    )
    with pytest.raises(SessionError) as info:
        session.mount()
    assert isinstance(info.value.__cause__, WidgetError)
    assert "duplicate key 1" in str(info.value.__cause__)


# -- 7. factory signature --------------------------------------------------------------------------
def signature_markup(a: str, b: str = "B", *, c: str, d: bool | None = None) -> Element:
    """Doc of the markup."""
    return html.p(a, title=b, id=c, hidden=d)


def test_factory_signature_defaults_keywords_and_key() -> None:
    f = template(signature_markup)
    inst = f("x", c="C")
    assert (inst.template, inst.values, inst.key) == (f.template, ("x", "B", "C", None), None)
    inst = f(a="x", b="y", c="z", d=True, key=(5, "k"))
    assert (inst.values, inst.key) == (("x", "y", "z", True), (5, "k"))
    assert f("x", "y", c="z").values == ("x", "y", "z", None)
    assert f.template.params == ("a", "b", "c", "d")
    assert f.template.size == 2  # <p> and its text
    assert getattr(f, "__name__", None) == "signature_markup" and f.__doc__ == "Doc of the markup."
    assert f.__wrapped__ is signature_markup  # type: ignore[attr-defined]
    with pytest.raises(TypeError, match="'c'"):
        f("x")  # missing keyword-only
    with pytest.raises(TypeError):
        f("x", "y", "z")  # c is keyword-only
    with pytest.raises(TypeError, match="'e'"):
        f("x", c="C", e=1)
    with pytest.raises(TypeError, match="'a'"):
        f(c="C")
    dom = fresh_dom(Session(App(view=lambda _: f("x", c="C", d=True))).mount())
    assert dom.serialize(ids=True) == '<p data-tw="1" hidden="" id="C" title="B"><!--2-->x</p>'


# -- 8. replace, components ------------------------------------------------------------------------
async def test_replacing_an_instance_creates_and_removes() -> None:
    button = FAMILIES[6].factory
    styled = FAMILIES[3].factory
    h = Harness(html.div(button("go", noop)))
    seq: list[Node] = [
        styled("a", "b"),
        html.span("plain"),
        Text("text"),
        button("go", noop),
        styled(None, 1),
    ]
    for node in seq:
        old = h.dom.root.children[0].children[0].id  # type: ignore[union-attr]
        ops = await h.show(html.div(node))
        creates = [op for op in ops if isinstance(op, Create)]
        assert len(creates) == 1 and creates[0].parent == 1 and creates[0].before == old
        assert ops[-1] == Remove(old)
        assert h.dom.serialize() == mounted_dom(html.div(node)).serialize()
        assert old not in h.session._rec.listeners
    assert set(h.session._rec.listeners) == set()  # styled() has no handler


@dataclass(frozen=True)
class Rows:
    rows: tuple[tuple[int, str], ...] = ()
    selected: int | None = None


def _rows_app(use_template: bool) -> App[Rows]:
    @component
    def row(*, row_id: int, label: str, selected: bool) -> Node:
        def on_select() -> None:
            app.set_state(lambda s: replace(s, selected=row_id))

        def on_remove() -> None:
            app.set_state(lambda s: replace(s, rows=tuple(r for r in s.rows if r[0] != row_id)))

        args = (str(row_id), label, "danger" if selected else None, on_select, on_remove)
        return FAMILIES[0].factory(*args) if use_template else row_markup(*args)

    def view(s: Rows) -> Node:
        return html.table(
            html.tbody(
                [row(row_id=i, label=t, selected=i == s.selected, key=i) for i, t in s.rows], id="tbody"
            )
        )

    app = App(view=view, state=lambda: Rows(tuple((i, f"row {i}") for i in range(1, 11))))
    return app


async def test_memoized_rows_behave_like_the_html_version() -> None:
    async with run_test(_rows_app(True)) as pt, run_test(_rows_app(False)) as ph:

        async def both(action: Any) -> None:
            for p in (pt, ph):
                await action(p)
            assert pt.html() == ph.html()
            assert pt.dom.serialize(ids=True) == ph.dom.serialize(ids=True)
            assert pt.session.render_html() == ph.session.render_html()

        def on_row(index: int, selector: str) -> Any:
            async def act(p: Pilot) -> None:
                await p.fire(select(p.query("tbody > tr")[index], selector)[0], "click", CLICK)

            return act

        def set_rows(fn: Any) -> Any:
            async def act(p: Pilot) -> None:
                p.session.set_state(fn)
                await p.wait()

            return act

        await both(on_row(2, "a.lbl"))
        assert [tr.classes for tr in pt.query("tr")][2] == ("danger",)
        await both(on_row(4, "a.lbl"))
        await both(on_row(2, "a.remove"))
        assert len(pt.query("tr")) == 9
        await both(set_rows(lambda s: replace(s, rows=(s.rows[-1], *s.rows[1:-1], s.rows[0]))))  # swap
        await both(
            set_rows(
                lambda s: replace(s, rows=tuple((i, t + " !!!") if i % 3 else (i, t) for i, t in s.rows))
            )
        )
        await both(on_row(0, "a.remove"))
        await both(set_rows(lambda s: replace(s, rows=(), selected=None)))
        assert pt.query("tr") == []
        assert not pt.session._rec.listeners and not ph.session._rec.listeners


# -- 9. resync -------------------------------------------------------------------------------------
async def test_resync_after_patches_recreates_the_current_dom() -> None:
    gen = ListGen(random.Random(99))
    items = gen.first()
    h = Harness(page(items, as_template))
    for _ in range(30):
        items = gen.step(items)
        await h.show(page(items, as_template))
        ops = h.session.resync()
        fresh = fresh_dom(ops)
        assert fresh.serialize(ids=True) == h.dom.serialize(ids=True)
        assert fresh.styles == list(h.session.styles)


# -- 10. prerender ---------------------------------------------------------------------------------
def test_render_to_html_equals_the_html_built_app() -> None:
    items = ListGen(random.Random(3)).first() + [
        Item(100 + f, f, FAMILIES[f].values(random.Random(f))) for f in range(len(FAMILIES))
    ]
    out_t = render_to_html(App(view=lambda _: page(items, as_template)))
    out_h = render_to_html(App(view=lambda _: page(items, as_html)))
    assert out_t == out_h
    assert out_t.startswith('<style id="tw-styles">') and 'data-tw-on="click:' in out_t


# -- known divergences from html.* -----------------------------------------------------------------
def test_empty_class_hole_writes_no_class_attribute() -> None:
    def para(cls: Any, text: Any) -> Element:
        return html.p(html.span(text), class_=cls)

    t = fresh_dom(Session(App(view=lambda _: template(para)("", "x"))).mount())
    h = fresh_dom(Session(App(view=lambda _: para("", "x"))).mount())
    assert t.serialize(ids=True) == h.serialize(ids=True)


def test_attribute_order_follows_the_markup() -> None:
    def link(label: Any, href: Any) -> Element:
        return html.a(label, href=href, title="static")

    t = Session(App(view=lambda _: template(link)("a", "/x")))
    h = Session(App(view=lambda _: link("a", "/x")))
    t.mount()
    h.mount()
    assert t.render_html() == h.render_html()


async def test_a_text_hole_sends_set_text_only_when_the_text_changes() -> None:
    @template
    def number(value: Any) -> Element:
        return html.p(value)

    ops: list[tuple[Op, ...]] = []
    app: App[Any] = App(view=number, state=5)
    session = Session(app, on_patch=lambda batch, ack: ops.append(batch))
    session.mount()
    for value in ("5", 5.0, float("nan"), float("nan"), "x"):
        session.set_state(functools.partial(lambda new, _old: new, value))
        await session.flush()
    assert ops == [(SetText(2, "5.0"),), (SetText(2, "nan"),), (SetText(2, "x"),)]
