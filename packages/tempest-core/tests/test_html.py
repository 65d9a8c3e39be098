from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tempest_core._html_tags import HTML_TAGS, SVG_NS, SVG_TAGS, VOID_TAGS
from tempest_core.errors import WidgetError
from tempest_core.events import handler
from tempest_core.html import MATHML_NS, Namespace, html, svg
from tempest_core.nodes import Component, Element, Text
from tempest_core.style import Style
from tempestweb_contract import EVENT_PREVENT_DEFAULT, EVENT_STOP_PROPAGATION

loose: Any = html  # for calls that deliberately break the static types


def texts(el: Element) -> list[str]:
    out = []
    for child in el.children:
        assert isinstance(child, Text)
        out.append(child.text)
    return out


# -- attributes ---------------------------------------------------------------------------------


def test_jsfb_cell_markup() -> None:
    cell = html.td("x", class_="col-md-1")
    assert (cell.tag, cell.attrs, cell.props, cell.events, cell.key, cell.ns, cell.style) == (
        "td",
        {"class": "col-md-1"},
        {},
        {},
        None,
        None,
        None,
    )
    assert texts(cell) == ["x"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"class_": "a b"}, {"class": "a b"}),
        ({"for_": "toggle-all"}, {"for": "toggle-all"}),
        ({"data_id": "7"}, {"data-id": "7"}),
        ({"aria_hidden": "true"}, {"aria-hidden": "true"}),
        ({"aria_label": "Close"}, {"aria-label": "Close"}),
        ({"accept_charset": "utf-8"}, {"accept-charset": "utf-8"}),
        ({"type_": "button"}, {"type": "button"}),
        ({"hidden": True}, {"hidden": ""}),
        ({"hidden": False}, {}),
        ({"title": None}, {}),
        ({"tabindex": 0}, {"tabindex": "0"}),
        ({"width": 1.5}, {"width": "1.5"}),
        ({"id": "main"}, {"id": "main"}),
        ({"class_": ""}, {}),
    ],
)
def test_attribute_mapping(kwargs: dict[str, object], expected: dict[str, str]) -> None:
    assert html.div(**kwargs).attrs == expected  # type: ignore[arg-type]


def test_classes_mapping_and_iterable_join_with_class() -> None:
    el = html.li(class_="todo", classes={"completed": True, "editing": False})
    assert el.attrs == {"class": "todo completed"}
    assert html.li(classes=["a", "b"]).attrs == {"class": "a b"}
    assert html.li(classes={"x": False}).attrs == {}


def test_raw_attrs_are_verbatim_and_false_removes() -> None:
    el = html.span(attrs={"aria-hidden": "true", "data_x": 1, "hidden": True}, title="t")
    assert el.attrs == {"aria-hidden": "true", "data_x": "1", "hidden": "", "title": "t"}
    assert html.div(attrs={"hidden": ""}, hidden=False).attrs == {}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: loose.div(title=[1]),
            "html.div(title=...): expected str, int, float, bool or None, got list ([1])",
        ),
        (lambda: loose.div(title=print), "event handlers are passed as on_<event>="),
        (lambda: loose.div(class_=3), "html.div(class_=...): expected str, got int (3)"),
        (lambda: loose.div(id=3), "html.div(id=...): expected str, got int (3)"),
        (lambda: loose.div(classes="a b"), "html.div(classes=...): expected a mapping"),
        (lambda: loose.div(classes=["a b"]), "class names (non-empty str without spaces)"),
        (lambda: loose.div(attrs=[("a", "b")]), "html.div(attrs=...): expected a mapping"),
        (lambda: loose.div(attrs={"a b": "x"}), "invalid attribute name 'a b'"),
        (lambda: loose.div(attrs={1: "x"}), "expected str attribute names"),
        (lambda: loose.div(attrs={"onclick": "alert(1)"}), "inline event handler attributes are not allowed"),
        (lambda: loose.div(onclick="alert(1)"), "pass a callable as on_click=..."),
        (lambda: loose.div(key=[1]), "html.div(key=...): expected a hashable value"),
        (lambda: loose.div(style="color:red"), "inline CSS text goes in attrs"),
        (lambda: loose.div(style={"color": "red"}), "html.div(style=...): expected Style, got dict"),
    ],
)
def test_bad_attribute_arguments(build: object, message: str) -> None:
    with pytest.raises(WidgetError) as info:
        build()  # type: ignore[operator]
    assert message in str(info.value)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "  JavaScript:alert(1)", "java\tscript:x", "vbscript:x", "\x01javascript:x"],
)
def test_script_urls_rejected(url: str) -> None:
    with pytest.raises(WidgetError, match="javascript:/vbscript: URLs are not allowed"):
        html.a("x", href=url)
    with pytest.raises(WidgetError):
        html.img(src=url)


