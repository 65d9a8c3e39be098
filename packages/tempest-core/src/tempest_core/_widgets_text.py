"""Text-entry widgets and forms: TextField, TextArea, Form.

Controlled inputs: the ``value``/``checked`` given is the DOM property (``Element.props``); the
callbacks receive the new value (text, bool or number), not the raw event. With ``label=`` the
control is wrapped in a ``<label>`` (which then carries ``key``, ``style`` and ``class_``; ``id``
stays on the control), so the accessible name is tied to the input. With ``error=`` a field
shows a validation message after itself (``aria-invalid``, ``aria-describedby``); a Form's
``errors=`` does the same for every named control it contains.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Final, Literal

from tempest_core._html_build import describe, normalize_children
from tempest_core._theme_rules import FORM, INPUT
from tempest_core._widgets_base import (
    Callback,
    call_with_event,
    check_callback,
    check_common,
    check_keywords,
    check_type,
    label_for,
    text_handler,
    with_class,
)
from tempest_core._widgets_errors import (
    FormErrors,
    apply_errors,
    error_id,
    error_text,
    field_box,
    invalid_attrs,
    to_error_map,
)
from tempest_core.errors import WidgetError
from tempest_core.events import KeyEvent, SubmitEvent
from tempest_core.html import Child, html
from tempest_core.nodes import Element, EventBinding
from tempest_core.style import Style
from tempestweb_contract import EVENT_PREVENT_DEFAULT
from tempestweb_contract.names import ATTR_BEHAVIOR, BEHAVIOR

__all__ = ["Form", "TextArea", "TextField"]

TextType = Literal["text", "email", "password", "search", "tel", "url", "number"]
_TEXT_TYPES = frozenset(TextType.__args__)  # type: ignore[attr-defined]
Option = str | tuple[str, str]
"""A choice: ``"value"`` (shown as is) or ``("value", "label")``."""


def _on_enter(fn: Callable[[str], object] | None) -> EventBinding | None:
    """Return the ``keydown`` listener of ``on_enter``: the client sends Enter, not every keystroke."""
    if fn is None:
        return None

    def on_keydown(event: KeyEvent) -> object:
        return fn(event.value or "")

    return EventBinding(on_keydown, 0, _ENTER)


_ENTER: Final = ("Enter",)


def _check_text_common(
    where: str,
    *,
    value: object,
    placeholder: object,
    disabled: object,
    required: object,
    autofocus: object,
    name: object,
    on_input: object,
    on_change: object,
) -> None:
    check_type(where, "value", value, str, "str")
    if placeholder is not None:
        check_type(where, "placeholder", placeholder, str, "str")
    if name is not None:
        check_type(where, "name", name, str, "str")
    for arg, flag in (("disabled", disabled), ("required", required), ("autofocus", autofocus)):
        check_type(where, arg, flag, bool, "bool")
    check_callback(where, "on_input", on_input)
    check_callback(where, "on_change", on_change)


@check_keywords
def TextField(
    *,
    value: str = "",
    on_input: Callable[[str], object] | None = None,
    on_change: Callable[[str], object] | None = None,
    on_enter: Callable[[str], object] | None = None,
    placeholder: str | None = None,
    type: TextType = "text",
    name: str | None = None,
    label: str | None = None,
    error: str | None = None,
    disabled: bool = False,
    required: bool = False,
    autofocus: bool = False,
    aria_label: str | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a controlled single-line ``<input>``.

    Args:
        value: The text shown (DOM ``value`` property).
        on_input: Called with the new text after every edit (DOM ``input`` event).
        on_change: Called with the committed text (DOM ``change``: blur or Enter).
        on_enter: Called with the current text when Enter is pressed (DOM ``keydown``).
        placeholder: Hint shown while empty.
        type: Input type (https://html.spec.whatwg.org/#attr-input-type).
        name: Form field name (the key in ``SubmitEvent.fields``).
        label: Visible label wrapping the input.
        error: Validation message shown after the field, which gets ``aria-invalid="true"`` and
            ``aria-describedby`` naming the message (id ``<id>-error``, else ``tw-<name>-error``).
            ``""`` shows nothing but keeps the field's box, so the input stays mounted (and
            focused) while a message comes and goes; ``None`` (default) is today's bare field.
        disabled: Boolean attribute.
        required: Boolean attribute (constraint validation).
        autofocus: Boolean attribute: focus on insertion.
        aria_label: Accessible name when there is no visible label.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The ``<input>``, or the ``<label>`` wrapping it; with ``error`` a ``<div>`` holding
        those and the message ``<p>``.

    Raises:
        WidgetError: On an argument of the wrong type or an unsupported ``type``, or an
            ``error`` on a field with neither ``id`` nor ``name``.

    """
    _check_text_common(
        "TextField",
        value=value,
        placeholder=placeholder,
        disabled=disabled,
        required=required,
        autofocus=autofocus,
        name=name,
        on_input=on_input,
        on_change=on_change,
    )
    check_callback("TextField", "on_enter", on_enter)
    if type not in _TEXT_TYPES:
        raise WidgetError(
            f"TextField(type=...): expected one of {', '.join(sorted(_TEXT_TYPES))}, got {describe(type)}"
        )
    label = label_for("TextField", label)
    error = error_text("TextField", error)
    check_common("TextField", key, style, class_, id)
    message_id = None if error is None else error_id("TextField", id=id, name=name)
    wrapped = label is not None or error is not None
    control = html.input(
        type=type,
        value=value,
        placeholder=placeholder,
        name=name,
        disabled=disabled,
        required=required,
        autofocus=autofocus,
        aria_label=aria_label,
        on_input=text_handler(on_input, "input"),
        on_change=text_handler(on_change, "change"),
        on_keydown=_on_enter(on_enter),
        key=None if wrapped else key,
        style=None if wrapped else style,
        class_=with_class(INPUT, None if wrapped else class_),
        id=id,
        attrs=invalid_attrs(error, message_id) or None,
    )
    return field_box(
        control, label=label, error=error, message_id=message_id, key=key, style=style, class_=class_
    )


