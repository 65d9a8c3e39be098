"""One worker process of a supervised pool (``python -m tempestweb_server._worker``).

Started by :mod:`tempestweb_server._supervisor` with its
:class:`~tempestweb_server._supervisor.WorkerSpec` in the environment: it loads the app, listens
on the pool's port (``SO_REUSEPORT``), joins the cluster, writes ``ready`` to the supervisor's
pipe and serves, writing a heartbeat to the same pipe every ``WORKER_HEARTBEAT_INTERVAL_S`` from
its event loop (the supervisor's watchdog, ``ServerConfig.worker_timeout_s``). On SIGTERM or SIGINT it hands
its sessions over (:meth:`Cluster.drain <tempestweb_server._cluster.Cluster.drain>`) and stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys

import msgspec
from starlette.applications import Starlette

from tempestweb_server._asgi import create_app
from tempestweb_server._loop import run as run_loop
from tempestweb_server._supervisor import READY_FD_ENV, SPEC_ENV, WorkerSpec, reuse_port_socket
from tempestweb_server.constants import WORKER_HEARTBEAT_INTERVAL_S
from tempestweb_server.loader import AppLoader
from tempestweb_server.runner import _configure_logging, serve_asgi

__all__ = ["main"]

logger = logging.getLogger("tempestweb.server")

LISTEN_BACKLOG = 2048
"""Connections the kernel queues for a worker before it accepts them."""


async def _serve(asgi: Starlette, spec: WorkerSpec, ready_fd: int | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    cluster = asgi.state.cluster

    async def shutdown() -> None:
        await stop.wait()
        await cluster.drain()  # hand the sessions over while this worker can still answer

    async def report_ready() -> None:
        """Say ``ready`` once joined, then beat every ``WORKER_HEARTBEAT_INTERVAL_S`` (the watchdog).

        A write that fails means the supervisor is gone (killed with SIGKILL, or it crashed):
        the worker then stops as on SIGTERM. Left serving, it would hold the port and its
        sessions for good, with nobody to restart or stop it, and a new supervisor on the same
        port would share its connections with it.
        """
        await cluster.joined.wait()
        if ready_fd is None:
            return
        os.set_blocking(ready_fd, False)  # a supervisor that reads late never blocks this loop
        message = b"ready\n"
        try:
            while True:
                with contextlib.suppress(BlockingIOError):
                    os.write(ready_fd, message)
                message = b"."
                await asyncio.sleep(WORKER_HEARTBEAT_INTERVAL_S)
        except OSError as exc:  # the supervisor is gone: stop with it
            logger.warning(
                "tempestweb: worker %s: its supervisor is gone (%s); stopping", cluster.worker_id, exc
            )
            stop.set()
            return
        finally:
            with contextlib.suppress(OSError):
                os.close(ready_fd)

    listener = reuse_port_socket(spec.config.host, spec.config.port)
    listener.listen(LISTEN_BACKLOG)
    ready = asyncio.create_task(report_ready())
    try:  # Hypercorn owns (and closes) the socket from here on
        await serve_asgi(asgi, spec.config, shutdown_trigger=shutdown, bind=f"fd://{listener.detach()}")
    finally:
        ready.cancel()


def main() -> int:
    """Run the worker described by ``TEMPESTWEB_WORKER_SPEC`` until SIGTERM/SIGINT.

    Returns:
        The exit status (0 after a graceful stop).

    Raises:
        AppLoadError: The app cannot be loaded (the supervisor sees the worker exit).
        KeyError: Not started by a supervisor (no spec in the environment).

    """
    spec = msgspec.json.decode(os.environ[SPEC_ENV], type=WorkerSpec)
    ready = os.environ.get(READY_FD_ENV)
    _configure_logging(spec.config.debug)
    app = AppLoader(spec.target).load()
    asgi = create_app(app, config=spec.config)
    run_loop(_serve(asgi, spec, int(ready) if ready else None), spec.config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
