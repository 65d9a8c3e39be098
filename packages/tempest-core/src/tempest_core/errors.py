"""The error hierarchy of tempest_core; every error carries a stable code."""

from __future__ import annotations

from tempestweb_contract import ErrorCode

__all__ = ["SessionError", "StyleError", "TempestError", "TemplateError", "WidgetError"]


class TempestError(Exception):
    """Base of every error raised by tempest_core."""


class WidgetError(TempestError, TypeError):
    """A widget or html element was built with a bad argument.

    The message names the widget, the argument, what was expected and what was given, e.g.
    ``Button(label=...): expected str, got int (42)``.
    """


class TemplateError(WidgetError):
    """A ``@template`` breaks a template rule.

    A parameter decides structure, is only part of a value or is unused, or the markup holds a
    component (see :mod:`tempest_core.templates`).
    """


class StyleError(TempestError, ValueError):
    """A :class:`~tempest_core.style.Style` was given an unknown property or a bad value."""


class SessionError(TempestError):
    """A session could not process an input (an event, a navigation) or a handler failed.

    Attributes:
        code: Stable wire error code (``unknown_handler``, ``invalid_event_data``,
            ``handler_error``...), sent to the client in an ``error`` frame.
        message: Human-readable detail, safe to show to the client.

    """

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"[{code}] {message}")
        self.code: ErrorCode = code
        self.message = message
