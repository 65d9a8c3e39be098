from __future__ import annotations

import inspect
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

import pytest

import tempest_core.widgets as widgets_module
from tempest_core.errors import WidgetError
from tempest_core.events import ChangeEvent, ClickEvent, InputEvent, KeyEvent, SubmitEvent
from tempest_core.html import html
from tempest_core.nodes import Element, EventBinding, Node
from tempest_core.nodes import Text as TextNode
from tempest_core.style import Sides, Style
from tempest_core.widgets import (
    Button,
    Checkbox,
    Column,
    Container,
    Divider,
    Form,
    Image,
    Link,
    List,
    RadioGroup,
    Row,
    Select,
    Slider,
    Spacer,
    Stack,
    Switch,
    Text,
    TextArea,
    TextField,
)
from tempestweb_contract import EVENT_PREVENT_DEFAULT

w = cast(Any, widgets_module)  # for calls that deliberately break the static types


def el(node: Node) -> Element:
    assert isinstance(node, Element)
    return node


def text_of(node: Node) -> str:
    if isinstance(node, TextNode):
        return node.text
    return "".join(text_of(c) for c in el(node).children)


def fire(node: Element, name: str, event: object) -> object:
    return node.events[name].handler(event)


@pytest.fixture
def navigations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Stand in for tempest_core.router (owned elsewhere): Link imports it lazily by name."""
    calls: list[str] = []
    fake = types.ModuleType("tempest_core.router")
    fake.navigate = calls.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tempest_core.router", fake)
    return calls


# -- content widgets -----------------------------------------------------------------------------


def test_text() -> None:
    span = Text("hi", class_="c", id="t", key=1)
    assert (span.tag, span.attrs, span.key, text_of(span)) == ("span", {"class": "c", "id": "t"}, 1, "hi")
    assert Text("para", as_="p").tag == "p"
    assert Text("title", as_="h1").tag == "h1"


def test_button() -> None:
    def save() -> None: ...

    button = Button("Save", on_click=save, disabled=True, class_="btn", id="save")
    assert button.tag == "button"
    assert button.attrs == {
        "type": "button",
        "disabled": "",
        "class": "tw-button tw-button-secondary btn",
        "id": "save",
    }
    assert button.events["click"].handler is save
    assert Button("Go", type="submit").attrs == {"type": "submit", "class": "tw-button tw-button-secondary"}
    assert Button("Go", variant="primary").attrs["class"] == "tw-button tw-button-primary"
    with pytest.raises(
        WidgetError, match=r"^Button\(variant=\.\.\.\): expected one of 'primary', .*got str \('big'\)"
    ):
        Button("Go", variant="big")  # type: ignore[arg-type]
    icon = Button(html.span(class_="icon"), aria_label="Close")
    assert icon.attrs == {"type": "button", "aria-label": "Close", "class": "tw-button tw-button-secondary"}
    assert el(icon.children[0]).tag == "span"


def test_link_internal_navigates(navigations: list[str]) -> None:
    clicked: list[ClickEvent] = []
    link = Link("Users", href="/users/7", on_click=clicked.append)
    assert link.attrs == {"href": "/users/7", "class": "tw-link"}
    binding = link.events["click"]
    assert binding.flags == EVENT_PREVENT_DEFAULT
    event = ClickEvent()
    assert binding.handler(event) is None
    assert clicked == [event]
    assert navigations == ["/users/7"]


async def test_link_async_on_click_then_navigates(navigations: list[str]) -> None:
    order: list[str] = []

    async def track() -> None:
        order.append("user")

    pending = Link("Home", href="/", on_click=track).events["click"].handler(ClickEvent())
    assert inspect.isawaitable(pending)
    assert navigations == []
    await pending
    assert order == ["user"]
    assert navigations == ["/"]


def test_link_hash_and_external_stay_plain() -> None:
    assert Link("All", href="#/").events == {}
    assert Link("Ext", href="https://example.org").events == {}
    assert Link("Proto", href="//cdn.example.org/x").events == {}
    tab = Link("Docs", href="/docs", new_tab=True)
    assert tab.attrs == {
        "href": "/docs",
        "target": "_blank",
        "rel": "noopener noreferrer",
        "class": "tw-link",
    }
    assert tab.events == {}


def test_image() -> None:
    img = Image(src="/a.png", alt="A cat", width=64, height=32, loading="lazy")
    assert img.tag == "img"
    assert img.attrs == {"src": "/a.png", "alt": "A cat", "width": "64", "height": "32", "loading": "lazy"}
    assert Image(src="/d.png", alt="").attrs["alt"] == ""


def test_divider() -> None:
    assert Divider().tag == "hr"
    assert Divider(vertical=True).attrs == {"aria-orientation": "vertical", "class": "tw-divider"}


# -- layout --------------------------------------------------------------------------------------


def test_column_and_row_styles() -> None:
    col = Column("a", "b", gap=8, align="center", justify="space-between")
    assert col.tag == "div"
    assert [text_of(c) for c in col.children] == ["a", "b"]
    assert col.style == Style(
        display="flex", flex_direction="column", gap=8, align_items="center", justify_content="space-between"
    )
    row = Row(wrap=True, align="start", justify="end")
    assert row.style == Style(
        display="flex",
        flex_direction="row",
        flex_wrap="wrap",
        align_items="flex-start",
        justify_content="flex-end",
    )
    # cached: re-rendering gives the identical style object (the reconciler skips by identity)
    assert Row(wrap=True, align="start", justify="end").style is row.style
    assert Stack(direction="row").style == Style(display="flex", flex_direction="row")


def test_user_style_is_laid_over_widget_style() -> None:
    col = Column(gap=4, style=Style(gap=10, color="red"))
    assert col.style == Style(display="flex", flex_direction="column", gap=10, color="red")
    assert Column(gap=[1, 2]).style == Style(display="flex", flex_direction="column", gap=(1, 2))  # type: ignore[arg-type]


def test_container_and_spacer() -> None:
    box = Container("x", max_width=720, padding=(0, 8))
    assert box.style == Style(
        box_sizing="border-box",
        width="100%",
        max_width=720,
        padding=(0, 8),
        margin_left="auto",
        margin_right="auto",
    )
    assert Container(center=False).style == Style(
        box_sizing="border-box", width="100%", max_width=960, padding=16
    )
    grow = Spacer()
    assert grow.attrs == {"aria-hidden": "true"}
    assert grow.style == Style(flex="1 1 0")
    assert Spacer(size=12).style == Style(grow=0, shrink=0, basis=12)


@dataclass(frozen=True)
class Todo:
    id: int
    title: str
    done: bool = False


def test_list_keyed_items() -> None:
    todos = [Todo(1, "a"), Todo(2, "b", done=True)]
    ul = List(
        items=todos,
        key=lambda t: t.id,
        render=lambda t: html.li(t.title, classes={"completed": t.done}),
        class_="todo-list",
        list_key="todos",
    )
    assert (ul.tag, ul.attrs, ul.key) == ("ul", {"class": "todo-list"}, "todos")
    items = [el(c) for c in ul.children]
    assert [(i.tag, i.key, i.attrs, text_of(i)) for i in items] == [
        ("li", 1, {}, "a"),
        ("li", 2, {"class": "completed"}, "b"),
    ]


def test_list_wraps_non_li_and_ordered() -> None:
    ol = List(items=["x", "y"], key=lambda s: s, render=Text, ordered=True)
    assert ol.tag == "ol"
    wrapped = [el(c) for c in ol.children]
    assert [(w.tag, w.key, el(w.children[0]).tag) for w in wrapped] == [
        ("li", "x", "span"),
        ("li", "y", "span"),
    ]
    assert [text_of(c) for c in List(items=[1], key=str, render=str).children] == ["1"]


def test_list_errors() -> None:
    with pytest.raises(WidgetError, match=r"List\(key=\.\.\.\): duplicate key 1 for items at index 0 and 2"):
        List(items=[1, 2, 1], key=lambda i: i, render=str)
    with pytest.raises(
        WidgetError, match=r"List\(key=\.\.\.\): required argument is missing \(items need a unique key\)"
    ):
        List(items=[1], render=str)
    with pytest.raises(WidgetError, match=r"List\(items=\.\.\.\): required argument is missing"):
        List(key=str, render=str)
    with pytest.raises(WidgetError, match=r"List\(render=\.\.\.\): required argument is missing"):
        List(items=[1], key=str)
    with pytest.raises(WidgetError, match=r"List\(key=\.\.\.\): expected hashable keys, got list"):
        w.List(items=[1], key=lambda i: [i], render=str)
    with pytest.raises(WidgetError, match=r"List\(items=\.\.\.\): expected an iterable, got int"):
        List(items=3, key=str, render=str)  # type: ignore[arg-type]


# -- form widgets --------------------------------------------------------------------------------


def test_text_field_controlled_input() -> None:
    seen: list[tuple[str, str]] = []
    field = TextField(
        value="milk",
        placeholder="What needs to be done?",
        autofocus=True,
        class_="new-todo",
        on_input=lambda v: seen.append(("input", v)),
        on_change=lambda v: seen.append(("change", v)),
        on_enter=lambda v: seen.append(("enter", v)),
    )
    assert field.tag == "input"
    assert field.props == {"value": "milk"}
    assert field.attrs == {
        "type": "text",
        "placeholder": "What needs to be done?",
        "autofocus": "",
        "class": "tw-input new-todo",
        "data-tw-keys": '{"keydown":["Enter"]}',  # the client sends Enter only
    }
    assert field.events["keydown"].keys == ("Enter",)
    fire(field, "input", InputEvent(value="milk!"))
    fire(field, "change", ChangeEvent(value="done"))
    fire(field, "keydown", KeyEvent(key="Enter", value="bread"))
    assert seen == [("input", "milk!"), ("change", "done"), ("enter", "bread")]
    assert TextField(type="password", disabled=True, required=True, name="pw").attrs == {
        "type": "password",
        "name": "pw",
        "disabled": "",
        "required": "",
        "class": "tw-input",
    }


def test_text_field_with_label_wraps_input() -> None:
    labelled = TextField(label="Name", id="name", key="k", class_="field")
    assert (labelled.tag, labelled.key, labelled.attrs) == ("label", "k", {"class": "tw-field field"})
    caption, control = (el(c) for c in labelled.children)
    assert (caption.tag, text_of(caption)) == ("span", "Name")
    assert (control.tag, control.attrs["id"], control.key) == ("input", "name", None)
    assert control.attrs["class"] == "tw-input"  # the app's class_ goes on the label
    assert caption.attrs["class"] == "tw-field-label"


def test_text_area() -> None:
    seen: list[str] = []
    area = TextArea(value="notes", rows=4, on_input=seen.append)
    assert (area.tag, area.props, area.attrs) == (
        "textarea",
        {"value": "notes"},
        {"rows": "4", "class": "tw-input"},
    )
    fire(area, "input", InputEvent(value="more"))
    assert seen == ["more"]
    assert TextArea(label="Bio").tag == "label"


def test_checkbox_and_switch() -> None:
    seen: list[bool] = []
    box = Checkbox(checked=True, on_change=seen.append, class_="toggle")
    assert (box.tag, box.attrs, box.props) == (
        "input",
        {"type": "checkbox", "class": "toggle"},
        {"checked": True},
    )
    fire(box, "change", ChangeEvent(checked=False))
    assert seen == [False]
    labelled = Checkbox(label="Mark all as complete", id="toggle-all")
    assert labelled.tag == "label"
    control, caption = (el(c) for c in labelled.children)
    assert (control.attrs["id"], text_of(caption)) == ("toggle-all", "Mark all as complete")
    switch = Switch(checked=False)
    assert switch.attrs == {"type": "checkbox", "role": "switch", "class": "tw-switch"}
    assert switch.props == {"checked": False}


def test_slider() -> None:
    seen: list[float] = []
    slider = Slider(value=5, min=0, max=10, step=1, on_input=seen.append, on_change=seen.append)
    assert slider.attrs == {"type": "range", "min": "0", "max": "10", "step": "1", "class": "tw-slider"}
    assert slider.props == {"value": "5"}
    fire(slider, "input", InputEvent(value="7"))
    fire(slider, "change", ChangeEvent(value="8"))
    assert seen == [7, 8]
    assert all(type(v) is int for v in seen)
    fine: list[float] = []
    fire(Slider(value=0.5, max=1, step=0.1, on_input=fine.append), "input", InputEvent(value="0.7"))
    assert fine == [0.7]


def test_select() -> None:
    seen: list[str] = []
    select = Select(options=["a", ("b", "Bee")], value="b", on_change=seen.append, name="pick")
    assert (select.tag, select.props, select.attrs) == (
        "select",
        {"value": "b"},
        {"name": "pick", "class": "tw-input"},
    )
    options = [el(c) for c in select.children]
    assert [(o.attrs["value"], o.props["selected"], text_of(o)) for o in options] == [
        ("a", False, "a"),
        ("b", True, "Bee"),
    ]
    fire(select, "change", ChangeEvent(value="a"))
    assert seen == ["a"]


def test_radio_group() -> None:
    seen: list[str] = []
    group = RadioGroup(
        name="size", options=[("s", "Small"), "m"], value="m", on_change=seen.append, label="Size"
    )
    assert (group.tag, group.attrs) == ("fieldset", {"role": "radiogroup", "class": "tw-radio-group"})
    legend, *labels = (el(c) for c in group.children)
    assert (legend.tag, text_of(legend)) == ("legend", "Size")
    radios = [el(label.children[0]) for label in labels]
    assert [(r.attrs, r.props) for r in radios] == [
        ({"type": "radio", "name": "size", "value": "s"}, {"checked": False}),
        ({"type": "radio", "name": "size", "value": "m"}, {"checked": True}),
    ]
    assert [label.key for label in labels] == ["s", "m"]
    radios[0].events["change"].handler()
    assert seen == ["s"]


def test_form() -> None:
    got: list[SubmitEvent] = []
    form = Form(TextField(name="title"), Button("Add", type="submit"), on_submit=got.append, class_="f")
    attrs = {"class": "tw-form f", "data-tw-behavior": "form"}  # focus to the first invalid field
    assert (form.tag, form.attrs, len(form.children)) == ("form", attrs, 2)
    binding = form.events["submit"]
    assert binding.flags == EVENT_PREVENT_DEFAULT
    event = SubmitEvent(fields={"title": "x"})
    binding.handler(event)
    assert got == [event]
    calls: list[int] = []
    Form(on_submit=lambda: calls.append(1)).events["submit"].handler(event)
    assert calls == [1]
    default = Form().events["submit"]
    assert default.flags == EVENT_PREVENT_DEFAULT
    assert default.handler(event) is None


# -- validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: w.Button(42), "Button(label=...): expected str or Element, got int (42)"),
        (lambda: w.Button("x", on_click="go"), "Button(on_click=...): expected a callable, got str ('go')"),
        (lambda: w.Button("x", disabled=1), "Button(disabled=...): expected bool, got int (1)"),
        (lambda: w.Button("x", type="link"), "Button(type=...): expected 'button', 'submit' or 'reset'"),
        (lambda: w.Text(5), "Text(text=...): expected str, got int (5)"),
        (lambda: w.Text("x", as_="marquee"), "Text(as_=...): expected one of"),
        (lambda: w.Link("x", href=None), "Link(href=...): expected str, got NoneType (None)"),
        (lambda: w.Link("x", href="javascript:alert(1)"), "javascript:/vbscript: URLs are not allowed"),
        (
            lambda: w.Image(src="/a.png"),
            "Image(alt=...): required argument is missing (use alt='' for a decorative",
        ),
        (lambda: w.Image(alt="a"), "Image(src=...): required argument is missing"),
        (lambda: w.Image(src="/a", alt=3), "Image(alt=...): expected str, got int (3)"),
        (lambda: w.Image(src="/a", alt="", width=-1), "Image(width=...): expected a non-negative int"),
        (lambda: w.Image(src="/a", alt="", loading="soon"), "Image(loading=...): expected 'lazy' or 'eager'"),
        (lambda: w.Column(align="middle"), "Column(align=...): expected one of start, center"),
        (lambda: w.Row(justify="between"), "Row(justify=...): expected one of start"),
        (lambda: w.Row(wrap="yes"), "Row(wrap=...): expected bool, got str ('yes')"),
        (lambda: w.Stack(direction="z"), "Stack(direction=...): expected 'column' or 'row'"),
        (lambda: w.Container(center=1), "Container(center=...): expected bool"),
        (lambda: w.Divider(vertical="no"), "Divider(vertical=...): expected bool"),
        (lambda: w.TextField(value=3), "TextField(value=...): expected str, got int (3)"),
        (lambda: w.TextField(type="date"), "TextField(type=...): expected one of email, number"),
        (lambda: w.TextField(on_input=5), "TextField(on_input=...): expected a callable, got int (5)"),
        (lambda: w.TextField(on_enter=5), "TextField(on_enter=...): expected a callable"),
        (lambda: w.TextField(placeholder=1), "TextField(placeholder=...): expected str"),
        (lambda: w.TextField(autofocus="y"), "TextField(autofocus=...): expected bool"),
        (lambda: w.TextField(label=1), "TextField(label=...): expected str, got int (1)"),
        (lambda: w.TextArea(rows=0), "TextArea(rows=...): expected a positive int, got int (0)"),
        (lambda: w.Checkbox(checked="yes"), "Checkbox(checked=...): expected bool, got str ('yes')"),
        (lambda: w.Switch(on_change=1), "Switch(on_change=...): expected a callable"),
        (lambda: w.Slider(value="3"), "Slider(value=...): expected a number, got str ('3')"),
        (lambda: w.Slider(min=5, max=5), "Slider(min=..., max=...): min must be below max, got 5 >= 5"),
        (lambda: w.Slider(step=0), "Slider(step=...): expected a positive number, got 0"),
        (
            lambda: w.Select(options="abc"),
            "Select(options=...): expected a sequence of str or (value, label)",
        ),
        (
            lambda: w.Select(options=[1]),
            "Select(options=...): expected str or a (value, label) pair of str, got int",
        ),
        (lambda: w.Select(options=["a", ("a", "A")]), "Select(options=...): duplicate option value 'a'"),
        (lambda: w.Select(options=["a"], value=1), "Select(value=...): expected str, got int (1)"),
        (lambda: w.RadioGroup(name=None, options=["a"]), "RadioGroup(name=...): expected str, got NoneType"),
        (
            lambda: w.RadioGroup(name="r", options=[("a",)]),
            "RadioGroup(options=...): expected str or a (value, label)",
        ),
        (lambda: w.Form(on_submit=3), "Form(on_submit=...): expected a callable, got int (3)"),
    ],
)
def test_widget_errors(build: Callable[[], object], message: str) -> None:
    with pytest.raises(WidgetError) as info:
        build()
    assert message in str(info.value)


COMMON: list[tuple[str, Callable[..., Element]]] = [
    ("Text", partial(Text, "x")),
    ("Button", partial(Button, "x")),
    ("Link", partial(Link, "x", href="#")),
    ("Image", partial(Image, src="/a", alt="")),
    ("Column", Column),
    ("Row", Row),
    ("Container", Container),
    ("Spacer", Spacer),
    ("Divider", Divider),
    ("TextField", TextField),
    ("TextArea", TextArea),
    ("Checkbox", Checkbox),
    ("Switch", Switch),
    ("Slider", Slider),
    ("Select", partial(Select, options=["a"])),
    ("RadioGroup", partial(RadioGroup, name="r", options=["a"])),
    ("Form", Form),
]


@pytest.mark.parametrize(("name", "build"), COMMON)
def test_common_arguments(name: str, build: Callable[..., Element]) -> None:
    style = Style(color="red")
    node = build(key="k", style=style, class_="c", id="i")
    assert node.key == "k"
    assert node.attrs["class"].split()[-1] == "c"  # after the widget's theme class, if any
    assert node.style is not None
    assert node.style.color == "red"
    with pytest.raises(WidgetError, match=rf"^{name}\(key=\.\.\.\): expected a hashable value, got list"):
        build(key=[1])
    with pytest.raises(WidgetError, match=rf"^{name}\(style=\.\.\.\): expected Style, got str"):
        build(style="color:red")
    with pytest.raises(WidgetError, match=rf"^{name}\(class_=\.\.\.\): expected str, got int"):
        build(class_=1)
    with pytest.raises(WidgetError, match=rf"^{name}\(id=\.\.\.\): expected str, got int"):
        build(id=1)


def test_list_common_arguments() -> None:
    ul = List(items=[], key=str, render=str, list_key="k", style=Style(color="red"), class_="c", id="i")
    assert (ul.key, ul.attrs) == ("k", {"class": "c", "id": "i"})
    with pytest.raises(WidgetError, match=r"^List\(key=\.\.\.\): expected a hashable value"):
        w.List(items=[], key=str, render=str, list_key=[1])


def test_widgets_accept_event_bindings() -> None:
    bound = EventBinding(print, EVENT_PREVENT_DEFAULT)
    assert Button("x", on_click=bound).events["click"] is bound


def test_issue_12_unknown_widget_keyword_suggests_the_argument() -> None:
    import doctest

    import tempest_core._widgets_base as base

    with pytest.raises(WidgetError) as raised:
        Button("x", onclick=lambda: None)  # type: ignore[call-arg]
    assert str(raised.value) == "Button(onclick=...): unknown keyword argument; did you mean 'on_click'?"
    with pytest.raises(
        WidgetError, match=r"^Column\(gaps=\.\.\.\): unknown keyword argument; did you mean 'gap'\?$"
    ):
        Column(gaps=4)  # type: ignore[call-arg]
    with pytest.raises(WidgetError, match=r"^TextField\(on_chnage=.*did you mean 'on_change'\?$"):
        TextField(on_chnage=print)  # type: ignore[call-arg]
    with pytest.raises(
        WidgetError, match=r"^Divider\(zzz=\.\.\.\): unknown keyword argument; expected one of "
    ):
        Divider(zzz=1)  # type: ignore[call-arg]
    # Every public widget is checked (one decorator), and keeps its name and signature.
    for name in widgets_module.__all__:
        widget = getattr(widgets_module, name)
        assert widget.__name__ == name and "key" in inspect.signature(widget).parameters
        with pytest.raises(WidgetError, match=rf"^{name}\(bogus_kw=\.\.\.\): unknown keyword argument"):
            widget(bogus_kw=1)
    # A TypeError raised inside a widget with known keywords is not rewritten.
    with pytest.raises(WidgetError, match=r"^Button\(label=\.\.\.\): expected str or Element"):
        Button(label=42)  # type: ignore[arg-type]
    doctests = doctest.testmod(base)
    assert doctests.attempted > 0 and doctests.failed == 0


def test_issue_12_layout_lengths_are_validated() -> None:
    with pytest.raises(WidgetError) as raised:
        Column(gap="big")
    assert str(raised.value) == (
        "Column(gap=...): expected a length such as 8 (px), '0.5rem', '50%' or 'var(--gap)', "
        "or 'normal', got str ('big')"
    )
    builds: list[tuple[Callable[[], Element], str]] = [
        (lambda: Row(gap=(8, "wide")), r"^Row\(gap=\.\.\.\): expected a length .*got str \('wide'\)$"),
        (lambda: Row(gap=-4), r"^Row\(gap=\.\.\.\): must not be negative, got -4$"),
        (lambda: Column(gap="8qq"), r"^Column\(gap=\.\.\.\): unknown CSS unit 'qq' in '8qq'$"),
        (lambda: Container(padding="big"), r"^Container\(padding=\.\.\.\): expected a length"),
        (lambda: Container(max_width="huge"), r"^Container\(max_width=.*'stretch', got str \('huge'\)$"),
        (lambda: Spacer(size="large"), r"^Spacer\(size=\.\.\.\): expected a length"),
        (lambda: Column(gap=True), r"^Column\(gap=\.\.\.\): expected a number, got bool \(True\)$"),
    ]
    for build, message in builds:
        with pytest.raises(WidgetError, match=message):
            build()
    # Lengths, the property's own keywords, CSS-wide keywords and functions still pass.
    oks: list[tuple[Sides, str]] = [
        (8, "gap:8px"),
        (0.5, "gap:0.5px"),
        ("1rem", "gap:1rem"),
        ("normal", "gap:normal"),
        ("inherit", "gap:inherit"),
        ("var(--gap)", "gap:var(--gap)"),
        ((4, "1em"), "gap:4px 1em"),
    ]
    for ok, css in oks:
        style = Column(gap=ok).style
        assert style is not None and css in "".join(style.to_css(".x")), ok
    Container(max_width="none", padding=[4, 8])  # type: ignore[arg-type]  # lists are accepted too
    Spacer(size="auto")
