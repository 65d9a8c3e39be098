"""DatePicker: a typed date in and out of the native ``<input type=date>``."""

from __future__ import annotations

import datetime
import doctest
from dataclasses import dataclass, field
from typing import Any

import pytest

import tempest_core._widgets_input as input_module
from tempest_core import App
from tempest_core.errors import WidgetError
from tempest_core.nodes import Element
from tempest_core.style import Style
from tempest_core.testing import run_test
from tempest_core.widgets import DatePicker

any_picker: Any = DatePicker

DAY = datetime.date(2026, 12, 2)


def test_renders_a_native_date_input_with_iso_values() -> None:
    picker = DatePicker(value=DAY, min=datetime.date(2026, 1, 1), max=datetime.date(2026, 12, 31), name="d")
    assert picker.tag == "input"
    assert picker.attrs == {"type": "date", "min": "2026-01-01", "max": "2026-12-31", "name": "d"}
    assert picker.props == {"value": "2026-12-02"}
    assert DatePicker().props == {"value": ""}


def test_label_and_error() -> None:
    box = DatePicker(label="Due", id="due", error="Pick a weekday")
    assert box.tag == "div"
    label, message = box.children
    assert isinstance(label, Element) and label.tag == "label"
    control = label.children[1]
    assert isinstance(control, Element) and control.attrs["aria-describedby"] == "due-error"
    assert control.attrs["aria-invalid"] == "true"
    assert isinstance(message, Element) and message.attrs["id"] == "due-error"


def test_user_style_lays_over_the_input_style() -> None:
    picker = DatePicker(style=Style(width=200))
    assert picker.style is not None and picker.style.width == 200
    assert picker.style.border == "1px solid var(--tw-color-border)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026-12-02", DAY), ("", None), (None, None), ("2026-02-30", None), ("275760-09-13", None)],
)
def test_parse_date(text: str | None, expected: datetime.date | None) -> None:
    assert input_module.parse_date(text) == expected


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: any_picker(value="2026-12-02"),
            "DatePicker(value=...): expected datetime.date or None, got str",
        ),
        (
            lambda: any_picker(value=datetime.datetime(2026, 1, 1)),
            "DatePicker(value=...): expected datetime.date or None, got datetime",
        ),
        (lambda: any_picker(min=1), "DatePicker(min=...): expected datetime.date or None, got int (1)"),
        (
            lambda: any_picker(min=DAY, max=datetime.date(2026, 1, 1)),
            "DatePicker(min=...): 2026-12-02 is after max 2026-01-01",
        ),
        (lambda: any_picker(on_change=3), "DatePicker(on_change=...): expected a callable, got int (3)"),
        (lambda: any_picker(disabled="no"), "DatePicker(disabled=...): expected bool"),
        (lambda: any_picker(error="x"), "DatePicker(error=...): give the field id= or name="),
        (
            lambda: any_picker(vaule=DAY),
            "DatePicker(vaule=...): unknown keyword argument; did you mean 'value'?",
        ),
    ],
)
def test_errors(call: object, message: str) -> None:
    with pytest.raises(WidgetError) as caught:
        call()  # type: ignore[operator]
    assert str(caught.value).startswith(message)


@dataclass
class State:
    due: datetime.date | None = DAY
    seen: list[datetime.date | None] = field(default_factory=list)


async def test_on_change_receives_a_date_and_the_value_round_trips() -> None:
    state = State()

    def changed(value: datetime.date | None) -> None:
        state.seen.append(value)
        app.set_state(lambda s: State(due=value, seen=s.seen))

    app: App[State] = App(
        view=lambda s: DatePicker(value=s.due, on_change=changed, aria_label="Due"), state=state
    )
    async with run_test(app) as pilot:
        assert pilot.one("input").props["value"] == "2026-12-02"
        await pilot.input("input", "2027-01-15")
        assert pilot.one("input").props["value"] == "2027-01-15"
        await pilot.input("input", "")
        assert pilot.one("input").props["value"] == ""
    assert state.seen == [datetime.date(2027, 1, 15), None]


def test_docstring_examples() -> None:
    result = doctest.testmod(input_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
