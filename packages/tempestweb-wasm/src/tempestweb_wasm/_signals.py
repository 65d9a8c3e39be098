"""SIGTERM stops a Mode A run the way Ctrl+C does, so its temporary build folder is removed.

Python turns SIGINT into :class:`KeyboardInterrupt`, which unwinds the ``with
tempfile.TemporaryDirectory()`` blocks of ``tempestweb run --mode wasm`` and ``tempestweb dev
--mode wasm``; SIGTERM (``kill``, systemd, ``docker stop``, a CI job's timeout) kills the process
at once by default and left a 16 MB ``tempestweb-wasm-*`` folder behind per run (issue 12).
While :func:`terminate_as_interrupt` is active, SIGTERM raises :class:`KeyboardInterrupt` in the
main thread too, so both signals leave through the same cleanup.

See https://docs.python.org/3/library/signal.html#execution-of-python-signal-handlers.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["terminate_as_interrupt"]


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"stopped by {signal.Signals(signum).name}")


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Make SIGTERM raise :class:`KeyboardInterrupt` in the main thread for the ``with`` body.

    The previous SIGTERM handler is restored on exit. Outside the main thread (a test running
    the dev loop in a thread) signal handlers cannot be installed and this does nothing.

    Yields:
        Nothing; the body runs with the handler installed.

    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
