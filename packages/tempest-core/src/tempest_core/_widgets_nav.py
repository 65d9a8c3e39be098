"""Navigation widgets: Tabs and Menu (a menu button), following the WAI-ARIA Authoring Practices.

Focus movement (roving focus along the tabs, through the menu items, back to the menu button)
runs in the page through the client's behaviour layer (``client/src/behaviors.js``); which tab
is selected and whether the menu is open is state in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from tempest_core._html_build import describe
from tempest_core._widgets_base import (
    FOCUS_RING,
    Callback,
    check_callback,
    check_common,
    check_keywords,
    check_type,
    merge_styles,
)
from tempest_core._widgets_overlay import behavior_attr, check_id
from tempest_core.components import component
from tempest_core.errors import WidgetError
from tempest_core.events import handler
from tempest_core.hooks import use_state
from tempest_core.html import html
from tempest_core.nodes import Component, Element, Node, TemplateInstance, Text
from tempest_core.style import Style
from tempestweb_contract.names import DOM_EVENT_DISMISS

__all__ = ["Menu", "MenuItem", "Tab", "Tabs"]

Orientation = Literal["horizontal", "vertical"]
MenuAlign = Literal["start", "end"]

_CONTENT_TYPES: Final = (str, Element, Text, Component, TemplateInstance)
_TABS: Final = Style(display="flex", flex_direction="column", gap="var(--tw-space-3)")
_TABS_VERTICAL: Final = Style(display="flex", flex_direction="row", gap="var(--tw-space-4)")
# A row of tabs wider than its container scrolls sideways instead of widening the page; the
# padding keeps the 4 px focus ring inside the scroll box, which clips what overflows it.
_TABLIST: Final = Style(
    display="flex",
    gap="var(--tw-space-1)",
    padding=(4, 4, 0, 4),
    overflow_x="auto",
    border_bottom="1px solid var(--tw-color-border)",
)
_TABLIST_VERTICAL: Final = Style(
    display="flex",
    flex_direction="column",
    gap="var(--tw-space-1)",
    border_right="1px solid var(--tw-color-border)",
)
_TAB: Final = Style(
    # No transparent bottom border on an unselected tab: forced colors paint transparent borders
    # too, so every tab looked selected. 2 px more bottom padding take the selected tab's border's
    # place.
    padding=("var(--tw-space-2)", "var(--tw-space-4)", "calc(var(--tw-space-2) + 2px)", "var(--tw-space-4)"),
    shrink=0,
    white_space="nowrap",
    border="none",
    background="transparent",
    color="var(--tw-color-text-muted)",
    font_size="var(--tw-text-md)",
    cursor="pointer",
    hover=Style(color="var(--tw-color-text)", background="var(--tw-color-surface-2)"),
    focus_visible=FOCUS_RING,
    disabled=Style(cursor="not-allowed", opacity=0.5),
)
_TAB_SELECTED: Final = _TAB | Style(
    color="var(--tw-color-primary)",
    border_bottom="2px solid var(--tw-color-primary)",
    padding=("var(--tw-space-2)", "var(--tw-space-4)"),
)
_PANEL: Final = Style(focus_visible=FOCUS_RING, border_radius="var(--tw-radius-sm)")
_MENU_WRAPPER: Final = Style(position="relative", display="inline-block")
_MENU_BUTTON: Final = Style(
    display="inline-flex",
    align_items="center",
    gap="var(--tw-space-2)",
    padding=("var(--tw-space-2)", "var(--tw-space-3)"),
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-md)",
    background="var(--tw-color-surface)",
    color="var(--tw-color-text)",
    font_size="var(--tw-text-md)",
    cursor="pointer",
    hover=Style(background="var(--tw-color-surface-2)"),
    focus_visible=FOCUS_RING,
)
_MENU: Final = Style(
    position="absolute",
    top="calc(100% + 4px)",
    z_index=900,
    min_width="12rem",
    display="flex",
    flex_direction="column",
    padding="var(--tw-space-1)",
    background="var(--tw-color-surface)",
    color="var(--tw-color-text)",
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-md)",
    box_shadow="var(--tw-shadow-md)",
)
_MENU_ALIGN: Final = {"start": _MENU | Style(left=0), "end": _MENU | Style(right=0)}
_MENU_ITEM: Final = Style(
    padding=("var(--tw-space-2)", "var(--tw-space-3)"),
    border_radius="var(--tw-radius-sm)",
    cursor="pointer",
    user_select="none",
    hover=Style(background="var(--tw-color-surface-2)"),
    # A transparent outline, not none: forced colors paint it (the background is replaced).
    focus=Style(outline="2px solid transparent", background="var(--tw-color-surface-2)"),
    focus_visible=FOCUS_RING,
)
_MENU_ITEM_DISABLED: Final = _MENU_ITEM | Style(cursor="not-allowed", color="var(--tw-color-text-muted)")


@dataclass(frozen=True, slots=True, kw_only=True)
class Tab:
    """One tab of :func:`Tabs`: its key, label and panel content.

    Args:
        key: The tab's identity, passed to ``Tabs(on_change=...)`` and matched by ``selected``.
        label: The tab's text.
        content: The panel shown while the tab is selected (an element, text or None).
        disabled: Render the tab disabled (arrow keys skip it).

    Raises:
        WidgetError: On a non-str or empty ``key``/``label``, a non-Node ``content`` or a
            non-bool ``disabled``.

    """

    key: str
    label: str
    content: Node | str | None = None
    disabled: bool = False

    def __post_init__(self) -> None:
        for arg in ("key", "label"):
            value = getattr(self, arg)
            check_type("Tab", arg, value, str, "str")
            if not value:
                raise WidgetError(f"Tab({arg}=...): expected a non-empty str, got ''")
        if self.content is not None and not isinstance(self.content, _CONTENT_TYPES):
            raise WidgetError(
                f"Tab(content=...): expected an element, str or None, got {describe(self.content)}"
            )
        check_type("Tab", "disabled", self.disabled, bool, "bool")


@check_keywords
def Tabs(
    *,
    tabs: Sequence[Tab],
    selected: str,
    id: str,
    label: str,
    on_change: Callable[[str], object] | None = None,
    orientation: Orientation = "horizontal",
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
) -> Element:
    """Build tabs with automatic activation (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/).

    Markup: a ``role="tablist"`` (``aria-label``, ``aria-orientation``) of ``<button
    role="tab">`` (ids ``"<id>-tab-<n>"``, ``aria-selected``, ``aria-controls``) and one
    ``role="tabpanel"`` per tab (ids ``"<id>-panel-<n>"``, ``aria-labelledby`` its tab); only
    the selected panel has content, the others are empty and ``hidden``. Roving tabindex: the
    selected tab has ``tabindex="0"``, the others ``-1``, so Tab enters the tablist on the
    selected tab and leaves it to the panel. In the page, ArrowRight/ArrowLeft (ArrowDown/
    ArrowUp when vertical), Home and End move focus along the enabled tabs, wrapping, and
    select the focused tab (automatic activation: the panel follows focus; each move is one
    click event, so ``on_change`` runs once per move). The app owns ``selected``.

    Args:
        tabs: The tabs, in order (unique keys, at least one).
        selected: Key of the selected tab.
        id: Prefix of the tab and panel ids (letters, digits, ``-_:.``).
        label: Accessible name of the tablist.
        on_change: Called with the key of the tab the user selected (not for the selected one).
        orientation: ``"horizontal"`` (tabs in a row) or ``"vertical"`` (a column beside the panel).
        key: Identity among keyed siblings.
        style: A Style laid over the outer element's.
        class_: Extra class names of the outer element.

    Returns:
        A ``<div>`` holding the tablist and the panels.

    Raises:
        WidgetError: On an empty ``tabs``, a non-Tab item, a repeated key, a ``selected`` that
            is no tab's key, a bad ``id``, a non-str ``label``, a non-callable ``on_change`` or
            an unknown ``orientation``.

    Example:
        >>> t = Tabs(tabs=[Tab(key="a", label="A"), Tab(key="b", label="B")], selected="b",
        ...          id="t", label="Sections")
        >>> print(*(tab.attrs["aria-selected"] for tab in t.children[0].children))
        false true

    """
    given: object = tabs
    if isinstance(given, str) or not isinstance(given, Sequence) or not given:
        raise WidgetError(f"Tabs(tabs=...): expected a non-empty sequence of Tab, got {describe(tabs)}")
    keys: list[str] = []
    for item in tabs:
        check_type("Tabs", "tabs", item, Tab, "a sequence of Tab")
        if item.key in keys:
            raise WidgetError(f"Tabs(tabs=...): expected unique tab keys, got {item.key!r} twice")
        keys.append(item.key)
    check_type("Tabs", "selected", selected, str, "str")
    if selected not in keys:
        raise WidgetError(
            f"Tabs(selected=...): expected one of the tab keys {keys!r}, got {describe(selected)}"
        )
    check_id("Tabs", id)
    check_type("Tabs", "label", label, str, "str")
    check_callback("Tabs", "on_change", on_change)
    if orientation not in ("horizontal", "vertical"):
        raise WidgetError(
            f"Tabs(orientation=...): expected 'horizontal' or 'vertical', got {describe(orientation)}"
        )
    check_common("Tabs", key, style, class_, None)
    buttons: list[Element] = []
    panels: list[Element] = []
    for index, item in enumerate(tabs):
        tab_id, panel_id = f"{id}-tab-{index}", f"{id}-panel-{index}"
        chosen = item.key == selected
        buttons.append(
            html.button(
                item.label,
                type="button",
                role="tab",
                id=tab_id,
                aria_selected="true" if chosen else "false",
                aria_controls=panel_id,
                tabindex=0 if chosen else -1,
                disabled=item.disabled,
                on_click=None
                if chosen or item.disabled or on_change is None
                else _select(on_change, item.key),
                key=item.key,
                style=_TAB_SELECTED if chosen else _TAB,
            )
        )
        panels.append(
            html.div(
                item.content if chosen else None,
                role="tabpanel",
                id=panel_id,
                aria_labelledby=tab_id,
                tabindex=0,
                hidden=not chosen,
                key=item.key,
                style=_PANEL,
            )
        )
    vertical = orientation == "vertical"
    tablist = html.div(
        *buttons,
        role="tablist",
        aria_label=label,
        aria_orientation=orientation,
        style=_TABLIST_VERTICAL if vertical else _TABLIST,
        attrs=behavior_attr("TABS"),
    )
    outer = _TABS_VERTICAL if vertical else _TABS
    return html.div(tablist, html.div(*panels), key=key, style=merge_styles(outer, style), class_=class_)


def _select(on_change: Callable[[str], object], tab_key: str) -> Callable[[], object]:
    def on_click() -> object:
        return on_change(tab_key)

    return on_click


@dataclass(frozen=True, slots=True, kw_only=True)
class MenuItem:
    """One item of :func:`Menu`.

    Args:
        label: The item's text.
        on_select: Called with no argument when the item is chosen (click, Enter or Space); may
            be ``async``.
        disabled: Render the item ``aria-disabled`` (focusable, not selectable, as the APG says).

    Raises:
        WidgetError: On a non-str or empty ``label``, a non-callable ``on_select`` or a non-bool
            ``disabled``.

    """

    label: str
    on_select: Callback | None = None
    disabled: bool = False

    def __post_init__(self) -> None:
        check_type("MenuItem", "label", self.label, str, "str")
        if not self.label:
            raise WidgetError("MenuItem(label=...): expected a non-empty str, got ''")
        check_callback("MenuItem", "on_select", self.on_select)
        check_type("MenuItem", "disabled", self.disabled, bool, "bool")


@check_keywords
def Menu(
    *,
    label: str | Element,
    items: Sequence[MenuItem],
    id: str,
    aria_label: str | None = None,
    align: MenuAlign = "start",
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
) -> Component:
    """Build a menu button and its menu (https://www.w3.org/WAI/ARIA/apg/patterns/menu-button/).

    A component: whether the menu is open is its own state (in Python). The button has
    ``aria-haspopup="menu"``, ``aria-expanded`` and, while open, ``aria-controls`` naming the
    ``role="menu"`` (id ``"<id>-menu"``, ``aria-labelledby`` the button ``"<id>-button"``) of
    ``role="menuitem"`` items. Enter, Space or a click on the button opens the menu with focus
    on the first item, ArrowDown too, ArrowUp on the last; ArrowDown/ArrowUp (wrapping),
    Home/End move; a printable character moves to the next item whose label starts with it
    (type-ahead, https://www.w3.org/WAI/ARIA/apg/patterns/menubar/: the same character again
    cycles, characters typed less than a second apart form one prefix); Enter, Space or a click
    chooses an item: the menu closes, then its ``on_select`` runs. Escape closes it and returns
    focus to the button; Tab and a pointer press outside close it. Focus moves in the page (the
    client's behaviour layer).

    Args:
        label: The button's content (text, or an element such as an icon).
        items: The menu items, at least one.
        id: Prefix of the button and menu ids (letters, digits, ``-_:.``).
        aria_label: The button's accessible name when ``label`` is not text.
        align: Align the menu with the button's start or end edge.
        key: Identity among keyed siblings.
        style: A Style laid over the menu's.
        class_: Extra class names of the menu.

    Returns:
        A component vnode rendering a ``<div>`` with the button and, when open, the menu.

    Raises:
        WidgetError: On a bad ``label``, an empty ``items`` or a non-MenuItem in it, a bad
            ``id``, a non-str ``aria_label`` or an unknown ``align``.

    """
    check_type("Menu", "label", label, (str, Element), "str or Element")
    given: object = items
    if isinstance(given, str) or not isinstance(given, Sequence) or not given:
        raise WidgetError(
            f"Menu(items=...): expected a non-empty sequence of MenuItem, got {describe(items)}"
        )
    for item in items:
        check_type("Menu", "items", item, MenuItem, "a sequence of MenuItem")
    check_id("Menu", id)
    if aria_label is not None:
        check_type("Menu", "aria_label", aria_label, str, "str")
    if align not in _MENU_ALIGN:
        raise WidgetError(f"Menu(align=...): expected 'start' or 'end', got {describe(align)}")
    check_common("Menu", key, style, class_, None)
    return _menu(
        label=label,
        items=tuple(items),
        id=id,
        aria_label=aria_label,
        align=align,
        style=style,
        class_=class_,
        key=key,
    )


@component
def _menu(
    *,
    label: str | Element,
    items: tuple[MenuItem, ...],
    id: str,
    aria_label: str | None,
    align: MenuAlign,
    style: Style | None,
    class_: str | None,
) -> Node:
    is_open, set_open = use_state(False)

    def toggle() -> None:
        set_open(lambda was: not was)

    def close() -> None:
        set_open(False)

    button_id, menu_id = f"{id}-button", f"{id}-menu"
    button = html.button(
        label,
        type="button",
        id=button_id,
        aria_haspopup="menu",
        aria_expanded="true" if is_open else "false",
        aria_controls=menu_id if is_open else None,
        aria_label=aria_label,
        on_click=toggle,
        style=_MENU_BUTTON,
        attrs=behavior_attr("MENU_BUTTON"),
    )
    if not is_open:
        return html.div(button, style=_MENU_WRAPPER)
    menu = html.div(
        *(_menu_item(item, close) for item in items),
        role="menu",
        id=menu_id,
        aria_labelledby=button_id,
        # The dismissal stops here: in a Dialog it would bubble on to the dialog's own listener,
        # and Escape in the menu closed the dialog too (APG: Escape closes the menu only).
        on={DOM_EVENT_DISMISS: handler(close, stop_propagation=True)},
        style=merge_styles(_MENU_ALIGN[align], style),
        class_=class_,
        attrs=behavior_attr("MENU"),
    )
    return html.div(button, menu, style=_MENU_WRAPPER)


def _menu_item(item: MenuItem, close: Callable[[], None]) -> Element:
    if item.disabled:
        return html.div(
            item.label, role="menuitem", tabindex=-1, aria_disabled="true", style=_MENU_ITEM_DISABLED
        )
    chosen = item.on_select

    def on_click() -> Any:
        close()
        return None if chosen is None else chosen()

    return html.div(item.label, role="menuitem", tabindex=-1, on_click=on_click, style=_MENU_ITEM)
