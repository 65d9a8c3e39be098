from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tempest_core.errors import SessionError, WidgetError
from tempest_core.events import (
    EVENT_MODELS,
    BaseEvent,
    ChangeEvent,
    ClickEvent,
    FocusEvent,
    GenericEvent,
    InputEvent,
    KeyEvent,
    ScrollEvent,
    SubmitEvent,
    handler,
    model_for,
    parse_event,
)
from tempest_core.nodes import EventBinding
from tempestweb_contract import EVENT_PREVENT_DEFAULT, EVENT_STOP_PROPAGATION

MODS = {"alt": True, "ctrl": False, "shift": True, "meta": False}


@pytest.mark.parametrize("name", ["click", "dblclick", "contextmenu", "mousedown", "pointerup"])
def test_click_like(name: str) -> None:
    event = parse_event(name, {"button": 2, **MODS, "extra": "ignored"})
    assert event == ClickEvent(button=2, alt=True, ctrl=False, shift=True, meta=False)
    assert parse_event(name, {}) == ClickEvent()


def test_input() -> None:
    assert parse_event("input", {"value": "milk"}) == InputEvent(value="milk", checked=None)
    assert parse_event("input", {"value": "on", "checked": True}) == InputEvent(value="on", checked=True)
    assert parse_event("input", {}) == InputEvent(value="")


def test_change() -> None:
    assert parse_event("change", {"value": "b", "checked": None}) == ChangeEvent(value="b")
    multi = parse_event("change", {"value": "a", "values": ("a", "c")})
    assert isinstance(multi, ChangeEvent)
    assert multi.values == ("a", "c")
    listed = parse_event("change", {"values": ["x"]})
    assert isinstance(listed, ChangeEvent)
    assert listed.values == ("x",)
    assert parse_event("change", {}) == ChangeEvent(value=None, checked=None, values=None)


@pytest.mark.parametrize("name", ["keydown", "keyup"])
def test_keys(name: str) -> None:
    event = parse_event(name, {"key": "Enter", "code": "Enter", **MODS, "repeat": True, "value": "todo"})
    assert event == KeyEvent(key="Enter", code="Enter", alt=True, shift=True, repeat=True, value="todo")
    assert parse_event(name, {}) == KeyEvent()


def test_submit_collects_form_fields() -> None:
    event = parse_event("submit", {"form.title": "Milk", "form.note": "", "other": 1, "form.": "x"})
    assert isinstance(event, SubmitEvent)
    assert event.fields == {"title": "Milk", "note": "", "": "x"}
    assert parse_event("submit", {}) == SubmitEvent(fields={})
    assert SubmitEvent(fields={"a": "b"}).fields == {"a": "b"}


@pytest.mark.parametrize("name", ["focus", "blur", "focusin", "focusout"])
def test_focus(name: str) -> None:
    assert parse_event(name, {"value": "x"}) == FocusEvent(value="x")
    assert parse_event(name, {}) == FocusEvent(value=None)


def test_unknown_names_give_generic_event() -> None:
    event = parse_event("wheel", {"top": 3, "ok": True, "sel": ("a",)})
    assert event == GenericEvent(name="wheel", data={"top": 3, "ok": True, "sel": ("a",)})
    assert model_for("wheel") is GenericEvent
    assert model_for("click") is ClickEvent


def test_scroll_event_reads_the_position_and_rejects_text() -> None:
    event = parse_event("scroll", {"scroll_top": 3200.5, "client_height": 400, "extra": 1})
    assert event == ScrollEvent(scroll_top=3200.5, scroll_left=0.0, client_height=400.0, client_width=0.0)
    assert model_for("scroll") is ScrollEvent
    with pytest.raises(SessionError, match=r"ScrollEvent\.scroll_top"):
        parse_event("scroll", {"scroll_top": "12"})


def test_event_models_table() -> None:
    assert EVENT_MODELS["input"] is InputEvent
    assert EVENT_MODELS["submit"] is SubmitEvent
    assert all(issubclass(model, BaseEvent) for model in EVENT_MODELS.values())
    with pytest.raises(TypeError):
        EVENT_MODELS["x"] = BaseEvent  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("click", {"button": "1"}, "ClickEvent.button: Input should be a valid integer, got '1'"),
        ("click", {"alt": 1}, "ClickEvent.alt: Input should be a valid boolean, got 1"),
        ("input", {"value": 3}, "InputEvent.value: Input should be a valid string, got 3"),
        ("input", {"checked": "yes"}, "InputEvent.checked: Input should be a valid boolean"),
        ("change", {"values": "a"}, "ChangeEvent.values: Input should be a valid tuple"),
        ("change", {"values": (1,)}, "ChangeEvent.values.0: Input should be a valid string"),
        (
            "keydown",
            {"key": 13, "repeat": "no"},
            "KeyEvent.key: Input should be a valid string, got 13 (and 1 more)",
        ),
        ("keyup", {"value": False}, "KeyEvent.value: Input should be a valid string"),
        ("submit", {"form.title": 5}, "SubmitEvent.fields.title: Input should be a valid string, got 5"),
        ("focus", {"value": 1.5}, "FocusEvent.value: Input should be a valid string, got 1.5"),
    ],
)
def test_invalid_data(name: str, data: dict[str, object], message: str) -> None:
    with pytest.raises(SessionError) as info:
        parse_event(name, data)
    assert info.value.code == "invalid_event_data"
    assert info.value.message.startswith(message)


