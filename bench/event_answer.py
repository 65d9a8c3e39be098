"""Host answer to one event, in process: the jsfb ``select`` click and the counter's ``+`` click.

Times what a host does for one client event frame, with no transport: the frame is handed to a
:class:`tempest_core.host.Connection` (decode, validate, handler, render, encode the patch) whose
port keeps the reply. This is the part of the desktop IPC round trip (issue 11) and of the Mode B
server CPU per click (issue 13) that tempest_core owns.

Anchor, measured in the same run, interleaved: a minimal echo host that decodes the same event
frame with msgspec and encodes a one-op patch frame (what a raw echo's Python side does, plus a
patch-shaped reply). Ratio = tempest answer / echo answer. Also reported, per case: the render
alone (``Session._render_now`` after the handler's ``set_state``), and its part spent in the
app's own ``view`` (the vnodes it builds: user code, not tempest_core's to cut).

Run: ``python bench/event_answer.py [--quick] [--profile] [--cpu]``; writes
``bench/results/event_answer.json``. An importable ``tempest_core`` (installed, or on
``PYTHONPATH``) is used as it is, so two versions can be compared; otherwise the repository's.
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import json
import pathlib
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import msgspec

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
try:  # an installed (or PYTHONPATH) tempest_core first: compare two versions in one run
    import tempest_core  # noqa: F401
except ImportError:
    for sub in ("packages/tempestweb-contract/src", "packages/tempest-core/src"):
        sys.path.insert(0, str(ROOT / sub))

from tempest_core import App  # noqa: E402
from tempest_core._internal.frame import swap_frame  # noqa: E402
from tempest_core.host import Connection, SessionTable  # noqa: E402
from tempestweb_contract import Create, ElementNode, Init, NodeSpec, decode  # noqa: E402

CLOCK = time.thread_time if "--cpu" in sys.argv else time.perf_counter
"""Timer of the timed sections: wall clock, or with ``--cpu`` this thread's CPU time (on a machine
shared with other work, preemption pauses then stay out of both sides' figures)."""
ROWS = 1000
"""Rows in the jsfb table when ``select`` is clicked (the issue 11 benchmark's size)."""


