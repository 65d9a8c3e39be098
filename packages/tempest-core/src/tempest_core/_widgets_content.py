"""Content widgets: Text, Button, Link, Image, Divider."""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable, Hashable
from typing import Final, Literal, TypeVar

from tempest_core._html_build import describe
from tempest_core._theme_rules import BUTTON_VARIANTS, DIVIDER, LINK, button_class
from tempest_core._widgets_base import (
    Callback,
    call_with_event,
    check_callback,
    check_common,
    check_keywords,
    check_type,
    require,
    with_class,
)
from tempest_core.errors import WidgetError
from tempest_core.events import ClickEvent
from tempest_core.html import html
from tempest_core.nodes import Element, EventBinding
from tempest_core.style import Style
from tempestweb_contract import EVENT_PREVENT_DEFAULT

__all__ = ["Button", "Divider", "Image", "Link", "Text"]

T = TypeVar("T")
TextTag = Literal[
    "span", "p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "small", "label", "div", "code", "pre"
]
Align = Literal["start", "center", "end", "stretch", "baseline"]
Justify = Literal["start", "center", "end", "space-between", "space-around", "space-evenly"]

ButtonVariant = Literal["primary", "secondary", "ghost", "danger"]
"""The looks of :func:`Button` under the theme."""

_TEXT_TAGS: Final = frozenset(TextTag.__args__)  # type: ignore[attr-defined]
_ALIGN: Final = {
    "start": "flex-start",
    "center": "center",
    "end": "flex-end",
    "stretch": "stretch",
    "baseline": "baseline",
}
_JUSTIFY: Final = {
    "start": "flex-start",
    "center": "center",
    "end": "flex-end",
    "space-between": "space-between",
    "space-around": "space-around",
    "space-evenly": "space-evenly",
}
_STYLE_CACHE_SIZE: Final = 256


