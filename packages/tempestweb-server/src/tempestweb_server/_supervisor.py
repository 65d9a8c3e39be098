"""Several worker processes on one port: ``tempestweb run --workers N --redis URL``.

The supervisor reserves the port (a bound ``SO_REUSEPORT`` socket that does not listen) and
starts ``workers`` processes (``python -m tempestweb_server._worker``), each listening on the
same port with ``SO_REUSEPORT``: the kernel spreads new connections evenly over the workers
(a shared accept queue would let one busy worker take most of them). Connections still queued
at a worker that dies are reset and their clients reconnect. The workers share their sessions
through Redis (:mod:`tempestweb_server._cluster`).

- A worker that exits on its own is announced dead at once (its lease deleted, ``dead <id>``
  on the control channel: its sessions are taken over on their clients' next connection) and
  started again after ``WORKER_RESTART_DELAY_S``, doubled while workers keep dying young.
- ``SIGHUP`` rolls the workers over one at a time: a new worker starts and reports ready,
  then the old one gets ``SIGTERM`` and hands its sessions over (graceful, rolling restart).
- ``SIGTERM``/``SIGINT`` stop every worker the same way, then the supervisor.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import select
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from types import FrameType
from typing import Final

import msgspec

from tempestweb_server._cluster import (
    SECRET_ENV,
    SECRET_SCRIPT,
    WORKER_ID_ENV,
    _safe_url,
    check_url,
    control_channel,
    lease_key,
    read_secret,
    secret_key,
)
from tempestweb_server.config import ServerConfig
from tempestweb_server.constants import (
    REDIS_KEY_PREFIX,
    REDIS_TIMEOUT_S,
    WORKER_READY_TIMEOUT_S,
    WORKER_RESTART_DELAY_S,
    WORKER_RESTART_MAX_DELAY_S,
    WORKER_STABLE_S,
    WORKER_STOP_TIMEOUT_S,
)
from tempestweb_server.errors import ConfigError

__all__ = ["READY_FD_ENV", "SPEC_ENV", "Supervisor", "WorkerSpec", "serve_workers"]

logger = logging.getLogger("tempestweb.server")

SPEC_ENV: Final = "TEMPESTWEB_WORKER_SPEC"
"""Environment variable holding a worker's :class:`WorkerSpec` as JSON."""

READY_FD_ENV: Final = "TEMPESTWEB_WORKER_READY_FD"
"""Environment variable naming the pipe a worker writes ``ready`` to once it serves."""

_POLL_S: Final = 0.05  # how often the supervisor looks at its workers


class WorkerSpec(msgspec.Struct, frozen=True):
    """What a worker process serves.

    Attributes:
        target: The app, ``PATH[:ATTR]``.
        config: The server options (``port`` is the reserved port, never 0).

    """

    target: str
    config: ServerConfig


@dataclass
class _Worker:
    slot: int
    worker_id: str
    process: subprocess.Popen[bytes]
    ready_fd: int
    started: float = field(default_factory=time.monotonic)
    beat: float | None = None  # when its last heartbeat (or ``ready``) was read; None: not ready yet


