"""Typed-value inputs: DatePicker and FileUpload (private).

DatePicker is the native ``<input type="date">`` (https://html.spec.whatwg.org/#date-state-(type=date)):
the browser supplies the localised field, the keyboard behaviour (arrows step a segment, typing
fills it) and the calendar popup, and the value on the wire is ``YYYY-MM-DD``
(https://html.spec.whatwg.org/#valid-date-string). Python sees only :class:`datetime.date`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Hashable
from typing import Final

from tempest_core._html_build import describe
from tempest_core._widgets_base import (
    check_callback,
    check_common,
    check_keywords,
    check_type,
    label_for,
    merge_styles,
)
from tempest_core._widgets_errors import error_id, error_text, field_box, invalid_attrs
from tempest_core.errors import WidgetError
from tempest_core.events import ChangeEvent
from tempest_core.html import html
from tempest_core.nodes import Element
from tempest_core.style import Style

__all__ = ["DatePicker", "parse_date"]

INPUT_STYLE: Final = Style(
    font_family="inherit",
    font_size="var(--tw-text-md)",
    color="var(--tw-color-text)",
    background_color="var(--tw-color-surface)",
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-md)",
    padding="var(--tw-space-1) var(--tw-space-2)",
    color_scheme="light dark",
    focus_visible=Style(outline="none", box_shadow="var(--tw-focus-ring)"),
    disabled=Style(opacity=0.6),
)
"""The input's look (theme tokens); ``color-scheme`` lets the browser draw a dark picker in dark mode."""


def parse_date(text: str | None, /) -> datetime.date | None:
    """Return the date of an ``<input type=date>`` value, or None for an empty or invalid one.

    Args:
        text: ``YYYY-MM-DD`` as the browser sends it; ``""`` when the field is cleared or
            incomplete. Years past 9999, which the browser allows, are not representable by
            :class:`datetime.date` and give None too.

    Returns:
        The date, or None.

    Example:
        >>> parse_date("2026-12-02"), parse_date(""), parse_date("275760-09-13")
        (datetime.date(2026, 12, 2), None, None)

    """
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _check_date(arg: str, value: object) -> None:
    if value is not None and (not isinstance(value, datetime.date) or isinstance(value, datetime.datetime)):
        raise WidgetError(f"DatePicker({arg}=...): expected datetime.date or None, got {describe(value)}")


def _on_date(fn: Callable[[datetime.date | None], object] | None) -> Callable[[ChangeEvent], object] | None:
    if fn is None:
        return None

    def on_change(event: ChangeEvent) -> object:
        return fn(parse_date(event.value))

    return on_change


@check_keywords
def DatePicker(
    *,
    value: datetime.date | None = None,
    on_change: Callable[[datetime.date | None], object] | None = None,
    min: datetime.date | None = None,
    max: datetime.date | None = None,
    label: str | None = None,
    error: str | None = None,
    name: str | None = None,
    disabled: bool = False,
    required: bool = False,
    aria_label: str | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a controlled date field: the native ``<input type="date">``.

    Args:
        value: The date shown, or None for an empty field.
        on_change: Called with the new :class:`datetime.date`, or None when the field is
            cleared or incomplete (DOM ``change``: fired when a complete date is entered or
            picked, https://html.spec.whatwg.org/#event-change).
        min: Earliest date offered (``min`` attribute); the picker greys out earlier dates, but
            a typed date outside the range still arrives (the field is ``:invalid``): check it.
        max: Latest date offered (``max`` attribute).
        label: Visible label wrapping the input.
        error: Validation message after the field (``aria-invalid``/``aria-describedby``; see
            :func:`~tempest_core.widgets.TextField`).
        name: Form field name (``SubmitEvent.fields`` holds ``YYYY-MM-DD``).
        disabled: Boolean attribute.
        required: Boolean attribute (constraint validation).
        aria_label: Accessible name when there is no visible label.
        key: Identity among keyed siblings.
        style: A Style laid over the default input style.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The ``<input>``, the ``<label>`` wrapping it, or with ``error`` a ``<div>`` holding
        those and the message.

    Raises:
        WidgetError: On an argument of the wrong type (a ``datetime.datetime`` is not a date
            here), ``min`` after ``max``, or an ``error`` on a field with neither ``id`` nor ``name``.

    Example:
        >>> import datetime
        >>> DatePicker(value=datetime.date(2026, 12, 2), min=datetime.date(2026, 1, 1)).attrs
        {'type': 'date', 'min': '2026-01-01'}

    """
    for arg, date in (("value", value), ("min", min), ("max", max)):
        _check_date(arg, date)
    if min is not None and max is not None and min > max:
        raise WidgetError(f"DatePicker(min=...): {min.isoformat()} is after max {max.isoformat()}")
    check_callback("DatePicker", "on_change", on_change)
    for arg, flag in (("disabled", disabled), ("required", required)):
        check_type("DatePicker", arg, flag, bool, "bool")
    for arg, text in (("name", name), ("aria_label", aria_label)):
        if text is not None:
            check_type("DatePicker", arg, text, str, "str")
    label = label_for("DatePicker", label)
    error = error_text("DatePicker", error)
    check_common("DatePicker", key, style, class_, id)
    message_id = None if error is None else error_id("DatePicker", id=id, name=name)
    wrapped = label is not None or error is not None
    control = html.input(
        type="date",
        value=value.isoformat() if value is not None else "",
        min=min.isoformat() if min is not None else None,
        max=max.isoformat() if max is not None else None,
        name=name,
        disabled=disabled,
        required=required,
        aria_label=aria_label,
        on_change=_on_date(on_change),
        key=None if wrapped else key,
        style=INPUT_STYLE if wrapped else merge_styles(INPUT_STYLE, style),
        class_=None if wrapped else class_,
        id=id,
        attrs=invalid_attrs(error, message_id) or None,
    )
    return field_box(
        control, label=label, error=error, message_id=message_id, key=key, style=style, class_=class_
    )
