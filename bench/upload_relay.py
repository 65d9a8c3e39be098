"""FileUpload across workers: an upload relayed over Redis against the same upload stored locally.

A private ``redis-server`` (Debian package ``redis-server``) and two supervised single-worker
pools on two ports sharing it (two worker processes, as ``tempestweb run --workers N --redis``
runs them). A page opened on worker A gives the session; each round POSTs the same file to A
(local: the anchor) and to B (B streams it to A over Redis in acknowledged 64 KiB chunks,
``tempestweb_server._upload_relay``), then ``--concurrent`` files at once through B. Reported:
the median time of each, the relayed/local ratio, and the peak resident memory (``VmHWM``) of
both worker processes, which must not grow with the file size (bytes are bounded by the window,
the file spools to disk past 1 MiB).

    python bench/upload_relay.py [--mib 32] [--rounds 5] [--concurrent 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "packages" / "tempestweb-server" / "tests"))

import httpx
from server_cluster import redis_server, redis_server_path, worker_pool

APP = """
from tempest_core import App, Column, FileUpload

app = App(view=lambda state: Column(FileUpload(max_bytes=None)), state=0, title="Uploads")
"""
PIECE = 64 * 1024


def peak_rss_kib(pid: int) -> int:
    """``VmHWM`` (peak resident set) of a process, in KiB."""
    found = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(found[1]) if found else 0


async def post(http: httpx.AsyncClient, url: str, params: dict[str, str], data: bytes) -> float:
    async def body() -> AsyncIterator[bytes]:
        view = memoryview(data)
        for start in range(0, len(data), PIECE):
            yield bytes(view[start : start + PIECE])

    started = time.perf_counter()
    response = await http.post(url, params=params, content=body())
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"upload answered {response.status_code}: {response.text[:200]}")
    return elapsed


async def run(a: int, b: int, *, size: int, rounds: int, concurrent: int) -> dict[str, list[float]]:
    async with httpx.AsyncClient(timeout=120) as http:
        html = (await http.get(f"http://127.0.0.1:{a}/")).text
        session = re.search(r'data-tw-session="([^"]+)"', html)
        token = re.search(r'data-tw-token="([^"]+)"', html)
        zone = re.search(r'<div data-tw="(\d+)"[^>]*data-tw-upload=""', html)
        assert session and token and zone, html
        data = os.urandom(size)
        times: dict[str, list[float]] = {
            "local": [],
            "relayed": [],
            "local_concurrent": [],
            "relayed_concurrent": [],
        }
        made = 0

        def params() -> dict[str, str]:
            nonlocal made
            made += 1
            return {"session": session[1], "token": token[1], "node": zone[1], "upload": f"bench-{made:05d}",
                    "name": "f.bin"}  # fmt: skip

        for _ in range(rounds):
            times["local"].append(await post(http, f"http://127.0.0.1:{a}/_tw/upload", params(), data))
            times["relayed"].append(await post(http, f"http://127.0.0.1:{b}/_tw/upload", params(), data))
        for port, key in ((a, "local_concurrent"), (b, "relayed_concurrent")):
            started = time.perf_counter()
            urls = [f"http://127.0.0.1:{port}/_tw/upload"] * concurrent
            await asyncio.gather(*(post(http, url, params(), data) for url in urls))
            times[key].append(time.perf_counter() - started)
        return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mib", type=int, default=32, help="file size, MiB")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--concurrent", type=int, default=4, help="files at once, to A then through B (<= 10)"
    )
    args = parser.parse_args()
    if redis_server_path() is None:
        print("upload_relay: redis-server is not installed (Debian package redis-server)", file=sys.stderr)
        return 2
    size = args.mib * 1024 * 1024
    with tempfile.TemporaryDirectory(prefix="tw-upload-bench-") as folder, redis_server() as url:
        (Path(folder) / "app.py").write_text(APP)
        with (
            worker_pool(Path(folder), url, workers=1) as pool_a,
            worker_pool(Path(folder), url, workers=1) as pool_b,
        ):
            (pid_a,), (pid_b,) = pool_a.wait_workers(1), pool_b.wait_workers(1)
            before = peak_rss_kib(pid_a), peak_rss_kib(pid_b)
            times = asyncio.run(
                run(pool_a.port, pool_b.port, size=size, rounds=args.rounds, concurrent=args.concurrent)
            )
            after = peak_rss_kib(pid_a), peak_rss_kib(pid_b)
    local, relayed = statistics.median(times["local"]), statistics.median(times["relayed"])
    together, together_local = times["relayed_concurrent"][0], times["local_concurrent"][0]
    print(f"\n== FileUpload across workers: {args.mib} MiB files, {args.rounds} rounds ==")
    print(f"  local (anchor):   median {local * 1000:.0f} ms  ({args.mib / local:.0f} MiB/s)")
    print(f"  relayed via B:    median {relayed * 1000:.0f} ms  ({args.mib / relayed:.0f} MiB/s)")
    print(f"  ratio relayed/local: {relayed / local:.2f}")
    print(f"  {args.concurrent} at once to A (anchor): {together_local * 1000:.0f} ms")
    print(
        f"  {args.concurrent} at once via B: {together * 1000:.0f} ms (ratio {together / together_local:.2f})"
    )
    print(f"  peak RSS owner A: {before[0] / 1024:.1f} -> {after[0] / 1024:.1f} MiB; "
          f"relaying B: {before[1] / 1024:.1f} -> {after[1] / 1024:.1f} MiB "
          f"({(args.rounds + args.concurrent) * 2 * args.mib} MiB uploaded)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
