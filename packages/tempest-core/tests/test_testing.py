"""The headless pilot, the reference DomModel and the selector subset."""

from __future__ import annotations

from typing import Any

import pytest

from tempest_core import App, InputEvent, KeyEvent, SubmitEvent, html
from tempest_core.events import handler
from tempest_core.nodes import Node
from tempest_core.testing import DomModel, DomModelError, SelectorError, run_test, select
from tempestweb_contract import Create, ElementNode, Move, Remove, RemoveAttrs, SetText, TextNode, Unlisten


def small_dom() -> DomModel:
    dom = DomModel()
    dom.apply(
        Create(
            0,
            None,
            ElementNode(
                1,
                "div",
                {"id": "main", "class": "a b"},
                children=(
                    ElementNode(2, "p", {"class": "b"}, children=(TextNode(3, "x"),)),
                    ElementNode(4, "section", children=(ElementNode(5, "p", {"data-k": "v"}),)),
                    ElementNode(6, "input", {"type": "checkbox"}, {"checked": True}),
                ),
            ),
        )
    )
    return dom


@pytest.mark.parametrize(
    ("selector", "ids"),
    [
        ("p", [2, 5]),
        ("#main", [1]),
        (".a.b", [1]),
        ("div > p", [2]),
        ("div p", [2, 5]),
        ("section>p", [5]),
        ("[data-k]", [5]),
        ("[data-k=v]", [5]),
        ('[data-k="v"]', [5]),
        ("[data-k=w]", []),
        ("input[checked]", [6]),
        ("p, input", [2, 5, 6]),
        ("*", [1, 2, 4, 5, 6]),
        ("#main .b", [2]),
    ],
)
def test_selectors(selector: str, ids: list[int]) -> None:
    assert [el.id for el in select(small_dom().root, selector)] == ids


@pytest.mark.parametrize("bad", ["", "p:hover", "> p", "p >", "p ~ a", 42])
def test_bad_selectors(bad: Any) -> None:
    with pytest.raises(SelectorError):
        select(small_dom().root, bad)


def test_dom_model_is_strict() -> None:
    dom = small_dom()
    with pytest.raises(DomModelError):
        dom.apply(Create(1, 3, TextNode(9, "x")))  # 3 is not a child of 1
    with pytest.raises(DomModelError):
        dom.apply(Create(1, None, TextNode(2, "dup")))
    with pytest.raises(DomModelError):
        dom.apply(Move(1, 4, None))  # into its own descendant
    with pytest.raises(DomModelError):
        dom.apply(SetText(2, "not text"))
    with pytest.raises(DomModelError):
        dom.apply(RemoveAttrs(2, ("nope",)))
    with pytest.raises(DomModelError):
        dom.apply(Unlisten(2, ("click",)))
    dom.apply(Remove(4))
    assert 5 not in dom.nodes
    with pytest.raises(DomModelError):
        dom.apply(Remove(5))


def test_dom_serialize() -> None:
    dom = small_dom()
    assert dom.serialize() == (
        '<div class="a b" id="main"><p class="b">x</p><section><p data-k="v"></p></section>'
        '<input type="checkbox" .checked=True></input></div>'
    )
    assert 'data-tw="1"' in dom.serialize(ids=True)


async def test_events_bubble_to_listening_ancestors_and_stop_propagation() -> None:
    log: list[str] = []

    def view(_: None) -> Node:
        return html.div(
            html.section(
                html.span("inner", id="inner"),
                on_click=handler(lambda: log.append("section"), stop_propagation=True),
                id="sec",
            ),
            html.p(html.b("b"), id="para"),
            on_click=lambda: log.append("div"),
        )

    async with run_test(App(view=view)) as pilot:
        await pilot.click("#inner")
        assert log == ["section"]
        await pilot.click("#para b")
        assert log == ["section", "div"]


async def test_click_without_listener_is_a_lookup_error() -> None:
    async with run_test(App(view=lambda _: html.p("x"))) as pilot:
        with pytest.raises(LookupError, match="listens"):
            await pilot.click("p")
        with pytest.raises(LookupError, match="no element matches"):
            await pilot.click("#missing")


async def test_input_press_submit_and_checkbox() -> None:
    seen: dict[str, Any] = {}

    def view(s: dict[str, Any]) -> Node:
        def typed(e: InputEvent) -> None:
            app.set_state(lambda st: {**st, "text": e.value})

        def key(e: KeyEvent) -> None:
            seen["key"] = (e.key, e.value)

        def submitted(e: SubmitEvent) -> None:
            seen["fields"] = dict(e.fields)

        def toggled(e: InputEvent) -> None:
            app.set_state(lambda st: {**st, "done": bool(e.checked)})

        return html.form(
            html.input(name="title", value=s["text"], on_input=typed, on_keydown=key),
            html.input(type="checkbox", name="done", checked=s["done"], on_input=toggled),
            html.p(f"{s['text']}|{s['done']}"),
            on_submit=handler(submitted, prevent_default=True),
        )

    app = App(view=view, state={"text": "", "done": False})
    async with run_test(app) as pilot:
        await pilot.input("input[name=title]", "milk")
        assert pilot.text("p") == "milk|False"
        await pilot.press("input[name=title]", "Enter")
        assert seen["key"] == ("Enter", "milk")
        await pilot.click("input[type=checkbox]")
        assert pilot.text("p") == "milk|True"
        await pilot.submit("form")
        assert seen["fields"] == {"title": "milk", "done": "on"}
