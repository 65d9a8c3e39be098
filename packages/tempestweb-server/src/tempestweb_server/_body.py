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
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request

    from tempestweb_server.config import ServerConfig

__all__ = ["BodyTimeout", "paced_body", "request_body"]


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
