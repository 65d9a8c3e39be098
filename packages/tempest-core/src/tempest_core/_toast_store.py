"""The toasts of one session and the Toasters that can show them (see :mod:`._widgets_toast`).

The store lives in :attr:`Session.stores <tempest_core.session.Session.stores>`, found through
the current-session context variable, so it goes with its session. It knows the app's mounted
Toaster components in mount order (the first live one shows the toasts) and the session's
default Toaster, which it adds (:meth:`~tempest_core.session.Session.add_overlay_root`) when a
toast has no Toaster to show it.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from tempest_core._internal.frame import CURRENT_SESSION
from tempest_core.nodes import Node
from tempest_core.router import NoSessionError

if TYPE_CHECKING:
    from tempest_core._internal.mounted import MComponent

__all__ = ["LIVE_REGION_SETTLE_S", "MAX_TOASTS", "TONES", "Toast", "ToastStore", "ToastTone", "current_store"]

logger = logging.getLogger("tempest_core.toast")

ToastTone = Literal["info", "success", "warning", "danger"]

TONES: Final = ("info", "success", "warning", "danger")
"""Every :data:`ToastTone`."""

MAX_TOASTS: Final = 8
"""Most toasts shown at once per session; a new one beyond it dismisses the oldest."""

LIVE_REGION_SETTLE_S: Final = 0.1
"""Seconds the toasts wait after the default Toaster's live regions were created, before they
show in them: a live region announces changes only once assistive technologies know it (the
delay of React Aria's live announcer for the same case)."""


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


class ToastStore:
    """The toasts of one session and the Toasters that can show them.

    Args:
        session: The session.
        default: Render function of the session's default Toaster.

    Attributes:
        session: The session (weakly: the store lives as long as it does).
        default: Render function of the session's default Toaster.
        toasts: The toasts shown, oldest first.
        next_id: The id the next toast gets.
        toasters: The app's mounted Toaster components, in mount order (the first live one
            shows the toasts).
        fallback: The default Toaster's root, once the session rendered it.
        settling: The default Toaster's live regions were just created: toasts wait
            :data:`LIVE_REGION_SETTLE_S` before they show in them.
        timers: Running auto-dismissal timers by toast id, with when each is due (the event
            loop's ``time()``, in seconds: Pyodide's event loop returns handles that do not know
            it).
        paused: The person is over or inside the toasts (:meth:`pause`): no timer runs.
        left: Seconds each timed toast has left, by toast id, while ``paused``.
        warned: The "several Toasters" warning was logged.

    """

    __slots__ = (
        "__weakref__",
        "default",
        "fallback",
        "left",
        "next_id",
        "paused",
        "session",
        "settling",
        "timers",
        "toasters",
        "toasts",
        "warned",
    )

    def __init__(self, session: Any, default: Callable[[], Node]) -> None:
        self.session: weakref.ref[Any] = weakref.ref(session)
        self.default = default
        self.toasts: tuple[Toast, ...] = ()
        self.next_id = 1
        self.toasters: list[MComponent] = []
        self.fallback: MComponent | None = None
        self.settling = False
        self.timers: dict[int, tuple[asyncio.Handle, float]] = {}
        self.paused = False
        self.left: dict[int, float] = {}
        self.warned = False

    def shower(self) -> MComponent | None:
        """Return the Toaster that shows the toasts (unmounted ones are forgotten first)."""
        if any(not t.alive for t in self.toasters):
            self.toasters = [t for t in self.toasters if t.alive]
        if self.toasters:
            return self.toasters[0]
        if self.fallback is not None and self.fallback.alive:
            return self.fallback
        return None

    def attach(self, frame: MComponent) -> None:
        """Record an app Toaster as mounted (idempotent; called on each of its renders)."""
        if frame in self.toasters:
            return
        self.toasters.append(frame)
        if len(self.toasters) == 1:
            self._refresh(but=frame)  # the default Toaster, if rendered, hands over
        elif not self.warned:
            self.warned = True
            logger.warning(
                "Toaster(): %d Toasters are mounted in this session; the first mounted one shows "
                "the toasts, the others stay empty until it unmounts",
                len(self.toasters),
            )

    def detach(self, frame: MComponent) -> None:
        """Forget an unmounted app Toaster; the next one (or the default one) takes over."""
        if frame not in self.toasters:
            return
        self.toasters.remove(frame)
        self.resume()  # the pointer or focus it held is gone with it
        if self.shower() is None and self.toasts:
            self.show_default(settle=False)  # its toasts were announced where they were
        self._refresh(but=None)

    def show_default(self, *, settle: bool) -> None:
        """Render the session's default Toaster from now on (nothing when it already is).

        Args:
            settle: Hold toasts back :data:`LIVE_REGION_SETTLE_S` when its live regions are
                created now, so assistive technologies know them before their first toast.

        """
        session = self.session()
        if session is None or self.fallback is not None:
            return
        if settle:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                pass  # no timer to wait with: shown at once
            else:
                self.settling = True
                loop.call_later(LIVE_REGION_SETTLE_S, self._settled)
        session.add_overlay_root(self.default)

    def _settled(self) -> None:
        self.settling = False
        self._changed()

    def add(self, message: str, tone: ToastTone, title: str | None, duration_s: float | None) -> int:
        toast = Toast(self.next_id, message, tone, title)
        self.next_id += 1
        self.toasts = (*self.toasts, toast)
        while len(self.toasts) > MAX_TOASTS:
            self._cancel(self.toasts[0].id)
            self.toasts = self.toasts[1:]
        if duration_s is not None:
            if self.paused:
                self.left[toast.id] = duration_s  # starts when the person leaves the toasts
            else:
                self._start(toast.id, duration_s)
        self._changed()
        return toast.id

    def _start(self, toast_id: int, delay_s: float) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            logger.debug("notify(): no running event loop; toast %d stays until dismissed", toast_id)
        else:
            handle = loop.call_later(delay_s, self.dismiss, toast_id)
            self.timers[toast_id] = (handle, loop.time() + delay_s)

    def pause(self) -> None:
        """Stop every auto-dismissal timer, keeping the time each has left.

        The Toaster calls it when the pointer enters its region or focus moves into it
        (WCAG 2.2.1 Timing Adjustable; Radix Toast and Sonner pause the same way): a toast does
        not go while it is being read or its close button is about to be pressed. A toast shown
        while paused waits with its whole duration. Idempotent.
        """
        if self.paused:
            return
        self.paused = True
        if not self.timers:
            return
        try:
            now = asyncio.get_running_loop().time()  # the clock the timers were started on
        except RuntimeError:  # no loop running here: the default loops' clock
            now = time.monotonic()
        for toast_id, (handle, due) in self.timers.items():
            handle.cancel()
            self.left[toast_id] = max(0.0, due - now)
        self.timers.clear()

    def resume(self) -> None:
        """Start the timers :meth:`pause` stopped again, each with the time it had left.

        The Toaster calls it when the pointer has left its region and focus is outside it.
        Idempotent.
        """
        if not self.paused:
            return
        self.paused = False
        left, self.left = self.left, {}
        for toast_id, delay_s in left.items():
            self._start(toast_id, delay_s)

    def dismiss(self, toast_id: int) -> bool:
        self._cancel(toast_id)
        kept = tuple(t for t in self.toasts if t.id != toast_id)
        if len(kept) == len(self.toasts):
            return False
        self.toasts = kept
        self._changed()
        return True

    def _cancel(self, toast_id: int) -> None:
        self.left.pop(toast_id, None)
        timer = self.timers.pop(toast_id, None)
        if timer is not None:
            timer[0].cancel()

    def _changed(self) -> None:
        shower = self.shower()
        if shower is not None:
            shower.owner.mark_dirty(shower)

    def _refresh(self, *, but: MComponent | None) -> None:
        for t in (*self.toasters, self.fallback):
            if t is not None and t is not but and t.alive:
                t.owner.mark_dirty(t)


def current_store(api: str, default: Callable[[], Node]) -> ToastStore:
    """Return the current session's toast store (created on first use).

    Args:
        api: The caller, for the error message (``"notify()"``).
        default: Render function of the session's default Toaster.

    Returns:
        The store in ``session.stores["toasts"]``.

    Raises:
        NoSessionError: No session is running (no handler, effect or render).

    """
    session = CURRENT_SESSION.get()
    if session is None:
        raise NoSessionError(
            f"{api} needs a running session: call it from an event handler, an effect or a view"
        )
    store: ToastStore | None = session.stores.get("toasts")
    if store is None:
        store = session.stores["toasts"] = ToastStore(session, default)
    return store