def test_safe_urls_accepted() -> None:
    for url in ("/path", "#/active", "https://example.org/a?b=c", "mailto:a@b.c", "javascript-guide.html"):
        assert html.a("x", href=url).attrs["href"] == url


# -- controlled properties -----------------------------------------------------------------------


def test_controlled_props_go_to_props() -> None:
    box = html.input(type="checkbox", checked=True, indeterminate=False)
    assert box.props == {"checked": True, "indeterminate": False}
    assert box.attrs == {"type": "checkbox"}
    assert html.input(type="search", value="q").props == {"value": "q"}
    assert html.input(value="typed").props == {"value": "typed"}
    assert html.textarea(value="hi").props == {"value": "hi"}
    assert html.select(value="b").props == {"value": "b"}
    assert html.option("B", value="b", selected=True).props == {"selected": True}
    assert html.option("B", value="b", selected=True).attrs == {"value": "b"}
    assert html.input(type="range", value=3).props == {"value": "3"}
    assert html.input(value=None).props == {}


def test_value_on_other_elements_is_an_attribute() -> None:
    assert html.li(value=3).attrs == {"value": "3"}
    assert html.button("x", value="go").props == {}
    assert html.div(checked=True).attrs == {"checked": ""}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: loose.input(checked="yes"), "html.input(checked=...): expected bool, got str ('yes')"),
        (lambda: loose.input(value=[1]), "html.input(value=...): expected str or a number, got list"),
        (lambda: loose.option(selected=1), "html.option(selected=...): expected bool, got int (1)"),
        (lambda: loose.input(value=True), "html.input(value=...): expected str or a number, got bool"),
    ],
)
def test_bad_prop_values(build: object, message: str) -> None:
    with pytest.raises(WidgetError) as info:
        build()  # type: ignore[operator]
    assert message in str(info.value)


# -- children ------------------------------------------------------------------------------------


def test_children_normalisation() -> None:
    inner = html.b("bold")

    def gen() -> Iterator[object]:
        yield "g1"
        yield None
        yield ["g2", inner]

    el: Element = loose.p("a", 1, 2.5, None, False, ["b", ("c", None)], gen(), inner, (x for x in ["h"]))
    kinds = [(type(c).__name__, c.text if isinstance(c, Text) else c.tag) for c in el.children]  # type: ignore[union-attr]
    assert kinds == [
        ("Text", "a"),
        ("Text", "1"),
        ("Text", "2.5"),
        ("Text", "b"),
        ("Text", "c"),
        ("Text", "g1"),
        ("Text", "g2"),
        ("Element", "b"),
        ("Element", "b"),
        ("Text", "h"),
    ]


def test_component_and_text_nodes_pass_through() -> None:
    comp = Component(html.div, {})
    text = Text("t")
    assert html.div(comp, text).children == (comp, text)
    assert html.div([comp]).children == (comp,)


def test_iterables_are_flattened() -> None:
    assert texts(html.ul(map(str, range(3)))) == ["0", "1", "2"]
    assert texts(html.ul(range(2))) == ["0", "1"]


