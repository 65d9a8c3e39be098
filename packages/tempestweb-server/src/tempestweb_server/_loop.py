"""The event loop a serving process runs on: uvloop where installed, else asyncio's own.

uvloop (https://uvloop.readthedocs.io/) implements asyncio's event loop on libuv: the loop's
iterations, callbacks, timers and socket transports run in C. In this server's per-click path
(Hypercorn, wsproto, the session host) it takes about 48,000 of 600,000 instructions off each
click, and 8-12 % of the CPU time (docs/benchmarks.md, "The event loop"). Uvicorn picks it the
same way (``--loop auto``). Granian embeds its own Rust runtime beside the loop, so ``auto``
keeps asyncio's loop there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from tempestweb_server.config import ServerConfig
from tempestweb_server.errors import ConfigError

__all__ = ["loop_factory", "run"]

T = TypeVar("T")


def loop_factory(config: ServerConfig) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """Return the factory of the loop ``config.event_loop`` asks for (``None``: asyncio's own).

    Args:
        config: ``event_loop`` (``"auto"``, ``"uvloop"``, ``"asyncio"``) and ``asgi_server``.

    Returns:
        ``uvloop.new_event_loop``, or ``None`` for asyncio's default loop.

    Raises:
        ConfigError: ``event_loop="uvloop"`` where uvloop is not installed (Windows, PyPy, or
            installed without it).

    """
    if config.event_loop == "asyncio" or (config.event_loop == "auto" and config.asgi_server == "granian"):
        return None
    try:
        import uvloop
    except ImportError:
        if config.event_loop == "uvloop":
            raise ConfigError(
                "ServerConfig.event_loop: 'uvloop' is not installed here (pip install uvloop; "
                "it has no Windows build); use 'auto' or 'asyncio'"
            ) from None
        return None
    factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    return factory


def run(main: Coroutine[Any, Any, T], config: ServerConfig) -> T:
    """Run ``main`` to completion on a new loop of the kind ``config.event_loop`` asks for.

    As ``asyncio.run``: the loop is closed afterwards, its async generators finalised and its
    default executor shut down (``asyncio.Runner``).

    Args:
        main: The server's coroutine.
        config: Its config (``event_loop``, ``asgi_server``).

    Returns:
        What ``main`` returns.

    Raises:
        ConfigError: As :func:`loop_factory` (``main`` is closed unstarted).

    """
    try:
        factory = loop_factory(config)
    except ConfigError:
        main.close()
        raise
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(main)
