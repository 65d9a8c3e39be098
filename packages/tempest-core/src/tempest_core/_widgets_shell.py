"""AppShell: header, navigation drawer and content area of an application page (private).

Landmarks follow the WAI-ARIA landmark regions practice
(https://www.w3.org/WAI/ARIA/apg/practices/landmark-regions/): ``<header>`` (banner), ``<nav>``
(navigation, named by ``nav_label``) and ``<main>``. The drawer is a disclosure
(https://www.w3.org/WAI/ARIA/apg/patterns/disclosure/): below the ``md`` breakpoint
(:data:`~tempest_core.style.BREAKPOINT_MD_PX` CSS pixels wide) the navigation is hidden until
the header's menu button (``aria-expanded``, ``aria-controls``) opens it; from ``md`` up it is a
sidebar always shown and the button is hidden. The layout is CSS (a grid with a ``min-width``
media query), so the prerendered page and every mode agree without script.

Its first element is a skip link (WCAG 2.4.1 Bypass Blocks, technique G1): "Skip to main content",
the first thing Tab reaches, shown only while it has focus, a plain ``<a href="#main_id">`` to the
``<main>`` (``tabindex="-1"``), so following it moves focus there and the next Tab goes on inside
the content, past the header and the navigation. No script: it works in the prerendered page too.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Final, cast

from tempest_core._widgets_base import (
    FOCUS_RING,
    check_callback,
    check_common,
    check_keywords,
    check_type,
    merge_styles,
)
from tempest_core._widgets_overlay import check_id
from tempest_core.components import component
from tempest_core.hooks import use_state
from tempest_core.html import Child, html
from tempest_core.nodes import EventBinding, Node
from tempest_core.router import use_location
from tempest_core.style import Style

__all__ = ["AppShell"]

DRAWER_WIDTH: Final = "16rem"
"""Width of the navigation sidebar from the ``md`` breakpoint up."""

_SHELL_STYLE: Final = Style(
    display="grid",
    grid_template_columns="minmax(0, 1fr)",
    grid_template_rows="auto auto 1fr",
    min_height="100vh",
    background_color="var(--tw-color-bg)",
    color="var(--tw-color-text)",
    font_family="var(--tw-font-sans)",
    breakpoints={
        "md": Style(grid_template_columns=f"{DRAWER_WIDTH} minmax(0, 1fr)", grid_template_rows="auto 1fr")
    },
)
_HEADER_STYLE: Final = Style(
    display="flex",
    align_items="center",
    gap="var(--tw-space-3)",
    padding="var(--tw-space-2) var(--tw-space-4)",
    background_color="var(--tw-color-surface)",
    border_bottom="1px solid var(--tw-color-border)",
    breakpoints={"md": Style(grid_column="1 / -1")},
)
_TOGGLE_STYLE: Final = Style(
    display="inline-flex",
    align_items="center",
    justify_content="center",
    width=40,
    height=40,
    padding=0,
    font_size="var(--tw-text-lg)",
    color="var(--tw-color-text)",
    background_color="transparent",
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-md)",
    hover=Style(background_color="var(--tw-color-surface-2)"),
    focus_visible=FOCUS_RING,
    breakpoints={"md": Style(display="none")},
)
_NAV_BASE: Final = Style(
    padding="var(--tw-space-3)",
    background_color="var(--tw-color-surface)",
    border_bottom="1px solid var(--tw-color-border)",
    overflow_y="auto",
    breakpoints={
        "md": Style(display="block", border_bottom="none", border_right="1px solid var(--tw-color-border)")
    },
)
_NAV_CLOSED: Final = _NAV_BASE | Style(display="none")
_NAV_OPEN: Final = _NAV_BASE | Style(display="block")
_MAIN_STYLE: Final = Style(
    padding="var(--tw-space-5)",
    min_width=0,
    # Focused only by the skip link (tabindex=-1, not a control): no ring around the whole page.
    focus=Style(outline="none"),
)
_SKIP_STYLE: Final = Style(
    position="absolute",
    top="var(--tw-space-2)",
    left="var(--tw-space-2)",
    z_index=1300,
    padding="var(--tw-space-2) var(--tw-space-3)",
    background_color="var(--tw-color-surface)",
    color="var(--tw-color-primary)",
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-md)",
    font_weight="bold",
    # Off the top edge (still in the accessibility tree and the tab order) until focused.
    transform="translateY(-200%)",
    focus=Style(transform="none", outline="2px solid transparent", box_shadow="var(--tw-focus-ring)"),
)
_ESCAPE: Final = ("Escape",)


@component
def _shell(
    *,
    header: Child,
    nav: Child,
    content: tuple[Child, ...],
    drawer_open: bool | None,
    on_drawer_change: Callable[[bool], object] | None,
    nav_label: str,
    nav_id: str,
    toggle_label: str,
    main_id: str,
    skip_label: str,
    style: Style | None,
    class_: str | None,
    id: str | None,
) -> Node:
    location = use_location()
    here = f"{location.path}{location.search}{location.hash}"
    # the location the drawer was opened at: after a navigation (a link in the drawer) it is closed
    opened_at, set_opened_at = use_state(cast(str | None, None))
    is_open = opened_at == here if drawer_open is None else drawer_open

    def set_open(new: bool) -> object:
        if drawer_open is None:
            set_opened_at(here if new else None)
        return on_drawer_change(new) if on_drawer_change is not None else None

    def toggle() -> object:
        return set_open(not is_open)

    def on_keydown() -> object:
        return set_open(False) if is_open else None

    return html.div(
        html.a(skip_label, href=f"#{main_id}", style=_SKIP_STYLE),
        html.header(
            html.button(
                "☰",
                type="button",
                aria_label=toggle_label,
                aria_expanded="true" if is_open else "false",
                aria_controls=nav_id,
                on_click=toggle,
                style=_TOGGLE_STYLE,
            ),
            header,
            style=_HEADER_STYLE,
        ),
        html.nav(
            nav,
            id=nav_id,
            aria_label=nav_label,
            on_keydown=EventBinding(on_keydown, 0, _ESCAPE),
            style=_NAV_OPEN if is_open else _NAV_CLOSED,
        ),
        html.main(*content, id=main_id, tabindex=-1, style=_MAIN_STYLE),
        style=merge_styles(_SHELL_STYLE, style),
        class_=class_,
        id=id,
    )


@check_keywords
def AppShell(
    *content: Child,
    header: Child = None,
    nav: Child = None,
    drawer_open: bool | None = None,
    on_drawer_change: Callable[[bool], object] | None = None,
    nav_label: str = "Main",
    nav_id: str = "tw-shell-nav",
    toggle_label: str = "Menu",
    main_id: str = "tw-shell-main",
    skip_label: str = "Skip to main content",
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Node:
    """Build an application layout: a header, a navigation drawer and the content area.

    Args:
        *content: The page content, inside ``<main>``.
        header: Header content after the menu button (title, actions), inside ``<header>``.
        nav: Navigation content (links), inside ``<nav aria-label=nav_label>``.
        drawer_open: Whether the drawer is open on small screens; None (default) lets the
            AppShell keep this state itself, closing the drawer when the location changes (a
            link in the drawer was followed).
        on_drawer_change: Called with the new open state when the menu button is pressed or
            Escape is pressed inside the open drawer (not an Escape that closes a Dialog, Menu or
            toast open inside it: Escape closes the top layer only).
        nav_label: Accessible name of the navigation landmark.
        nav_id: ``id`` of the ``<nav>`` (the button's ``aria-controls``); unique in the page.
        toggle_label: Accessible name of the menu button.
        main_id: ``id`` of the ``<main>`` (the skip link's target); unique in the page.
        skip_label: Text of the skip link, the first element Tab reaches (shown while focused;
            WCAG 2.4.1 Bypass Blocks).
        key: Identity among keyed siblings.
        style: A Style laid over the shell's grid (theme background, colour and font).
        class_: Extra class names.
        id: The ``id`` attribute of the shell.

    Returns:
        A component rendering ``<div>`` > skip link ``<a>``, ``<header>``, ``<nav>``, ``<main>``.

    Raises:
        WidgetError: On an argument of the wrong type, or a ``nav_id``/``main_id`` that is not a
            non-empty id of letters, digits, ``-``, ``_``, ``:`` and ``.``.

    Example:
        >>> shell = AppShell(html.p("Hello"), header=html.h1("App"), nav=html.a("Home", href="/"))
        >>> type(shell).__name__
        'Component'

    """
    if drawer_open is not None:
        check_type("AppShell", "drawer_open", drawer_open, bool, "bool or None")
    check_callback("AppShell", "on_drawer_change", on_drawer_change)
    texts = (
        ("nav_label", nav_label),
        ("nav_id", nav_id),
        ("toggle_label", toggle_label),
        ("main_id", main_id),
        ("skip_label", skip_label),
    )
    for arg, text in texts:
        check_type("AppShell", arg, text, str, "str")
    # The menu button's aria-controls and the skip link's href name them: "" or an id with a
    # space left both pointing at nothing.
    check_id("AppShell", nav_id, "nav_id")
    check_id("AppShell", main_id, "main_id")
    check_common("AppShell", key, style, class_, id)
    props: dict[str, Any] = {
        "header": header,
        "nav": nav,
        "content": content,
        "drawer_open": drawer_open,
        "on_drawer_change": on_drawer_change,
        "nav_label": nav_label,
        "nav_id": nav_id,
        "toggle_label": toggle_label,
        "main_id": main_id,
        "skip_label": skip_label,
        "style": style,
        "class_": class_,
        "id": id,
    }
    return _shell(key=key, **props)