@pytest.mark.parametrize("child", [True, b"bytes", {"a": 1}, object(), 1j])
def test_bad_children(child: object) -> None:
    with pytest.raises(WidgetError, match=r"html\.div\(children=\.\.\.\): expected a Node, str, number"):
        html.div(child)  # type: ignore[arg-type]
    with pytest.raises(WidgetError):
        html.div(["ok", child])  # type: ignore[list-item]


@pytest.mark.parametrize("tag", sorted(VOID_TAGS))
def test_void_elements_reject_children(tag: str) -> None:
    factory = getattr(html, tag)
    assert factory().children == ()
    with pytest.raises(WidgetError, match=rf"html\.{tag}\(\*children\): <{tag}> is a void element"):
        factory("x")


@given(st.lists(st.text(), max_size=8))
def test_text_children_round_trip(parts: list[str]) -> None:
    assert texts(html.div(*parts)) == parts
    assert texts(html.div(parts)) == parts


# -- events --------------------------------------------------------------------------------------


def test_event_keywords_and_on_mapping() -> None:
    def fn() -> None: ...

    bound = handler(fn, prevent_default=True, stop_propagation=True)
    el = html.input(on_input=fn, on_key_down=bound, on={"focusout": fn, "my-event": fn}, on_blur=None)
    assert set(el.events) == {"input", "keydown", "focusout", "my-event"}
    assert el.events["input"].handler is fn
    assert el.events["input"].flags == 0
    assert el.events["keydown"] is bound
    assert bound.flags == EVENT_PREVENT_DEFAULT | EVENT_STOP_PROPAGATION
    assert el.attrs == {}


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: loose.button(on_click=3),
            "html.button(on_click=...): expected a callable or an EventBinding",
        ),
        (lambda: loose.button(on={"click": "x"}), "html.button(on['click']=...): expected a callable"),
        (lambda: loose.button(on={"": print}), "html.button(on=...): expected DOM event names"),
        (lambda: loose.button(on={"a b": print}), "expected DOM event names"),
        (lambda: loose.button(on=[("click", print)]), "html.button(on=...): expected a mapping"),
        (lambda: loose.button(on_=print), "missing event name after on_"),
    ],
)
def test_bad_handlers(build: object, message: str) -> None:
    with pytest.raises(WidgetError) as info:
        build()  # type: ignore[operator]
    assert message in str(info.value)


def test_style_and_key_are_kept() -> None:
    style = Style(color="red")
    el = html.tr(key=("row", 1), style=style)
    assert el.key == ("row", 1)
    assert el.style is style


# -- namespaces ----------------------------------------------------------------------------------


def test_every_standard_tag_builds() -> None:
    for tag in HTML_TAGS:
        assert getattr(html, tag)().tag == tag
    for tag in SVG_TAGS:
        el = getattr(svg, tag)()
        assert (el.tag, el.ns) == (tag, SVG_NS)


def test_python_keyword_tags_with_trailing_underscore() -> None:
    assert html.del_("gone").tag == "del"
    assert getattr(html, "del")().tag == "del"


def test_svg_and_math_roots() -> None:
    root = html.svg(svg.circle(cx=5, cy=5, r=4, stroke_width=2), viewBox="0 0 10 10")
    assert (root.tag, root.ns, root.attrs) == ("svg", SVG_NS, {"viewBox": "0 0 10 10"})
    circle = root.children[0]
    assert isinstance(circle, Element)
    assert circle.attrs == {"cx": "5", "cy": "5", "r": "4", "stroke-width": "2"}
    assert html.math().ns == MATHML_NS
    assert svg.linearGradient().tag == "linearGradient"
    # SVG has no controlled properties
    assert svg.text("t", value="v").attrs == {"value": "v"}


def test_unknown_tag_suggests() -> None:
    with pytest.raises(
        AttributeError, match=r"html\.dvi: not a standard element name; did you mean html\.div\?"
    ):
        _ = html.dvi
    with pytest.raises(AttributeError):
        _ = svg.circl


