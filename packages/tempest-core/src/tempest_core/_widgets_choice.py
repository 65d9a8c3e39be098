"""Choice widgets: Checkbox, Switch, Slider, Select, RadioGroup.

Controlled inputs: the ``value``/``checked`` given is the DOM property (``Element.props``); the
callbacks receive the new value (text, bool or number), not the raw event. With ``label=`` the
control is wrapped in a ``<label>`` (which then carries ``key``, ``style`` and ``class_``; ``id``
stays on the control), so the accessible name is tied to the input.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Literal

from tempest_core._html_build import describe
from tempest_core._theme_rules import CHECK, INPUT, RADIO_GROUP, SLIDER, SWITCH
from tempest_core._widgets_base import (
    check_callback,
    check_common,
    check_keywords,
    check_type,
    label_for,
    text_handler,
    with_class,
    wrap_label,
)
from tempest_core.errors import WidgetError
from tempest_core.events import ChangeEvent, InputEvent
from tempest_core.html import html
from tempest_core.nodes import Element
from tempest_core.style import Style

__all__ = ["Checkbox", "RadioGroup", "Select", "Slider", "Switch"]

TextType = Literal["text", "email", "password", "search", "tel", "url", "number"]
_TEXT_TYPES = frozenset(TextType.__args__)  # type: ignore[attr-defined]
Option = str | tuple[str, str]
"""A choice: ``"value"`` (shown as is) or ``("value", "label")``."""


def _toggle(
    where: str,
    role: str | None,
    *,
    checked: bool,
    on_change: Callable[[bool], object] | None,
    label: str | None,
    disabled: bool,
    name: str | None,
    key: Hashable | None,
    style: Style | None,
    class_: str | None,
    id: str | None,
) -> Element:
    check_type(where, "checked", checked, bool, "bool")
    check_callback(where, "on_change", on_change)
    check_type(where, "disabled", disabled, bool, "bool")
    if name is not None:
        check_type(where, "name", name, str, "str")
    label = label_for(where, label)
    check_common(where, key, style, class_, id)
    handler = None
    if on_change is not None:
        callback = on_change

        def handler(event: ChangeEvent) -> object:
            return callback(bool(event.checked))

    wrapped = label is not None
    control = html.input(
        type="checkbox",
        role=role,
        class_=with_class(SWITCH, None if wrapped else class_)
        if role == "switch"
        else (None if wrapped else class_),
        checked=checked,
        disabled=disabled,
        name=name,
        on_change=handler,
        key=None if wrapped else key,
        style=None if wrapped else style,
        id=id,
    )
    return wrap_label(control, label, key, style, class_, after=True)


@check_keywords
def Checkbox(
    *,
    checked: bool = False,
    on_change: Callable[[bool], object] | None = None,
    label: str | None = None,
    disabled: bool = False,
    name: str | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a controlled ``<input type="checkbox">``, wrapped in a ``<label>`` when ``label`` is given.

    Args:
        checked: The DOM ``checked`` property.
        on_change: Called with the new checked state (DOM ``change``).
        label: Visible label after the box.
        disabled: Boolean attribute.
        name: Form field name.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The input, or the label wrapping it.

    Raises:
        WidgetError: On an argument of the wrong type.

    """
    return _toggle(
        "Checkbox",
        None,
        checked=checked,
        on_change=on_change,
        label=label,
        disabled=disabled,
        name=name,
        key=key,
        style=style,
        class_=class_,
        id=id,
    )


