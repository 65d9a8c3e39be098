"""The desktop host: a PyTauri app whose windows each run sessions of one tempestweb app.

Threads: Tauri's event loop owns the main thread (GTK requires it); the sessions, the IPC
commands and every Python callback run on one asyncio loop in a second thread (an anyio
blocking portal). Native callbacks (menu clicks, window events) arrive on the main thread and
are moved onto that loop; they never block.

Imported only after :func:`~tempestweb_desktop._preflight.preflight` passed: importing
``pytauri`` loads the native module.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import logging
import tempfile
import threading
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from anyio.from_thread import BlockingPortal, start_blocking_portal
from pydantic import BaseModel
from pytauri import AppHandle, Assets, Commands, RunEvent, RunEventType, WebviewUrl, WindowEvent
from pytauri.ipc import Invoke, InvokeException, JavaScriptChannelId, ParametersType
from pytauri.menu import MenuEvent
from pytauri.tray import TrayIcon, TrayIconEvent, TrayIconEventType
from pytauri.webview import WebviewWindow, WebviewWindowBuilder
from pytauri_wheel.lib import builder_factory, context_factory

from tempest_core import App
from tempest_core.errors import SessionError
from tempest_core.events import build_event_models
from tempest_core.host import HostSession, SessionTable
from tempestweb_desktop._frontend import Frontend, Prerendered
from tempestweb_desktop._ipc import StaleConnectionError, WindowLink
from tempestweb_desktop._menus import MenuBuilder, load_icon
from tempestweb_desktop._preflight import check_tray
from tempestweb_desktop._tauri_config import tauri_config
from tempestweb_desktop.config import DesktopConfig
from tempestweb_desktop.constants import (
    ANSWER_COMMAND,
    CONNECT_COMMAND,
    MAIN_WINDOW,
    MAX_WINDOWS,
    PRERENDER_TIMEOUT_S,
    SEND_COMMAND,
)
from tempestweb_desktop.errors import (
    DesktopError,
    TrayUnavailableError,
    WebViewMissingError,
    WindowClosedError,
)
from tempestweb_desktop.menu import MenuBar, Tray
from tempestweb_desktop.window import WINDOW_MODES, Window, WindowMode

__all__ = ["DesktopHost"]

logger = logging.getLogger("tempestweb.desktop")

StartHook = Callable[["DesktopHost"], object]
"""Called on the host loop once the first window exists (may return an awaitable)."""


class ConnectBody(BaseModel):
    """Body of the ``connect`` command: the page's channel for server frames."""

    channel: JavaScriptChannelId


class ConnectReply(BaseModel):
    """Answer of the ``connect`` command."""

    connection: str


class _Assets(Assets):
    """Tauri's asset resolver backed by :class:`Frontend` (called on Tauri's threads)."""

    def __init__(self, frontend: Frontend) -> None:
        self._frontend = frontend

    def get(self, key: str, /) -> bytes | None:
        try:
            return self._frontend.get(key)
        except Exception:  # must never raise into Tauri
            logger.exception("asset %r failed", key)
            return None

    def iter(self, /) -> Iterator[tuple[str, bytes]]:
        return iter(())


