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

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tempest_core import App
from tempest_core.errors import SessionError
from tempest_core.events import build_event_models
from tempest_core.host import (
    Connection,
    CoreSession,
    HostSession,
    SessionTable,
    UploadError,
    app_path,
    upload_store,
    upload_target,
)
from tempestweb_contract import Error, decode
from tempestweb_contract.names import RELOAD_FAILED_MESSAGE
from tempestweb_contract.project import ProjectError, forget_folder_modules, import_app
from tempestweb_wasm._digest import html_digest
from tempestweb_wasm.errors import AppLoadError

if TYPE_CHECKING:
    from tempest_core.host._rehearsal import Rehearsal

logger = logging.getLogger("tempestweb.wasm")

__all__ = ["Runtime", "html_digest", "rehearsal", "start"]

SendFn = Callable[[str], None]
"""Delivers one encoded server frame (JSON text) to the client."""

ErrorFn = Callable[[str, str], None]
"""Shows an error to the user: ``(code, message)``."""


class _FfiPort:
    """The :class:`~tempest_core.host.FramePort` of the page: frames go to JS as strings."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def send(self, frame: bytes, /) -> None:
        self._runtime._deliver(frame.decode("utf-8"))

    def close(self, code: int, reason: str, /) -> None:
        self._runtime._connection = None  # the next client frame opens a new connection
        if self._runtime._on_close is not None:
            self._runtime._on_close(code, reason)


class Runtime:
    """The Mode A host adapter: the session host behind two string callbacks.

    Everything protocol-related (handshake, seq/ack, replay, exactly-once events, native calls)
    is :mod:`tempest_core.host`; this class maps the page's location to the app's path, decides
    whether the prerendered view can be hydrated, and moves frames across ``pyodide.ffi``.

    Args:
        app: The ``tempest_core.App`` to run.
        send: Receives every server frame as JSON text, in order.
        base: URL path of the folder holding ``index.html`` (``"/"`` or ``"/sub/dir/"``);
            client paths are made relative to it so the app routes the same at any mount.
        prerender_path: App path the build prerendered (``"/"``).
        prerender_sha256: :func:`html_digest` of the prerendered HTML, or ``None`` to always
            send a full resync.
        on_error: Called with ``(code, message)`` for every error sent to the client.
        on_close: Called with ``(code, reason)`` when the host closes the connection (a fatal
            error); the next frame from the page opens a new one, as a reconnect would.
        errors: What the page shows when app code fails: ``"generic"`` (a generic message with
            an error id; the traceback goes to the console under that id) or ``"traceback"``
            (dev builds: the exception and its traceback in the client's error overlay).

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
        on_close: Callable[[int, str], None] | None = None,
        errors: Literal["generic", "traceback"] = "generic",
    ) -> None:
        self._send_text = send
        self._on_close = on_close
        self._base = base if base.endswith("/") else base + "/"
        self._prerender_path = prerender_path
        self._prerender_sha256 = prerender_sha256
        self._on_error = on_error
        self.table = SessionTable(app, hydrate=self._hydrates, debug=errors == "traceback")
        self._connection: Connection | None = None

    def _hydrates(self, session: HostSession) -> bool:
        return (
            self._prerender_sha256 is not None
            and session.path.split("#", 1)[0] == self._prerender_path
            and html_digest(session.core.render_html()) == self._prerender_sha256
        )

    @property
    def host_session(self) -> HostSession | None:
        """The hosted session, ``None`` before the client's ``hello``."""
        connection = self._connection
        return connection.session if connection is not None else next(iter(self.table), None)

    @property
    def session(self) -> CoreSession | None:
        """The running core session, ``None`` before the client's ``hello``."""
        hosted = self.host_session
        return hosted.core if hosted is not None else None

    @property
    def seq(self) -> int:
        """``seq`` of the last frame that carried ops (0 after ``init``)."""
        hosted = self.host_session
        return hosted.seq if hosted is not None else 0

    def app_path(self, client_path: str, /) -> str:
        """Map a client location (``pathname + search + hash``) to the app's path.

        Args:
            client_path: e.g. ``"/sub/dir/index.html?x=1"``.

        Returns:
            The path below the build's base, e.g. ``"/?x=1"`` (:func:`tempest_core.host.app_path`).

        """
        return app_path(client_path, self._base)

    def receive(self, frame: str, /) -> None:
        """Handle one client frame (JSON text); a plain handler's render runs before it returns.

        Never raises: problems become ``error`` frames. Rendering before returning puts the
        patch of a plain (not ``async``) handler in the page's DOM before its next frame.

        Args:
            frame: A client message encoded by the JS client.

        """
        connection = self._connection
        if connection is None:
            port = _FfiPort(self)
            connection = self._connection = Connection(self.table, port, transport="ffi", base=self._base)
        # A plain handler's update renders inside this call (the session host's rule for every
        # mode): its patch, delivered in a microtask by bootstrap.js, is in the DOM before the
        # browser's next frame.
        connection.receive(frame)

    def warm(self) -> int:
        """Build now what the first event would build: the event models (bootstrap.js, at idle).

        Returns:
            How many were built (:func:`tempest_core.events.build_event_models`).

        """
        return build_event_models()

    def upload(self, node: int, upload_id: str, name: str, content_type: str, data: Any, /) -> str:
        """Store one file of a FileUpload that the page read (Mode A's path for upload bytes).

        ``client/src/upload.js`` reads the ``File`` and ``bootstrap.js``'s transport calls this
        with its bytes; the session's upload store keeps them as Mode B's endpoint does, with the
        limits of the FileUpload at ``node`` (``tempest_core.host.upload_target``), and the page
        then sends the ``tw-upload`` event with phase ``done``.

        Args:
            node: Node id of the drop zone.
            upload_id: The page's id of the file.
            name: ``File.name``.
            content_type: ``File.type``.
            data: The bytes: ``bytes``, or under Pyodide the ``Uint8Array`` proxy (``to_bytes()``).

        Returns:
            JSON text: ``{"id", "size"}`` once stored, else ``{"code", "message"}`` (an upload
            error code: ``not_found``, ``too_large``, ``not_accepted``, ``too_many_uploads``).

        """
        core = self.session
        if core is None:
            return json.dumps({"code": "not_found", "message": "the app has not started yet"})
        content = data if isinstance(data, bytes) else bytes(data.to_bytes())
        try:
            limits = upload_target(core, node)
            uploaded = upload_store(core).receive_bytes(
                upload_id, content, limits=limits, name=name, content_type=content_type
            )
        except UploadError as exc:
            return json.dumps({"code": exc.code, "message": exc.message})
        return json.dumps({"id": upload_id, "size": uploaded.size})

    def _deliver(self, text: str) -> None:
        self._send_text(text)
        if self._on_error is not None and text.startswith('{"type":"error"'):
            error = decode(text, sender="server")
            assert isinstance(error, Error)
            self._on_error(error.code, error.message)

    def drop_connection(self) -> None:
        """Forget the page's connection as a lost transport does (the session waits for a resume)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.detach()

    async def flush(self) -> None:
        """Wait until every received event was handled and its render ran (tests, hosts)."""
        hosted = self.host_session
        if hosted is not None:
            await hosted.settle()

    async def close(self) -> None:
        """Stop handling frames and close the session (fails pending native calls)."""
        await self.table.close_all()

    async def hot_reload(self, module: str, attr: str, app_dir: str, /) -> str:
        """Re-import the app from ``app_dir`` and swap it into the session, keeping its state.

        ``tempestweb dev --mode wasm`` after a change to the app's Python: ``bootstrap.js`` has
        written the new files into Pyodide's file system. The app's modules are forgotten and
        imported afresh, then :meth:`SessionTable.reload_app
        <tempest_core.host.SessionTable.reload_app>` swaps the new app in as Mode B's dev
        server does: the state is carried across a change of its class, the page gets a full
        resync, and a notice or a failure reaches the error overlay.

        Args:
            module: The app module name (``tw-build.json`` ``app.module``).
            attr: The attribute holding the ``App``.
            app_dir: The folder the app files were written to (on ``sys.path``).

        Returns:
            JSON ``{"reloaded": int, "notices": [str], "failures": [str]}``; an import failure
            is one failure (the page keeps the previous version and shows why).

        """
        forget_folder_modules(Path(app_dir))
        try:
            new_app = import_app(module, attr, expect=App)
        except ProjectError as exc:
            failure = SessionError.app_failure(exc, "reloading the app")
            logger.error("reload failed, keeping the running app (error %s): %s", failure.error_id, exc)
            for session in self.table:
                session.send_error(
                    "handler_error",
                    f"{RELOAD_FAILED_MESSAGE}: {exc.message}",
                    error_id=failure.error_id,
                    detail=failure.detail,
                )
            return json.dumps({"reloaded": 0, "notices": [], "failures": [exc.message]})
        report = await self.table.reload_app(new_app)
        return json.dumps(
            {
                "reloaded": report.reloaded,
                "notices": list(report.notices),
                "failures": [failure.message for failure in report.failures],
            }
        )


def start(config_json: str, send: SendFn, on_error: ErrorFn | None = None) -> Runtime:
    """Import the app and create its runtime; called by ``bootstrap.js`` under Pyodide.

    Args:
        config_json: JSON object with ``module`` and ``attr`` (where the ``App`` lives),
            ``base`` (URL path of the build folder), ``prerender_path``, ``prerender_sha256``
            and ``errors`` (``"traceback"`` in a dev build, else ``"generic"``).
        send: JS function receiving each server frame as a string.
        on_error: JS function receiving ``(code, message)`` of each error (the error banner).

    Returns:
        The runtime; JS passes each client frame to :meth:`Runtime.receive`.

    Raises:
        AppLoadError: The config is not valid JSON, the module fails to import (the message
            shows the user's ``file:line``), or the attribute is not a ``tempest_core.App``.

    """
    try:
        config = json.loads(config_json)
        module_name, attr = str(config["module"]), str(config["attr"])
    except (ValueError, KeyError, TypeError) as exc:
        raise AppLoadError(f"invalid runtime config: {exc}") from None
    try:
        app = import_app(module_name, attr, expect=App)  # the project schema's loader, as in every mode
    except ProjectError as exc:
        raise AppLoadError(exc.message) from exc
    return Runtime(
        app,
        send=send,
        base=str(config.get("base", "/")),
        prerender_path=str(config.get("prerender_path", "/")),
        prerender_sha256=config.get("prerender_sha256"),
        on_error=on_error,
        errors="traceback" if config.get("errors") == "traceback" else "generic",
    )


def rehearsal(send: SendFn) -> Rehearsal:
    """Open the idle-time rehearsal's throwaway session; called by ``bootstrap.js`` under Pyodide.

    See :mod:`tempest_core.host._rehearsal` (imported here, at idle, not on the boot's path): the
    page mounts a second JS client on an inert document whose transport hands its frames to
    :meth:`~tempest_core.host._rehearsal.Rehearsal.receive`, performs the DOM actions of
    :meth:`~tempest_core.host._rehearsal.Rehearsal.actions` in idle callbacks, then awaits
    :meth:`~tempest_core.host._rehearsal.Rehearsal.close`. The functions of a first scroll,
    keystroke and click are then compiled before a person's first one.

    Args:
        send: JS function receiving each frame of the rehearsal's session as a string.

    Returns:
        The rehearsal.

    """
    from tempest_core.host._rehearsal import Rehearsal

    return Rehearsal(send)
