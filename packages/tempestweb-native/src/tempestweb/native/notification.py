"""System notifications (WHATWG Notifications API: ``Notification``).

Needs a secure context and the ``notifications`` permission: :func:`permission` reads it,
:func:`request_permission` asks for it (call it from a click handler: Firefox and Safari only
prompt after a user gesture), :func:`show` displays a notification once it is ``"granted"``.

:func:`show` returns a :class:`NotificationHandle` when the page holds the ``Notification``
object (desktop browsers): the app can close it and follow its ``show``/``click``/``close``/
``error`` events. It returns ``None`` where the Web API gives no object: browsers whose
``Notification`` constructor throws (Chrome on Android) show it through the service worker's
``ServiceWorkerRegistration.showNotification()``, and a desktop window hands it to the OS.

In a desktop window with the ``notification`` plugin enabled (``[desktop] plugins``), the OS
notification through the plugin instead (tauri-plugin-notification: ``is_permission_granted``,
``request_permission``, ``notify``); a command the window's permissions do not grant
(``notification:default``, or ``notification:allow-notify``...) raises
``PermissionDeniedError``. In a desktop window without the plugin the permission is
``"denied"`` and :func:`show` raises ``PermissionDeniedError`` naming the plugin.

See https://notifications.spec.whatwg.org/ and https://v2.tauri.app/plugin/notification/.

Example:
    >>> import asyncio
    >>> from tempestweb.native import notification
    >>> from tempestweb.native.testing import fake_native
    >>> async def main() -> tuple[str, str, int]:
    ...     with fake_native() as fake:
    ...         before = await notification.permission()
    ...         after = await notification.request_permission()
    ...         handle = await notification.show("Saved", body="3 files", tag="save")
    ...         assert handle is not None
    ...         await handle.close()
    ...         return before, after, len(fake.notifications)
    >>> asyncio.run(main())
    ('default', 'granted', 1)

"""

from __future__ import annotations

import logging
from typing import Literal

from pydantic import Field

from tempestweb.native._wire import WireModel, check_timeout
from tempestweb.native.constants import BRIDGE_MARGIN_S, NOTIFICATION_TIMEOUT_S, WAIT_SLICE_S
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.plugins import Capability, active_bridge, register
from tempestweb_contract.native import NativeBridge

__all__ = [
    "NotificationDirection",
    "NotificationEvent",
    "NotificationHandle",
    "NotificationPermission",
    "permission",
    "request_permission",
    "show",
]

logger = logging.getLogger("tempestweb.native")

CAPABILITY = register(Capability("notification"))
"""The ``notification`` capability handle (``client/native/notification.js``)."""

NotificationPermission = Literal["granted", "denied", "default"]
"""``NotificationPermission``: ``"default"`` means not asked yet (or the prompt was dismissed)."""

NotificationEvent = Literal["show", "click", "close", "error"]
"""The events a ``Notification`` fires (``error``: the platform could not show it)."""

NotificationDirection = Literal["auto", "ltr", "rtl"]
"""``NotificationDirection`` of the title and body text."""


class _Permission(WireModel):
    permission: NotificationPermission


class _Shown(WireModel):
    id: str | None
    via: Literal["page", "service_worker", "plugin"]


class _Next(WireModel):
    event: NotificationEvent | None = None
    missed: int = Field(default=0, ge=0)


class NotificationHandle:
    """A notification the page holds: close it, follow its events.

    Attributes:
        id: The page's id of the notification (unique in the page).
        title: Its title.
        tag: Its tag (``""`` when none was given).
        missed_events: Events the page dropped because nobody read them (it keeps the newest
            ``MAX_PENDING_EVENTS`` of ``client/native/notification.js``); counted, not lost silently.

    """

    __slots__ = ("_bridge", "id", "missed_events", "tag", "title")

    def __init__(self, id: str, /, *, title: str, tag: str, bridge: NativeBridge) -> None:
        self.id = id
        self.title = title
        self.tag = tag
        self.missed_events = 0
        self._bridge = bridge

    def __repr__(self) -> str:
        return f"NotificationHandle(id={self.id!r}, title={self.title!r}, tag={self.tag!r})"

    async def close(self) -> None:
        """Close the notification (``Notification.close()``); closing a closed one does nothing.

        Raises:
            NoSessionError: The session that showed it is gone.

        """
        await CAPABILITY.call("close", {"id": self.id}, result=type(None), bridge=self._bridge)

    async def next_event(self, *, wait_s: float = WAIT_SLICE_S) -> NotificationEvent | None:
        """Return the notification's next event, waiting at most ``wait_s`` for one.

        Events come in the order the page saw them: ``"show"`` once it is displayed,
        ``"click"`` each time the person activates it, then ``"close"`` (closed by the person,
        by :meth:`close` or by the platform) or ``"error"`` (it could not be shown).

        Args:
            wait_s: Seconds to wait for an event, > 0 (at most ``WAIT_SLICE_S`` per call to
                the page; longer waits are several calls).

        Returns:
            The event, or ``None`` when none came within ``wait_s``.

        Raises:
            InvalidArgumentError: ``wait_s`` is not a positive number.
            NativeNotFoundError: The page no longer follows this notification (its events were
                all read after ``close``/``error``, or nobody asked for ten minutes).
            NoSessionError: The session that showed it is gone.

        """
        try:
            remaining = check_timeout(wait_s)
        except ValueError as exc:
            raise InvalidArgumentError(str(exc), capability="notification", method="next_event") from None
        while True:
            slice_s = min(remaining, WAIT_SLICE_S)
            step = await CAPABILITY.call(
                "next_event",
                {"id": self.id, "wait_ms": round(slice_s * 1000)},
                result=_Next,
                timeout_s=slice_s + BRIDGE_MARGIN_S,
                bridge=self._bridge,
            )
            if step.missed:
                self.missed_events += step.missed
                logger.warning("notification %s: the page dropped %d unread events", self.id, step.missed)
            remaining -= slice_s
            if step.event is not None or remaining <= 0:
                return step.event


