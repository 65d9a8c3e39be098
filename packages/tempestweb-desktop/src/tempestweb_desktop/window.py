"""``Window``: a desktop window seen from Python (its page, its OS window, its events).

App code gets the window its session runs in with :func:`current_window` (in a handler, an
effect or a task of the session), or every window from ``DesktopApp.windows``. Methods that
query or change the OS window are synchronous (Tauri runs them on the UI thread and answers);
:meth:`Window.eval_js` is awaited: the webview's own ``eval`` returns nothing, so the page
answers over IPC, correlated by request id, and a late answer (after a timeout or a page
reload) is dropped.

The native library is imported only when a method needs it, so importing this module works
on a machine without a webview (``tempestweb doctor`` reports why).
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Literal

from tempest_core import Session
from tempestweb_contract.constants import MAX_FRAME_BYTES
from tempestweb_desktop.constants import ANSWER_COMMAND, EVAL_TIMEOUT_S, MAX_PENDING_EVALS
from tempestweb_desktop.errors import (
    DesktopError,
    EvalError,
    EvalTimeoutError,
    PermissionDeniedError,
    WindowClosedError,
)

if TYPE_CHECKING:
    from pytauri.webview import WebviewWindow

    from tempest_core.host import HostSession

__all__ = ["JSON", "WINDOW_MODES", "Answers", "Window", "WindowMode", "current_window"]

logger = logging.getLogger("tempestweb.desktop")

JSON = None | bool | int | float | str | list["JSON"] | dict[str, "JSON"]
"""A JSON value as Python builds it (``json.loads``)."""

WindowMode = Literal["single", "new", "multi"]
"""How ``Desktop.open_window`` opens a window:

- ``"single"``: no new window; the window named by the label (else the main window) replaces its
  content with the app at the path, in a new session (the old one is closed);
- ``"new"``: an independent window with its own session; it stays open when the main window
  closes, and the app runs until its last window closes;
- ``"multi"``: a window with its own session that belongs to the main window: closing the main
  window closes it.
