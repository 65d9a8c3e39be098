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
        message: Human-readable detail (for a failure of app code it holds the exception text,
            which a host shows only when it shows error details).
        error_id: For a failure of app code: the id of the log line holding its traceback
            (``error.id`` on the wire); ``None`` otherwise.
        detail: For a failure of app code: the traceback, the app's frames first
            (``error.detail``, sent only by a host showing error details).

    """

    def __init__(
        self, code: ErrorCode, message: str, *, error_id: str | None = None, detail: str | None = None
    ) -> None:
        super().__init__(f"[{code}] {message}")
        self.code: ErrorCode = code
        self.message = message
        self.error_id = error_id
        self.detail = detail

    @classmethod
    def app_failure(cls, exc: BaseException, /, what: str) -> SessionError:
        """Return the ``handler_error`` reporting ``exc``, raised by app code, with a new error id.

        The caller logs ``exc`` once (with its traceback) under ``error_id``; the host sends the
        id to the page, and ``detail`` only when it shows error details.

        Args:
            exc: The exception app code raised.
            what: What raised it, e.g. ``"the view"``.

        Returns:
            The error: ``message`` names ``what`` and the exception, ``detail`` is the traceback
            with the app's frames (``file:line``) first.

        """
        from tempest_core._internal.report import format_detail, new_error_id

        message = f"{what} raised {type(exc).__name__}: {exc}"
        return cls("handler_error", message, error_id=new_error_id(), detail=format_detail(exc))
