"""Drive a desktop app in a real window: a virtual X display and W3C WebDriver over plain HTTP.

On Linux, WebKitGTK ships its own WebDriver server (``WebKitWebDriver``, Debian package
``webkit2gtk-driver``). Started with ``TAURI_WEBVIEW_AUTOMATION=true`` in its environment, it
launches the program named by the ``webkitgtk:browserOptions`` capability ({binary, args}) and
drives that program's webview: ``tempestweb run app.py --mode desktop`` is launched exactly that
way. Nothing beyond the standard library is needed (W3C WebDriver is JSON over HTTP)::

    with VirtualDisplay() as display, WebDriverServer(display=display.name) as driver:
        args = ["-m", "tempestweb_cli", "run", "app.py", "--mode", "desktop"]
        with driver.launch(sys.executable, args) as page:
            page.wait_for("return document.querySelector('#count')?.textContent === '0'")
            page.find("#inc").click()

Teardown order matters: end the WebDriver session (the app exits), then the driver, then the
display last; an app whose X display disappears first exits with status 1.

Spec: W3C WebDriver, https://www.w3.org/TR/webdriver2/ (endpoints, element reference key,
key codes for actions).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Final, Self

__all__ = [
    "ELEMENT_KEY",
    "KEYS",
    "Element",
    "SessionBus",
    "VirtualDisplay",
    "WebDriverError",
    "WebDriverServer",
    "WebDriverSession",
]

ELEMENT_KEY: Final = "element-6066-11e4-a52e-4f735466cecf"
"""JSON key of a W3C web element reference."""

KEYS: Final[Mapping[str, str]] = {
    "Backspace": "\ue003",
    "Tab": "\ue004",
    "Enter": "\ue007",
    "Shift": "\ue008",
    "Control": "\ue009",
    "Alt": "\ue00a",
    "Escape": "\ue00c",
    "PageUp": "\ue00e",
    "PageDown": "\ue00f",
    "End": "\ue010",
    "Home": "\ue011",
    "ArrowLeft": "\ue012",
    "ArrowUp": "\ue013",
    "ArrowRight": "\ue014",
    "ArrowDown": "\ue015",
    "Delete": "\ue017",
    "Meta": "\ue03d",
}
"""W3C WebDriver key codes of the named keys (spec section 17.4.2)."""

DISPLAY_START_TIMEOUT_S: Final = 10.0
"""Longest wait for Xvfb to report its display number, in seconds."""

DRIVER_START_TIMEOUT_S: Final = 10.0
"""Longest wait for WebKitWebDriver to answer ``/status``, in seconds."""

REQUEST_TIMEOUT_S: Final = 60.0
"""HTTP timeout of one WebDriver command (a new session launches the app), in seconds."""

WAIT_TIMEOUT_S: Final = 10.0
"""Default timeout of :meth:`WebDriverSession.wait_for`, in seconds."""

ACTION_RETRY_S: Final = 5.0
"""How long a key press or typing into a native window is retried while the window cannot take
the focus yet (a dialog found before it is viewable), in seconds."""

POLL_INTERVAL_S: Final = 0.02
"""Interval between two polls of :meth:`WebDriverSession.wait_for`, in seconds."""

STOP_TIMEOUT_S: Final = 5.0
"""Longest wait for a stopped process to exit before it is killed, in seconds."""


class WebDriverError(Exception):
    """A WebDriver command failed, or a process of the test stack did not start.

    Args:
        error: W3C error code (``no such element``, ``javascript error``...) or ``stack``.
        message: Detail.

    """

    def __init__(self, error: str, message: str) -> None:
        super().__init__(f"{error}: {message}")
        self.error = error
        self.message = message


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class VirtualDisplay:
    """An Xvfb X server on a free display number (``Xvfb -displayfd``), as a context manager.

    Args:
        size: Screen width and height in pixels.
        executable: The X server binary (Debian package ``xvfb``).

    Attributes:
        name: The ``DISPLAY`` value, e.g. ``":3"`` (set once started).

    """

    def __init__(self, *, size: tuple[int, int] = (1280, 800), executable: str = "Xvfb") -> None:
        self.size = size
        self.executable = executable
        self.name = ""
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        """Start the server and wait for its display number.

        Returns:
            This display.

        Raises:
            WebDriverError: Xvfb is not installed or did not report a display in time.

        """
        binary = shutil.which(self.executable)
        if binary is None:
            raise WebDriverError("stack", f"{self.executable} not found (Debian: apt-get install xvfb)")
        read_fd, write_fd = os.pipe()
        width, height = self.size
        try:
            screen = f"{width}x{height}x24"
            self._process = subprocess.Popen(
                [binary, "-displayfd", str(write_fd), "-screen", "0", screen, "-nolisten", "tcp"],
                pass_fds=(write_fd,),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        finally:
            os.close(write_fd)
        deadline = time.monotonic() + DISPLAY_START_TIMEOUT_S
        digits = b""
        with os.fdopen(read_fd, "rb", buffering=0) as pipe:
            while not digits.endswith(b"\n") and time.monotonic() < deadline:
                chunk = pipe.read(16)
                if not chunk:
                    break
                digits += chunk
        if not digits.strip().isdigit():
            self.stop()
            raise WebDriverError("stack", "Xvfb did not report a display number")
        self.name = f":{digits.strip().decode()}"
        return self

    def screenshot(self, path: str | os.PathLike[str], /) -> None:
        """Save the whole screen as an image with ImageMagick's ``import`` (Debian ``imagemagick``).

        Args:
            path: Output file; the extension picks the format (``.png``).

        Raises:
            WebDriverError: ``import`` is missing or failed.

        """
        tool = shutil.which("import")
        if tool is None:
            raise WebDriverError("stack", "ImageMagick `import` not found (Debian: imagemagick)")
        command = [tool, "-display", self.name, "-window", "root", os.fspath(path)]
        result = subprocess.run(command, capture_output=True, check=False)
        if result.returncode != 0:
            raise WebDriverError("stack", f"import failed: {result.stderr.decode(errors='replace').strip()}")

    def press(self, window_title: str, keys: str, /) -> None:
        """Focus the window titled ``window_title`` and press ``keys`` as real X input (``xdotool``).

        Real key events reach what WebDriver's synthesized ones do not: the window's menu
        accelerators, native dialogs.

        Args:
            window_title: The exact OS window title.
            keys: ``xdotool key`` syntax, e.g. ``"ctrl+s"``.

        Raises:
            WebDriverError: ``xdotool`` is missing (Debian: ``xdotool``) or found no such window.

        """
        self._xdotool(window_title, "key", "--clearmodifiers", keys)

    def type_text(self, window_title: str, text: str, /) -> None:
        """Focus the window titled ``window_title`` and type ``text`` as real X key events.

        Args:
            window_title: The exact OS window title (a native dialog's: ``"Save File"``).
            text: The characters to type.

        Raises:
            WebDriverError: ``xdotool`` is missing or found no such window.

        """
        self._xdotool(window_title, "type", "--clearmodifiers", "--delay", "10", text)

    def wait_for_window(self, window_title: str, /, *, timeout_s: float = 10.0) -> None:
        """Wait until a window titled ``window_title`` exists (a native dialog opening).

        Raises:
            WebDriverError: ``xdotool`` is missing.
            TimeoutError: No such window within ``timeout_s`` seconds.

        """
        try:
            self._xdotool(window_title, retry_s=timeout_s)
        except WebDriverError as exc:
            if "xdotool not found" in exc.message:
                raise
            raise TimeoutError(f"no window titled {window_title!r} after {timeout_s} s") from None

    def _xdotool(self, window_title: str, *action: str, retry_s: float = ACTION_RETRY_S) -> None:
        """Find the window titled ``window_title`` and, with ``action``, focus it and act on it.

        Retried for up to ``retry_s`` seconds: a window opening is not there at once, and a
        dialog's window can be found a moment before it can take the focus (mapped, not yet
        viewable).

        Raises:
            WebDriverError: ``xdotool`` is missing, or no such window (took the action) in time
                (the message carries xdotool's own).

        """
        tool = shutil.which("xdotool")
        if tool is None:
            raise WebDriverError("stack", "xdotool not found (Debian: apt-get install xdotool)")
        pattern = "^" + re.escape(window_title) + "$"
        command = [tool, "search", "--name", pattern]
        if action:
            command += ["windowfocus", "--sync", *action]
        deadline = time.monotonic() + retry_s
        while True:
            result = subprocess.run(
                command, env={**os.environ, "DISPLAY": self.name}, capture_output=True, check=False
            )
            if result.returncode == 0:
                return
            if time.monotonic() > deadline:
                said = result.stderr.decode(errors="replace").strip()[:200]
                raise WebDriverError("stack", f"xdotool: no window titled {window_title!r} {said}".rstrip())
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (stop every program using it first)."""
        _stop(self._process)
        self._process = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""

_TRAY_ROOT = "/org/ayatana/NotificationItem"
_LAYOUT_ITEM = re.compile(r"\((\d+), \{[^}]*'label': <'((?:[^'\\]|\\.)*)'>")
DBUS_CALL_TIMEOUT_S = 2
"""Timeout of one D-Bus call made by :meth:`SessionBus.click_tray_item`, in seconds."""


class SessionBus:
    """A private D-Bus session bus (``dbus-daemon``), where a Linux tray icon exports its menu.

    An app's tray icon (libayatana-appindicator) publishes its menu over D-Bus
    (``com.canonical.dbusmenu``); :meth:`click_tray_item` clicks an item through that
    interface exactly as a desktop's status area does, with no status area needed. The bus
    runs no services (nothing is activated).

    Attributes:
        address: ``DBUS_SESSION_BUS_ADDRESS`` for the programs under test (set once started).

    """

    def __init__(self) -> None:
        self.address = ""
        self._process: subprocess.Popen[str] | None = None
        self._dir: tempfile.TemporaryDirectory[str] | None = None

    def start(self) -> Self:
        """Start the bus.

        Returns:
            This bus.

        Raises:
            WebDriverError: ``dbus-daemon`` is missing (Debian: ``dbus-daemon``) or failed.

        """
        binary = shutil.which("dbus-daemon")
        if binary is None or shutil.which("gdbus") is None:
            raise WebDriverError("stack", "dbus-daemon and gdbus needed (Debian: dbus-daemon libglib2.0-bin)")
        self._dir = tempfile.TemporaryDirectory(prefix="tw-bus-")
        config = os.path.join(self._dir.name, "bus.conf")
        with open(config, "w", encoding="utf-8") as file:
            file.write(_BUS_CONFIG.format(dir=self._dir.name))
        self._process = subprocess.Popen(
            [binary, f"--config-file={config}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self._process.stdout is not None
        self.address = self._process.stdout.readline().strip()
        if not self.address:
            self.stop()
            raise WebDriverError("stack", "dbus-daemon did not print its address")
        return self

    def _gdbus(self, *args: str) -> str:
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.address}
        result = subprocess.run(
            ["gdbus", "call", "--session", "--timeout", str(DBUS_CALL_TIMEOUT_S), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise WebDriverError("dbus", result.stderr.strip() or result.stdout.strip())
        return result.stdout

    def _tray_menus(self) -> list[tuple[str, str]]:
        listing = self._gdbus(
            "--dest", "org.freedesktop.DBus", "--object-path", "/org/freedesktop/DBus",
            "--method", "org.freedesktop.DBus.ListNames",
        )  # fmt: skip
        found: list[tuple[str, str]] = []
        for name in re.findall(r"'(:[0-9.]+)'", listing):
            try:
                xml = self._gdbus(
                    "--dest", name, "--object-path", _TRAY_ROOT,
                    "--method", "org.freedesktop.DBus.Introspectable.Introspect",
                )  # fmt: skip
            except WebDriverError:
                continue
            for node in re.findall(r'<node name=\\?"([^"\\]+)\\?"', xml):
                found.append((name, f"{_TRAY_ROOT}/{node}/Menu"))
        return found

    def click_tray_item(self, label: str, /, *, timeout_s: float = WAIT_TIMEOUT_S) -> None:
        """Click the tray menu item labelled ``label`` (through ``com.canonical.dbusmenu``).

        Args:
            label: The item's text.
            timeout_s: Longest wait for a tray menu holding that item to appear, in seconds.

        Raises:
            TimeoutError: No tray menu with that item appeared in time.

        """
        deadline = time.monotonic() + timeout_s
        while True:
            for name, path in self._tray_menus():
                try:
                    layout = self._gdbus(
                        "--dest", name, "--object-path", path,
                        "--method", "com.canonical.dbusmenu.GetLayout", "--", "0", "-1", "@as []",
                    )  # fmt: skip
                except WebDriverError:
                    continue
                for item_id, text in _LAYOUT_ITEM.findall(layout):
                    if text.replace("_", "") == label:
                        self._gdbus(
                            "--dest", name, "--object-path", path,
                            "--method", "com.canonical.dbusmenu.Event",
                            "--", item_id, "clicked", "<int32 0>", "0",
                        )  # fmt: skip
                        return
            if time.monotonic() > deadline:
                raise TimeoutError(f"no tray menu item {label!r} on the bus within {timeout_s} s")
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop the bus."""
        if self._process is not None:
            self._process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(STOP_TIMEOUT_S)
            self._process = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class WebDriverServer:
    """A ``WebKitWebDriver`` process with webview automation enabled, as a context manager.

    Args:
        display: ``DISPLAY`` for the driver and the programs it launches.
        env: Extra environment for the launched programs (they inherit the driver's).
        executable: The driver binary (Debian package ``webkit2gtk-driver``).

    """

    def __init__(
        self, *, display: str, env: Mapping[str, str] | None = None, executable: str = "WebKitWebDriver"
    ) -> None:
        self.display = display
        self.env = dict(env or {})
        self.executable = executable
        self.url = ""
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        """Start the driver on a free loopback port and wait until it answers.

        Returns:
            This server.

        Raises:
            WebDriverError: The driver is missing or does not answer in time.

        """
        binary = shutil.which(self.executable)
        if binary is None:
            raise WebDriverError(
                "stack", f"{self.executable} not found (Debian: apt-get install webkit2gtk-driver)"
            )
        port = _free_port()
        env = {**os.environ, **self.env, "DISPLAY": self.display, "TAURI_WEBVIEW_AUTOMATION": "true"}
        self._process = subprocess.Popen(
            [binary, f"--port={port}", "--host=127.0.0.1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + DRIVER_START_TIMEOUT_S
        while True:
            try:
                _request(self.url, "GET", "/status", None)
                return self
            except (OSError, WebDriverError):
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self.stop()
                    raise WebDriverError("stack", f"{self.executable} did not start") from None
                time.sleep(POLL_INTERVAL_S)

    def launch(self, binary: str, args: Sequence[str] = (), /) -> WebDriverSession:
        """Launch ``binary args...`` and open a WebDriver session on its webview.

        Args:
            binary: Program path (e.g. ``sys.executable``).
            args: Its arguments.

        Returns:
            The session; closing it ends the program.

        Raises:
            WebDriverError: The program did not start or has no automatable webview.

        """
        capabilities = {
            "browserName": "wry",
            "webkitgtk:browserOptions": {"binary": binary, "args": list(args)},
        }
        value = _request(self.url, "POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        if not isinstance(value, dict) or not isinstance(value.get("sessionId"), str):
            raise WebDriverError("stack", f"unexpected new session reply: {value!r}")
        return WebDriverSession(self.url, value["sessionId"])

    def stop(self) -> None:
        """Stop the driver."""
        _stop(self._process)
        self._process = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _request(base: str, method: str, path: str, body: object | None) -> object:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base + path, data=data, method=method, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:
            payload = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            payload = json.loads(exc.read() or b"{}")
        except ValueError:
            raise WebDriverError("http", f"{method} {path}: HTTP {exc.code}") from None
        value = payload.get("value") if isinstance(payload, dict) else None
        if isinstance(value, dict) and "error" in value:
            raise WebDriverError(str(value["error"]), str(value.get("message", ""))) from None
        raise WebDriverError("http", f"{method} {path}: HTTP {exc.code}") from None
    return payload.get("value") if isinstance(payload, dict) else payload


class Element:
    """A W3C web element reference in one session."""

    def __init__(self, session: WebDriverSession, element_id: str) -> None:
        self.session = session
        self.id = element_id

    def _path(self, suffix: str) -> str:
        return f"/element/{self.id}{suffix}"

    def click(self) -> None:
        """Click the element's centre with the pointer (scrolls it into view first)."""
        self.session.command("POST", self._path("/click"), {})

    def send_keys(self, text: str, /) -> None:
        """Focus the element and type ``text`` (named keys from :data:`KEYS` may be embedded)."""
        self.session.command("POST", self._path("/value"), {"text": text})

    def clear(self) -> None:
        """Clear an editable element."""
        self.session.command("POST", self._path("/clear"), {})

    @property
    def text(self) -> str:
        """The element's rendered text."""
        return str(self.session.command("GET", self._path("/text")))

    def attribute(self, name: str, /) -> str | None:
        """Return the attribute ``name`` or ``None``."""
        value = self.session.command("GET", self._path(f"/attribute/{name}"))
        return None if value is None else str(value)

    def as_json(self) -> dict[str, str]:
        """Return the reference as a script argument (an element in ``execute`` args)."""
        return {ELEMENT_KEY: self.id}


class WebDriverSession:
    """One W3C WebDriver session on a launched program's webview, as a context manager.

    Args:
        base: Driver URL.
        session_id: The session's id.

    """

    def __init__(self, base: str, session_id: str) -> None:
        self.base = base
        self.session_id = session_id
        self.closed = False

    def command(self, method: str, path: str, body: object | None = None) -> object:
        """Send one command of this session and return its ``value``.

        Raises:
            WebDriverError: The driver answered with an error.

        """
        return _request(self.base, method, f"/session/{self.session_id}{path}", body)

    def execute(self, script: str, /, *args: object) -> object:
        """Run a function body in the page (``return`` gives the value; ``arguments[i]`` the args).

        Raises:
            WebDriverError: ``javascript error`` when the script throws.

        """
        return self.command("POST", "/execute/sync", {"script": script, "args": list(args)})

    def execute_async(self, script: str, /, *args: object) -> object:
        """Run a function body that calls its last argument (the callback) with the result."""
        return self.command("POST", "/execute/async", {"script": script, "args": list(args)})

    def wait_for(
        self, script: str, /, *args: object, timeout_s: float = WAIT_TIMEOUT_S, what: str = ""
    ) -> object:
        """Poll ``script`` until it returns a truthy value.

        Args:
            script: Function body, as for :meth:`execute`.
            *args: Its arguments.
            timeout_s: Longest wait in seconds.
            what: Description for the timeout message.

        Returns:
            The first truthy value.

        Raises:
            TimeoutError: Still falsy after ``timeout_s``.

        """
        deadline = time.monotonic() + timeout_s
        value: object = None
        while True:
            with contextlib.suppress(WebDriverError):
                value = self.execute(script, *args)
                if value:
                    return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout_s} s for {what or script!r}; last value {value!r}")
            time.sleep(POLL_INTERVAL_S)

    def find(self, selector: str, /) -> Element:
        """Return the first element matching a CSS selector.

        Raises:
            WebDriverError: ``no such element``.

        """
        value = self.command("POST", "/element", {"using": "css selector", "value": selector})
        if not isinstance(value, dict) or ELEMENT_KEY not in value:
            raise WebDriverError("no such element", selector)
        return Element(self, str(value[ELEMENT_KEY]))

    def find_all(self, selector: str, /) -> list[Element]:
        """Return every element matching a CSS selector, in document order."""
        value = self.command("POST", "/elements", {"using": "css selector", "value": selector})
        items = value if isinstance(value, list) else []
        return [Element(self, str(item[ELEMENT_KEY])) for item in items if isinstance(item, dict)]

    def press(self, *keys: str) -> None:
        """Press and release keys on the focused element, as one key chord (e.g. Control, "s").

        Args:
            *keys: Characters or values of :data:`KEYS`; pressed in order, released in reverse.

        """
        down = [{"type": "keyDown", "value": key} for key in keys]
        up = [{"type": "keyUp", "value": key} for key in reversed(keys)]
        actions = [{"type": "key", "id": "keyboard", "actions": down + up}]
        self.command("POST", "/actions", {"actions": actions})
        self.command("DELETE", "/actions")

    @property
    def title(self) -> str:
        """The document title."""
        return str(self.command("GET", "/title"))

    @property
    def url(self) -> str:
        """The current URL."""
        return str(self.command("GET", "/url"))

    def navigate(self, url: str, /) -> None:
        """Load ``url`` in the webview."""
        self.command("POST", "/url", {"url": url})

    def back(self) -> None:
        """Go back in the session history."""
        self.command("POST", "/back", {})

    def forward(self) -> None:
        """Go forward in the session history."""
        self.command("POST", "/forward", {})

    def screenshot(self) -> bytes:
        """Return a PNG of the webview."""
        return base64.b64decode(str(self.command("GET", "/screenshot")))

    def window_handles(self) -> list[str]:
        """Return the handles of the program's top-level browsing contexts (its windows)."""
        value = self.command("GET", "/window/handles")
        return [str(handle) for handle in value] if isinstance(value, list) else []

    def switch_to_window(self, handle: str, /) -> None:
        """Make the window ``handle`` the target of later commands."""
        self.command("POST", "/window", {"handle": handle})

    def close(self) -> None:
        """End the session; the driver ends the launched program."""
        if not self.closed:
            self.closed = True
            with contextlib.suppress(WebDriverError, OSError):
                _request(self.base, "DELETE", f"/session/{self.session_id}", None)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def __dir__() -> list[str]:
    return list(__all__)
