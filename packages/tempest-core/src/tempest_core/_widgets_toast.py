"""Toast notifications: ``notify(...)`` from any handler, shown by the session's ``Toaster``.

The toasts of a session live in a store attached to that :class:`~tempest_core.session.Session`
(found through the current-session context variable every handler, async handler, effect and
render runs under, so the same code works in Mode A, Mode B and desktop). A mounted
:func:`Toaster` renders them in ARIA live regions (``role="status"``, ``role="alert"`` for
``tone="danger"``) that exist before any toast arrives, as live regions must
(https://www.w3.org/TR/wai-aria-1.2/#status, https://www.w3.org/TR/wai-aria-1.2/#alert).
Auto-dismissal is an event-loop timer in Python (``loop.call_later``), so a toast leaves the
page by an ordinary patch.
"""

from __future__ import annotations

import asyncio
import logging
import math
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Final, Literal

from tempest_core._html_build import describe
from tempest_core._internal.frame import CURRENT_SESSION
from tempest_core._widgets_base import FOCUS_RING, check_common, check_keywords, check_type
from tempest_core.components import component
from tempest_core.errors import WidgetError
from tempest_core.hooks import Setter, use_effect, use_state
from tempest_core.html import html
from tempest_core.nodes import Component, Element, Node
from tempest_core.router import NoSessionError
from tempest_core.style import Style

__all__ = ["DEFAULT_TOAST_DURATION_S", "MAX_TOASTS", "Toast", "Toaster", "dismiss_toast", "notify"]

logger = logging.getLogger("tempest_core.toast")

ToastTone = Literal["info", "success", "warning", "danger"]
ToasterPlacement = Literal[
    "top-start", "top-center", "top-end", "bottom-start", "bottom-center", "bottom-end"
]

DEFAULT_TOAST_DURATION_S: Final = 5.0
"""Seconds a toast stays before it dismisses itself, unless ``notify(duration_s=...)`` says."""

MAX_TOASTS: Final = 8
"""Most toasts shown at once per session; a new one beyond it dismisses the oldest."""

_TONES: Final = ("info", "success", "warning", "danger")
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
    tone: _TOAST | Style(border_left=f"4px solid var(--tw-color-{tone})") for tone in _TONES
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


@dataclass(frozen=True, slots=True)
class Toast:
    """One notification as a Toaster shows it.

    Attributes:
        id: Its number in the session (from 1), as :func:`notify` returned it.
        message: The text.
        tone: ``info``, ``success``, ``warning`` or ``danger`` (announced as an alert).
        title: An optional bold first line.

    """

    id: int
    message: str
    tone: ToastTone
    title: str | None


class _ToastStore:
    """The toasts of one session and the Toasters showing them."""

    __slots__ = ("__weakref__", "listeners", "next_id", "timers", "toasts", "warned")

    def __init__(self) -> None:
        self.toasts: tuple[Toast, ...] = ()
        self.next_id = 1
        self.listeners: set[Setter[int]] = set()
        self.timers: dict[int, asyncio.TimerHandle] = {}
        self.warned = False

    def add(self, message: str, tone: ToastTone, title: str | None, duration_s: float | None) -> int:
        toast = Toast(self.next_id, message, tone, title)
        self.next_id += 1
        self.toasts = (*self.toasts, toast)
        while len(self.toasts) > MAX_TOASTS:
            self._cancel(self.toasts[0].id)
            self.toasts = self.toasts[1:]
        if duration_s is not None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                logger.debug("notify(): no running event loop; toast %d stays until dismissed", toast.id)
            else:
                self.timers[toast.id] = loop.call_later(duration_s, self.dismiss, toast.id)
        self._changed()
        return toast.id

    def dismiss(self, toast_id: int) -> bool:
        self._cancel(toast_id)
        kept = tuple(t for t in self.toasts if t.id != toast_id)
        if len(kept) == len(self.toasts):
            return False
        self.toasts = kept
        self._changed()
        return True

    def _cancel(self, toast_id: int) -> None:
        timer = self.timers.pop(toast_id, None)
        if timer is not None:
            timer.cancel()

    def _changed(self) -> None:
        for setter in list(self.listeners):
            setter(lambda version: version + 1)


_STORES: weakref.WeakKeyDictionary[Any, _ToastStore] = weakref.WeakKeyDictionary()


def _current_store(api: str) -> _ToastStore:
    session = CURRENT_SESSION.get()
    if session is None:
        raise NoSessionError(
            f"{api} needs a running session: call it from an event handler, an effect or a view"
        )
    store = _STORES.get(session)
    if store is None:
        store = _STORES[session] = _ToastStore()
    return store


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
    mode. The toast stays ``duration_s`` seconds (an event-loop timer; ``None``: until the
    user closes it), has a close button, and stacks under earlier ones (at most
    :data:`MAX_TOASTS`; more dismiss the oldest). Without a mounted ``Toaster`` nothing shows
    and a warning is logged once per session.

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
    if tone not in _TONES:
        raise WidgetError(
            f"notify(tone=...): expected one of {', '.join(map(repr, _TONES))}, got {describe(tone)}"
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
    if not store.listeners and not store.warned:
        store.warned = True
        logger.warning("notify(): no Toaster is mounted in this session; put Toaster() in the view")
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
    """Build the region where the session's toasts show (place one per app, e.g. in its shell).

    Renders a fixed ``role="region"`` named ``label`` holding two live regions that are there
    before any toast: ``role="status"`` (polite) for info, success and warning toasts and
    ``role="alert"`` for danger toasts. Each toast has a close button named ``close_label``.

    Args:
        label: Accessible name of the region.
        placement: The corner (or edge centre) of the viewport it sits in.
        close_label: Accessible name of each toast's close button.
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
    _version, set_version = use_state(0)
    store.listeners.add(set_version)

    def subscribe() -> Callable[[], None]:
        store.listeners.add(set_version)
        return lambda: store.listeners.discard(set_version)

    use_effect(subscribe, ())
    polite = [_toast(t, store, close_label) for t in store.toasts if t.tone != "danger"]
    urgent = [_toast(t, store, close_label) for t in store.toasts if t.tone == "danger"]
    return html.div(
        html.div(*polite, role="status", aria_live="polite", style=_LIVE),
        html.div(*urgent, role="alert", aria_live="assertive", style=_LIVE),
        role="region",
        aria_label=label,
        style=_REGION | _PLACEMENTS[placement],
    )


def _toast(toast: Toast, store: _ToastStore, close_label: str) -> Element:
    def close() -> None:
        store.dismiss(toast.id)

    return html.div(
        html.div(
            html.strong(toast.title, style=_TITLE) if toast.title is not None else None,
            html.span(toast.message),
            style=_BODY,
        ),
        html.button("\u00d7", type="button", aria_label=close_label, on_click=close, style=_CLOSE),
        key=toast.id,
        style=_TONE_STYLES[toast.tone],
    )
