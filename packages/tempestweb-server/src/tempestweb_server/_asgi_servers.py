"""The ASGI servers besides Hypercorn a Mode B app may run under (``ServerConfig.asgi_server``).

Hypercorn (``wsproto``) is the default and lives in :mod:`tempestweb_server.runner`; this module
runs the same Starlette app under **Uvicorn** with the ``websockets`` library's sans-I/O
protocol (the ``uvicorn``
extra) or **Granian** (Rust, ``granian`` extra), in the current event loop, with the same
limits: the frame limit as the server's WebSocket message limit, ``ServerConfig.ws_compression``
(RFC 7692 permessage-deflate) honoured or refused, and a graceful stop when ``shutdown_trigger``
returns. docs/benchmarks.md compares the three on ``bench/load.py``'s workload.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette

from tempestweb_server._send_timeout import log_abort
from tempestweb_server.config import ServerConfig
from tempestweb_server.constants import SHUTDOWN_TIMEOUT_S
from tempestweb_server.errors import ConfigError

__all__ = ["check_installed", "serve_granian", "serve_uvicorn"]


_MODULES = {"hypercorn": "hypercorn", "uvicorn": "uvicorn", "granian": "granian"}


def check_installed(config: ServerConfig, /) -> None:
    """Fail early, in one line, when the chosen server cannot serve this config.

    Args:
        config: The server's config.

    Raises:
        ConfigError: ``asgi_server`` is not installed (naming the extra to install), or Granian
            is asked for compression it cannot negotiate. (Several workers with another server
            than Hypercorn are refused by :class:`~tempestweb_server.config.ServerConfig`.)

    """
    name = config.asgi_server
    if importlib.util.find_spec(_MODULES[name]) is None:
        raise ConfigError(
            f"ServerConfig.asgi_server: {name!r} is not installed: pip install 'tempestweb-server[{name}]'"
        )
    if name == "granian" and config.ws_compression != "off":
        raise ConfigError(
            "ServerConfig.ws_compression: Granian does not negotiate permessage-deflate; "
            "set ws_compression = 'off' (--ws-compression off) to serve with it "
            f"(got {config.ws_compression!r})"
        )


def _with_send_deadline(base: type[Any], send_timeout_s: float) -> type[Any]:
    """Subclass ``base`` (a Uvicorn protocol) to abort a transport paused for ``send_timeout_s``.

    PEP 3156 flow control pauses a transport holding more than its high-water mark (the client
    does not read), and Uvicorn's HTTP and WebSocket protocols then wait for it to resume with
    no time limit; here, as :mod:`tempestweb_server._send_timeout` does under Hypercorn, the
    transport is aborted once it stayed paused that long. A protocol that is never paused (every
    client that reads) schedules nothing.
    """

    class SendDeadline(base):  # type: ignore[misc]
        send_deadline: asyncio.TimerHandle | None = None

        def pause_writing(self) -> None:
            super().pause_writing()
            if self.send_deadline is None:
                self.send_deadline = self.loop.call_later(send_timeout_s, self.send_timed_out)

        def resume_writing(self) -> None:
            super().resume_writing()
            self.cancel_send_deadline()

        def connection_lost(self, exc: Exception | None) -> None:
            self.cancel_send_deadline()
            super().connection_lost(exc)

        def cancel_send_deadline(self) -> None:
            if self.send_deadline is not None:
                self.send_deadline.cancel()
                self.send_deadline = None

        def send_timed_out(self) -> None:
            self.send_deadline = None
            log_abort(send_timeout_s, self.transport.get_write_buffer_size())
            self.transport.abort()

    SendDeadline.__name__ = SendDeadline.__qualname__ = f"SendDeadline{base.__name__}"
    return SendDeadline


def _uvicorn_http_protocol(send_timeout_s: float) -> type[Any]:
    """Uvicorn's HTTP protocol as its ``http="auto"`` picks it, with the send deadline (SSE streams)."""
    from uvicorn.protocols.http.auto import AutoHTTPProtocol

    return _with_send_deadline(AutoHTTPProtocol, send_timeout_s)


def _uvicorn_protocol(mode: str, send_timeout_s: float) -> type[Any]:
    """Uvicorn's sans-I/O ``websockets`` protocol with permessage-deflate as ``ws_compression`` says.

    Uvicorn offers ``ServerPerMessageDeflateFactory`` with context takeover (a 4 KiB window,
    ``memLevel`` 5: zlib state for the connection's life) or nothing; ``"no_context_takeover"``
    rebuilds the protocol with the factory's takeover options (RFC 7692 section 7.1.1). It has
    the send deadline of :func:`_with_send_deadline`.
    """
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
    from websockets.server import ServerProtocol

    class Protocol(WebSocketsSansIOProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if mode == "no_context_takeover":
                deflate = ServerPerMessageDeflateFactory(
                    server_no_context_takeover=True,
                    client_no_context_takeover=True,
                    server_max_window_bits=12,
                    client_max_window_bits=12,
                    compress_settings={"memLevel": 5},
                )
                self.conn = ServerProtocol(
                    extensions=[deflate],
                    max_size=self.config.ws_max_size,
                    logger=logging.getLogger("uvicorn.error"),
                )

    return _with_send_deadline(Protocol, send_timeout_s)


async def serve_uvicorn(
    asgi: Starlette,
    config: ServerConfig,
    *,
    host: str,
    port: int,
    shutdown_trigger: Callable[[], Awaitable[object]],
) -> None:
    """Serve ``asgi`` under Uvicorn (``websockets``) until ``shutdown_trigger`` returns.

    Args:
        asgi: The app from :func:`~tempestweb_server.create_app`.
        config: Limits and compression.
        host: Interface to bind.
        port: TCP port.
        shutdown_trigger: Awaitable factory; the server stops gracefully when it returns.

    """
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(
            asgi,
            host=host,
            port=port,
            http=_uvicorn_http_protocol(config.send_timeout_s),
            ws=_uvicorn_protocol(config.ws_compression, config.send_timeout_s),
            ws_max_size=config.max_frame_bytes,
            ws_per_message_deflate=config.ws_compression != "off",
            ws_ping_interval=None,  # the protocol's own ping (ServerConfig.ping_interval_s)
            lifespan="on",
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=int(SHUTDOWN_TIMEOUT_S),
        )
    )
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign,assignment]  # our trigger stops it
    task = asyncio.ensure_future(server.serve())
    stop = asyncio.ensure_future(shutdown_trigger())
    await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    await task
    stop.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await stop


async def serve_granian(
    asgi: Starlette,
    config: ServerConfig,
    *,
    host: str,
    port: int,
    shutdown_trigger: Callable[[], Awaitable[object]],
) -> None:
    """Serve ``asgi`` under Granian's embedded server until ``shutdown_trigger`` returns.

    One worker in this event loop (Granian's Rust runtime handles the sockets and HTTP/WebSocket
    framing); no permessage-deflate (:func:`check_installed` refuses it).

    Args:
        asgi: The app from :func:`~tempestweb_server.create_app`.
        config: Limits.
        host: Interface to bind.
        port: TCP port.
        shutdown_trigger: Awaitable factory; the server stops gracefully when it returns.

    """
    from granian.constants import Interfaces
    from granian.server.embed import Server

    server = Server(asgi, address=host, port=port, interface=Interfaces.ASGI, log_enabled=False)
    task = asyncio.ensure_future(server.serve())
    stop = asyncio.ensure_future(shutdown_trigger())
    await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    server.stop()  # type: ignore[no-untyped-call]
    await task
    stop.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await stop
