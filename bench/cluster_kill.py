"""Mode B on several workers and Redis while workers are killed: no acknowledged event lost.

A private ``redis-server`` (Debian package ``redis-server``) on a free port, the counter app
served by ``--workers`` supervised worker processes on one port (``tempestweb run --workers N
--redis URL``), and ``--sessions`` clients over loopback WebSockets, half of them opened by a
page load (so their WebSocket often lands on another worker than the page: relayed), half by a
bare ``hello``. Each client clicks, waits for the patch acknowledging the click, thinks 0.2-0.6 s
and clicks again, for ``--seconds`` (65: kills at 10, 20, ... 60 s, then 5 s more); a worker
is SIGKILLed every ``--kill-every`` seconds (the supervisor restarts it). Every patch and every
resync is checked against the client's ledger; at the end every session is resynced and its
count must equal its acknowledged clicks (plus the in-flight clicks a resync showed applied).

The driver is the one the server's CI test uses at a smaller scale
(``packages/tempestweb-server/tests/server_cluster.py``; ``test_cluster.py``: 20 sessions, 2 kills).

    python bench/cluster_kill.py [--sessions 100] [--workers 2] [--seconds 65] [--kill-every 10]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packages" / "tempestweb-server" / "tests"))

from server_cluster import drive, redis_server, redis_server_path, worker_pool, write_counter_app


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=65.0)
    parser.add_argument("--kill-every", type=float, default=10.0)
    args = parser.parse_args()
    if redis_server_path() is None:
        print("cluster_kill: redis-server is not installed (Debian package redis-server)", file=sys.stderr)
        return 2
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="tw-cluster-") as folder,
        redis_server() as url,
        worker_pool(write_counter_app(Path(folder)), url, workers=args.workers) as pool,
    ):
        outcome = asyncio.run(
            drive(pool, sessions=args.sessions, duration_s=args.seconds, kill_every_s=args.kill_every)
        )
    kills = f"a worker SIGKILLed every {args.kill_every:g} s"
    print(f"\n== Mode B cluster: {args.workers} workers on Redis, {kills} ==")
    for line in outcome.lines():
        print(f"  {line}")
    print(f"  wall time: {time.monotonic() - started:.1f} s")
    ok = not outcome.violations and outcome.lost_acked == 0 and outcome.duplicated == 0
    verdict = "PASS" if ok else "FAIL"
    print(f"  result: {verdict} (0 lost or duplicated acknowledged events, every count intact)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