async def permission(*, timeout_s: float = NOTIFICATION_TIMEOUT_S) -> NotificationPermission:
    """Return the page's notification permission (``Notification.permission``).

    Args:
        timeout_s: Seconds the call may take.

    Returns:
        ``"granted"``, ``"denied"``, or ``"default"`` (not asked yet).

    Raises:
        InsecureContextError: The page is not a secure context.
        NotSupportedError: The browser has no Notifications API.
        PermissionDeniedError: In desktop, the window's permissions do not grant
            ``notification:allow-is-permission-granted``.
        NoSessionError: Called outside a session.

    """
    return (await CAPABILITY.call("permission", result=_Permission, timeout_s=timeout_s)).permission


async def request_permission(*, timeout_s: float = NOTIFICATION_TIMEOUT_S) -> NotificationPermission:
    """Ask for the notification permission (``Notification.requestPermission()``).

    The browser prompts only while the permission is ``"default"``; otherwise it answers at
    once with the stored decision. Call it from a click handler.

    Args:
        timeout_s: Seconds the prompt may stay open.

    Returns:
        The permission after the prompt: ``"default"`` when the person dismissed it.

    Raises:
        InsecureContextError: The page is not a secure context.
        NotSupportedError: The browser has no Notifications API.
        PermissionDeniedError: In desktop, the window's permissions do not grant
            ``notification:allow-request-permission``.
        NoSessionError: Called outside a session.

    """
    return (await CAPABILITY.call("request_permission", result=_Permission, timeout_s=timeout_s)).permission


def _text(value: object, name: str, *, optional: bool = True) -> None:
    if (value is None and optional) or isinstance(value, str):
        return
    raise InvalidArgumentError(
        f"{name} must be a str{' or None' if optional else ''}, got {type(value).__name__}",
        capability="notification",
        method="show",
    )


async def show(
    title: str,
    /,
    *,
    body: str | None = None,
    icon: str | None = None,
    badge: str | None = None,
    tag: str | None = None,
    lang: str | None = None,
    dir: NotificationDirection = "auto",
    silent: bool = False,
    require_interaction: bool = False,
    renotify: bool = False,
    timeout_s: float = NOTIFICATION_TIMEOUT_S,
) -> NotificationHandle | None:
    """Show a notification (``new Notification(title, options)``).

    Args:
        title: The title, the first line the person reads.
        body: Text under the title.
        icon: URL of an image shown with it (relative to the page). In desktop it goes to the
            OS as given: an icon name of the desktop theme or a file path.
        badge: URL of a small monochrome image for where the full icon does not fit.
        tag: Replaces an earlier notification of the same tag instead of adding one.
        lang: BCP 47 language tag of the title and body.
        dir: Text direction.
        silent: No sound or vibration.
        require_interaction: Stay on screen until the person acts on it.
        renotify: Alert again when it replaces a notification of the same ``tag`` (needs a tag).
        timeout_s: Seconds the call may take.

    Returns:
        A handle on the page's ``Notification``; ``None`` when it was shown through the service
        worker or the desktop plugin (no object to hold).

    Raises:
        InvalidArgumentError: A non-text title or option, or ``renotify`` without a ``tag``.
        PermissionDeniedError: The permission is not ``"granted"`` (request it first); in
            desktop, no ``notification`` plugin or the window does not grant
            ``notification:allow-notify``.
        InsecureContextError: The page is not a secure context.
        NotSupportedError: The browser has no Notifications API.
        NoSessionError: Called outside a session.

    """
    _text(title, "title", optional=False)
    for name, value in (("body", body), ("icon", icon), ("badge", badge), ("tag", tag), ("lang", lang)):
        _text(value, name)
    if dir not in ("auto", "ltr", "rtl"):
        raise InvalidArgumentError(
            f"dir must be 'auto', 'ltr' or 'rtl', got {dir!r}", capability="notification", method="show"
        )
    if renotify and not tag:
        # The spec's constructor throws a TypeError for renotify with an empty tag.
        raise InvalidArgumentError("renotify needs a tag", capability="notification", method="show")
    args = {
        "title": title,
        "body": body,
        "icon": icon,
        "badge": badge,
        "tag": tag,
        "lang": lang,
        "dir": dir,
        "silent": bool(silent),
        "require_interaction": bool(require_interaction),
        "renotify": bool(renotify),
    }
    bridge = active_bridge()  # the handle's later calls go to the page that showed it
    shown = await CAPABILITY.call("show", args, result=_Shown, timeout_s=timeout_s, bridge=bridge)
    if shown.id is None:
        return None
    return NotificationHandle(shown.id, title=title, tag=tag or "", bridge=bridge)


def __dir__() -> list[str]:
    return list(__all__)
