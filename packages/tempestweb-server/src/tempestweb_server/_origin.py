"""Same-origin and ``Host`` checks (defences against cross-site hijacking and DNS rebinding).

The ``Origin`` check guards WebSocket, SSE and POST requests; the ``Host`` check, every request,
keeps a name rebound to this server's address from passing as its own origin.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from typing import Final
from urllib.parse import unquote, urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from tempestweb_contract.constants import CLOSE_POLICY_VIOLATION

__all__ = ["HostGuard", "from_absolute_form", "host_allowed", "host_name", "origin_allowed"]

logger = logging.getLogger("tempestweb.server")

_MAX_SHOWN_HOST_CHARS: Final = 100
"""Most characters of a refused ``Host`` shown in the answer and the log (client input)."""


def origin_allowed(headers: Headers, allowed_origins: tuple[str, ...], /) -> bool:
    """Decide whether a request's ``Origin`` may talk to this host.

    Browsers always send ``Origin`` on WebSocket handshakes and cross-origin requests
    (RFC 6454, RFC 6455 section 10.2); a request without it comes from a non-browser client
    and cannot be a cross-site hijack, so it is allowed.

    Args:
        headers: The request headers.
        allowed_origins: Extra accepted origins (``scheme://host[:port]``); ``"*"`` allows all.

    Returns:
        ``True`` when ``Origin`` is absent, names the request's own ``Host``, or is listed.

    """
    origin = headers.get("origin")
    if origin is None or "*" in allowed_origins:
        return True
    origin = origin.strip().lower().rstrip("/")
    if origin in (allowed.lower().rstrip("/") for allowed in allowed_origins):
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    host = headers.get("host", "").strip().lower()
    return parts.scheme in ("http", "https") and bool(parts.netloc) and parts.netloc == host


def host_name(header: str, /) -> str | None:
    """Return the host of a ``Host`` field value (RFC 9110, section 7.2), lowercased, without port.

    ``"[::1]:8000"`` gives ``"::1"``, ``"App.Example.com.:443"`` gives ``"app.example.com"``;
    ``None`` for a value that is not ``host[:port]``.
    """
    text = header.strip().lower()
    if text.startswith("["):
        end = text.find("]")
        rest = text[end + 1 :] if end > 0 else "x"
        if rest and not (rest.startswith(":") and rest[1:].isdigit()):
            return None
        return text[1:end]
    host, sep, port = text.rpartition(":")
    if not sep:
        host = text
    elif not port.isdigit():
        return None
    host = host.rstrip(".")
    return host if host and all(c.isalnum() or c in "-._" for c in host) else None


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def host_allowed(
    server: tuple[str, int | None] | None, header: str | None, allowed_hosts: tuple[str, ...], /
) -> bool:
    """Decide whether a request's ``Host`` may reach this server (the DNS rebinding guard).

    A web page can rebind its own name to 127.0.0.1; the browser then treats a server listening
    there as that page's origin (its ``Origin`` and ``Host`` agree), and the page could read a
    session's token and drive the app on the person's own machine. A server reached on a
    loopback address (the address of the connection's local end: ``tempestweb run``'s default
    127.0.0.1, or a reverse proxy on the same machine) therefore answers only a ``Host`` that
    is an IP address, ``localhost`` or a name under ``.localhost`` (RFC 6761: always
    loopback), or a name of ``allowed_hosts`` (as Django's ``ALLOWED_HOSTS`` and Vite's
    ``server.allowedHosts``). A server reached on another address (``--host 0.0.0.0`` reached
    from a LAN or a container network by a name) or over a Unix socket answers any ``Host``:
    its names are the network's, which this process cannot know.

    Args:
        server: The ASGI scope's ``server``: ``(address, port)`` of the local end.
        header: The ``Host`` field value; ``None`` when absent (not a browser: allowed).
        allowed_hosts: Names (``app.example.com``), domains with their subdomains
            (``.example.com``), or ``"*"`` for any ``Host``.

    Returns:
        ``True`` when the request may go on.

    """
    if header is None or "*" in allowed_hosts or server is None:
        return True
    local = _ip(str(server[0]).strip("[]"))
    if isinstance(local, ipaddress.IPv6Address) and local.ipv4_mapped is not None:
        local = local.ipv4_mapped  # a dual-stack socket's view of 127.0.0.1
    if local is None or not local.is_loopback:
        return True
    host = host_name(header)
    if host is None:
        return False
    if _ip(host) is not None or host == "localhost" or host.endswith(".localhost"):
        return True
    for allowed in allowed_hosts:
        name = allowed.lower().rstrip(".")
        if host == name or (name.startswith(".") and (host == name[1:] or host.endswith(name))):
            return True
    return False


class HostGuard:
    """ASGI middleware refusing requests whose ``Host`` :func:`host_allowed` refuses.

    An HTTP request gets ``400`` with a one-line reason naming the setting; a WebSocket
    handshake is closed before it is accepted (the server answers ``403``). Refusals are
    logged on the first one and every 1,000th.

    Args:
        app: The ASGI app.
        allowed_hosts: ``ServerConfig.allowed_hosts``.

    """

    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, or refuse it."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        asterisk = scope["path"] == "*"
        if not asterisk and not scope["path"].startswith("/"):  # not origin-form: absolute-form?
            origin_form = from_absolute_form(scope)
            if origin_form is None:
                await _refuse_target(scope, receive, send)
                return
            scope = origin_form
        if _CONTROL.search(scope["path"]) is not None:
            await _no_such_path(scope, receive, send)
            return
        header = Headers(scope=scope).get("host")
        if host_allowed(scope.get("server"), header, self.allowed_hosts):
            if asterisk:
                await _answer_asterisk(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        self.refused += 1
        shown = json.dumps((header or "")[:_MAX_SHOWN_HOST_CHARS])
        if self.refused == 1 or self.refused % 1000 == 0:
            logger.warning(
                "refusing requests whose Host is not allowed (%d so far), e.g. %s: add the name to "
                "[server] allowed_hosts (--allowed-host) if this server is reached by it",
                self.refused,
                shown,
            )
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": CLOSE_POLICY_VIOLATION})
            return
        message = (
            f"Host {shown} is not allowed on this server (DNS rebinding guard): add it to "
            "[server] allowed_hosts (--allowed-host)"
        )
        response = PlainTextResponse(message, status_code=400, headers={"X-Content-Type-Options": "nosniff"})
        await response(scope, receive, send)


def from_absolute_form(scope: Scope) -> Scope | None:
    """Return ``scope`` with an absolute-form request target made origin-form, or ``None``.

    RFC 9112, section 3.2.2: a server must accept ``GET http://host:port/path HTTP/1.1`` (which
    Hypercorn passes on with that whole URI as the path, so no route matched and the page was a
    404), and an origin server must then ignore the ``Host`` field and use the target's
    authority: the ``Host`` header is replaced by it, so the DNS rebinding guard judges the
    authority the request names.

    Args:
        scope: An HTTP or WebSocket scope whose ``path`` does not start with ``/``.

    Returns:
        A new scope (``path``, ``raw_path`` and ``Host`` from the target), or ``None`` when the
        target is no ``http``/``https`` URI with an authority and no user information (RFC 9110,
        section 4.2.4), e.g. ``*`` or ``example.com/x``.

    """
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    try:
        target = urlsplit(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    if target.scheme.lower() not in ("http", "https") or not target.netloc or "@" in target.netloc:
        return None
    raw_path = (target.path or "/").encode("ascii")
    headers = [(name, value) for name, value in scope["headers"] if name.lower() != b"host"]
    headers.append((b"host", target.netloc.encode("ascii")))
    return {**scope, "path": unquote(target.path or "/"), "raw_path": raw_path, "headers": headers}


_CONTROL: Final = re.compile("[\x00-\x1f\x7f]")
"""A C0 control or DEL: no resource of the server has one in its path."""


async def _no_such_path(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer a request whose path holds a control character (``%0a``, ``%00``...) with ``404``.

    No resource of the server has such a name, and Starlette's routes would not see it: a
    route's pattern ends in ``$``, which matches before a final newline, so
    ``/_tw/client/boot.js%0a`` was served as ``boot.js``.
    """
    await _refuse(scope, receive, send, 404, "not found")


