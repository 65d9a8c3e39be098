"""A click's server work in instructions, deterministic: the counter app and the echo anchor under callgrind.

``bench/load.py`` times CPU per click; on a shared 2-core machine one run of it moves by 5-10 %
between two servers of the same code, more than most single changes to a click's path. This
benchmark counts instead: each server (the same ``load.py`` servers: the counter app under
``tempestweb_server``, the minimal Starlette WebSocket echo, both under Hypercorn) runs under
valgrind's callgrind with its cache simulation, instrumentation off until its N sessions are
open and have clicked once; then every session clicks ``--rounds`` times, one at a time in turn
(each click finds the caches as the N-1 others left them, as at N sessions clicking in a
server), and callgrind counts the server's instructions and simulated cache misses. The same
code gives the same counts to a fraction of a per cent from one run to the next, so a before
and after (``--baseline DIR``: another checkout's packages, as in ``load.py``) resolves a 1 %
change.

Reported per click: instructions (``Ir``), first-level cache misses (instruction and data,
read and write), last-level misses, and an estimate of cycles (``Ir + 10 * L1 misses + 100 * LL
misses``, callgrind's usual weighting), each with its ratio against the anchor. What it does
not count: the kernel's work (the socket calls and ``epoll``), the same per message for both
servers, which is why the timed ratio of ``load.py`` is lower than the ratio of instructions
here; and real caches and branch predictors (simulated: a 32 KiB first level and the host's
last level). It needs ``valgrind`` (Debian package ``valgrind``); a server runs about 50 times
slower under it.

    python bench/click_instructions.py [--sessions 300] [--rounds 3] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load
from load import Client, Server, open_client, start

# Under callgrind a round of clicks takes tens of times longer than the second between two clicks
# of a session in load.py, so the JS client's acknowledgement timer would fire between a session's
# clicks and add an ``ack`` frame to each: at 1 click/s the acknowledgement rides in the next event
# (docs/protocol.md, "Acknowledgements"), which is what is counted here.
load.ACK_INTERVAL_MS = 1e9

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "bench" / "results" / "click_instructions.json"
EVENTS = ("Ir", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw")
L1_MISS_CYCLES = 10
LL_MISS_CYCLES = 100
START_TIMEOUT_S = 300.0
"""A server's start-up under callgrind (imports and the start-up render run about 50 times slower)."""
IDLE_S = 5.0
"""The idle window counted before the clicks (seconds of wall clock)."""
QUIET: dict[str, object] = {"ping_interval_s": 1e6, "full_collection_interval_s": 1e9}
"""The app server's options here: no keep-alive pings, no periodic full collection. Both cost per
second, not per click, and under callgrind a second holds about 50 times fewer clicks than at full
speed, so the pings (one per connection every 20 s) would be counted as tens of times their share
(the anchor sends none), and the full collection (every 120 s, about 0.3 s of CPU at 1,000
sessions at full speed) lands in one server's counted clicks and not in another's, by timing:
two counts of the same code differed by 8 % before it was kept out. The idle window's
subtraction covers per-second work that is spread evenly, not one such event."""


def counts(out: Path) -> dict[str, int]:
    """Totals of one callgrind output file, by event name."""
    text = out.read_text()
    names = re.search(r"^events: (.*)$", text, re.M)
    totals = re.search(r"^totals: (.*)$", text, re.M)
    if names is None or totals is None:
        raise RuntimeError(f"{out}: no callgrind totals")
    return dict(zip(names.group(1).split(), map(int, totals.group(1).split()), strict=True))


def control(server: Server, *command: str) -> None:
    """Send ``server``'s callgrind a command (``-i on``/``-i off``: instrumentation; ``-d``: dump)."""
    subprocess.run(["callgrind_control", *command, str(server.proc.pid)], check=True, capture_output=True)


async def measure(server: Server, sessions: int, rounds: int) -> tuple[float, float]:
    """Open ``sessions`` sessions, click each once, then count an idle window and ``rounds`` clicks.

    Returns:
        The idle window's and the clicks' durations (seconds of wall clock): callgrind's dump
        ``<out>.1`` holds the idle window's counts, ``<out>`` (written at exit) the clicks'.

    """
    async with httpx.AsyncClient(timeout=120) as http:
        clients: list[Client] = [await open_client(server, http) for _ in range(sessions)]
        for client in clients:
            await client.click()
        await asyncio.sleep(1.0)  # the server's start-up work settles
        control(server, "-i", "on")
        started = time.perf_counter()
        await asyncio.sleep(IDLE_S)
        control(server, "-d")
        idle_s = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(rounds):
            for client in clients:
                await client.click()
        clicks_s = time.perf_counter() - started
        control(server, "-i", "off")
        for client in clients:
            await client.ws.close()
    return idle_s, clicks_s


def run(
    kind: str, workdir: Path, *, sessions: int, rounds: int, code: Path | None, tag: str
) -> dict[str, float]:
    """One server under callgrind: its counts per click."""
    out = workdir / f"callgrind.{tag}.out"
    prefix = (
        "valgrind",
        "--tool=callgrind",
        "--cache-sim=yes",
        "--instr-atstart=no",
        f"--callgrind-out-file={out}",
    )
    options = None if kind == "anchor" else QUIET
    server = start(kind, workdir, options, code=code, prefix=prefix, start_timeout_s=START_TIMEOUT_S)
    try:
        idle_s, clicks_s = asyncio.run(measure(server, sessions, rounds))
    finally:
        server.stop(timeout_s=START_TIMEOUT_S)  # callgrind writes its counts as the process exits
    idle = counts(Path(f"{out}.1"))
    busy = counts(out)
    # What the server does per second whatever the clicks (timers): counted in the idle window,
    # taken out of the clicks' window in proportion to its length.
    total = {name: max(0.0, busy[name] - idle[name] * clicks_s / idle_s) for name in EVENTS}
    clicks = sessions * rounds
    l1 = total["I1mr"] + total["D1mr"] + total["D1mw"]
    ll = total["ILmr"] + total["DLmr"] + total["DLmw"]
    return {
        "instructions": total["Ir"] / clicks,
        "l1_misses": l1 / clicks,
        "ll_misses": ll / clicks,
        "cycles_estimate": (total["Ir"] + L1_MISS_CYCLES * l1 + LL_MISS_CYCLES * ll) / clicks,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sessions", type=int, default=300, help="sessions per server (default 300)")
    parser.add_argument("--rounds", type=int, default=3, help="counted clicks per session (default 3)")
    parser.add_argument("--baseline", type=Path, help="another checkout whose packages to count as well")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="results file")
    args = parser.parse_args()
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        raise SystemExit("click_instructions.py needs valgrind (Debian package valgrind)")
    servers = [("anchor", None, "anchor"), ("tempestweb", None, "tempestweb")]
    if args.baseline is not None:
        servers.append(("tempestweb", args.baseline.resolve(), "baseline"))
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for kind, code, tag in servers:
            results[tag] = run(
                kind, Path(tmp), sessions=args.sessions, rounds=args.rounds, code=code, tag=tag
            )
    anchor = results["anchor"]
    print(f"N={args.sessions}, {args.rounds} counted clicks per session; per click (ratio to the anchor):")
    for tag, figures in results.items():
        line = ", ".join(f"{name} {v:,.0f} (x{v / anchor[name]:.2f})" for name, v in figures.items())
        print(f"  {tag:<10} {line}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    report = {"sessions": args.sessions, "rounds": args.rounds, **results}
    args.output.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