class Supervisor:
    """Runs ``config.workers`` workers of one app on one listening socket.

    Args:
        target: The app, ``PATH[:ATTR]`` (each worker loads it).
        config: Server options; ``redis`` must be set.

    Attributes:
        port: The bound TCP port (``config.port``, or the one the OS picked for 0).

    Raises:
        ConfigError: ``config.redis`` is not set (from ``ServerConfig``'s own checks).
        OSError: The address cannot be bound.

    """

    def __init__(self, target: str, config: ServerConfig) -> None:
        assert config.redis is not None, "several workers share their sessions through Redis"
        self.socket = reuse_port_socket(config.host, config.port)  # reserves the port, never listens
        self.port: int = self.socket.getsockname()[1]
        self.target = target
        self.config = msgspec.structs.replace(config, port=self.port)
        self.workers: dict[int, _Worker] = {}
        self._restart_at: dict[int, float] = {}
        self._delay = WORKER_RESTART_DELAY_S
        self._stop = False
        self._roll = False
        self._secret: str | None = None  # the shared token key, read once (ServerConfig.secret unset)

    # -- processes -------------------------------------------------------------------------------
    def _spawn(self, slot: int) -> _Worker:
        worker_id = f"{socket.gethostname()}-w{slot}-{secrets.token_hex(3)}"
        read_fd, write_fd = os.pipe()
        spec = WorkerSpec(target=self.target, config=self.config)
        env = {
            **os.environ,
            WORKER_ID_ENV: worker_id,
            SPEC_ENV: msgspec.json.encode(spec).decode(),
            READY_FD_ENV: str(write_fd),
        }
        if self._secret is not None:  # every worker signs with it, even if Redis has lost it since
            env[SECRET_ENV] = self._secret
        process = subprocess.Popen(
            [sys.executable, "-m", "tempestweb_server._worker"],
            pass_fds=(write_fd,),
            env=env,
        )
        os.close(write_fd)
        worker = _Worker(slot, worker_id, process, read_fd)
        logger.info("tempestweb: worker %s started (pid %d)", worker_id, process.pid)
        return worker

    def _await_ready(self, worker: _Worker, timeout_s: float = WORKER_READY_TIMEOUT_S) -> bool:
        """Wait for the worker's ``ready``; ``False`` if it exits, times out, or SIGTERM/SIGINT came.

        It waits in slices of ``_POLL_S``: a signal does not end a ``select`` (PEP 475), and
        a stop asked for while workers start must not wait for all of them to be ready.
        """
        deadline = time.monotonic() + timeout_s
        while not self._stop:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            readable, _, _ = select.select([worker.ready_fd], [], [], min(left, _POLL_S))
            if not readable:
                continue
            if not os.read(worker.ready_fd, 16).startswith(b"ready"):
                return False
            worker.beat = time.monotonic()
            return True
        return False

    def _watch(self, now: float) -> None:
        """Read the workers' heartbeats; kill a worker silent for ``worker_timeout_s`` (gunicorn's rule).

        A worker writes a heartbeat from a task of its event loop every
        ``WORKER_HEARTBEAT_INTERVAL_S``; one that stops (a handler blocking the loop, a process
        stopped with SIGSTOP or never scheduled) still accepts connections from the shared
        socket, which then wait unanswered, while its sessions stay owned by it. Killing it
        makes :meth:`_reap` restart it and announce its end, so the other workers take its
        sessions over at once. A worker that has not said ``ready`` yet is left to
        ``WORKER_READY_TIMEOUT_S``.
        """
        workers = [w for w in self.workers.values() if w.process.poll() is None]
        if not workers:
            return
        readable, _, _ = select.select([w.ready_fd for w in workers], [], [], 0)
        for worker in workers:
            if worker.ready_fd in readable:
                try:
                    data = os.read(worker.ready_fd, 4096)
                except OSError:
                    data = b""
                if data:
                    worker.beat = now
                continue
            if worker.beat is not None and now - worker.beat > self.config.worker_timeout_s:
                logger.error(
                    "tempestweb: worker %s sent no heartbeat for %.1f s (its event loop is blocked or "
                    "the process is stopped); killing it",
                    worker.worker_id,
                    now - worker.beat,
                )
                worker.beat = None
                worker.process.kill()

    def _stop_worker(self, worker: _Worker) -> None:
        """SIGTERM (the worker hands its sessions over), then SIGKILL after the timeout."""
        if worker.process.poll() is None:
            worker.process.send_signal(signal.SIGTERM)
            try:
                worker.process.wait(WORKER_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                logger.warning("tempestweb: worker %s did not stop; killing it", worker.worker_id)
                worker.process.kill()
                worker.process.wait()
        self._announce_dead(worker)
        with contextlib.suppress(OSError):
            os.close(worker.ready_fd)

    def _check_redis(self) -> None:
        """Reach Redis and read (or make) the shared token key the workers will get.

        Raises:
            RuntimeError: Redis is unreachable.
            ConfigError: The URL is not one redis-py reads as written, or Redis holds a token
                key no worker wrote (another app's data).

        """
        import redis

        assert self.config.redis is not None
        check_url(self.config.redis)
        where = _safe_url(self.config.redis)
        key = secret_key(REDIS_KEY_PREFIX)
        try:
            with redis.Redis.from_url(self.config.redis, socket_timeout=REDIS_TIMEOUT_S) as client:
                client.ping()
                if self.config.secret is None:
                    reply = client.eval(SECRET_SCRIPT, 1, key, secrets.token_hex(32))
                    self._secret = read_secret(reply, where=where)
        except (redis.RedisError, OSError) as exc:
            raise RuntimeError(
                f"Redis at {where} is unreachable: {exc}; start Redis there, or point --redis "
                "(or [server] redis in tempestweb.toml) at a running server"
            ) from None

    def _announce_dead(self, worker: _Worker) -> None:
        """Delete the worker's lease and say so: its sessions may be taken over at once."""
        import redis

        assert self.config.redis is not None
        try:
            client = redis.Redis.from_url(self.config.redis, socket_timeout=REDIS_TIMEOUT_S)
            with client:
                client.delete(lease_key(REDIS_KEY_PREFIX, worker.worker_id))
                client.publish(control_channel(REDIS_KEY_PREFIX), f"dead {worker.worker_id}")
        except (redis.RedisError, OSError) as exc:
            logger.warning("tempestweb: cannot announce the end of worker %s: %s", worker.worker_id, exc)

    # -- the loop --------------------------------------------------------------------------------
    def run(self) -> None:
        """Start the workers and supervise them until SIGTERM or SIGINT.

        Raises:
            RuntimeError: Redis is unreachable, or the first workers did not become ready (the
                app fails to load); their output says why.
            ConfigError: Redis holds a token key no worker wrote (another app's data).

        """
        try:
            self._check_redis()
        except (RuntimeError, ConfigError):
            self.socket.close()
            raise
        previous = {
            signum: signal.signal(signum, self._on_signal)
            for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
        }
        try:
            for slot in range(self.config.workers):
                if self._stop:  # SIGTERM/SIGINT while starting: stop what started, at once
                    break
                self.workers[slot] = self._spawn(slot)
            for worker in list(self.workers.values()):
                if not self._await_ready(worker) and not self._stop:
                    raise RuntimeError(f"worker {worker.worker_id} did not start; see its output above")
            if self._stop:
                return
            host = self.config.host
            shown = f"[{host}]" if ":" in host else host
            logger.info(
                "tempestweb: %d workers serving on http://%s:%d/ (Ctrl+C to stop, SIGHUP: rolling restart)",
                len(self.workers),
                shown,
                self.port,
            )
            while not self._stop:
                if self._roll:
                    self._roll = False
                    self.roll()
                self._reap()
                time.sleep(_POLL_S)
        finally:
            for worker in list(self.workers.values()):
                self._stop_worker(worker)
            self.socket.close()
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            logger.info("tempestweb: stopped")

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGHUP:
            self._roll = True
        else:
            self._stop = True

    def _reap(self) -> None:
        now = time.monotonic()
        self._watch(now)
        for slot, worker in list(self.workers.items()):
            code = worker.process.poll()
            if code is None:
                if now - worker.started > WORKER_STABLE_S:
                    self._delay = WORKER_RESTART_DELAY_S
                continue
            logger.warning("tempestweb: worker %s exited with %s; restarting it", worker.worker_id, code)
            del self.workers[slot]
            self._announce_dead(worker)
            with contextlib.suppress(OSError):
                os.close(worker.ready_fd)
            self._restart_at[slot] = now + self._delay
            if now - worker.started < WORKER_STABLE_S:
                self._delay = min(self._delay * 2, WORKER_RESTART_MAX_DELAY_S)
        for slot, when in list(self._restart_at.items()):
            if when <= now:
                del self._restart_at[slot]
                self.workers[slot] = self._spawn(slot)

    def roll(self) -> None:
        """Replace every worker, one at a time; an old one stops only once its successor is ready."""
        logger.info("tempestweb: rolling restart of %d workers", len(self.workers))
        for slot, old in list(self.workers.items()):
            new = self._spawn(slot)
            if not self._await_ready(new):
                logger.error("tempestweb: worker %s did not start; keeping %s", new.worker_id, old.worker_id)
                new.process.kill()
                new.process.wait()
                continue
            self.workers[slot] = new
            self._stop_worker(old)
        logger.info("tempestweb: rolling restart done")


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """Return a TCP socket bound to ``host:port`` with ``SO_REUSEPORT`` (not listening yet).

    Args:
        host: Interface (IPv4 or IPv6 literal, or a name).
        port: TCP port; 0 picks a free one.

    Returns:
        The bound socket.

    Raises:
        OSError: The address cannot be bound.

    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def serve_workers(target: str, config: ServerConfig) -> None:
    """Serve the app at ``target`` with ``config.workers`` supervised workers until SIGTERM/SIGINT.

    Args:
        target: ``PATH[:ATTR]`` of the app.
        config: Server options with ``redis`` set.

    Raises:
        OSError: The address cannot be bound.
        RuntimeError: The first workers did not start.

    """
    Supervisor(target, config).run()
