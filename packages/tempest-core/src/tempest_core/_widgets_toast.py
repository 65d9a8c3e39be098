"""Toast notifications: ``notify(...)`` from any handler, shown by the session's ``Toaster``.

The toasts of a session live in a store attached to that :class:`~tempest_core.session.Session`
(:mod:`tempest_core._toast_store`, found through the current-session context variable every
handler, async handler, effect and render runs under, so the same code works in Mode A, Mode B
and desktop). One Toaster shows
them, in ARIA live regions (``role="status"``, ``role="alert"`` for ``tone="danger"``) that
exist before any toast arrives, as live regions must
(https://www.w3.org/TR/wai-aria-1.2/#status, https://www.w3.org/TR/wai-aria-1.2/#alert):

- the first mounted :func:`Toaster` the app placed, while it stays mounted; a Toaster mounted
  while another one shows the toasts keeps its live regions empty and takes over when the
  earlier ones have unmounted (so a toast never moves to another region, where it would be
  announced twice);
- else the session's default Toaster (:func:`default_toaster`, ``bottom-end``): the first
  ``notify()`` of a session whose view has no Toaster adds it after the view
  (:meth:`~tempest_core.session.Session.add_overlay_root`, the same in every mode), and the
  toasts wait :data:`LIVE_REGION_SETTLE_S` before they show in its new live regions, so they
  are announced. An app that never needs it gets no extra node, rule or op. It renders an
  empty text node while an app Toaster is mounted: the page holds one ``Notifications`` region.

Auto-dismissal is an event-loop timer in Python (``loop.call_later``), so a toast leaves the
page by an ordinary patch. The timers stop while the pointer is over the toasts or focus is
inside them and go on with the time they had left (WCAG 2.2.1 Timing Adjustable, as Radix Toast
and Sonner): the region carries the client's ``toaster`` behaviour, which sends one
:data:`~tempestweb_contract.names.DOM_EVENT_PAUSE` or
:data:`~tempestweb_contract.names.DOM_EVENT_RESUME` event per transition (never one per pointer
move), and the rule itself (:meth:`ToastStore.pause`, :meth:`ToastStore.resume`) is here, the same
in every mode. Escape while focus is inside a toast dismisses it (the ``toast`` behaviour, Radix
Toast's keyboard interactions).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Final, Literal

from tempest_core._html_build import describe
from tempest_core._internal.frame import current_frame
from tempest_core._toast_store import (
    LIVE_REGION_SETTLE_S,
    MAX_TOASTS,
    TONES,
    Toast,
    ToastStore,
    ToastTone,
    current_store,
)
from tempest_core._widgets_base import FOCUS_RING, check_common, check_keywords, check_type
from tempest_core._widgets_overlay import behavior_attr
from tempest_core.components import component
from tempest_core.errors import WidgetError
from tempest_core.events import handler
from tempest_core.hooks import use_effect
from tempest_core.html import html
from tempest_core.nodes import Component, Element, Node, Text
from tempest_core.style import Style
from tempestweb_contract.names import DOM_EVENT_DISMISS, DOM_EVENT_PAUSE, DOM_EVENT_RESUME

if TYPE_CHECKING:
    from tempest_core._internal.mounted import MComponent

__all__ = [
    "CLOSE_NAME_MAX_CHARS",
    "DEFAULT_TOAST_DURATION_S",
    "LIVE_REGION_SETTLE_S",
    "MAX_TOASTS",
    "Toast",
    "Toaster",
    "dismiss_toast",
    "notify",
]

ToasterPlacement = Literal[
    "top-start", "top-center", "top-end", "bottom-start", "bottom-center", "bottom-end"
]

DEFAULT_TOAST_DURATION_S: Final = 5.0
"""Seconds a toast stays before it dismisses itself, unless ``notify(duration_s=...)`` says
(counted while the pointer is not over the toasts and focus is not inside them)."""

CLOSE_NAME_MAX_CHARS: Final = 40
"""Most characters of a toast's title (else message) that its close button's name quotes: each
close button says which toast it closes, and a long message is cut at a word, with an ellipsis."""

_PLACEMENTS: Final[dict[str, Style]] = {
    f"{v}-{h}": Style(
        top="var(--tw-space-4)" if v == "top" else None,
        bottom="var(--tw-space-4)" if v == "bottom" else None,
        left="var(--tw-space-4)" if h == "start" else "50%" if h == "center" else None,
        right="var(--tw-space-4)" if h == "end" else None,
        transform="translateX(-50%)" if h == "center" else None,
    )
    for v in ("top", "bottom")
    for h in ("start", "center", "end")
}
_REGION: Final = Style(
    position="fixed",
    z_index=1200,
    display="flex",
    flex_direction="column",
    gap="var(--tw-space-2)",
    width="min(24rem, calc(100vw - 2rem))",
    pointer_events="none",
)
_LIVE: Final = Style(display="flex", flex_direction="column", gap="var(--tw-space-2)")
_TOAST: Final = Style(
    display="flex",
    align_items="flex-start",
    gap="var(--tw-space-3)",
    padding=("var(--tw-space-3)", "var(--tw-space-4)"),
    background="var(--tw-color-surface)",
    color="var(--tw-color-text)",
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-md)",
    box_shadow="var(--tw-shadow-md)",
    font_size="var(--tw-text-sm)",
    line_height="var(--tw-leading)",
    pointer_events="auto",
)
_TONE_STYLES: Final = {
    tone: _TOAST | Style(border_left=f"4px solid var(--tw-color-{tone})") for tone in TONES
}
_BODY: Final = Style(display="flex", flex_direction="column", gap=2, flex="1 1 auto", min_width=0)
_TITLE: Final = Style(font_weight="bold")
_CLOSE: Final = Style(
    padding=(0, "var(--tw-space-1)"),
    border="none",
    border_radius="var(--tw-radius-sm)",
    background="transparent",
    color="var(--tw-color-text-muted)",
    font_size="var(--tw-text-md)",
    cursor="pointer",
    hover=Style(color="var(--tw-color-text)", background="var(--tw-color-surface-2)"),
    focus_visible=FOCUS_RING,
)


def _current_store(api: str) -> ToastStore:
    return current_store(api, default_toaster)


def notify(
    message: str,
    /,
    *,
    tone: ToastTone = "info",
    title: str | None = None,
    duration_s: float | None = DEFAULT_TOAST_DURATION_S,
) -> int:
    """Show a toast in the current session's :func:`Toaster`.

    Call it from any event handler (sync or ``async``), effect or view of a session, in every
    mode. The toast stays ``duration_s`` seconds (an event-loop timer, stopped while the
    pointer is over the toasts or focus is inside them, WCAG 2.2.1; ``None``: until the user
    closes it), has a close button (Escape inside the toast closes it too), and stacks under
    earlier ones (at most :data:`MAX_TOASTS`; more dismiss the oldest). It shows in the first mounted
    :func:`Toaster` of the view or, when the view has none, in a default ``Toaster()``
    (``bottom-end``) the session adds after the view (the first toast then waits
    :data:`LIVE_REGION_SETTLE_S`, until its new live regions can announce it).

    Args:
        message: The text (plain text, never parsed as HTML).
        tone: ``"info"``, ``"success"``, ``"warning"`` (polite ``role="status"``) or
            ``"danger"`` (``role="alert"``, announced at once).
        title: An optional bold first line.
        duration_s: Seconds before it dismisses itself (> 0), or ``None`` to keep it.

    Returns:
        The toast's id, for :func:`dismiss_toast`.

    Raises:
        NoSessionError: Called outside a session (no handler, effect or render running).
        WidgetError: On an empty or non-str ``message``, an unknown ``tone``, a non-str
            ``title`` or a ``duration_s`` that is not a positive finite number or None.

    """
    check_type("notify", "message", message, str, "str")
    if not message.strip():
        raise WidgetError("notify(message=...): expected non-empty text, got ''")
    if tone not in TONES:
        raise WidgetError(
            f"notify(tone=...): expected one of {', '.join(map(repr, TONES))}, got {describe(tone)}"
        )
    if title is not None:
        check_type("notify", "title", title, str, "str")
    if duration_s is not None:
        check_type("notify", "duration_s", duration_s, (int, float), "a number of seconds or None")
        if not 0 < duration_s < math.inf:
            raise WidgetError(
                f"notify(duration_s=...): expected a positive number of seconds, got {duration_s!r}"
            )
    store = _current_store("notify()")
    if store.shower() is None:
        store.show_default(settle=True)
    return store.add(message, tone, title, None if duration_s is None else float(duration_s))


def dismiss_toast(toast_id: int, /) -> bool:
    """Remove a toast of the current session now.

    Args:
        toast_id: An id :func:`notify` returned.

    Returns:
        Whether it was still shown.

    Raises:
        NoSessionError: Called outside a session.
        WidgetError: On a non-int ``toast_id``.

    """
    check_type("dismiss_toast", "toast_id", toast_id, int, "int")
    return _current_store("dismiss_toast()").dismiss(toast_id)


@check_keywords
def Toaster(
    *,
    label: str = "Notifications",
    placement: ToasterPlacement = "bottom-end",
    close_label: str = "Dismiss notification",
    key: Hashable | None = None,
) -> Component:
    """Build the region where the session's toasts show, replacing the session's default one.

    Without one, ``notify()`` shows in a default ``Toaster()`` the session adds after the view;
    place one (e.g. in the app's shell) to choose its placement or names. Renders a fixed
    ``role="region"`` named ``label`` holding two live regions that are there before any toast:
    ``role="status"`` (polite) for info, success and warning toasts and ``role="alert"`` for
    danger toasts. Each toast has a close button named ``close_label`` followed by the toast's
    title (else its message, cut to :data:`CLOSE_NAME_MAX_CHARS`), e.g. ``"Dismiss notification:
    Saved"``, so a screen reader's list of buttons tells them apart; Escape while focus is in a
    toast closes it. While the pointer is over the region or focus is inside it, no toast
    dismisses itself (WCAG 2.2.1 Timing Adjustable); the timers go on with the time they had
    left once both have left.

    One Toaster shows the toasts: the first one mounted. A Toaster mounted while another one
    shows them keeps its live regions empty (a warning is logged once per session) and takes
    over when the earlier ones have unmounted; the default Toaster renders nothing while any
    is mounted.

    Args:
        label: Accessible name of the region.
        placement: The corner (or edge centre) of the viewport it sits in.
        close_label: Start of the accessible name of each toast's close button.
        key: Identity among keyed siblings.

    Returns:
        A component vnode.

    Raises:
        WidgetError: On a non-str ``label``/``close_label`` or an unknown ``placement``.

    """
    check_type("Toaster", "label", label, str, "str")
    check_type("Toaster", "close_label", close_label, str, "str")
    if placement not in _PLACEMENTS:
        expected = ", ".join(map(repr, _PLACEMENTS))
        raise WidgetError(f"Toaster(placement=...): expected one of {expected}, got {describe(placement)}")
    check_common("Toaster", key, None, None, None)
    return _toaster(label=label, placement=placement, close_label=close_label, key=key)


@component
def _toaster(*, label: str, placement: str, close_label: str) -> Node:
    store = _current_store("Toaster()")
    frame = current_frame("Toaster")
    store.attach(frame)

    def detach_on_unmount() -> Callable[[], None]:
        return lambda: store.detach(frame)

    use_effect(detach_on_unmount, ())
    return _regions(store, frame, label, placement, close_label)


def default_toaster() -> Node:
    """Render the session's default Toaster (an overlay root after the app's view).

    :func:`notify` adds it to a session whose view has no :func:`Toaster`
    (:meth:`~tempest_core.session.Session.add_overlay_root`), so toasts show without one, in
    every mode. Not a widget to place: place :func:`Toaster` instead.

    Returns:
        The regions of ``Toaster()`` (``bottom-end``, default names) while no Toaster of the
        view is mounted, else an empty text node (the page keeps one ``Notifications`` region).

    Raises:
        NoSessionError: Rendered outside a session.
        HookError: Called outside a render.

    """
    store = _current_store("Toaster()")
    frame = current_frame("default_toaster")
    store.fallback = frame
    if store.shower() is not frame:
        return Text("")
    return _regions(store, frame, "Notifications", "bottom-end", "Dismiss notification")


def _regions(store: ToastStore, frame: MComponent, label: str, placement: str, close_label: str) -> Element:
    held = frame is store.fallback and store.settling  # its live regions were just created
    toasts = store.toasts if store.shower() is frame and not held else ()
    polite = [_toast(t, store, close_label) for t in toasts if t.tone != "danger"]
    urgent = [_toast(t, store, close_label) for t in toasts if t.tone == "danger"]
    return html.div(
        html.div(*polite, role="status", aria_live="polite", style=_LIVE),
        html.div(*urgent, role="alert", aria_live="assertive", style=_LIVE),
        role="region",
        aria_label=label,
        style=_REGION | _PLACEMENTS[placement],
        attrs=behavior_attr("TOASTER"),
        on={
            DOM_EVENT_PAUSE: handler(store.pause, stop_propagation=True),
            DOM_EVENT_RESUME: handler(store.resume, stop_propagation=True),
        },
    )


def close_name(toast: Toast, close_label: str) -> str:
    """Return the accessible name of ``toast``'s close button.

    Args:
        toast: The toast.
        close_label: The Toaster's ``close_label`` (``"Dismiss notification"``).

    Returns:
        ``"<close_label>: <title, else message>"``, the title or message cut at a word to at most
        :data:`CLOSE_NAME_MAX_CHARS` characters (an ellipsis marks the cut), its whitespace
        collapsed.

    Example:
        >>> close_name(Toast(1, "Saved", "success", None), "Dismiss notification")
        'Dismiss notification: Saved'

    """
    subject = " ".join((toast.title or toast.message).split()) or toast.message.strip()
    if len(subject) > CLOSE_NAME_MAX_CHARS:
        cut = subject[: CLOSE_NAME_MAX_CHARS - 1]
        space = cut.rfind(" ")
        subject = (cut[:space] if space > CLOSE_NAME_MAX_CHARS // 2 else cut).rstrip(" ,.;:") + "\u2026"
    return f"{close_label}: {subject}"


def _toast(toast: Toast, store: ToastStore, close_label: str) -> Element:
    def close() -> None:
        store.dismiss(toast.id)

    name = close_name(toast, close_label)
    return html.div(
        html.div(
            html.strong(toast.title, style=_TITLE) if toast.title is not None else None,
            html.span(toast.message),
            style=_BODY,
        ),
        html.button("\u00d7", type="button", aria_label=name, on_click=close, style=_CLOSE),
        key=toast.id,
        style=_TONE_STYLES[toast.tone],
        attrs=behavior_attr("TOAST"),
        on={DOM_EVENT_DISMISS: handler(close, stop_propagation=True)},
    )