@check_keywords
def TextArea(
    *,
    value: str = "",
    on_input: Callable[[str], object] | None = None,
    on_change: Callable[[str], object] | None = None,
    placeholder: str | None = None,
    rows: int | None = None,
    name: str | None = None,
    label: str | None = None,
    error: str | None = None,
    disabled: bool = False,
    required: bool = False,
    autofocus: bool = False,
    aria_label: str | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a controlled multi-line ``<textarea>``; arguments as :func:`TextField`, plus ``rows``.

    Returns:
        The ``<textarea>``, or the ``<label>`` wrapping it; with ``error`` a ``<div>`` holding
        those and the message ``<p>``.

    Raises:
        WidgetError: On an argument of the wrong type or a non-positive ``rows``, or an
            ``error`` on a field with neither ``id`` nor ``name``.

    """
    _check_text_common(
        "TextArea",
        value=value,
        placeholder=placeholder,
        disabled=disabled,
        required=required,
        autofocus=autofocus,
        name=name,
        on_input=on_input,
        on_change=on_change,
    )
    if rows is not None and (isinstance(rows, bool) or not isinstance(rows, int) or rows < 1):
        raise WidgetError(f"TextArea(rows=...): expected a positive int, got {describe(rows)}")
    label = label_for("TextArea", label)
    error = error_text("TextArea", error)
    check_common("TextArea", key, style, class_, id)
    message_id = None if error is None else error_id("TextArea", id=id, name=name)
    wrapped = label is not None or error is not None
    control = html.textarea(
        value=value,
        placeholder=placeholder,
        rows=rows,
        name=name,
        disabled=disabled,
        required=required,
        autofocus=autofocus,
        aria_label=aria_label,
        on_input=text_handler(on_input, "input"),
        on_change=text_handler(on_change, "change"),
        key=None if wrapped else key,
        style=None if wrapped else style,
        class_=with_class(INPUT, None if wrapped else class_),
        id=id,
        attrs=invalid_attrs(error, message_id) or None,
    )
    return field_box(
        control, label=label, error=error, message_id=message_id, key=key, style=style, class_=class_
    )


def _ignore_submit() -> None:
    """Default submit handler: the listener exists only to prevent a page load."""


@check_keywords
def Form(
    *children: Child,
    on_submit: Callable[[SubmitEvent], object] | Callable[[], object] | None = None,
    errors: FormErrors | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a ``<form>`` whose submission never reloads the page.

    The submit listener always calls ``preventDefault``; ``on_submit`` receives a
    :class:`~tempest_core.events.SubmitEvent` whose ``fields`` map each named control to its value.

    Args:
        *children: The form's content.
        on_submit: Called on submit (with the event, or no argument).
        errors: Validation errors to show: ``{field name: message}`` or a pydantic
            ``ValidationError`` (its dotted locations are the names). Each control among the
            children (``input``/``textarea``/``select``, not inside ``@component`` children)
            whose ``name`` has a message gets ``aria-invalid``/``aria-describedby`` and the
            message after it (after its ``<label>``); every other named control gets an empty
            message element there. Messages naming no control (``""``: the whole model) go in a
            ``role="alert"`` box first in the form. Both are present whenever ``errors`` is
            given, so pass ``{}`` before the first submit: the fields then stay mounted (typed
            text, focus) when messages appear. ``None`` (default) adds nothing. After the
            person submits the form, the first update that marks a control invalid moves focus
            to the first invalid control (the client's ``form`` behaviour; WCAG 3.3.1 Error
            Identification), so its label, state and message are read out.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: On a non-callable ``on_submit``, ``errors`` of the wrong type or a bad
            common argument.

    """
    check_callback("Form", "on_submit", on_submit)
    check_common("Form", key, style, class_, id)
    error_map: Mapping[str, str] | None = None if errors is None else to_error_map(errors)
    user: Callback = on_submit if on_submit is not None else _ignore_submit

    def submit(event: SubmitEvent) -> object:
        return call_with_event(user, event)

    return html.form(
        children if error_map is None else apply_errors(normalize_children("Form", children), error_map),
        on_submit=EventBinding(submit, EVENT_PREVENT_DEFAULT),
        key=key,
        style=style,
        class_=with_class(FORM, class_),
        id=id,
        attrs={ATTR_BEHAVIOR: BEHAVIOR["FORM"]},
    )
