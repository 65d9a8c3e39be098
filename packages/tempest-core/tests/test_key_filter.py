"""Key filters of key listeners: ``handler(fn, keys=...)``, the ``data-tw-keys`` attribute, the pilot."""

from __future__ import annotations

import json

import pytest

from tempest_core import App, KeyEvent, TextField, html, template
from tempest_core.errors import TemplateError, WidgetError
from tempest_core.events import MAX_KEY_CHARS, MAX_KEYS, handler
from tempest_core.nodes import Element, Node
from tempest_core.testing import run_test
from tempestweb_contract import EVENT_PREVENT_DEFAULT, Event
from tempestweb_contract.names import ATTR_KEYS


def noop() -> None:
    return None


def noop_text(_: str) -> None:
    return None


def filter_of(element: Element) -> dict[str, list[str]]:
    return dict(json.loads(element.attrs[ATTR_KEYS]))


def test_handler_keeps_the_keys_in_order_without_duplicates() -> None:
    bound = handler(noop, prevent_default=True, keys=["ArrowDown", "ArrowUp", "ArrowDown", " "])
    assert bound.keys == ("ArrowDown", "ArrowUp", " ")
    assert bound.flags == EVENT_PREVENT_DEFAULT
    assert handler(noop).keys is None
    assert "keys=('Enter',)" in repr(handler(noop, keys=("Enter",)))


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("Enter", r"one key: keys=\('Enter',\)"),
        (5, "expected a collection of key values"),
        ((), "at least one key value"),
        (("",), "1 to 32 characters"),
        (("x" * (MAX_KEY_CHARS + 1),), "1 to 32 characters"),
        ((1,), "KeyboardEvent.key string"),
        ([["Enter"]], "KeyboardEvent.key string"),  # unhashable: still the typed error
        (tuple(f"k{i}" for i in range(MAX_KEYS + 1)), f"at most {MAX_KEYS} key values"),
    ],
)
def test_bad_keys_are_a_widget_error(keys: object, message: str) -> None:
    with pytest.raises(WidgetError, match=message):
        handler(noop, keys=keys)  # type: ignore[arg-type]


def test_the_builders_write_the_filter_of_keydown_and_keyup() -> None:
    down = html.input(on_keydown=handler(noop, keys=("Enter", "Escape")), on_keyup=handler(noop, keys=["a"]))
    assert filter_of(down) == {"keydown": ["Enter", "Escape"], "keyup": ["a"]}
    assert down.events["keydown"].keys == ("Enter", "Escape")
    # the on= mapping, and a keyup without a filter next to a filtered keydown
    mixed = html.div(on={"keydown": handler(noop, keys=("F2",)), "keyup": noop})
    assert filter_of(mixed) == {"keydown": ["F2"]}
    # no filter, no attribute (the fast path)
    assert ATTR_KEYS not in html.input(on_keydown=noop).attrs
    # characters outside ASCII are kept as they are
    assert filter_of(html.div(on_keydown=handler(noop, keys=("é",)))) == {"keydown": ["é"]}


def test_keys_on_another_event_is_a_widget_error() -> None:
    where = r"html.button\(on_click=handler\(..., keys=...\)\)"
    with pytest.raises(WidgetError, match=where + ": keys filter keydown"):
        html.button("x", on_click=handler(noop, keys=("Enter",)))
    with pytest.raises(WidgetError, match="keys filter keydown and keyup only"):
        html.div(on={"input": handler(noop, keys=("a",))})


def test_a_template_writes_the_filter_in_its_markup_and_refuses_one_in_a_value() -> None:
    @template
    def row(label: str, on_key: object) -> Element:
        return html.li(label, tabindex="0", on_keydown=handler(on_key, keys=("Delete",)))  # type: ignore[arg-type]

    instance = row("a", noop)
    assert instance is not None
    with pytest.raises((WidgetError, TemplateError), match="a key filter is part of the markup"):
        row("b", handler(noop, keys=("Enter",)))


async def test_the_pilot_delivers_only_the_keys_of_the_filter() -> None:
    seen: list[str] = []

    def parent_key(event: KeyEvent) -> None:
        seen.append(f"form:{event.key}")

    def field_key(event: KeyEvent) -> None:
        seen.append(f"field:{event.key}")

    def view(_: None) -> Node:
        return html.form(
            html.input(id="field", on_keydown=handler(field_key, stop_propagation=True, keys=("Enter",))),
            on_keydown=parent_key,
        )

    async with run_test(App(view=view)) as pilot:
        await pilot.press("#field", "Enter")  # the field takes it and stops it
        await pilot.press("#field", "a")  # passes the field by, flags and all: the form gets it
        assert seen == ["field:Enter", "form:a"]


async def test_a_key_no_listener_takes_is_a_lookup_error_naming_it() -> None:
    def view(_: None) -> Node:
        return html.input(id="field", on_keydown=handler(noop, keys=("Enter",)))

    async with run_test(App(view=view)) as pilot:
        with pytest.raises(LookupError, match="listens to 'keydown' for the key 'Tab'"):
            await pilot.press("#field", "Tab")


async def test_text_field_on_enter_listens_to_enter_only() -> None:
    entered: list[str] = []

    def view(_: None) -> Node:
        return TextField(label="Name", value="", on_input=noop_text, on_enter=entered.append, id="name")

    async with run_test(App(view=view)) as pilot:
        field = pilot.one("#name")
        assert json.loads(field.attrs[ATTR_KEYS]) == {"keydown": ["Enter"]}
        await pilot.input("#name", "milk")
        await pilot.press("#name", "Enter")
        assert entered == ["milk"]
        with pytest.raises(LookupError):
            await pilot.press("#name", "m")


async def test_the_session_ignores_a_key_outside_the_filter_whoever_sent_it() -> None:
    seen: list[str] = []

    def view(_: None) -> Node:
        return html.input(id="field", on_keydown=handler(lambda e: seen.append(e.key), keys=("Enter",)))

    async with run_test(App(view=view)) as pilot:
        node = pilot.one("#field").id
        # frames a client that does not filter would send, straight to the session
        await pilot.session.dispatch(Event(eid=901, node=node, name="keydown", data={"key": "a"}))
        await pilot.session.dispatch(Event(eid=902, node=node, name="keydown", data={"key": "Enter"}))
        await pilot.session.dispatch(Event(eid=903, node=node, name="keydown", data={}))
        assert seen == ["Enter"]
