"""Display widgets: Card, Badge, Progress, Spinner, Icon.

Their look comes from the theme's ``tw-*`` class rules (:mod:`tempest_core.theme`); with
``App(theme=None)`` they keep their markup and semantics and show browser defaults. Sizes that
differ per call (an icon's or a spinner's size) are Styles, so they work without a theme too.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Hashable
from functools import lru_cache
from typing import Final, Literal, get_args

from tempest_core._html_build import describe
from tempest_core._icon_data import icon_children
from tempest_core._theme_rules import (
    BADGE_TONES,
    CARD,
    CARD_BODY,
    CARD_FOOTER,
    CARD_HEADER,
    ICON,
    PROGRESS,
    SPINNER,
    SPINNER_RING,
    badge_class,
)
from tempest_core._widgets_base import check_common, check_keywords, check_type, merge_styles, with_class
from tempest_core.errors import WidgetError
from tempest_core.html import Child, html, svg
from tempest_core.nodes import Element, Node
from tempest_core.style import Style

__all__ = ["Badge", "BadgeTone", "Card", "Icon", "Progress", "Spinner"]

BadgeTone = Literal["neutral", "primary", "success", "warning", "danger", "info"]
"""The colour tones of :func:`Badge` (theme tokens ``--tw-color-<tone>`` / ``--tw-color-on-<tone>``)."""

VISUALLY_HIDDEN: Final = Style(
    position="absolute",
    width=1,
    height=1,
    margin=-1,
    padding=0,
    border="0",
    overflow="hidden",
    white_space="nowrap",
)
"""Text read by assistive technology but not shown (the WAI "visually hidden" technique)."""

_MAX_ICON_PX: Final = 512
_SLOT_TYPES: Final[tuple[type, ...]] = (str, type(None), *get_args(Node))


@functools.partial(check_keywords, hoist=True)
def Card(
    *children: Child,
    header: str | Node | None = None,
    footer: str | Node | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a card: a surface with an optional header, a body and an optional footer.

    Markup: ``<div class="tw-card">`` holding ``<div class="tw-card-header">`` (when
    ``header``), ``<div class="tw-card-body">`` with ``children`` and ``<div
    class="tw-card-footer">`` (when ``footer``; its content is laid out in a row at the end, for
    actions). A ``str`` header is plain text: pass ``Text("Title", as_="h2")`` to make it a
    heading of the page outline.

    Args:
        *children: The body's nodes.
        header: The header slot (text or a node).
        footer: The footer slot (text or a node, e.g. a Row of Buttons).
        key: Identity among keyed siblings.
        style: A Style for the card element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: On a header or footer that is neither str nor a node, or a bad common argument.

    """
    check_type("Card", "header", header, _SLOT_TYPES, "str, Node or None")
    check_type("Card", "footer", footer, _SLOT_TYPES, "str, Node or None")
    check_common("Card", key, style, class_, id)
    return html.div(
        html.div(header, class_=CARD_HEADER) if header is not None else None,
        html.div(*children, class_=CARD_BODY),
        html.div(footer, class_=CARD_FOOTER) if footer is not None else None,
        key=key,
        style=style,
        class_=with_class(CARD, class_),
        id=id,
    )


