"""Layout widgets: Stack, Column, Row, Container, Spacer, List."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from typing import Final, Literal, TypeVar

from tempest_core._html_build import describe
from tempest_core._widgets_base import (
    check_callback,
    check_common,
    check_keywords,
    check_length,
    check_type,
    merge_styles,
    require,
)
from tempest_core.errors import WidgetError
from tempest_core.html import Child, html
from tempest_core.nodes import Element, Node, TemplateInstance
from tempest_core.style import Length, Sides, Style

__all__ = ["Column", "Container", "List", "Row", "Spacer", "Stack"]

T = TypeVar("T")
TextTag = Literal[
    "span", "p", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "small", "label", "div", "code", "pre"
]
Align = Literal["start", "center", "end", "stretch", "baseline"]
Justify = Literal["start", "center", "end", "space-between", "space-around", "space-evenly"]

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
# Keywords each CSS property takes besides lengths (https://drafts.csswg.org/css-align/#column-row-gap,
# https://drafts.csswg.org/css-sizing-3/#sizing-values, https://drafts.csswg.org/css-flexbox/#flex-basis-property).
_GAP_WORDS: Final = frozenset({"normal"})
_MAX_WIDTH_WORDS: Final = frozenset({"none", "min-content", "max-content", "fit-content", "stretch"})
_BASIS_WORDS: Final = frozenset({"auto", "content", "min-content", "max-content", "fit-content"})


def _sides(value: object) -> Sides | None:
    # lists are accepted for convenience but are unhashable: the style caches need tuples
    return tuple(value) if isinstance(value, list) else value  # type: ignore[return-value]


@lru_cache(maxsize=_STYLE_CACHE_SIZE, typed=True)
def _flex_style(
    where: str, direction: str, gap: Sides | None, *, align: str | None, justify: str | None, wrap: bool
) -> Style:
    """Validate a flex container's layout arguments and return its base style (cached when valid).

    Raises:
        WidgetError: On an unknown direction/align/justify, a non-bool ``wrap`` or a ``gap`` that
            is not a length (nothing is cached then).

    """
    if direction not in ("column", "row"):
        raise WidgetError(f"Stack(direction=...): expected 'column' or 'row', got {describe(direction)}")
    if align is not None and align not in _ALIGN:
        raise WidgetError(f"{where}(align=...): expected one of {', '.join(_ALIGN)}, got {describe(align)}")
    if justify is not None and justify not in _JUSTIFY:
        raise WidgetError(
            f"{where}(justify=...): expected one of {', '.join(_JUSTIFY)}, got {describe(justify)}"
        )
    check_type(where, "wrap", wrap, bool, "bool")
    check_length(where, "gap", gap, sides=True, words=_GAP_WORDS)
    return Style(
        display="flex",
        flex_direction=direction,  # type: ignore[arg-type]
        gap=gap,
        align_items=_ALIGN[align] if align else None,  # type: ignore[arg-type]
        justify_content=_JUSTIFY[justify] if justify else None,  # type: ignore[arg-type]
        flex_wrap="wrap" if wrap else None,
    )


def _flex(
    where: str,
    children: tuple[Child, ...],
    direction: str,
    *,
    gap: Sides | None,
    align: str | None,
    justify: str | None,
    wrap: bool,
    key: Hashable | None,
    style: Style | None,
    class_: str | None,
    id: str | None,
) -> Element:
    """Build the ``<div>`` of :func:`Stack`, :func:`Column` or :func:`Row` (validates; see Stack)."""
    try:
        base = _flex_style(where, direction, _sides(gap), align=align, justify=justify, wrap=wrap)
    except TypeError:  # an unhashable argument: validate it uncached, for the error
        base = _flex_style.__wrapped__(where, direction, _sides(gap), align=align, justify=justify, wrap=wrap)
    check_common(where, key, style, class_, id)
    return html.div(*children, key=key, style=merge_styles(base, style), class_=class_, id=id)


@functools.partial(check_keywords, hoist=True, children=True)
def Stack(
    *children: Child,
    direction: Literal["column", "row"] = "column",
    gap: Sides | None = None,
    align: Align | None = None,
    justify: Justify | None = None,
    wrap: bool = False,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a flex container ``<div>`` laying out its children in a column or a row.

    Args:
        *children: Child nodes (see :mod:`tempest_core.html` for accepted kinds).
        direction: Main axis.
        gap: Space between children (px if a number; CSS text otherwise).
        align: Cross-axis alignment (``align-items``).
        justify: Main-axis distribution (``justify-content``).
        wrap: Let children wrap onto several lines.
        key: Identity among keyed siblings.
        style: A Style for the element, laid over the flex style.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: On an unknown direction/align/justify, a ``gap`` that is not a length, or a
            bad common argument.

    """
    where = "Row" if direction == "row" else "Column" if direction == "column" else "Stack"
    return _flex(
        where,
        children,
        direction,
        gap=gap,
        align=align,
        justify=justify,
        wrap=wrap,
        key=key,
        style=style,
        class_=class_,
        id=id,
    )


