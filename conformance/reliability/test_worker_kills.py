"""Worker kills under load: 2 workers on Redis, one SIGKILLed every few seconds.

The cluster tests' driver (``server_cluster.drive``): counter sessions click with one click in
flight each, half of them opened by a page GET, through a supervisor running 2 worker processes
on one port that share sessions through a ``redis-server`` of the test's own. A random worker
is killed with SIGKILL every ``KILL_EVERY_S``; the supervisor restarts it, and its sessions
resume on either worker from their Redis checkpoints. Every session's final count must equal the
clicks its client saw acknowledged: 0 lost, 0 duplicated.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import Figures
from server_cluster import drive, redis_server, redis_server_path, worker_pool, write_counter_app

SESSIONS = 40
DURATION_S = 21.0
KILL_EVERY_S = 5.0

pytestmark = pytest.mark.skipif(
    redis_server_path() is None, reason="redis-server is not installed (Debian package redis-server)"
)


async def test_worker_kills_under_load_lose_and_duplicate_nothing(tmp_path: Path, figures: Figures) -> None:
    pytest.importorskip("redis", reason="needs redis-py (the tempestweb-server[redis] extra)")
    with redis_server() as redis_url, worker_pool(write_counter_app(tmp_path), redis_url, workers=2) as pool:
        outcome = await drive(pool, sessions=SESSIONS, duration_s=DURATION_S, kill_every_s=KILL_EVERY_S)
    figures.add(
        "worker_kills",
        workers=2,
        sessions=SESSIONS,
        worker_kills=outcome.kills,
        reconnects=outcome.reconnects,
        resyncs=outcome.resyncs,
        clicks_acknowledged=outcome.clicks_acked,
        clicks_confirmed_by_resync=outcome.clicks_confirmed_by_resync,
        lost_acknowledged=outcome.lost_acked,
        duplicated=outcome.duplicated,
        p99_click_ms=outcome.p99_ms,
    )
    assert outcome.kills == int(DURATION_S // KILL_EVERY_S)
    assert outcome.violations == [] and outcome.lost_acked == 0 and outcome.duplicated == 0
    assert outcome.reconnects > 0 and outcome.clicks_acked > SESSIONS