def _load(example: str) -> Any:
    """Import ``examples/<example>/app.py`` as a module of its own name."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        f"example_{example}", ROOT / "examples" / example / "app.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class KeepPort:
    """A frame port that keeps the last frame (no transport)."""

    def __init__(self) -> None:
        self.frames: list[bytes] = []

    def send(self, frame: bytes, /) -> None:
        self.frames.append(frame)

    def close(self, code: int, reason: str, /) -> None:
        raise AssertionError(f"closed {code} {reason}")


def _walk(spec: NodeSpec) -> Any:
    yield spec
    if isinstance(spec, ElementNode):
        for child in spec.children:
            yield from _walk(child)


def _node_listening(init: Init, pick: Callable[[ElementNode], bool]) -> int:
    for op in init.ops:
        if isinstance(op, Create):
            for spec in _walk(op.node):
                if isinstance(spec, ElementNode) and spec.events and pick(spec):
                    return int(spec.id)
    raise LookupError("no such node")


class Case:
    """One app behind a connection, and the event frames of the click to time."""

    def __init__(self, app: App[Any], node_of: Callable[[Any, Init], list[int]], prepare: Any = None) -> None:
        self.app = app
        self.port = KeepPort()
        self.table = SessionTable(app)
        self.conn = Connection(self.table, self.port, transport="bench")
        self.conn.receive(b'{"type":"hello","v":1,"path":"/"}')
        self.session = next(iter(self.table))
        if prepare is not None:
            self.session.core.set_state(prepare)
            self.session.core._render_now()
            self.session.core.resync()
        init = decode(self.port.frames[0])
        assert isinstance(init, Init)
        self.init = init
        core = self.session.core
        ops = core.resync()
        self.nodes = node_of(self, Init(v=1, session="", seq=0, ops=ops))
        self.eid = 0

    def frame(self, i: int) -> bytes:
        self.eid += 1
        node = self.nodes[i % len(self.nodes)]
        return b'{"type":"event","eid":%d,"node":%d,"name":"click","data":{}}' % (self.eid, node)

    async def answer(self, i: int) -> float:
        frame = self.frame(i)
        self.port.frames.clear()
        t0 = CLOCK()
        self.conn.receive(frame)
        await asyncio.sleep(0)  # the render call_soon scheduled
        elapsed = CLOCK() - t0
        assert self.port.frames, "no patch"
        return elapsed


class Echo:
    """The anchor: decode the event frame, encode a one-op patch frame."""

    def __init__(self) -> None:
        self.eid = 0
        self.dec = msgspec.json.Decoder()
        self.enc = msgspec.json.Encoder()

    async def answer(self, i: int) -> float:
        self.eid += 1
        frame = b'{"type":"event","eid":%d,"node":%d,"name":"click","data":{}}' % (self.eid, 7 + i % 5)
        t0 = CLOCK()
        msg = self.dec.decode(frame)
        reply = self.enc.encode(
            {
                "type": "patch",
                "seq": msg["eid"],
                "ack": msg["eid"],
                "ops": [["set_text", msg["node"], str(i)]],
            }
        )
        await asyncio.sleep(0)
        elapsed = CLOCK() - t0
        assert reply
        return elapsed


def jsfb_case() -> Case:
    jsfb = _load("jsfb")

    def nodes(case: Case, init: Init) -> list[int]:
        # the label links of rows 1..40 (spec: select clicks a row's label)
        found: list[int] = []
        for op in init.ops:
            if isinstance(op, Create):
                for spec in _walk(op.node):
                    if isinstance(spec, ElementNode) and spec.tag == "a" and spec.attrs.get("class") == "lbl":
                        found.append(int(spec.id))
        return found[:40]

    return Case(jsfb.app, nodes, prepare=lambda s: jsfb._create(replace(s, live=True), ROWS))


def counter_case() -> Case:
    counter = _load("counter")

    def nodes(case: Case, init: Init) -> list[int]:
        return [_node_listening(init, lambda s: s.attrs.get("id") == "increment")]

    return Case(counter.app, nodes)


def render_only(case: Case, twin: Case, reps: int) -> tuple[float, float]:
    """Median ms of the render alone (state set, ``_render_now``) and of the app's view alone.

    The view alone runs in ``twin`` (another session of the same app in the same state): a view
    called outside a render still updates its hooks' state (``use_keyed_children`` keeps the
    rows it built), which would make the next timed render of ``case`` take its general path.
    """
    core = case.session.core
    state = core.state
    app = case.app
    flip: list[Any] = []
    if hasattr(state, "rows"):
        rows = state.rows
        flip = [replace(state, selected=rows[i % 40].id) for i in range(2 * reps)]
    else:
        flip = [replace(state, count=state.count + i + 1) for i in range(2 * reps)]
    renders: list[float] = []
    views: list[float] = []
    for i in range(reps):
        target = flip[i]
        t0 = CLOCK()
        core.set_state(lambda _s, target=target: target)
        core._render_now()
        renders.append(CLOCK() - t0)
        root = twin.session.core._root
        root.hook_index = 0
        prev = swap_frame(root)
        gc.disable()  # as in a render pass (Session._render_now)
        try:
            t0 = CLOCK()
            app.view(flip[reps + i])
            views.append(CLOCK() - t0)
        finally:
            gc.enable()
            swap_frame(prev)
    return statistics.median(renders) * 1e3, statistics.median(views) * 1e3


async def run(quick: bool, profile: bool) -> dict[str, Any]:
    reps = 200 if quick else 1000
    results: dict[str, Any] = {
        "unit": "ms",
        "python": sys.version.split()[0],
        "clock": "cpu" if CLOCK is time.thread_time else "wall",
        "rows": ROWS,
        "cases": {},
    }
    print(f"{'case':<16}{'answer ms':>11}{'echo ms':>10}{'ratio':>8}{'render ms':>11}{'app view ms':>13}")
    for name, make in (("jsfb select", jsfb_case), ("counter click", counter_case)):
        case = make()
        echo = Echo()
        for i in range(50):  # warm up
            await case.answer(i)
            await echo.answer(i)
        gc.collect()
        t: list[float] = []
        a: list[float] = []
        for i in range(reps):
            t.append(await case.answer(i))
            a.append(await echo.answer(i))
        render_ms, view_ms = render_only(case, make(), reps // 2)
        tm, am = statistics.median(t) * 1e3, statistics.median(a) * 1e3
        results["cases"][name] = {
            "answer_ms": round(tm, 4),
            "echo_ms": round(am, 4),
            "ratio": round(tm / am, 2),
            "render_ms": round(render_ms, 4),
            "app_view_ms": round(view_ms, 4),
            "reps": reps,
        }
        print(f"{name:<16}{tm:>11.4f}{am:>10.4f}{tm / am:>8.1f}{render_ms:>11.4f}{view_ms:>13.4f}")
        if profile:
            prof = cProfile.Profile()
            prof.enable()
            for i in range(300):
                await case.answer(i)
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(18)
        await case.table.close() if hasattr(case.table, "close") else None
    out = HERE / "results" / "event_answer.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return results


if __name__ == "__main__":
    asyncio.run(run(quick="--quick" in sys.argv, profile="--profile" in sys.argv))