@functools.partial(check_keywords, hoist=True)
def Badge(
    text: str,
    *,
    tone: BadgeTone = "neutral",
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a badge: a short status label in a pill (``<span class="tw-badge tw-badge-<tone>">``).

    Every tone's text meets WCAG 2.2 AA contrast (4.5:1) on its fill in both colour schemes.
    The tone is conveyed by colour only, so the text itself must say the status ("Failed", not
    just a red dot; WCAG 1.4.1 Use of Color).

    Args:
        text: The label.
        tone: ``"neutral"``, ``"primary"``, ``"success"``, ``"warning"``, ``"danger"`` or ``"info"``.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: On a non-str ``text``, an unknown ``tone`` or a bad common argument.

    """
    check_type("Badge", "text", text, str, "str")
    if tone not in BADGE_TONES:
        raise WidgetError(
            f"Badge(tone=...): expected one of {', '.join(map(repr, BADGE_TONES))}, got {describe(tone)}"
        )
    check_common("Badge", key, style, class_, id)
    return html.span(text, key=key, style=style, class_=with_class(badge_class(tone), class_), id=id)


def _finite(where: str, arg: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WidgetError(f"{where}({arg}=...): expected a number, got {describe(value)}")
    if not math.isfinite(value):
        raise WidgetError(f"{where}({arg}=...): expected a finite number, got {value!r}")
    return float(value)


@functools.partial(check_keywords, hoist=True)
def Progress(
    *,
    label: str,
    value: float | None = None,
    max: float = 1.0,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a progress bar: the native ``<progress>`` element (implicit ARIA role ``progressbar``).

    Determinate with ``value`` (``0 <= value <= max``; assistive technology reads the percentage),
    indeterminate with ``value=None`` (the browser animates it; no ``value`` attribute, per the
    HTML spec). The accessible name is ``label`` (``aria-label``); the bar takes the theme's
    primary colour through ``accent-color``.
    Reference: https://html.spec.whatwg.org/multipage/form-elements.html#the-progress-element
    and WAI-ARIA 1.2 ``progressbar``.

    Args:
        label: Accessible name, e.g. ``"Upload progress"``.
        value: Work done, in the units of ``max``; ``None`` for an indeterminate bar.
        max: Total work, a positive number.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: On an empty or non-str ``label``, a ``max`` that is not a positive finite
            number, a ``value`` outside ``[0, max]``, or a bad common argument.

    """
    check_type("Progress", "label", label, str, "str")
    if not label.strip():
        raise WidgetError("Progress(label=...): an accessible name is required, got an empty string")
    top = _finite("Progress", "max", max)
    if top <= 0:
        raise WidgetError(f"Progress(max=...): expected a positive number, got {max!r}")
    done: float | None = None
    if value is not None:
        done = _finite("Progress", "value", value)
        if not 0 <= done <= top:
            raise WidgetError(
                f"Progress(value=...): expected a number from 0 to max ({max!r}), got {value!r}"
            )
    check_common("Progress", key, style, class_, id)
    return html.progress(
        value=value,
        max=max,
        aria_label=label,
        key=key,
        style=style,
        class_=with_class(PROGRESS, class_),
        id=id,
    )


@lru_cache(maxsize=64)
def _box(size: int | float) -> Style:
    return Style(width=size, height=size)


def _size(where: str, size: object) -> float:
    number = _finite(where, "size", size)
    if not 0 < number <= _MAX_ICON_PX:
        raise WidgetError(f"{where}(size=...): expected CSS pixels in (0, {_MAX_ICON_PX}], got {size!r}")
    return number


@functools.partial(check_keywords, hoist=True)
def Spinner(
    *,
    label: str = "Loading",
    size: float = 16,
    show_label: bool = False,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a busy indicator: a ``role="status"`` live region with a spinning ring and a label.

    The ring is decorative (``aria-hidden``); the label is the status text announced politely
    (WAI-ARIA 1.2 ``status``), visually hidden unless ``show_label``. Under
    ``prefers-reduced-motion: reduce`` the ring does not spin (a dotted ring instead).

    Args:
        label: The status text, e.g. ``"Loading results"``.
        size: Ring diameter in CSS pixels, in (0, 512].
        show_label: Show the label next to the ring.
        key: Identity among keyed siblings.
        style: A Style for the outer element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: On an empty label, a size out of range, a non-bool ``show_label`` or a bad
            common argument.

    """
    check_type("Spinner", "label", label, str, "str")
    if not label.strip():
        raise WidgetError("Spinner(label=...): the status text is required, got an empty string")
    px = _size("Spinner", size)
    check_type("Spinner", "show_label", show_label, bool, "bool")
    check_common("Spinner", key, style, class_, id)
    return html.span(
        html.span(class_=SPINNER_RING, aria_hidden="true", style=_box(px)),
        html.span(label, style=None if show_label else VISUALLY_HIDDEN),
        role="status",
        key=key,
        style=merge_styles(Style(position="relative"), style),
        class_=with_class(SPINNER, class_),
        id=id,
    )


@functools.partial(check_keywords, hoist=True)
def Icon(
    name: str,
    *,
    size: float = 16,
    label: str | None = None,
    stroke_width: float = 2,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build an inline ``<svg>`` icon of the vendored Lucide set (only the icons used are sent).

    Decorative by default (``aria-hidden="true"``, as an icon beside text should be); with
    ``label`` it is an image with that accessible name (``role="img"``, ``aria-label``) for an
    icon that stands alone. The stroke uses ``currentColor``, so the icon takes the text colour.
    Names and drawings: https://lucide.dev/icons (version in ``tempest_core.icons``).

    Args:
        name: A Lucide icon name, e.g. ``"check"``, ``"trash-2"``, ``"chevron-down"``.
        size: Width and height in CSS pixels, in (0, 512].
        label: Accessible name for a meaningful icon; ``None`` for a decorative one.
        stroke_width: Stroke width in viewBox units (24 per side), in (0, 4].
        key: Identity among keyed siblings.
        style: A Style for the ``<svg>``.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The ``<svg>`` element (SVG namespace).

    Raises:
        WidgetError: On an unknown icon (with the closest names), a size or stroke width out of
            range, an empty label, or a bad common argument.

    """
    check_type("Icon", "name", name, str, "str")
    px = _size("Icon", size)
    stroke = _finite("Icon", "stroke_width", stroke_width)
    if not 0 < stroke <= 4:
        raise WidgetError(f"Icon(stroke_width=...): expected a number in (0, 4], got {stroke_width!r}")
    if label is not None:
        check_type("Icon", "label", label, str, "str")
        if not label.strip():
            raise WidgetError("Icon(label=...): use None for a decorative icon, not an empty string")
    check_common("Icon", key, style, class_, id)
    children = icon_children(name)
    return svg.svg(
        children,
        attrs={
            "viewBox": "0 0 24 24",
            "width": _px(px),
            "height": _px(px),
            "fill": "none",
            "stroke": "currentColor",
            "stroke-width": _px(stroke),
            "stroke-linecap": "round",
            "stroke-linejoin": "round",
            "focusable": "false",
        },
        aria_hidden="true" if label is None else None,
        role="img" if label is not None else None,
        aria_label=label,
        key=key,
        style=style,
        class_=with_class(ICON, class_),
        id=id,
    )


def _px(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)