@check_keywords
def Switch(
    *,
    checked: bool = False,
    on_change: Callable[[bool], object] | None = None,
    label: str | None = None,
    disabled: bool = False,
    name: str | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build an on/off switch: a checkbox with ``role="switch"`` (WAI-ARIA 1.2, switch role).

    Arguments, returns and raises as :func:`Checkbox`.
    """
    return _toggle(
        "Switch",
        "switch",
        checked=checked,
        on_change=on_change,
        label=label,
        disabled=disabled,
        name=name,
        key=key,
        style=style,
        class_=class_,
        id=id,
    )


def _number(where: str, arg: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WidgetError(f"{where}({arg}=...): expected a number, got {describe(value)}")
    return value


@check_keywords
def Slider(
    *,
    value: float = 0,
    min: float = 0,
    max: float = 100,
    step: float = 1,
    on_input: Callable[[float], object] | None = None,
    on_change: Callable[[float], object] | None = None,
    label: str | None = None,
    disabled: bool = False,
    name: str | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a controlled ``<input type="range">``; callbacks receive the new number.

    The number is an ``int`` when ``min``, ``max`` and ``step`` are all ints, else a ``float``.

    Args:
        value: Current value.
        min: Lower bound (``min < max``).
        max: Upper bound.
        step: Granularity (> 0).
        on_input: Called while dragging (DOM ``input``).
        on_change: Called when released (DOM ``change``).
        label: Visible label.
        disabled: Boolean attribute.
        name: Form field name.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The input, or the label wrapping it.

    Raises:
        WidgetError: On a non-number, ``min >= max`` or ``step <= 0``.

    """
    for arg, number in (("value", value), ("min", min), ("max", max), ("step", step)):
        _number("Slider", arg, number)
    if min >= max:
        raise WidgetError(f"Slider(min=..., max=...): min must be below max, got {min!r} >= {max!r}")
    if step <= 0:
        raise WidgetError(f"Slider(step=...): expected a positive number, got {step!r}")
    check_callback("Slider", "on_input", on_input)
    check_callback("Slider", "on_change", on_change)
    check_type("Slider", "disabled", disabled, bool, "bool")
    label = label_for("Slider", label)
    check_common("Slider", key, style, class_, id)
    integral = all(isinstance(v, int) for v in (min, max, step))

    def convert(text: str | None) -> float:
        number = float(text or 0)
        return int(number) if integral and number.is_integer() else number

    def wrap(fn: Callable[[float], object] | None) -> Callable[..., object] | None:
        if fn is None:
            return None

        def handle(event: InputEvent | ChangeEvent) -> object:
            return fn(convert(event.value))

        return handle

    wrapped = label is not None
    control = html.input(
        type="range",
        value=value,
        min=min,
        max=max,
        step=step,
        disabled=disabled,
        name=name,
        on_input=wrap(on_input),
        on_change=wrap(on_change),
        key=None if wrapped else key,
        style=None if wrapped else style,
        class_=with_class(SLIDER, None if wrapped else class_),
        id=id,
    )
    return wrap_label(control, label, key, style, class_)


def _options(where: str, options: object) -> list[tuple[str, str]]:
    if not isinstance(options, Sequence) or isinstance(options, str):
        raise WidgetError(
            f"{where}(options=...): expected a sequence of str or (value, label), got {describe(options)}"
        )
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for option in options:
        if isinstance(option, str):
            pair = (option, option)
        elif (
            isinstance(option, tuple)
            and len(option) == 2
            and isinstance(option[0], str)
            and isinstance(option[1], str)
        ):
            pair = option
        else:
            raise WidgetError(
                f"{where}(options=...): expected str or a (value, label) pair of str, got {describe(option)}"
            )
        if pair[0] in seen:
            raise WidgetError(f"{where}(options=...): duplicate option value {pair[0]!r}")
        seen.add(pair[0])
        pairs.append(pair)
    return pairs


@check_keywords
def Select(
    *,
    options: Sequence[Option],
    value: str | None = None,
    on_change: Callable[[str], object] | None = None,
    label: str | None = None,
    disabled: bool = False,
    name: str | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a controlled ``<select>`` of options.

    Args:
        options: ``"value"`` or ``("value", "label")`` entries, in order; values are unique.
        value: The selected value (``None``: the browser's default, the first option).
        on_change: Called with the newly selected value (DOM ``change``).
        label: Visible label.
        disabled: Boolean attribute.
        name: Form field name.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The select, or the label wrapping it.

    Raises:
        WidgetError: On malformed or duplicate options or an argument of the wrong type.

    """
    pairs = _options("Select", options)
    if value is not None:
        check_type("Select", "value", value, str, "str")
    check_callback("Select", "on_change", on_change)
    check_type("Select", "disabled", disabled, bool, "bool")
    label = label_for("Select", label)
    check_common("Select", key, style, class_, id)
    handler = None if on_change is None else text_handler(on_change, "change")
    wrapped = label is not None
    control = html.select(
        [html.option(text, value=val, selected=val == value) for val, text in pairs],
        value=value,
        disabled=disabled,
        name=name,
        on_change=handler,
        key=None if wrapped else key,
        style=None if wrapped else style,
        class_=with_class(INPUT, None if wrapped else class_),
        id=id,
    )
    return wrap_label(control, label, key, style, class_)


@check_keywords
def RadioGroup(
    *,
    name: str,
    options: Sequence[Option],
    value: str | None = None,
    on_change: Callable[[str], object] | None = None,
    label: str | None = None,
    disabled: bool = False,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a ``<fieldset role="radiogroup">`` of labelled radio buttons sharing ``name``.

    Args:
        name: The radio group name (required; also the form field name).
        options: ``"value"`` or ``("value", "label")`` entries.
        value: The checked value, ``None`` for none.
        on_change: Called with the value of the radio the user checked.
        label: Group caption (``<legend>``).
        disabled: Disable the whole group.
        key: Identity among keyed siblings.
        style: A Style for the element (on the fieldset).
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The fieldset.

    Raises:
        WidgetError: On a missing/non-str ``name``, malformed options or a wrong-typed argument.

    """
    check_type("RadioGroup", "name", name, str, "str")
    pairs = _options("RadioGroup", options)
    if value is not None:
        check_type("RadioGroup", "value", value, str, "str")
    check_callback("RadioGroup", "on_change", on_change)
    check_type("RadioGroup", "disabled", disabled, bool, "bool")
    label = label_for("RadioGroup", label)
    check_common("RadioGroup", key, style, class_, id)

    def select(option_value: str) -> Callable[..., object] | None:
        if on_change is None:
            return None
        callback = on_change
        return lambda: callback(option_value)

    radios = [
        html.label(
            html.input(type="radio", name=name, value=val, checked=val == value, on_change=select(val)),
            html.span(text),
            key=val,
            class_=CHECK,
        )
        for val, text in pairs
    ]
    legend = html.legend(label) if label is not None else None
    return html.fieldset(
        legend,
        radios,
        role="radiogroup",
        disabled=disabled,
        key=key,
        style=style,
        class_=with_class(RADIO_GROUP, class_),
        id=id,
    )
