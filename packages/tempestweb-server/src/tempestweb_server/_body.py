"""A request body read at a minimum pace: a slow body ends instead of holding its connection.

Neither Hypercorn nor Uvicorn bounds the time a request body may take (Hypercorn's
``read_timeout`` applies to every read of every connection, SSE streams included, so it cannot
serve here): a client that trickles a byte of a ``POST /_tw/send`` or ``/_tw/upload`` every few
seconds held its connection and the server task reading it for as long as it liked, and any
number of such clients could (found by probing ``tempestweb run examples/todomvc`` from outside:
a body at one byte per 1.5 s was still open after 72 s).

The rule is Apache's ``mod_reqtimeout`` (``RequestReadTimeout body=20,MinRate=500``, its
defaults): the body has ``grace_s`` seconds, plus one second for every ``min_rate`` bytes that
arrived. A fast client of any size never meets it (a 100 MB upload at 1 MB/s has 200,020 s);
a trickle runs out and the endpoint answers ``408 Request Timeout``. One rule for every POST
endpoint (:mod:`tempestweb_server._sse`, :mod:`tempestweb_server._upload`).

A POST refused before its body was read is answered after the rest of the body is read and
discarded (:func:`discard_body`, within ``BODY_DRAIN_TIMEOUT_S`` and ``BODY_DRAIN_MAX_BYTES``): a
server that closes a connection with unread bytes resets it (RFC 9112, section 9.6, "lingering
close"), and the client sees a network error instead of the answer. Hypercorn closes a
connection whose request body had not all arrived when the response ended, so a ``POST
/_tw/send`` for a session without a stream, answered 404 at once, reached a client sending its
body a moment later as "server disconnected without sending a response" (found by the
reliability suite's fuzzer on a loaded machine, once in six runs).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterable, AsyncIterator
from typing import TYPE_CHECKING

from starlette.requests import ClientDisconnect

from tempestweb_server.constants import BODY_DRAIN_MAX_BYTES, BODY_DRAIN_TIMEOUT_S

if TYPE_CHECKING:
    from starlette.requests import Request

    from tempestweb_server.config import ServerConfig

__all__ = ["BodyTimeout", "content_coding", "discard_body", "paced_body", "request_body"]


class BodyTimeout(Exception):
    """A request body fell behind its minimum pace (see :func:`paced_body`).

    Attributes:
        received: Bytes of the body that had arrived, in bytes.
        elapsed_s: Seconds since the body started, in seconds.

    """

    def __init__(self, received: int, elapsed_s: float) -> None:
        super().__init__(f"request body too slow: {received} bytes in {elapsed_s:.1f} s")
        self.received = received
        self.elapsed_s = elapsed_s


async def paced_body(
    chunks: AsyncIterable[bytes], /, *, grace_s: float, min_rate: int
) -> AsyncIterator[bytes]:
    """Yield a request body's chunks while it keeps up with ``grace_s + received / min_rate``.

    The deadline is measured on the event loop's clock from the first call; it is checked
    while waiting for each chunk, so a client that sends nothing more is cut at the deadline,
    not only when its next byte arrives.

    Args:
        chunks: The body (Starlette's ``request.stream()``).
        grace_s: Seconds every body has, in seconds (``ServerConfig.body_timeout_s``).
        min_rate: Bytes per second that extend it by a second (``ServerConfig.body_min_rate``).

    Yields:
        The body's chunks, as they arrive.

    Raises:
        BodyTimeout: The body fell behind (nothing more is read from ``chunks``).

    """
    loop = asyncio.get_running_loop()
    started = loop.time()
    received = 0
    iterator = aiter(chunks)
    while True:
        try:
            async with asyncio.timeout_at(started + grace_s + received / min_rate):
                chunk = await anext(iterator)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise BodyTimeout(received, loop.time() - started) from None
        received += len(chunk)
        yield chunk


def request_body(request: Request, config: ServerConfig, /) -> AsyncIterator[bytes]:
    """Return ``request``'s body, read at the pace ``config`` asks (the one rule of every POST).

    Args:
        request: A POST request (``/_tw/send``, ``/_tw/upload``).
        config: The host options: ``body_timeout_s`` and ``body_min_rate``.

    Returns:
        :func:`paced_body` over ``request.stream()``.

    """
    return paced_body(request.stream(), grace_s=config.body_timeout_s, min_rate=config.body_min_rate)


def content_coding(request: Request, /) -> str | None:
    """Return the first content coding of a request's body other than ``identity``, if any.

    No endpoint decodes a body (a compressed POST would be a decompression bomb to bound):
    one that names a coding is refused with ``415`` rather than read as if it were not encoded
    (an upload stored the gzip bytes as the file; RFC 9110, section 8.4.1).

    Args:
        request: A POST request; every ``Content-Encoding`` field line counts.

    Returns:
        The coding as the client wrote it (``"gzip"``), or ``None`` for a body as it is.

    """
    for line in request.headers.getlist("content-encoding"):
        for coding in line.split(","):
            if coding.strip().lower() not in ("", "identity"):
                return coding.strip()
    return None


async def discard_body(body: AsyncIterator[bytes], /) -> None:
    """Read and discard what is left of a refused request's body, within the drain bounds.

    Call it before answering a POST refused before its whole body was read (lingering close,
    RFC 9112 section 9.6): the connection then ends cleanly, or goes on to its next request,
    and the client reads the answer. Stops at ``BODY_DRAIN_TIMEOUT_S`` seconds or past
    ``BODY_DRAIN_MAX_BYTES`` bytes (the server then closes the connection as before), or when the
    client leaves or falls behind the body's pace; never raises for any of them.

    Args:
        body: The body's chunks not read yet (:func:`request_body`'s iterator, or what is left of it).

    """
    drained = 0
    with contextlib.suppress(TimeoutError, ClientDisconnect, BodyTimeout):
        async with asyncio.timeout(BODY_DRAIN_TIMEOUT_S):
            async for chunk in body:
                drained += len(chunk)
                if drained > BODY_DRAIN_MAX_BYTES:
                    return