@functools.partial(check_keywords, hoist=True, children=True)
def Column(
    *children: Child,
    gap: Sides | None = None,
    align: Align | None = None,
    justify: Justify | None = None,
    wrap: bool = False,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a vertical flex container; see :func:`Stack` for the arguments, returns and raises."""
    return _flex(
        "Column",
        children,
        "column",
        gap=gap,
        align=align,
        justify=justify,
        wrap=wrap,
        key=key,
        style=style,
        class_=class_,
        id=id,
    )


@functools.partial(check_keywords, hoist=True, children=True)
def Row(
    *children: Child,
    gap: Sides | None = None,
    align: Align | None = None,
    justify: Justify | None = None,
    wrap: bool = False,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a horizontal flex container; see :func:`Stack` for the arguments, returns and raises."""
    return _flex(
        "Row",
        children,
        "row",
        gap=gap,
        align=align,
        justify=justify,
        wrap=wrap,
        key=key,
        style=style,
        class_=class_,
        id=id,
    )


@lru_cache(maxsize=_STYLE_CACHE_SIZE)
def _container_style(max_width: Length, padding: Sides | None, center: bool) -> Style:
    return Style(
        box_sizing="border-box",
        width="100%",
        max_width=max_width,
        padding=padding,
        margin_left="auto" if center else None,
        margin_right="auto" if center else None,
    )


@functools.partial(check_keywords, hoist=True, children=True)
def Container(
    *children: Child,
    max_width: Length = 960,
    padding: Sides | None = 16,
    center: bool = True,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a width-limited ``<div>``, centred horizontally by default.

    Args:
        *children: Child nodes.
        max_width: Maximum width (px if a number).
        padding: Inner padding (px if a number, or 1-4 values).
        center: Centre with automatic inline margins.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The element.

    Raises:
        WidgetError: On a ``max_width`` or ``padding`` that is not a length, or a bad common
            argument.

    """
    check_type("Container", "center", center, bool, "bool")
    check_common("Container", key, style, class_, id)
    check_length("Container", "max_width", max_width, words=_MAX_WIDTH_WORDS)
    padding = _sides(padding)
    check_length("Container", "padding", padding, sides=True)
    base = _container_style(max_width, padding, center)
    return html.div(*children, key=key, style=merge_styles(base, style), class_=class_, id=id)


_GROW: Final = Style(flex="1 1 0")


@functools.partial(check_keywords, hoist=True)
def Spacer(
    *,
    size: Length | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build empty space in a flex container: fill the free space, or exactly ``size`` on the main axis.

    Args:
        size: Fixed size (px if a number); ``None`` grows to fill.
        key: Identity among keyed siblings.
        style: A Style for the element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        An ``aria-hidden`` ``<div>``.

    Raises:
        WidgetError: On a ``size`` that is not a length, or a bad common argument.

    """
    check_common("Spacer", key, style, class_, id)
    check_length("Spacer", "size", size, words=_BASIS_WORDS)
    base = _GROW if size is None else Style(grow=0, shrink=0, basis=size)
    return html.div(aria_hidden="true", key=key, style=merge_styles(base, style), class_=class_, id=id)


@check_keywords
def List(
    *,
    items: Iterable[T] | None = None,
    key: Callable[[T], Hashable] | None = None,
    render: Callable[[T], Node | str] | None = None,
    ordered: bool = False,
    list_key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a keyed ``<ul>``/``<ol>``: one ``<li>`` per item, identified by ``key(item)``.

    If ``render`` returns an ``<li>`` element, or a ``@template`` instance whose markup is an
    ``<li>``, it is used as the item (with the key applied); anything else is wrapped in an ``<li>``.

    Args:
        items: The items, in display order.
        key: Returns each item's unique, hashable identity (required: keyed diffing).
        render: Builds the content of one item.
        ordered: Use ``<ol>`` instead of ``<ul>``.
        list_key: The list element's own key among its siblings (``key`` is the item key).
        style: A Style for the list element.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The list element.

    Raises:
        WidgetError: If ``items``, ``key`` or ``render`` is missing or of the wrong kind, a key is
            unhashable, or two items have the same key.

    """
    check_type("List", "items", require("List", "items", items), Iterable, "an iterable")
    check_callback("List", "key", require("List", "key", key, " (items need a unique key)"))
    check_callback("List", "render", require("List", "render", render))
    check_type("List", "ordered", ordered, bool, "bool")
    check_common("List", list_key, style, class_, id)
    assert items is not None and key is not None and render is not None  # checked above
    seen: dict[Hashable, int] = {}
    children: list[Element | TemplateInstance] = []
    for index, item in enumerate(items):
        item_key = key(item)
        try:
            first = seen.setdefault(item_key, index)
        except TypeError:
            raise WidgetError(f"List(key=...): expected hashable keys, got {describe(item_key)}") from None
        if first != index:
            raise WidgetError(
                f"List(key=...): duplicate key {item_key!r} for items at index {first} and {index}"
            )
        node = render(item)
        if isinstance(node, Element) and node.tag == "li" and node.ns is None:
            children.append(
                Element(
                    node.tag, node.attrs, node.props, node.events, node.children, item_key, None, node.style
                )
            )
        elif (
            type(node) is TemplateInstance
            and node.template.nodes[0].tag == "li"
            and node.template.nodes[0].ns is None
        ):
            children.append(TemplateInstance(node.template, node.values, item_key))
        else:
            children.append(html.li(node, key=item_key))
    factory = html.ol if ordered else html.ul
    return factory(children, key=list_key, style=style, class_=class_, id=id)
