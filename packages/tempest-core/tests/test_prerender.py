"""Prerender: hydration markers, escaping (property-tested with html.parser), void elements, props."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tempest_core import App, Session, Style, WidgetError, html, render_to_html
from tempest_core.nodes import Element, EventBinding, Node, Text


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []
        self.comments: list[str] = []
        self.ends: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.ends.append(tag)

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def parse(markup: str) -> Collect:
    p = Collect()
    p.feed(markup)
    p.close()
    return p


def test_markers_ids_events_and_text_comments() -> None:
    app: App[None] = App(
        theme=None,
        view=lambda _: Element(
            "div",
            {"class": "x"},
            children=(
                Text("hi"),
                Element("button", events={"click": EventBinding(print), "keydown": EventBinding(print, 3)}),
                Text(""),
            ),
        ),
    )
    out = render_to_html(app)
    assert out == (
        '<div data-tw="1" class="x"><!--2-->hi'
        '<button data-tw="3" data-tw-on="click:0 keydown:3"></button><!--4--></div>'
    )


def test_void_elements_props_and_boolean_attributes() -> None:
    app: App[None] = App(
        view=lambda _: Element(
            "form",
            children=(
                Element(
                    "input", {"type": "checkbox"}, props={"checked": True, "value": 'a"b', "disabled": False}
                ),
                Element("br"),
                Element("textarea", props={"value": "<t>"}),
                Element(
                    "select", children=(Element("option", props={"selected": True}, children=(Text("o"),)),)
                ),
            ),
        )
    )
    out = render_to_html(app)
    assert '<input data-tw="2" type="checkbox" checked value="a&quot;b">' in out
    assert "</input>" not in out and "</br>" not in out
    assert '<textarea data-tw="4">&lt;t&gt;</textarea>' in out
    assert '<option data-tw="6" selected><!--7-->o</option>' in out


def test_styles_are_prepended_in_a_style_tag() -> None:
    app: App[None] = App(
        view=lambda _: Element("p", style=Style(color="red"), children=(Text("x"),)), theme=None
    )
    out = render_to_html(app)
    assert out.startswith('<style id="tw-styles">.tw-') and "color:red" in out
    assert 'class="tw-' in out


def test_prerender_matches_session_ids_for_hydration() -> None:
    def view(_: None) -> Node:
        return html.ul([html.li(str(i), key=i, on_click=print) for i in range(3)])

    app: App[None] = App(view=view, theme=None)
    s = Session(app)
    s.mount()
    assert render_to_html(app) == s.render_html()


def test_prerender_does_not_run_effects() -> None:
    from tempest_core import use_effect

    ran: list[int] = []

    def view(_: None) -> Node:
        use_effect(lambda: ran.append(1) or None, ())  # type: ignore[func-returns-value]
        return Text("x")

    render_to_html(App(view=view))
    assert ran == []


def test_bad_attribute_name_is_a_widget_error() -> None:
    app: App[None] = App(view=lambda _: Element("p", {'x"><script>': "1"}))
    with pytest.raises(WidgetError, match="invalid attribute name"):
        render_to_html(app)


def test_render_html_before_mount_is_a_clear_error() -> None:
    from tempest_core import TempestError

    with pytest.raises(TempestError, match="mount"):
        Session(App(view=lambda _: Text(""))).render_html()


_text = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\x00"), max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=_text, value=_text)
def test_escaping_round_trips_through_html_parser(text: str, value: str) -> None:
    app: App[None] = App(
        view=lambda _: Element("div", {"title": value}, children=(Text(text), Element("b"))), theme=None
    )
    parsed = parse(render_to_html(app))
    assert parsed.starts[0] == ("div", {"data-tw": "1", "title": value})
    assert parsed.starts[1][0] == "b"
    assert "".join(parsed.data) == text
    assert parsed.comments == ["2"]
    assert parsed.ends == ["b", "div"]