def test_custom_elements() -> None:
    el = html.custom("my-chart")("x", data_v=1)
    assert (el.tag, el.attrs, el.ns) == ("my-chart", {"data-v": "1"}, None)
    for bad in ("mychart", "My-Chart", "1-x", 5):
        with pytest.raises(WidgetError, match=r"html\.custom\(tag=\.\.\.\)"):
            html.custom(bad)  # type: ignore[arg-type]


def test_module_acts_as_namespace() -> None:
    module = sys.modules["tempest_core.html"]
    assert module.tr("x").tag == "tr"  # module __getattr__
    with pytest.raises(AttributeError):
        _ = module.__wrapped__
    assert isinstance(html, Namespace)
    assert "div" in dir(html)
    assert re.search(r"'html': \d+ elements", repr(html))


@pytest.mark.parametrize("kind", ["checkbox", "radio", "submit", "button", "reset", "image", "hidden"])
def test_fixed_value_inputs_keep_value_as_attribute(kind: str) -> None:
    el = html.input(type=kind, value=7, checked=True)
    assert el.attrs == {"type": kind, "value": "7"}
    assert el.props == {"checked": True}


# -- the keyword fast path (vetted attribute names cached per tag, function handlers) -----------
_KW_VALUES = st.one_of(
    st.sampled_from(["", "x", "true", "javascript:alert(1)", "https://e.org/"]),
    st.booleans(),
    st.none(),
    st.integers(-3, 3),
)
_KW_NAMES = st.sampled_from(
    ["aria_hidden", "data_id", "title", "href", "type", "value", "checked", "role", "tabindex", "for_"]
)


def _reference(tag: str, kwargs: dict[str, object]) -> tuple[dict[str, str], dict[str, object]] | str:
    """What the general (validating) pass alone produces for ``kwargs``, or the error text."""
    from tempest_core._html_build import add_kwargs
    from tempest_core._html_tags import CONTROLLED_PROPS

    attrs: dict[str, str] = {}
    props: dict[str, Any] = {}
    try:
        add_kwargs(f"html.{tag}", attrs, props, {}, kwargs, prop_names=CONTROLLED_PROPS.get(tag, frozenset()))
    except WidgetError as exc:
        return str(exc)
    return attrs, props


@given(
    tag=st.sampled_from(["a", "span", "input", "td"]),
    calls=st.lists(st.dictionaries(_KW_NAMES, _KW_VALUES, max_size=4), min_size=1, max_size=4),
)
def test_keyword_fast_path_matches_the_general_pass(tag: str, calls: list[dict[str, object]]) -> None:
    """Repeated calls (the second one takes the cached path) give what the general pass gives."""
    factory = getattr(html, tag)
    for kwargs in calls * 2:
        expected = _reference(tag, kwargs)
        if isinstance(expected, str):
            with pytest.raises(WidgetError) as info:
                factory(**kwargs)
            assert str(info.value) == expected
            continue
        el = factory(**kwargs)
        attrs, props = expected  # no sampled "type" is a fixed-data input type: value stays a prop
        assert el.attrs == attrs
        assert el.props == props


def test_keyword_fast_path_keeps_validating_after_caching() -> None:
    def clicked() -> None: ...

    for _ in range(3):  # first call vets the names, later calls hit the caches
        prevented = handler(clicked, prevent_default=True)
        el = html.a("x", aria_hidden="true", on_click=clicked, on_key_down=prevented)
        assert el.attrs == {"aria-hidden": "true"}
        assert el.events["click"].handler is clicked
        assert el.events["keydown"].flags == EVENT_PREVENT_DEFAULT
        with pytest.raises(WidgetError, match="javascript"):
            html.a(href="javascript:alert(1)")
        with pytest.raises(WidgetError, match="inline event handler"):
            html.a(onclick="alert(1)")
        with pytest.raises(WidgetError, match="on_click"):
            html.a(on_click="alert(1)")
        assert html.a(aria_hidden=True).attrs == {"aria-hidden": ""}
        assert html.a(aria_hidden=None, on_click=None).attrs == {}
        assert html.a(on_click=None).events == {}
    assert html.a(on_click=print).events["click"].handler is print  # a builtin: the general pass
