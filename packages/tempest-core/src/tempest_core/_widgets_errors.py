"""Validation messages next to form fields (private): one rule for TextField, DatePicker and Form.

A field with an error gets ``aria-invalid="true"`` and ``aria-describedby`` naming the element
that shows the message, placed right after the field (after its ``<label>`` when it has one).
References: WAI-ARIA ``aria-invalid`` (https://www.w3.org/TR/wai-aria-1.2/#aria-invalid),
WCAG technique ARIA21 (https://www.w3.org/WAI/WCAG22/Techniques/aria/ARIA21) and the WAI forms
tutorial on user notifications (https://www.w3.org/WAI/tutorials/forms/notifications/).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Final, Union

import msgspec
from pydantic import ValidationError

from tempest_core._html_build import describe
from tempest_core._widgets_base import check_type, merge_styles, wrap_label
from tempest_core.errors import WidgetError
from tempest_core.html import html
from tempest_core.nodes import Element, Node
from tempest_core.style import Style

__all__ = [
    "FIELD_TAGS",
    "FormErrors",
    "apply_errors",
    "error_id",
    "error_text",
    "field_box",
    "invalid_attrs",
    "to_error_map",
]

FormErrors = Union[Mapping[str, str], ValidationError]
"""Errors a Form shows: field name -> message, or a Pydantic ``ValidationError`` (see
:func:`to_error_map`)."""
FIELD_TAGS: Final = frozenset({"input", "textarea", "select"})
"""Elements a Form marks invalid when their ``name`` has an error."""

ERROR_STYLE: Final = Style(
    color="var(--tw-color-danger)",
    font_size="var(--tw-text-sm)",
    margin=0,
)
"""The message under a field (the danger token meets 4.5:1 on the theme's surfaces)."""
FIELD_BOX_STYLE: Final = Style(display="flex", flex_direction="column", gap="var(--tw-space-1)")
"""The box holding a field and its message."""
SUMMARY_STYLE: Final = Style(
    color="var(--tw-color-danger)",
    border="1px solid var(--tw-color-danger)",
    border_radius="var(--tw-radius-md)",
    padding="var(--tw-space-3)",
    margin=0,
)
"""The Form's box of errors that belong to no field."""


def error_text(where: str, error: object) -> str | None:
    """Validate a field's ``error`` argument.

    Returns:
        The message, ``""`` (valid, but keep the message slot) or None (no validation shown).

    Raises:
        WidgetError: If ``error`` is neither None nor str.

    """
    if error is not None:
        check_type(where, "error", error, str, "str")
    return error  # type: ignore[return-value]


def error_id(where: str, *, id: str | None, name: str | None) -> str:
    """Return the ``id`` of a field's message element: ``<id>-error``, else ``tw-<name>-error``.

    Raises:
        WidgetError: If the field has neither ``id`` nor ``name`` (nothing to build a unique id from).

    """
    if id:
        return f"{id}-error"
    if name:
        return f"tw-{name}-error"
    raise WidgetError(
        f"{where}(error=...): give the field id= or name= so the message can be tied to it "
        "with aria-describedby"
    )


_NO_MESSAGE_TYPES: Final = frozenset({"submit", "button", "reset", "image", "hidden"})
"""Input types that take no validation message."""


def _message(text: str, message_id: str) -> Element:
    return html.p(text, id=message_id, style=ERROR_STYLE)


def field_box(
    control: Element,
    *,
    label: str | None,
    error: str | None,
    message_id: str | None,
    key: Hashable | None,
    style: Style | None,
    class_: str | None,
) -> Element:
    """Return a field (``control`` already carries its aria attributes) with its label and message.

    With ``error=None`` this is :func:`wrap_label`'s result; otherwise a ``<div>`` holding the
    labelled control and, for a non-empty ``error``, the message: ``error=""`` keeps the box so
    the control stays mounted (and focused) while a message comes and goes.
    """
    if error is None:
        return wrap_label(control, label, key, style, class_)
    inner = wrap_label(control, label, None, None, None)
    message = _message(error, message_id) if error and message_id else None
    return html.div(inner, message, key=key, style=merge_styles(FIELD_BOX_STYLE, style), class_=class_)


def invalid_attrs(error: str | None, message_id: str | None, described_by: object = None) -> dict[str, str]:
    """Return the attributes of a control with ``error`` (none when there is no message).

    Args:
        error: The message, if any.
        message_id: The ``id`` of the element showing it.
        described_by: The control's own ``aria-describedby`` (a hint, a Tooltip's id): its ids
            are kept, the message's id added after them, so the description is still read
            along with the error (WCAG 1.3.1; React Aria orders them the same way).

    Returns:
        ``aria-invalid`` and ``aria-describedby``, or nothing.

    """
    if not error or not message_id:
        return {}
    ids = described_by.split() if isinstance(described_by, str) else []
    if message_id not in ids:
        ids.append(message_id)
    return {"aria-invalid": "true", "aria-describedby": " ".join(ids)}


def to_error_map(errors: object, /) -> dict[str, str]:
    """Return ``{field name: message}`` from a mapping or a Pydantic ``ValidationError``.

    A ``ValidationError``'s location becomes the dotted name (``("address", "zip")`` ->
    ``"address.zip"``; an error of the whole model has the name ``""``); the first message of a
    field wins.

    Raises:
        WidgetError: ``Form(errors=...)`` on anything else, or a non-str name or message.

    """
    if isinstance(errors, ValidationError):
        out: dict[str, str] = {}
        for item in errors.errors(include_url=False):
            out.setdefault(".".join(str(part) for part in item["loc"]), str(item["msg"]))
        return out
    if not isinstance(errors, Mapping):
        raise WidgetError(
            f"Form(errors=...): expected a mapping of field name to message or a pydantic "
            f"ValidationError, got {describe(errors)}"
        )
    for name, message in errors.items():
        if not isinstance(name, str) or not isinstance(message, str):
            raise WidgetError(
                "Form(errors=...): expected str names and messages, "
                f"got {describe(name)}: {describe(message)}"
            )
    return dict(errors)


class _Marker:
    """Walks a Form's children once, marking the named controls and placing their messages."""

    __slots__ = ("errors", "placed")

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = errors
        self.placed: set[str] = set()

    def children(self, nodes: Iterable[Node]) -> tuple[Node, ...]:
        out: list[Node] = []
        for node in nodes:
            if isinstance(node, Element):
                messages: list[Node] = []
                out.append(self.element(node, messages))
                out.extend(messages)
            else:
                out.append(node)
        return tuple(out)

    def element(self, node: Element, messages: list[Node]) -> Element:
        name = node.attrs.get("name")
        if node.tag in FIELD_TAGS and name is not None and node.attrs.get("type") not in _NO_MESSAGE_TYPES:
            message = self.errors.get(name, "")
            if "aria-invalid" in node.attrs:  # the field shows its own error (error=...)
                self.placed.add(name)
                return node
            message_id = f"{node.attrs['id']}-error" if node.attrs.get("id") else f"tw-{name}-error"
            if name not in self.placed:  # radios share a name: one message for the group
                # an empty slot when valid, so the siblings keep their positions (and the
                # controls stay mounted, typed text and focus kept) when a message appears
                messages.append(_message(message, message_id))
                self.placed.add(name)
            if not message:
                return node
            attrs = {**node.attrs, **invalid_attrs(message, message_id, node.attrs.get("aria-describedby"))}
            return msgspec.structs.replace(node, attrs=attrs)
        if not node.children:
            return node
        if node.tag == "label":  # a message goes after the label, not into its accessible name
            children = tuple(
                self.element(c, messages) if isinstance(c, Element) else c for c in node.children
            )
        else:
            children = self.children(node.children)
        if all(new is old for new, old in zip(children, node.children, strict=False)) and len(
            children
        ) == len(node.children):
            return node
        return msgspec.structs.replace(node, children=children)


def apply_errors(children: tuple[Node, ...], errors: Mapping[str, str]) -> tuple[Node, ...]:
    """Mark the controls named in ``errors`` and show each message after its control.

    Controls are found among the Form's elements (``input``, ``textarea``, ``select`` with a
    ``name``), not inside ``@component`` children (they render later). Every such control gets a
    message element after it (after its ``<label>``), empty while it has no error, so the
    children keep their positions whether messages are shown or not. The result starts with a
    ``role="alert"`` box, present even when empty so that its messages are announced when they
    appear (a live region must exist before its content changes), listing the errors whose name
    matches no control (``""`` for the whole model).

    Returns:
        The new children (unchanged nodes are reused).

    """
    marker = _Marker(errors)
    marked = marker.children(children)
    rest = [message for name, message in errors.items() if message and name not in marker.placed]
    summary = html.div(
        *(html.p(message) for message in rest), role="alert", style=SUMMARY_STYLE if rest else None
    )
    return (summary, *marked)