ALLOWED_METHODS: Final = "GET, HEAD, POST, OPTIONS"
"""The methods some resource of the server answers to: the ``Allow`` of ``OPTIONS *``."""


async def _answer_asterisk(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer a request whose target is ``*`` (asterisk-form, RFC 9112 section 3.2.4).

    ``OPTIONS *`` asks about the server in general (RFC 9110, section 9.3.7): ``204`` with the
    methods some resource answers to in ``Allow``. The asterisk-form is only for ``OPTIONS``:
    any other method gets ``400``, as does a WebSocket handshake (closed before it is accepted).
    """
    if scope["type"] == "http" and scope["method"] == "OPTIONS":
        await Response(status_code=204, headers={"Allow": ALLOWED_METHODS})(scope, receive, send)
        return
    message = "the request target * (asterisk-form) is only for OPTIONS (RFC 9112, section 3.2.4)"
    await _refuse(scope, receive, send, 400, message)


async def _refuse_target(scope: Scope, receive: Receive, send: Send) -> None:
    """Answer a request whose target is neither origin-form nor absolute-form with ``400``."""
    message = "request target is neither a path nor an http(s) URI (RFC 9112, section 3.2)"
    await _refuse(scope, receive, send, 400, message)


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, message: str) -> None:
    """Answer ``status`` with a one-line ``message``; close a WebSocket handshake before it is accepted."""
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": CLOSE_POLICY_VIOLATION})
        return
    response = PlainTextResponse(message, status_code=status, headers={"X-Content-Type-Options": "nosniff"})
    await response(scope, receive, send)
