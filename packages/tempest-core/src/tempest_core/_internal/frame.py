"""The component currently rendering (the hook frame) and the session currently handling input.

Rendering is synchronous, so the current hook frame is a plain module-level slot (cheap on the
hot path). The current session is a :class:`contextvars.ContextVar` because handlers and effects
may be async and several sessions share one event loop.
"""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING, Any

from tempest_core.errors import TempestError

if TYPE_CHECKING:
    from tempest_core._internal.mounted import MComponent

__all__ = ["CURRENT_SESSION", "FRAME_SLOT", "HookError", "current_frame", "swap_frame"]

CURRENT_SESSION: contextvars.ContextVar[Any] = contextvars.ContextVar("tempest_current_session", default=None)


class HookError(TempestError, RuntimeError):
    """A hook was called outside the render of a component or of an app view."""


class _Slot:
    __slots__ = ("frame",)

    def __init__(self) -> None:
        self.frame: MComponent | None = None


FRAME_SLOT = _SLOT = _Slot()


def swap_frame(frame: MComponent | None) -> MComponent | None:
    prev = _SLOT.frame
    _SLOT.frame = frame
    return prev


def current_frame(hook: str) -> MComponent:
    frame = _SLOT.frame
    if frame is None:
        raise HookError(
            f"{hook}() called outside a render: hooks work only while an app view or a @component "
            "function is being rendered"
        )
    return frame