class DesktopHost:
    """Runs a tempestweb app in native windows until the last one closes.

    Args:
        app: The ``tempest_core.App``.
        config: Window and plugin options.
        menu: The menu bar of every window.
        tray: The tray icon.
        on_start: Called on the host loop after the first window opened.
        files: The app's files the windows may load, by URL path (assets, scripts).
        scripts: URL paths of the classic scripts every page loads before the client.
        head: Trusted markup for the page's ``<head>`` (capability module links).

    Attributes:
        app: The app new sessions run (replaced by hot reload).
        windows: Open windows by label.
        table: Every window's session (one per window; a page reload replaces it).

    """

    def __init__(
        self,
        app: App[Any],
        config: DesktopConfig,
        *,
        menu: MenuBar | None = None,
        tray: Tray | None = None,
        on_start: StartHook | None = None,
        files: Mapping[str, Path] | None = None,
        scripts: Sequence[str] = (),
        head: str = "",
    ) -> None:
        self.app = app
        self.config = config
        self.menu = menu
        self.tray = tray
        self.tray_icon: TrayIcon | None = None
        self._menus: MenuBuilder | None = None
        self.windows: dict[str, Window] = {}
        self._links: dict[str, WindowLink] = {}
        self._on_start = on_start
        self._loop: asyncio.AbstractEventLoop | None = None
        self._handle: AppHandle | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.frontend = Frontend(
            title=self._title(),
            files=files,
            scripts=scripts,
            head=head,
            plugins=config.plugins,
            prerender=self._prerender,
        )
        self.table = SessionTable(app, debug=config.debug)

    def _title(self) -> str:
        return self.config.title or self.app.title or "tempestweb"

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The host loop (sessions, commands, callbacks)."""
        if self._loop is None:
            raise DesktopError("the desktop host is not running")
        return self._loop

    # -- lifecycle --------------------------------------------------------------------------------
    def run(self) -> int:
        """Open the main window and run until the last window closes.

        Returns:
            The app's exit code (0 after the windows closed normally).

        Raises:
            WebViewMissingError: The native webview failed to start (reported in one line).

        """
        with tempfile.TemporaryDirectory(prefix="tempestweb-desktop-") as tmp:
            root = Path(tmp)
            (root / "frontend").mkdir()
            config = tauri_config(self.config, product=self._title(), frontend_dir=root / "frontend")
            (root / "tauri.conf.json").write_text(json.dumps(config), encoding="utf-8")
            with start_blocking_portal("asyncio") as portal:
                self._loop = portal.call(_running_loop)
                try:
                    context = context_factory(root)
                    context.set_assets(_Assets(self.frontend))
                    tauri_app = builder_factory().build(
                        context=context,
                        invoke_handler=self._invoke_handler(portal),
                        setup=self._setup,
                        plugins=self._plugins(),
                    )
                except BaseException as exc:  # a Rust panic is a BaseException (PanicException)
                    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                        raise
                    raise WebViewMissingError(f"the webview failed to start: {_first_line(exc)}") from None
                code = tauri_app.run_return(self._on_run_event)
                portal.call(self._shutdown, portal)
                return code

    async def _shutdown(self, portal: BlockingPortal) -> None:
        for link in list(self._links.values()):
            link.drop()
        await self.table.close_all()
        for task in list(self._tasks):
            task.cancel()

    def _plugins(self) -> list[Any]:
        import importlib

        from tempestweb_desktop.config import PLUGINS

        plugins = []
        for name in self.config.plugins:
            module = importlib.import_module(f"pytauri_plugins.{PLUGINS[name]}")
            plugins.append(module.init())
        return plugins

    def _setup(self, handle: AppHandle) -> None:
        self._handle = handle
        self._menus = MenuBuilder(handle)
        handle.on_menu_event(self._on_menu_event)
        try:
            self.open_window(MAIN_WINDOW, mode="new")
        except Exception:
            logger.exception("opening the main window failed")
            handle.exit(1)
            return
        # While the webview loads the page: the event models, not inside the first click.
        self.loop.call_soon_threadsafe(build_event_models)
        if self.tray is not None:
            self._open_tray(handle, self.tray)
        if self._on_start is not None:
            self.loop.call_soon_threadsafe(self._spawn, self._on_start, self)

    def _spawn(self, fn: Callable[..., object], /, *args: object) -> None:
        try:
            result = fn(*args)
        except Exception:
            logger.exception("desktop callback %r failed", fn)
            return
        if asyncio.iscoroutine(result):
            task = self.loop.create_task(_logged(result))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _open_tray(self, handle: AppHandle, tray: Tray) -> None:
        try:
            check_tray()
        except TrayUnavailableError as exc:
            logger.error("tempestweb desktop: %s (the app runs without it)", exc.message)
            return
        assert self._menus is not None
        icon = TrayIcon.with_id(handle, "tempestweb")
        icon.set_icon(load_icon(tray.icon))
        if tray.menu:
            icon.set_menu(self._menus.context_menu("tray", tray.menu))
        icon.set_tooltip(tray.tooltip)
        if tray.title is not None:
            icon.set_title(tray.title)
        if tray.on_click is not None:
            on_click = tray.on_click

            def on_tray_event(_icon: TrayIcon, event: TrayIconEventType) -> None:
                try:
                    if isinstance(event, TrayIconEvent.Click):
                        self.loop.call_soon_threadsafe(self._run_callback, "tray", on_click)
                except Exception:  # must never raise into Tauri
                    logger.exception("tray event handler failed")

            icon.on_tray_icon_event(on_tray_event)
        self.tray_icon = icon

    def _on_menu_event(self, _handle: AppHandle, menu_id: MenuEvent) -> None:
        try:
            found = self._menus.callback(menu_id) if self._menus is not None else None
            if found is not None:
                self.loop.call_soon_threadsafe(self._run_callback, *found)
        except Exception:  # must never raise into Tauri
            logger.exception("menu event handler failed")

    def dispatch_menu(self, menu_id: str, /) -> bool:
        """Run the callback of menu item ``menu_id`` as a click on it would (tests, automation).

        Args:
            menu_id: An item id (``tw:<window or tray>:<n>``), see :attr:`menu_ids`.

        Returns:
            Whether the id has a callback.

        """
        found = self._menus.callback(menu_id) if self._menus is not None else None
        if found is None:
            return False
        self.loop.call_soon_threadsafe(self._run_callback, *found)
        return True

    @property
    def menu_ids(self) -> dict[str, str]:
        """Map ``"<owner>/<item text>"`` to each callback item's id (owner: a window label or ``tray``)."""
        if self._menus is None:
            return {}
        return {f"{b.owner}/{b.item.text}": menu_id for menu_id, b in self._menus.bindings.items()}

    def _run_callback(self, owner: str, call: Callable[[], object]) -> None:
        window = (
            self.windows.get(owner)
            or self.windows.get(MAIN_WINDOW)
            or next(iter(self.windows.values()), None)
        )
        token = window._bind() if window is not None else None
        try:
            self._spawn(call)
        finally:
            if token is not None:
                Window._unbind(token)

    def _on_run_event(self, _handle: AppHandle, event: RunEventType) -> None:
        try:
            if isinstance(event, RunEvent.WindowEvent) and isinstance(event.event, WindowEvent.Destroyed):
                self.loop.call_soon_threadsafe(self._window_destroyed, event.label)
        except Exception:  # must never raise into Tauri
            logger.exception("run event handler failed")

    def _window_destroyed(self, label: str) -> None:
        if label == MAIN_WINDOW:  # the windows opened in "multi" mode belong to it
            for other in list(self.windows.values()):
                if other.label != MAIN_WINDOW and other.mode == "multi" and not other.closed:
                    other.close()
        window = self.windows.pop(label, None)
        link = self._links.pop(label, None)
        if window is not None:
            window.closed = True
            window.answers.fail_all(WindowClosedError(f"window {label!r} closed"))
        if link is not None:
            task = self.loop.create_task(link.close())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    # -- windows ----------------------------------------------------------------------------------
    def open_window(
        self, label: str, *, title: str | None = None, path: str = "/", mode: WindowMode | None = None
    ) -> Window:
        """Open a window running a new session of the app (callable from any thread).

        Args:
            label: Unique window label (letters, digits, ``-``, ``/``, ``:``, ``_``).
            title: Window title; default the app's.
            path: App route the window starts at (``/`` or ``/todos?filter=all``).
            mode: ``"single"`` replaces the content of window ``label`` (else of the main
                window) instead of opening one; ``"new"`` opens an independent window;
                ``"multi"`` one that closes with the main window. Default: ``"multi"`` when
                ``close_with_main`` (the default), else ``"new"``. See :data:`WindowMode`.

        Returns:
            The new window, or in ``"single"`` mode the window whose content was replaced.

        Raises:
            DesktopError: ``mode`` is not a window mode, ``path`` is not an absolute app
                path, the label is taken, ``MAX_WINDOWS`` windows are open, or the host is
                not running.

        """
        if mode is None:
            mode = "multi" if self.config.close_with_main else "new"
        elif mode not in WINDOW_MODES:
            raise DesktopError(
                f"open_window(mode=...): expected one of {', '.join(WINDOW_MODES)}, got {mode!r}"
            )
        if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
            raise DesktopError(f"open_window(path=...): expected an app path starting with '/', got {path!r}")
        handle = self._handle
        if handle is None:
            raise DesktopError("the desktop host is not running")
        if mode == "single":
            target = self.windows.get(label) or self.windows.get(MAIN_WINDOW)
            if target is not None and not target.closed:
                return self._replace_content(target, title, path)
        if label in self.windows:
            raise DesktopError(f"a window labelled {label!r} is already open")
        if len(self.windows) >= MAX_WINDOWS:
            raise DesktopError(f"{MAX_WINDOWS} windows are already open")
        if threading.current_thread() is threading.main_thread():
            return self._build_window(handle, label, title, path, mode)
        done = threading.Event()
        result: list[Window | BaseException] = []

        def build() -> None:
            try:
                result.append(self._build_window(handle, label, title, path, mode))
            except BaseException as exc:  # handed back to the caller's thread
                result.append(exc)
            finally:
                done.set()

        handle.run_on_main_thread(build)
        done.wait()
        if isinstance(result[0], BaseException):
            raise result[0]
        return result[0]

    def _replace_content(self, window: Window, title: str | None, path: str) -> Window:
        # The page loads the app at `path`; its hello opens a new session and the window's link
        # closes the one it replaces (WindowLink._follow_session).
        # urljoin() ignores the netloc of a scheme it does not know (tauri://localhost).
        origin = urlsplit(window.url)
        target = urlsplit(path)
        window.navigate(
            urlunsplit((origin.scheme, origin.netloc, target.path, target.query, target.fragment))
        )
        if title is not None:
            window.set_title(title)
        return window

    def _build_window(
        self, handle: AppHandle, label: str, title: str | None, path: str, mode: WindowMode = "new"
    ) -> Window:
        options: dict[str, Any] = {}
        if self.menu is not None and self._menus is not None:
            options["menu"] = self._menus.menu_bar(label, self.menu)
        native = WebviewWindowBuilder.build(
            handle,
            label,
            WebviewUrl.App(path.lstrip("/") or "index.html"),
            title=title or self._title(),
            inner_size=(float(self.config.width), float(self.config.height)),
            resizable=self.config.resizable,
            devtools=self.config.devtools,
            **options,
        )
        window: Window | None = None

        def bind(session: HostSession) -> None:
            # current_window() in the session's handlers, effects and tasks: a session opened
            # for a prerendered page started outside any window's context.
            if window is not None:
                session.run(window._bind)

        link = WindowLink(label, self.table, on_session=bind)
        window = Window(native, loop=self.loop, session=lambda: link.session, mode=mode)
        self.windows[label] = window
        self._links[label] = link
        return window

    def _window_of(self, native: WebviewWindow) -> tuple[Window, WindowLink]:
        label = native.label()
        window, link = self.windows.get(label), self._links.get(label)
        if window is None or link is None:
            raise InvokeException(f"window {label!r} is not a tempestweb window")
        return window, link

    # -- prerendered pages ------------------------------------------------------------------------
    def _prerender(self, path: str) -> Prerendered | None:
        """Open a session for a page request and return its first view (on Tauri's thread).

        Waits at most ``PRERENDER_TIMEOUT_S`` for the host loop (which may itself wait for the
        UI thread, e.g. opening a window); then, or when the view fails, the page is the plain
        shell and the client's ``hello`` opens the session as without a prerender.
        """
        loop = self._loop
        if loop is None or not loop.is_running():
            return None
        future = asyncio.run_coroutine_threadsafe(self._open_prerendered(path), loop)
        try:
            return future.result(timeout=PRERENDER_TIMEOUT_S)
        except concurrent.futures.TimeoutError:
            future.cancel()
            logger.warning(
                "prerendering %s took over %s s: the view comes over IPC", path[:200], PRERENDER_TIMEOUT_S
            )
        except Exception:
            logger.exception("prerendering %s failed: the view comes over IPC", path[:200])
        return None

    async def _open_prerendered(self, path: str) -> Prerendered | None:
        try:
            session = self.table.open(path)
        except SessionError as exc:  # not_found, or the view raised: the hello reports it
            logger.debug("no prerender for %s: %s", path[:200], exc.message)
            return None
        try:
            return Prerendered(
                html=session.core.render_html(),
                styles=session.core.styles,
                session=session.id,
                token=session.token,
            )
        except Exception:
            await self.table.discard(session)
            raise

    # -- IPC commands -----------------------------------------------------------------------------
    def _commands(self) -> Commands:
        commands = Commands()
        host = self

        async def connect(body: ConnectBody, webview_window: WebviewWindow) -> ConnectReply:
            window, link = host._window_of(webview_window)
            window.answers.fail_all(WindowClosedError(f"the page of window {window.label!r} reloaded"))
            channel = body.channel.channel_on(webview_window.as_ref_webview())
            return ConnectReply(connection=link.connect(channel))

        async def send(body: bytes, webview_window: WebviewWindow) -> bytes:
            return host._send(body, webview_window)  # (dispatched by _invoke_handler directly)

        async def answer(body: bytes, webview_window: WebviewWindow) -> bytes:
            window, _link = host._window_of(webview_window)
            window.answers.settle(body)
            return b""

        commands.set_command(CONNECT_COMMAND, connect)
        commands.set_command(SEND_COMMAND, send)
        commands.set_command(ANSWER_COMMAND, answer)
        return commands

    def _send(self, body: bytes, webview_window: WebviewWindow) -> bytes:
        """Handle the ``send`` command: the batch's frames, answered with the frames they caused."""
        window, link = self._window_of(webview_window)
        token = window._bind()
        try:
            return link.exchange(body)  # the patch a click caused rides in the reply
        except (StaleConnectionError, ValueError) as exc:
            raise InvokeException(str(exc)) from None
        finally:
            window._unbind(token)

    def _invoke_handler(self, portal: BlockingPortal) -> Callable[[Invoke], None]:
        """Tauri's invoke handler: ``send`` straight onto the host loop, other commands through pytauri.

        pytauri's generic handler (``Commands.generate_handler``) starts every call as a task
        through the anyio portal, and Tauri's thread waits until the loop has started it. The
        ``send`` command (every click, every key) handles its batch without awaiting anything, so
        it is queued onto the loop with ``call_soon_threadsafe`` (Tauri's thread does not wait;
        calls run in the order they arrived) and answered from that callback: no task, no portal
        round trip. Runs on Tauri's thread: it must neither block nor raise.
        """
        commands = self._commands()
        generic = commands.generate_handler(portal)
        send_parameters = commands[SEND_COMMAND].parameters
        loop = self.loop

        def invoke_handler(invoke: Invoke) -> None:
            if invoke.command != SEND_COMMAND:
                generic(invoke)
                return
            try:
                loop.call_soon_threadsafe(self._dispatch_send, invoke, send_parameters)
            except RuntimeError:  # the loop closed: the app is exiting
                invoke.reject("the desktop host stopped")

        return invoke_handler

    def _dispatch_send(self, invoke: Invoke, parameters: ParametersType) -> None:
        resolver = invoke.bind_to(parameters)
        if resolver is None:  # Tauri rejected the call (arguments it could not bind)
            return
        arguments = resolver.arguments
        try:
            reply = self._send(arguments["body"], arguments["webview_window"])
        except InvokeException as exc:
            resolver.reject(exc.value)
        except Exception as exc:
            logger.exception("the send command failed")
            resolver.reject(f"internal error: {type(exc).__name__}")
        else:
            resolver.resolve(reply)

    # -- hot reload -------------------------------------------------------------------------------
    async def reload_app(self, new_app: App[Any], /) -> None:
        """Swap in a reloaded app in every window's sessions, keeping their state.

        Args:
            new_app: The reloaded app.

        """
        self.app = new_app
        await self.table.reload_app(new_app)


def _running_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


async def _logged(awaitable: Awaitable[object]) -> None:
    with contextlib.suppress(asyncio.CancelledError):
        try:
            await awaitable
        except Exception:
            logger.exception("desktop callback failed")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
