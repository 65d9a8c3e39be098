"""Issue 13: a worker whose event loop stops is killed and restarted; its sessions go on elsewhere.

Found by the third attack pass (probe 3b): with 2 workers sharing the port, a worker stopped with
SIGSTOP (as a handler blocking the event loop, or a process that is never scheduled) still got
about half of the new connections from the shared socket, which waited unanswered until their
clients gave up, and the supervisor, which restarted only workers that exited, left it so for
good. Now each worker writes a heartbeat to its supervisor from its event loop every
``WORKER_HEARTBEAT_INTERVAL_S``; one silent for ``ServerConfig.worker_timeout_s`` is killed,
restarted and announced dead, and the other worker takes its sessions over (gunicorn's worker
timeout). The test stops a worker that holds sessions and checks that it is replaced, that the
healthy worker is not, and that every session resumes with every acknowledged click.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest
from server_cluster import (
    Client,
    clicked_clients,
    redis_server_path,
    worker_pool,
    write_counter_app,
)

from tempestweb_server import ServerConfig
from tempestweb_server.errors import ConfigError

pytestmark = pytest.mark.skipif(
    redis_server_path() is None, reason="redis-server is not installed (Debian package redis-server)"
)
TIMEOUT_S = 5.0  # well above a loaded machine's loop stalls: the healthy worker must not be killed
REPLACED_WITHIN_S = 30.0  # a bound on waiting, not a measured figure
SESSIONS = 6


async def _verify(clients: list[Client]) -> list[int | None]:
    return [await client.verify() for client in clients]


def test_issue_13_a_stopped_worker_is_replaced_and_its_sessions_resume(
    tmp_path: Path, redis_url: str
) -> None:
    write_counter_app(tmp_path)
    with worker_pool(tmp_path, redis_url, workers=2, worker_timeout_s=TIMEOUT_S) as pool:
        clients = asyncio.run(clicked_clients(pool.port, SESSIONS))
        stopped, healthy = pool.worker_pids()[:2]
        os.kill(stopped, signal.SIGSTOP)
        try:
            deadline = time.monotonic() + REPLACED_WITHIN_S
            while stopped in (pids := pool.worker_pids()) or len(pids) < 2:
                assert time.monotonic() < deadline, f"worker {stopped} stopped and never replaced: {pids}"
                time.sleep(0.1)
        finally:
            if stopped in pool.worker_pids():
                os.kill(stopped, signal.SIGKILL)
        assert healthy in pids, pids  # the worker that kept beating was left alone
        counts = asyncio.run(_verify(clients))
    assert counts == [client.ledger.expected for client in clients], [c.ledger.violations for c in clients]
    assert all(client.ledger.expected == 3 for client in clients)


@pytest.mark.parametrize("value", [0.0, -1.0, float("nan"), float("inf")])
def test_issue_13_worker_timeout_must_be_a_positive_number_of_seconds(value: float) -> None:
    with pytest.raises(ConfigError, match="worker_timeout_s"):
        ServerConfig(worker_timeout_s=value)
