"""Overlay widgets: Dialog (modal) and Tooltip, following the WAI-ARIA Authoring Practices.

The keyboard parts of each pattern that must not wait for a round trip (focus moving into a
dialog, the focus trap, Escape, focus returning to the opener) run in the page through the
client's behaviour layer (``client/src/behaviors.js``), chosen by the
:data:`~tempestweb_contract.names.ATTR_BEHAVIOR` attribute these widgets render. What the widget
shows (open or closed) is the app's state in Python. Styles reference the theme tokens
(``var(--tw-...)``). Toasts are in :mod:`tempest_core._widgets_toast`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Final, Literal

import msgspec

from tempest_core._html_build import describe
from tempest_core._theme_rules import TOOLTIP_BG, TOOLTIP_GAP, TOOLTIP_TEXT
from tempest_core._widgets_base import (
    FOCUS_RING,
    Callback,
    check_callback,
    check_common,
    check_keywords,
    check_type,
    merge_styles,
)
from tempest_core.errors import WidgetError
from tempest_core.events import handler
from tempest_core.html import html
from tempest_core.nodes import Element, EventBinding, Node
from tempest_core.style import Style
from tempestweb_contract import EVENT_STOP_PROPAGATION
from tempestweb_contract.names import ATTR_BEHAVIOR, BEHAVIOR, DOM_EVENT_DISMISS

__all__ = ["Dialog", "Tooltip", "behavior_attr", "check_id"]

TooltipPlacement = Literal["top", "bottom"]

_ID_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:.")
_FOCUSABLE_TAGS: Final = frozenset({"button", "input", "select", "textarea", "summary"})

_LAYER: Final = Style(
    position="fixed",
    inset=0,
    z_index=1000,
    display="flex",
    align_items="center",
    justify_content="center",
    padding="var(--tw-space-4)",
)
_BACKDROP: Final = Style(position="absolute", inset=0, background="var(--tw-color-backdrop)")
_PANEL: Final = Style(
    position="relative",
    display="flex",
    flex_direction="column",
    gap="var(--tw-space-4)",
    width="min(32rem, 100%)",
    max_height="calc(100vh - 2rem)",
    overflow="auto",
    padding="var(--tw-space-5)",
    background="var(--tw-color-surface)",
    color="var(--tw-color-text)",
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-lg)",
    box_shadow="var(--tw-shadow-lg)",
    outline="none",
)
_HEADER: Final = Style(
    display="flex", align_items="flex-start", justify_content="space-between", gap="var(--tw-space-2)"
)
_TITLE: Final = Style(
    margin=0, font_size="var(--tw-text-lg)", font_weight="bold", line_height="var(--tw-leading)"
)
_CLOSE: Final = Style(
    display="inline-flex",
    align_items="center",
    justify_content="center",
    width="2rem",
    height="2rem",
    padding=0,
    border="none",
    border_radius="var(--tw-radius-md)",
    background="transparent",
    color="var(--tw-color-text-muted)",
    font_size="var(--tw-text-lg)",
    cursor="pointer",
    hover=Style(background="var(--tw-color-surface-2)", color="var(--tw-color-text)"),
    focus_visible=FOCUS_RING,
)
_TIP_WRAPPER: Final = Style(
    position="relative",
    display="inline-block",
    # As wide as the trigger wherever it sits: a flex item of a Column is stretched to the
    # column's width otherwise, and the tooltip, centred on the wrapper, showed far from the
    # trigger, with a gap the pointer could not cross (WCAG 1.4.13 hoverable).
    width="fit-content",
    # ``visibility`` is inherited: the wrapper hides its tooltip child and shows it while hovered
    # or holding focus; the trigger's own span keeps the trigger visible (CSS only).
    visibility="hidden",
    # A hidden tooltip is still laid out: next to the right edge of a narrow viewport it widened
    # the page, which then scrolled sideways with nothing shown (WCAG 1.4.10 Reflow at 320 CSS
    # px). Clipped to the wrapper while hidden (``clip`` makes no scroll container and keeps the
    # inline-block's baseline), it adds nothing to the page's scrollable overflow.
    overflow="clip",
    hover=Style(visibility="visible", overflow="visible"),
    focus_within=Style(visibility="visible", overflow="visible"),
)
_TIP_TRIGGER: Final = Style(visibility="visible", display="inline-block")
_TIP_BASE: Final = Style(
    position="absolute",
    left="50%",
    transform="translateX(-50%)",
    z_index=1100,
    # Never wider than the viewport less the behaviour layer's 8 px edges (TIP_EDGE_PX): 20rem
    # and the padding made a shown tooltip 336 px wide at 320 CSS px, and the page scrolled.
    box_sizing="border-box",
    max_width="min(20rem, calc(100vw - 16px))",
    width="max-content",
    padding=("var(--tw-space-1)", "var(--tw-space-2)"),
    border_radius="var(--tw-radius-sm)",
    # Inverted colours: the text colour as background. In forced colors mode the theme maps the
    # tokens to system colours, which the browser keeps, so this was a CanvasText box with Canvas
    # text drawn on the Canvas backplate the browser puts behind every text run: no text at all.
    # The theme's forced-colors rules set these private properties to Canvas and CanvasText
    # (_theme_rules.FORCED_PROPERTIES); the transparent outline frames the tooltip there (painted then).
    background=f"var({TOOLTIP_BG}, var(--tw-color-text)) padding-box",
    color=f"var({TOOLTIP_TEXT}, var(--tw-color-bg))",
    outline="1px solid transparent",
    font_size="var(--tw-text-sm)",
    line_height="var(--tw-leading)",
    white_space="normal",
)
# WCAG 1.4.13 (hoverable): the pointer may move from the trigger onto the tooltip, which keeps the
# wrapper hovered. The 6px between them is the tooltip's own transparent border on the trigger's
# side (hit-tested, unpainted: the background is clipped to the padding box), so no gap hides it
# on the way; the radii on that side grow by as much so the painted corners stay round.
_TIP_GAP: Final = f"6px solid var({TOOLTIP_GAP}, transparent)"
_TIP_R: Final = "var(--tw-radius-sm)"
_TIP_R_GAP: Final = f"calc({_TIP_R} + 6px)"
_TIP: Final[dict[str, Style]] = {
    "top": _TIP_BASE
    | Style(
        bottom="100%",
        border_bottom=_TIP_GAP,
        border_radius=f"{_TIP_R} / {_TIP_R} {_TIP_R} {_TIP_R_GAP} {_TIP_R_GAP}",
    ),
    "bottom": _TIP_BASE
    | Style(
        top="100%",
        border_top=_TIP_GAP,
        border_radius=f"{_TIP_R} / {_TIP_R_GAP} {_TIP_R_GAP} {_TIP_R} {_TIP_R}",
    ),
}


def behavior_attr(name: str) -> dict[str, str]:
    """Return the ``{ATTR_BEHAVIOR: BEHAVIOR[name]}`` attribute for a widget's outer element.

    Args:
        name: A key of :data:`~tempestweb_contract.names.BEHAVIOR`, e.g. ``"DIALOG"``.

    Returns:
        One attribute, to pass as ``attrs=behavior_attr("DIALOG")`` to an ``html`` element.

    """
    return {ATTR_BEHAVIOR: BEHAVIOR[name]}


def check_id(where: str, value: object, arg: str = "id") -> str:
    """Validate the ``id`` a widget derives its ARIA references from (``aria-labelledby``...).

    Args:
        where: The widget's name, for the message.
        value: The id given.
        arg: The argument's name, for the message (``AppShell(nav_id=...)``).

    Returns:
        ``value``.

    Raises:
        WidgetError: Unless ``value`` is a non-empty str of letters, digits, ``-``, ``_``,
            ``:`` and ``.`` (no spaces: it is used inside ID reference lists).

    """
    check_type(where, arg, value, str, "str")
    assert isinstance(value, str)
    if not value or not set(value) <= _ID_CHARS:
        raise WidgetError(
            f"{where}({arg}=...): expected a non-empty id of letters, digits, '-', '_', ':' or '.', "
            f"got {describe(value)}"
        )
    return value


@check_keywords
def Dialog(
    *children: Node | str,
    open: bool,
    title: str,
    id: str,
    on_close: Callback | EventBinding | None = None,
    dismissible: bool = True,
    close_label: str = "Close",
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
) -> Element:
    """Build a modal dialog (https://www.w3.org/WAI/ARIA/apg/patterns/dialog-modal/).

    The app owns the open state: render ``Dialog(open=state.editing, on_close=...)`` and set
    it to ``False`` in ``on_close``. While open, the markup is a fixed layer (the behaviour
    element) holding a backdrop and a ``role="dialog"`` panel with ``aria-modal="true"``,
    ``aria-labelledby`` naming its ``<h2>`` title (id ``"<id>-title"``) and a close button. In
    the page, focus moves into the dialog when it opens (its ``autofocus`` element, else its
    first tabbable element, else the panel), Tab and Shift+Tab cycle inside it, and when it
    closes focus returns to the element that had it before. While it is open the page behind
    is ``inert`` (live regions apart, so toasts are still announced) and does not scroll (the
    scrollbar's width is padded, so nothing shifts); both are undone when it closes.
    ``on_close`` is called on Escape, a click on the backdrop and the close button (not when
    ``dismissible=False``: then the app closes it from its own buttons). Closed, the dialog is
    an empty ``<div hidden>``.

    Args:
        *children: The dialog's content (elements or text).
        open: Whether the dialog is shown.
        title: The visible title, the dialog's accessible name.
        id: The panel's ``id`` (letters, digits, ``-_:.``); the title's is ``"<id>-title"``.
        on_close: Called (with the event, or no argument) when the user dismisses the dialog.
        dismissible: Whether Escape, the backdrop and a close button dismiss it.
        close_label: Accessible name of the close button.
        key: Identity among keyed siblings.
        style: A Style laid over the panel's.
        class_: Extra class names of the panel.

    Returns:
        The dialog layer, or a hidden placeholder when ``open`` is False.

    Raises:
        WidgetError: On a non-bool ``open``/``dismissible``, a non-str ``title``/
            ``close_label``, a bad ``id``, a non-callable ``on_close`` or a bad child.

    Example:
        >>> d = Dialog("Saved.", open=True, title="Done", id="done", on_close=lambda: None)
        >>> d.children[1].attrs["role"], d.children[1].attrs["aria-labelledby"]
        ('dialog', 'done-title')

    """
    check_type("Dialog", "open", open, bool, "bool")
    check_type("Dialog", "title", title, str, "str")
    check_id("Dialog", id)
    check_callback("Dialog", "on_close", on_close)
    check_type("Dialog", "dismissible", dismissible, bool, "bool")
    check_type("Dialog", "close_label", close_label, str, "str")
    check_common("Dialog", key, style, class_, None)
    if not open:
        return html.div(hidden=True, key=key)
    close = on_close if dismissible else None
    title_id = f"{id}-title"
    header = html.div(
        html.h2(title, id=title_id, style=_TITLE),
        html.button("\u00d7", type="button", aria_label=close_label, on_click=close, style=_CLOSE)
        if dismissible
        else None,
        style=_HEADER,
    )
    panel = html.div(
        header,
        *children,
        role="dialog",
        aria_modal="true",
        aria_labelledby=title_id,
        tabindex=-1,
        id=id,
        style=merge_styles(_PANEL, style),
        class_=class_,
    )
    backdrop = html.div(on_click=close, style=_BACKDROP)
    # Stopped here: a dialog opened from a dialog's content sits inside it, and its dismissal
    # (Escape) would bubble on and close the outer dialog as well.
    events = {DOM_EVENT_DISMISS: _stopped(close)} if close is not None else {}
    return html.div(backdrop, panel, key=key, style=_LAYER, on=events, attrs=behavior_attr("DIALOG"))


def _stopped(fn: Callback | EventBinding) -> EventBinding:
    """Return ``fn`` bound with ``stopPropagation()`` (its own flags and keys kept)."""
    if isinstance(fn, EventBinding):
        return EventBinding(fn.handler, fn.flags | EVENT_STOP_PROPAGATION, fn.keys)
    return handler(fn, stop_propagation=True)


def _focusable(element: Element) -> bool:
    if "tabindex" in element.attrs or "contenteditable" in element.attrs:
        return True
    if element.tag == "a":
        return "href" in element.attrs
    return element.tag in _FOCUSABLE_TAGS


@check_keywords
def Tooltip(
    trigger: Element,
    *,
    text: str,
    id: str,
    placement: TooltipPlacement = "top",
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
) -> Element:
    """Attach a tooltip to a focusable element (https://www.w3.org/WAI/ARIA/apg/patterns/tooltip/).

    The tooltip is a ``role="tooltip"`` element with the given ``id``, referenced by the
    trigger's ``aria-describedby`` (added to any it had). CSS alone shows it while the trigger
    is hovered or focused, centred on the trigger (the client's behaviour layer moves it along
    when that would put part of it past the viewport's left or right edge); Escape hides it
    until the pointer leaves or focus moves away. It describes, it is not interactive: put no
    controls in it.

    Args:
        trigger: A focusable element (``button``, ``a href``, ``input``, ``select``,
            ``textarea``, ``summary`` or one with ``tabindex``), so keyboard users get it too.
        text: The tooltip text.
        id: The tooltip's ``id`` (letters, digits, ``-_:.``).
        placement: Above (``"top"``) or below (``"bottom"``) the trigger.
        key: Identity among keyed siblings.
        style: A Style laid over the tooltip's.
        class_: Extra class names of the tooltip.

    Returns:
        A ``<span>`` wrapping the trigger and the tooltip.

    Raises:
        WidgetError: On a trigger that is not a focusable Element, a non-str or empty ``text``,
            a bad ``id`` or an unknown ``placement``.

    Example:
        >>> t = Tooltip(html.button("?"), text="Help", id="help-tip")
        >>> t.children[0].children[0].attrs["aria-describedby"]
        'help-tip'

    """
    check_type("Tooltip", "trigger", trigger, Element, "Element")
    if not _focusable(trigger):
        raise WidgetError(
            "Tooltip(trigger=...): expected a focusable element (button, a with href, input, select, "
            f"textarea, summary or one with tabindex), got <{trigger.tag}>"
        )
    check_type("Tooltip", "text", text, str, "str")
    if not text.strip():
        raise WidgetError("Tooltip(text=...): expected non-empty text, got ''")
    check_id("Tooltip", id)
    if placement not in _TIP:
        raise WidgetError(f"Tooltip(placement=...): expected 'top' or 'bottom', got {describe(placement)}")
    check_common("Tooltip", key, style, class_, None)
    described = trigger.attrs.get("aria-describedby")
    attrs = {**trigger.attrs, "aria-describedby": id if not described else f"{described} {id}"}
    described_trigger = msgspec.structs.replace(trigger, attrs=attrs)
    tip = html.span(text, role="tooltip", id=id, style=merge_styles(_TIP[placement], style), class_=class_)
    return html.span(
        html.span(described_trigger, style=_TIP_TRIGGER),
        tip,
        key=key,
        style=_TIP_WRAPPER,
        attrs=behavior_attr("TOOLTIP"),
    )