def test_long_bad_values_are_truncated() -> None:
    with pytest.raises(SessionError) as info:
        parse_event("click", {"button": "x" * 500})
    assert len(info.value.message) < 120


def test_non_mapping_data() -> None:
    with pytest.raises(SessionError) as info:
        parse_event("click", ["button"])  # type: ignore[arg-type]
    assert info.value.code == "invalid_event_data"
    assert info.value.message == "click: expected an object, got list"


def test_models_are_frozen() -> None:
    event = ClickEvent()
    with pytest.raises(ValidationError):
        event.button = 3


@given(
    st.integers(-(2**31), 2**31),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_click_round_trip(button: int, alt: bool, ctrl: bool, shift: bool, meta: bool) -> None:
    data = {"button": button, "alt": alt, "ctrl": ctrl, "shift": shift, "meta": meta}
    assert parse_event("click", data).model_dump() == data


@given(st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=6))
def test_submit_fields_property(fields: dict[str, str]) -> None:
    event = parse_event("submit", {f"form.{k}": v for k, v in fields.items()})
    assert isinstance(event, SubmitEvent)
    assert event.fields == fields


def test_handler_flags() -> None:
    def fn() -> None: ...

    assert handler(fn).flags == 0
    assert handler(fn, prevent_default=True).flags == EVENT_PREVENT_DEFAULT
    assert handler(fn, stop_propagation=True).flags == EVENT_STOP_PROPAGATION
    both = handler(fn, prevent_default=True, stop_propagation=True)
    assert isinstance(both, EventBinding)
    assert both.handler is fn
    assert both.flags == EVENT_PREVENT_DEFAULT | EVENT_STOP_PROPAGATION


def test_handler_errors() -> None:
    with pytest.raises(WidgetError, match=r"handler\(fn=\.\.\.\): expected a callable, got int"):
        handler(3)  # type: ignore[arg-type]
    with pytest.raises(WidgetError, match="expected bool flags"):
        handler(print, prevent_default=1)  # type: ignore[arg-type]


def test_issue_9_event_models_have_the_contracts_payload_keys() -> None:
    """The payload keys are spelled once, in ``tempestweb_contract.names`` (the JS client sends them)."""
    from tempestweb_contract.names import EVENT_FIELDS

    models: dict[str, type[BaseEvent]] = {
        "click": ClickEvent,
        "input": InputEvent,
        "change": ChangeEvent,
        "key": KeyEvent,
        "focus": FocusEvent,
        "scroll": ScrollEvent,
    }
    assert set(models) == set(EVENT_FIELDS)
    for kind, model in models.items():
        assert tuple(model.model_fields) == EVENT_FIELDS[kind], kind


def test_issue_13_a_repeated_payload_is_validated_once_and_stays_exact() -> None:
    # A click validated a pydantic model every time (a tenth of a click's CPU at cold caches);
    # a payload of short scalars now maps to one frozen model per process.
    first = parse_event("click", {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False})
    again = parse_event("click", {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False})
    assert again is first and first.model_dump() == {
        "button": 0,
        "alt": False,
        "ctrl": False,
        "shift": False,
        "meta": False,
    }
    # equal but differently typed values (True == 1) are different payloads: strict rules hold
    one = parse_event("click", {"button": 1})
    assert isinstance(one, ClickEvent) and one.button == 1
    with pytest.raises(SessionError, match=r"ClickEvent\.button: Input should be a valid integer"):
        parse_event("click", {"button": True})
    with pytest.raises(SessionError, match=r"ClickEvent\.alt: Input should be a valid boolean"):
        parse_event("click", {"alt": 1})
    alt = parse_event("click", {"alt": True})
    assert isinstance(alt, ClickEvent) and alt.alt is True
    # another event name with the same payload gets its own model
    assert type(parse_event("dblclick", {"button": 0})) is ClickEvent
    assert type(parse_event("focus", {})) is FocusEvent and type(parse_event("blur", {})) is FocusEvent


def test_issue_13_only_immutable_events_are_shared_and_the_table_is_bounded() -> None:
    from tempest_core import events

    # a model holding a container is built afresh each time (a handler may change what it got)
    submit = parse_event("submit", {"form.title": "milk"})
    assert isinstance(submit, SubmitEvent) and parse_event("submit", {"form.title": "milk"}) is not submit
    # a scroll position rarely repeats: not kept
    assert parse_event("scroll", {"scroll_top": 96.0}) is not parse_event("scroll", {"scroll_top": 96.0})
    # long text is not kept
    text = "x" * 1000
    assert parse_event("input", {"value": text}) is not parse_event("input", {"value": text})
    # a churning payload (every keystroke's value) never grows the table past its bound
    for i in range(3 * events.PARSED_MAX_ENTRIES):
        typed = parse_event("input", {"value": f"v{i}"})
        assert isinstance(typed, InputEvent) and typed.value == f"v{i}"
    assert 0 < len(events._PARSED) <= events.PARSED_MAX_ENTRIES