@functools.partial(check_keywords, hoist=True, text=True)
def Text(
    text: str,
    *,
    as_: TextTag = "span",
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a run of text in a ``<span>`` (or ``as_="p"``, a heading, ``strong``...).

    Args:
        text: The text; never parsed as HTML.
        as_: The element to use.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: If ``text`` is not a str or ``as_`` is not a supported tag.

    """
    check_type("Text", "text", text, str, "str")
    if as_ not in _TEXT_TAGS:
        raise WidgetError(
            f"Text(as_=...): expected one of {', '.join(sorted(_TEXT_TAGS))}, got {describe(as_)}"
        )
    check_common("Text", key, style, class_, id)
    factory: Callable[..., Element] = getattr(html, as_)
    return factory(text, key=key, style=style, class_=class_, id=id)


@functools.partial(check_keywords, hoist=True)
def Button(
    label: str | Element,
    *,
    on_click: Callback | EventBinding | None = None,
    disabled: bool = False,
    type: Literal["button", "submit", "reset"] = "button",
    variant: ButtonVariant = "secondary",
    aria_label: str | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a ``<button>`` (``type="button"`` by default, so it never submits a form by accident).

    Args:
        label: Text, or an element (an icon) as the content.
        on_click: Called with a :class:`~tempest_core.events.ClickEvent` (or no argument).
        disabled: Render the ``disabled`` attribute.
        type: The button type (https://html.spec.whatwg.org/#attr-button-type).
        variant: The look under the theme: ``"primary"`` (the main action, filled with
            ``--tw-color-primary``), ``"secondary"`` (outlined surface), ``"ghost"`` (no fill
            until hovered) or ``"danger"`` (destructive, ``--tw-color-danger``). Adds the classes
            ``tw-button tw-button-<variant>``.
        aria_label: Accessible name when the label is not text.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: On a label that is neither str nor Element, a non-callable handler, a non-bool
            ``disabled``, an unknown ``type`` or an unknown ``variant``.

    """
    check_type("Button", "label", label, (str, Element), "str or Element")
    check_callback("Button", "on_click", on_click)
    check_type("Button", "disabled", disabled, bool, "bool")
    if type not in ("button", "submit", "reset"):
        raise WidgetError(f"Button(type=...): expected 'button', 'submit' or 'reset', got {describe(type)}")
    if variant not in BUTTON_VARIANTS:
        raise WidgetError(
            f"Button(variant=...): expected one of {', '.join(map(repr, BUTTON_VARIANTS))}, "
            f"got {describe(variant)}"
        )
    check_common("Button", key, style, class_, id)
    return html.button(
        label,
        type=type,
        disabled=disabled,
        aria_label=aria_label,
        on_click=on_click,
        key=key,
        style=style,
        class_=with_class(button_class(variant), class_),
        id=id,
    )


def _navigate(href: str) -> None:
    router = importlib.import_module("tempest_core.router")
    navigate: Callable[[str], object] = router.navigate
    navigate(href)


def _internal_link_handler(href: str, user: Callback | None) -> Callable[[ClickEvent], object]:
    def follow(event: ClickEvent) -> object:
        result = call_with_event(user, event) if user is not None else None
        if inspect.isawaitable(result):
            pending = result

            async def finish() -> None:
                await pending
                _navigate(href)

            return finish()
        _navigate(href)
        return None

    return follow


@functools.partial(check_keywords, hoist=True)
def Link(
    text: str | Element,
    *,
    href: str,
    new_tab: bool = False,
    on_click: Callback | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build an ``<a href>``; app-internal paths navigate client-side without a page load.

    An ``href`` starting with ``/`` (not ``//``) gets a click listener with ``preventDefault``
    that calls ``tempest_core.router.navigate(href)`` after ``on_click``. Hash links (``#...``)
    and external URLs stay plain links.

    Args:
        text: Link text or content element.
        href: The target URL.
        new_tab: Open in a new browsing context (``target="_blank"``, ``rel="noopener noreferrer"``).
        on_click: Called with a ClickEvent (or no argument) before navigation.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: On a non-str ``href`` (or a ``javascript:`` URL), bad text or handler.

    """
    check_type("Link", "text", text, (str, Element), "str or Element")
    check_type("Link", "href", href, str, "str")
    check_type("Link", "new_tab", new_tab, bool, "bool")
    check_callback("Link", "on_click", on_click)
    check_common("Link", key, style, class_, id)
    click: Callback | EventBinding | None = on_click
    if href.startswith("/") and not href.startswith("//") and not new_tab:
        click = EventBinding(_internal_link_handler(href, on_click), EVENT_PREVENT_DEFAULT)
    return html.a(
        text,
        href=href,
        target="_blank" if new_tab else None,
        rel="noopener noreferrer" if new_tab else None,
        on_click=click,
        key=key,
        style=style,
        class_=with_class(LINK, class_),
        id=id,
    )


@check_keywords
def Image(
    *,
    src: str | None = None,
    alt: str | None = None,
    width: int | None = None,
    height: int | None = None,
    loading: Literal["lazy", "eager"] | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build an ``<img>``; ``alt`` is required (use ``alt=""`` for a purely decorative image).

    Args:
        src: Image URL.
        alt: Text alternative (https://html.spec.whatwg.org/#alt).
        width: Intrinsic width in CSS pixels.
        height: Intrinsic height in CSS pixels.
        loading: ``"lazy"`` defers off-screen images.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: If ``src`` or ``alt`` is missing or not a str, or a size is not a positive int.

    """
    check_type("Image", "src", require("Image", "src", src), str, "str")
    check_type(
        "Image", "alt", require("Image", "alt", alt, " (use alt='' for a decorative image)"), str, "str"
    )
    for arg, size in (("width", width), ("height", height)):
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
            raise WidgetError(
                f"Image({arg}=...): expected a non-negative int (CSS pixels), got {describe(size)}"
            )
    if loading not in (None, "lazy", "eager"):
        raise WidgetError(f"Image(loading=...): expected 'lazy' or 'eager', got {describe(loading)}")
    check_common("Image", key, style, class_, id)
    return html.img(
        src=src,
        alt=alt,
        width=width,
        height=height,
        loading=loading,
        key=key,
        style=style,
        class_=class_,
        id=id,
    )


@functools.partial(check_keywords, hoist=True)
def Divider(
    *,
    vertical: bool = False,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a thematic break ``<hr>`` (``aria-orientation="vertical"`` when ``vertical``).

    Args:
        vertical: Mark the separator as vertical.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: On a non-bool ``vertical`` or a bad common argument.

    """
    check_type("Divider", "vertical", vertical, bool, "bool")
    check_common("Divider", key, style, class_, id)
    return html.hr(
        aria_orientation="vertical" if vertical else None,
        key=key,
        style=style,
        class_=with_class(DIVIDER, class_),
        id=id,
    )