"""

WINDOW_MODES: Final[tuple[WindowMode, ...]] = ("single", "new", "multi")
"""The accepted :data:`WindowMode` values."""

_CURRENT: Final[contextvars.ContextVar[Window | None]] = contextvars.ContextVar(
    "tempestweb_desktop_window", default=None
)


def current_window() -> Window:
    """Return the window whose session is running the calling code.

    Returns:
        The :class:`Window` of the current session.

    Raises:
        DesktopError: Called outside a desktop session (another mode, or a plain thread).

    """
    window = _CURRENT.get()
    if window is None:
        raise DesktopError("current_window() called outside a desktop window's session")
    return window


def _eval_script(request_id: int, expression: str) -> str:
    # The expression goes in as a JSON string and runs through an indirect eval, so a syntax
    # error is an answer (SyntaxError) instead of a script that silently never answers.
    command = json.dumps(ANSWER_COMMAND)
    source = json.dumps(expression)
    return (
        "(() => {"
        f" const id = {request_id};"
        " const answer = (body) => window.__TAURI__.pytauri.pyInvoke("
        f"{command}, new TextEncoder().encode(JSON.stringify(body)));"
        f" Promise.resolve().then(() => (0, eval)({source})).then((value) => {{"
        " let text;"
        " try { text = JSON.stringify(value === undefined ? null : value); }"
        " catch (e) { return answer({ id, ok: false, name: 'SerializationError', message: String(e) }); }"
        " if (text === undefined) return answer({ id, ok: false, name: 'SerializationError',"
        " message: 'value is not JSON' });"
        " return window.__TAURI__.pytauri.pyInvoke("
        f"{command}, new TextEncoder().encode('{{\"id\":' + id + ',\"ok\":true,\"value\":' + text + '}}'));"
        " }, (error) => answer({ id, ok: false, name: String(error?.name ?? 'Error'),"
        " message: String(error?.message ?? error) }));"
        " })();"
    )


class Answers:
    """The ``eval_js`` requests of one window waiting for the page's answer.

    Args:
        max_pending: Most requests waiting at once.

    """

    def __init__(self, *, max_pending: int = MAX_PENDING_EVALS) -> None:
        self._max_pending = max_pending
        self._pending: dict[int, asyncio.Future[JSON]] = {}
        self._next = 0

    def __len__(self) -> int:
        return len(self._pending)

    def open(self) -> tuple[int, asyncio.Future[JSON]]:
        """Register a request.

        Returns:
            Its id and the future its answer settles.

        Raises:
            DesktopError: ``max_pending`` requests are already waiting.

        """
        if len(self._pending) >= self._max_pending:
            raise DesktopError(f"{self._max_pending} eval_js requests already wait for this window")
        self._next += 1
        future: asyncio.Future[JSON] = asyncio.get_running_loop().create_future()
        self._pending[self._next] = future
        return self._next, future

    def forget(self, request_id: int, /) -> None:
        """Drop a request (timed out or cancelled); its late answer will be ignored."""
        self._pending.pop(request_id, None)

    def settle(self, body: bytes, /) -> None:
        """Settle the request an answer names; an unknown or malformed answer is logged, dropped.

        Args:
            body: ``{"id", "ok": true, "value"}`` or ``{"id", "ok": false, "name", "message"}``.

        """
        if len(body) > MAX_FRAME_BYTES:
            logger.warning("eval_js answer of %d bytes dropped", len(body))
            return
        try:
            answer = json.loads(body)
            request_id = answer["id"]
            ok = answer["ok"]
        except (ValueError, KeyError, TypeError, RecursionError):  # deep nesting: RecursionError
            logger.warning("malformed eval_js answer dropped")
            return
        future = self._pending.pop(request_id, None) if isinstance(request_id, int) else None
        if future is None or future.done():
            logger.debug("stale eval_js answer %r dropped", request_id)
            return
        if ok is True:
            future.set_result(answer.get("value"))
        else:
            future.set_exception(EvalError(str(answer.get("name", "Error")), str(answer.get("message", ""))))

    def fail_all(self, error: DesktopError, /) -> None:
        """Fail every waiting request (the page reloaded or the window closed)."""
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(error)


class Window:
    """One desktop window: its page (``eval_js``, events) and its OS window.

    Args:
        native: The PyTauri ``WebviewWindow``.
        loop: The host's event loop (native callbacks are moved onto it).
        session: Returns the session the window's page runs, if any.
        mode: How it was opened (``"multi"``: closed with the main window).

    Attributes:
        label: The window's label (``"main"`` for the first).
        mode: How it was opened (:data:`WindowMode`).
        answers: Its pending ``eval_js`` requests.

    """

    def __init__(
        self,
        native: WebviewWindow,
        *,
        loop: asyncio.AbstractEventLoop,
        session: Callable[[], HostSession | None] = lambda: None,
        mode: WindowMode = "new",
    ) -> None:
        self.native = native
        self.label = native.label()
        self.mode: WindowMode = mode
        self.answers = Answers()
        self.closed = False
        self._loop = loop
        self._session = session

    def __repr__(self) -> str:
        return f"Window({self.label!r})"

    def _bind(self) -> contextvars.Token[Window | None]:
        return _CURRENT.set(self)

    @staticmethod
    def _unbind(token: contextvars.Token[Window | None]) -> None:
        _CURRENT.reset(token)

    # -- the app session --------------------------------------------------------------------------
    @property
    def session(self) -> HostSession | None:
        """The session the window's page runs (``None`` before the page connected)."""
        return self._session()

    @property
    def state(self) -> object:
        """The app state of the window's session.

        Raises:
            DesktopError: The page has not connected yet.

        """
        return self._require_session().core.state

    def set_state(self, fn: Callable[[Any], Any], /) -> None:
        """Update the window's app state as ``app.set_state`` does in a handler (one render per tick).

        For callbacks that run outside the session's handlers: menu items, the tray, window
        events, timers of the host.

        Args:
            fn: Receives the state, returns the new one (or mutates it and returns ``None``).

        Raises:
            DesktopError: The page has not connected yet.

        """
        core = self._require_session().core
        if not isinstance(core, Session):
            raise DesktopError(f"window {self.label!r}: its session is not a tempest_core.Session")
        core.set_state(fn)

    def _require_session(self) -> HostSession:
        session = self._session()
        if session is None or session.closed:
            raise DesktopError(f"window {self.label!r} has no running session yet")
        return session

    # -- the page ---------------------------------------------------------------------------------
    async def eval_js(self, expression: str, /, *, timeout_s: float = EVAL_TIMEOUT_S) -> JSON:
        """Evaluate a JavaScript expression in the page and return its JSON value.

        A Promise is awaited. Statements go in an arrow function: ``"(() => { ...; return x })()"``.

        Args:
            expression: JavaScript expression.
            timeout_s: Longest wait for the answer, in seconds.

        Returns:
            The value as ``json.loads`` gives it (``undefined`` becomes ``None``).

        Raises:
            EvalError: The expression threw or does not parse (``name`` is the JS error's), or
                its value cannot be serialized to JSON.
            EvalTimeoutError: No answer within ``timeout_s``.
            WindowClosedError: The window closed or its page reloaded first.

        Example:
            ``await current_window().eval_js("document.title")``

        """
        if self.closed:
            raise WindowClosedError(f"window {self.label!r} is closed")
        request_id, future = self.answers.open()
        try:
            self.native.eval(_eval_script(request_id, expression))
            return await asyncio.wait_for(future, timeout_s)
        except TimeoutError:
            raise EvalTimeoutError(f"window {self.label!r} did not answer eval_js in {timeout_s} s") from None
        finally:
            self.answers.forget(request_id)

    async def invoke(
        self, command: str, args: dict[str, JSON] | None = None, /, *, timeout_s: float = EVAL_TIMEOUT_S
    ) -> JSON:
        """Call a Tauri command from the page, as the page's own code would (plugins included).

        The call goes through the window's capability, so a plugin command runs only when
        ``[desktop] permissions`` grants it.

        Args:
            command: ``"plugin:<plugin>|<command>"``, e.g. ``"plugin:clipboard-manager|write_text"``.
            args: The command's arguments (camelCase keys, as in Tauri's JS API).
            timeout_s: Longest wait, in seconds.

        Returns:
            The command's result.

        Raises:
            PermissionDeniedError: The window's capability does not grant the command.
            EvalError: The command failed (``name`` is ``"Error"``, the message is Tauri's).
            EvalTimeoutError: No answer in time.
            WindowClosedError: The window closed first.

        """
        expression = f"window.__TAURI__.core.invoke({json.dumps(command)}, {json.dumps(args or {})})"
        try:
            return await self.eval_js(expression, timeout_s=timeout_s)
        except EvalError as exc:
            if "not allowed" in exc.message:
                raise PermissionDeniedError(
                    f"{command}: {exc.message.removeprefix(exc.name + ': ')}"
                ) from None
            raise

    def emit(self, event: str, payload: JSON = None, /) -> None:
        """Send a custom event to this window's page (``window.__TAURI__.event.listen(event, ...)``).

        Fire-and-forget: nothing waits for the page.

        Args:
            event: Event name (letters, digits, ``-``, ``/``, ``:`` and ``_``).
            payload: Any JSON value; the page gets it as ``event.payload``.

        """
        from pytauri import Emitter, EventTarget

        Emitter.emit_str_to(self.native, EventTarget.WebviewWindow(self.label), event, json.dumps(payload))

    def on(self, event: str, handler: Callable[[JSON], object], /) -> Callable[[], None]:
        """Call ``handler(payload)`` on the host loop for each ``event`` the page emits to this window.

        The page emits with ``window.__TAURI__.event.emitTo(label, event, payload)`` (or
        ``getCurrentWebviewWindow().emit``). A handler that raises is logged.

        Args:
            event: Event name.
            handler: Receives the payload (parsed JSON); may return an awaitable.

        Returns:
            A function that stops listening.

        """
        from pytauri import Event, Listener

        def on_native(native_event: Event) -> None:
            try:
                payload: JSON = json.loads(native_event.payload)
            except ValueError:
                payload = native_event.payload
            self._loop.call_soon_threadsafe(self._call, handler, payload)

        event_id = Listener.listen(self.native, event, on_native)
        return lambda: Listener.unlisten(self.native, event_id)

    def _call(self, handler: Callable[[JSON], object], payload: JSON) -> None:
        token = self._bind()
        try:
            result = handler(payload)
            if asyncio.iscoroutine(result):
                self._loop.create_task(result)
        except Exception:
            logger.exception("window %r: event handler failed", self.label)
        finally:
            self._unbind(token)

    # -- the OS window ----------------------------------------------------------------------------
    @property
    def title(self) -> str:
        """The window's title."""
        return self.native.title()

    def set_title(self, title: str, /) -> None:
        """Set the window's title."""
        self.native.set_title(title)

    def size(self) -> tuple[float, float]:
        """Return the inner size in logical pixels ``(width, height)``."""
        width, height = self.native.inner_size()
        scale = self.native.scale_factor()
        return width / scale, height / scale

    def set_size(self, width: float, height: float, /) -> None:
        """Resize the inner area to ``width`` x ``height`` logical pixels."""
        from pytauri import Size

        self.native.set_size(Size.Logical((float(width), float(height))))

    def position(self) -> tuple[float, float]:
        """Return the outer position in logical pixels ``(x, y)``."""
        x, y = self.native.outer_position()
        scale = self.native.scale_factor()
        return x / scale, y / scale

    def set_position(self, x: float, y: float, /) -> None:
        """Move the window's outer top-left corner to ``(x, y)`` logical pixels."""
        from pytauri import Position

        self.native.set_position(Position.Logical((float(x), float(y))))

    def center(self) -> None:
        """Center the window on its monitor."""
        self.native.center()

    def maximize(self) -> None:
        """Maximize the window."""
        self.native.maximize()

    def unmaximize(self) -> None:
        """Restore a maximized window."""
        self.native.unmaximize()

    def minimize(self) -> None:
        """Minimize (iconify) the window."""
        self.native.minimize()

    def unminimize(self) -> None:
        """Restore a minimized window."""
        self.native.unminimize()

    def set_fullscreen(self, fullscreen: bool, /) -> None:
        """Enter or leave fullscreen."""
        self.native.set_fullscreen(fullscreen)

    def show(self) -> None:
        """Show the window."""
        self.native.show()

    def hide(self) -> None:
        """Hide the window (it keeps running)."""
        self.native.hide()

    def focus(self) -> None:
        """Bring the window to the front and focus it."""
        self.native.set_focus()

    def close(self) -> None:
        """Ask the window to close (as its close button does)."""
        self.native.close()

    def set_zoom(self, factor: float, /) -> None:
        """Set the page zoom (1.0 is 100 %)."""
        self.native.set_zoom(factor)

    def open_devtools(self) -> None:
        """Open the web inspector (when the webview allows it)."""
        self.native.open_devtools()

    def close_devtools(self) -> None:
        """Close the web inspector."""
        self.native.close_devtools()

    def reload(self) -> None:
        """Reload the page; the window's session restarts from the app's initial state."""
        self.native.reload()

    def navigate(self, url: str, /) -> None:
        """Load ``url`` in the window (an app route is better reached with the app's router)."""
        self.native.navigate(url)

    @property
    def url(self) -> str:
        """The page's URL (``tauri://localhost/...`` for the app)."""
        return str(self.native.url())

    def is_visible(self) -> bool:
        """Whether the window is shown."""
        return self.native.is_visible()

    def is_focused(self) -> bool:
        """Whether the window has the keyboard focus."""
        return self.native.is_focused()

    def is_maximized(self) -> bool:
        """Whether the window is maximized."""
        return self.native.is_maximized()

    def is_minimized(self) -> bool:
        """Whether the window is minimized."""
        return self.native.is_minimized()

    def is_fullscreen(self) -> bool:
        """Whether the window is fullscreen."""
        return self.native.is_fullscreen()
