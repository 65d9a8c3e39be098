"""Mode A host: runs one ``tempest_core.Session`` in-process and speaks the wire protocol.

Under Pyodide, ``bootstrap.js`` calls :func:`start`; frames cross ``pyodide.ffi`` as encoded
JSON *strings* in both directions (one ``patch`` frame per render batch), never as deep
``to_js`` conversions, so the JS client parses them exactly as it parses WebSocket frames.
The handshake is the one of Mode B: the client's ``hello`` is answered with ``init``; the page
is prerendered, so ``init.ops`` is empty and the client hydrates, unless the first render in
the browser differs from the prerendered HTML (another path, random initial state), in which
case ``init`` carries ``reset`` and a full resync.

The same class runs on CPython, which is how it is tested without a browser.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from tempest_core import App, Session, SessionError
from tempestweb_contract import (
    PROTOCOL_VERSION,
    Ack,
    ContractError,
    Error,
    ErrorCode,
    Event,
    Hello,
    Init,
    Message,
    NativeResult,
    Navigate,
    Op,
    Patch,
    Ping,
    Pong,
    decode,
    encode,
)
from tempestweb_wasm._digest import html_digest
from tempestweb_wasm.errors import AppLoadError

__all__ = ["Runtime", "html_digest", "start"]

SendFn = Callable[[str], None]
"""Delivers one encoded server frame (JSON text) to the client."""

ErrorFn = Callable[[str, str], None]
"""Shows an error to the user: ``(code, message)``."""


def _loop() -> asyncio.AbstractEventLoop:
    """Return the running loop (Pyodide's WebLoop always runs), else the thread's current loop."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.get_event_loop()


class Runtime:
    """One in-process session host speaking the wire protocol over two string callbacks.

    Args:
        app: The ``tempest_core.App`` to run.
        send: Receives every server frame as JSON text, in order.
        base: URL path of the folder holding ``index.html`` (``"/"`` or ``"/sub/dir/"``);
            client paths are made relative to it so the app routes the same at any mount.
        prerender_path: App path the build prerendered (``"/"``).
        prerender_sha256: :func:`html_digest` of the prerendered HTML, or ``None`` to always
            send a full resync.
        on_error: Called with ``(code, message)`` for every error sent to the client.

    """

    def __init__(
        self,
        app: App[Any],
        *,
        send: SendFn,
        base: str = "/",
        prerender_path: str = "/",
        prerender_sha256: str | None = None,
        on_error: ErrorFn | None = None,
    ) -> None:
        self._app = app
        self._send_text = send
        self._base = base if base.endswith("/") else base + "/"
        self._prerender_path = prerender_path
        self._prerender_sha256 = prerender_sha256
        self._on_error = on_error
        self._session: Session | None = None
        self._session_id = uuid.uuid4().hex
        self._seq = 0
        self._events: asyncio.Queue[Event] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def session(self) -> Session | None:
        """The running session, ``None`` before the client's ``hello``."""
        return self._session

    @property
    def seq(self) -> int:
        """``seq`` of the last frame that carried ops (0 after ``init``)."""
        return self._seq

    def app_path(self, client_path: str, /) -> str:
        """Map a client location (``pathname + search + hash``) to the app's path.

        Args:
            client_path: e.g. ``"/sub/dir/index.html?x=1"``.

        Returns:
            The path below :attr:`base`, e.g. ``"/?x=1"``; ``index.html`` maps to ``"/"``.

        """
        path = client_path or "/"
        if path.startswith(self._base):
            path = "/" + path[len(self._base) :]
        elif path + "/" == self._base:
            path = "/"
        if path == "/index.html" or path.startswith(("/index.html?", "/index.html#")):
            path = "/" + path[len("/index.html") :]
        return path

    def receive(self, frame: str, /) -> None:
        """Handle one client frame (JSON text). Never raises: problems become ``error`` frames.

        Args:
            frame: A client message encoded by the JS client.

        """
        if self._closed:
            return
        try:
            message = decode(frame, sender="client")
        except ContractError as exc:
            self._error(exc.code, exc.message)
            return
        self._handle(message)

    def _handle(self, message: Message) -> None:
        if isinstance(message, Hello):
            self._hello(message)
        elif self._session is None:
            self._error("unknown_message", f"{type(message).__name__.lower()} before hello")
        elif isinstance(message, Event):
            self._events.put_nowait(message)
            if self._worker is None or self._worker.done():
                self._worker = _loop().create_task(self._drain())
        elif isinstance(message, Navigate):
            self._session.navigate(self.app_path(message.path))
        elif isinstance(message, Ping):
            self._send(Pong(ts=message.ts))
        elif isinstance(message, NativeResult):
            self._error("unknown_message", f"native_result {message.id} answers no pending native call")
        elif not isinstance(message, (Ack, Pong)):
            self._error("unknown_message", f"unexpected {type(message).__name__.lower()} from the client")

    def _hello(self, hello: Hello) -> None:
        if hello.v != PROTOCOL_VERSION:
            self._error(
                "version_mismatch", f"client speaks v{hello.v}, runtime v{PROTOCOL_VERSION}", fatal=True
            )
            return
        path = self.app_path(hello.path)
        if self._session is not None:  # the client reconnected: bring it to the current state
            self._send(Init(v=PROTOCOL_VERSION, session=self._session_id, seq=self._seq,
                            ops=self._session.resync(), reset=True))  # fmt: skip
            return
        session = Session(
            self._app,
            path=path,
            on_patch=self._patch,
            on_navigate=self._navigate,
            on_error=self._session_error,
        )
        self._session = session
        session.mount()
        hydrate = (
            self._prerender_sha256 is not None
            and path.split("#", 1)[0] == self._prerender_path
            and html_digest(session.render_html()) == self._prerender_sha256
        )
        ops: tuple[Op, ...] = () if hydrate else session.resync()
        self._send(
            Init(v=PROTOCOL_VERSION, session=self._session_id, seq=self._seq, ops=ops, reset=not hydrate)
        )

    async def _drain(self) -> None:
        # An event can arrive while this task awaits the flush below; the outer loop picks it up
        # (otherwise it would wait in the queue for the next event: a lost wake-up).
        while not self._events.empty() and self._session is not None:
            while not self._events.empty() and self._session is not None:
                event = self._events.get_nowait()
                try:
                    await self._session.dispatch(event)
                except SessionError as exc:
                    self._error(exc.code, exc.message)
            if self._session is not None:
                # Render now instead of relying on call_soon scheduling: one render per drained batch.
                await self._session.flush()

    def _patch(self, ops: tuple[Op, ...], ack: int) -> None:
        self._seq += 1
        self._send(Patch(seq=self._seq, ops=ops, ack=ack))

    def _navigate(self, path: str, replace: bool) -> None:
        self._send(Navigate(path=self._base + path.lstrip("/"), replace=replace))

    def _session_error(self, error: SessionError) -> None:
        self._error(error.code, error.message)

    def _error(self, code: ErrorCode, message: str, *, fatal: bool = False) -> None:
        self._send(Error(code=code, message=message, fatal=fatal))
        if self._on_error is not None:
            self._on_error(code, message)

    def _send(self, message: Message) -> None:
        self._send_text(encode(message).decode("utf-8"))

    async def flush(self) -> None:
        """Wait until every queued event was dispatched and its render ran (tests, hosts)."""
        while self._worker is not None and not self._worker.done():
            await self._worker
        if self._session is not None:
            await self._session.flush()

    async def close(self) -> None:
        """Stop handling frames and close the session (cancels its effects and tasks)."""
        self._closed = True
        if self._worker is not None:
            self._worker.cancel()
        if self._session is not None:
            await self._session.close()


def start(config_json: str, send: SendFn, on_error: ErrorFn | None = None) -> Runtime:
    """Import the app and create its runtime; called by ``bootstrap.js`` under Pyodide.

    Args:
        config_json: JSON object with ``module`` and ``attr`` (where the ``App`` lives),
            ``base`` (URL path of the build folder), ``prerender_path`` and ``prerender_sha256``.
        send: JS function receiving each server frame as a string.
        on_error: JS function receiving ``(code, message)`` of each error (the error banner).

    Returns:
        The runtime; JS passes each client frame to :meth:`Runtime.receive`.

    Raises:
        AppLoadError: The config is not valid JSON, the module fails to import, or the
            attribute is not a ``tempest_core.App``.

    """
    try:
        config = json.loads(config_json)
        module_name, attr = str(config["module"]), str(config["attr"])
    except (ValueError, KeyError, TypeError) as exc:
        raise AppLoadError(f"invalid runtime config: {exc}") from None
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise AppLoadError(f"importing the app module {module_name!r} failed: {exc!r}") from exc
    app = getattr(module, attr, None)
    if not isinstance(app, App):
        raise AppLoadError(f"{module_name}.{attr} is {type(app).__name__}, not a tempest_core.App")
    return Runtime(
        app,
        send=send,
        base=str(config.get("base", "/")),
        prerender_path=str(config.get("prerender_path", "/")),
        prerender_sha256=config.get("prerender_sha256"),
        on_error=on_error,
    )
