"""Reconciler benchmark: the keyed jsfb table (shared/specs/jsfb.md) in tempest_core vs a minimal anchor.

The tempest side is the example app ``examples/jsfb/app.py`` itself (memoized keyed row
components whose markup is a ``@template``), driven through a ``Session``. Each measured op = build the new
view + diff + produce ops (no encoding). Both implementations run the same data operations in the
same process, interleaved; the table shows per-op medians in milliseconds and the ratio
tempest/anchor. GC is collected before and disabled during each timed section (for both), to keep
collector pauses out of the medians.

With ``--gc`` the cyclic GC stays enabled during the timed sections (collected before each, for
both): the cost a real process pays. tempest_core's Session turns the collector off for the
length of a render pass by itself (see ``Session._render_now``); the anchor does not.

Run: ``python bench/reconciler.py [--quick] [--gc] [--cpu]``; writes ``bench/results/reconciler.json``
(``reconciler_gc.json`` with ``--gc``). An importable ``tempest_core`` (installed, or on
``PYTHONPATH``) is used as it is, so two versions can be compared; otherwise the repository's.
"""

from __future__ import annotations

import asyncio
import gc
import json
import pathlib
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
try:  # an installed (or PYTHONPATH) tempest_core first: compare two versions in one run
    import tempest_core  # noqa: F401
except ImportError:
    for sub in ("packages/tempestweb-contract/src", "packages/tempest-core/src"):
        sys.path.insert(0, str(ROOT / sub))
sys.path.insert(0, str(HERE))

from minimal_reconciler import MinimalReconciler  # noqa: E402

from tempest_core import Session  # noqa: E402

# -- the example app itself (examples/jsfb/app.py), as users run it --------------------------------
sys.path.insert(0, str(ROOT / "examples" / "jsfb"))
import app as jsfb  # noqa: E402

CLOCK = time.thread_time if "--cpu" in sys.argv else time.perf_counter
"""Timer of the timed sections: wall clock, or with ``--cpu`` this thread's CPU time (on a machine
shared with other work, preemption pauses then stay out of both sides' figures)."""
State = jsfb.BenchState
APP = jsfb.app
ACTION = {button_id: action for button_id, _label, action in jsfb.ACTIONS}
BUTTONS = tuple((button_id, label) for button_id, label, _action in jsfb.ACTIONS)


class Data:
    """The example's jsfb data operations (pure: return new states), with seeded labels."""

    def __init__(self) -> None:
        random.seed(42)  # the example draws labels from the module-level random source

    def run(self, s: State) -> State:
        return ACTION["run"](s)

    def runlots(self, s: State) -> State:
        return ACTION["runlots"](s)

    def add(self, s: State) -> State:
        return ACTION["add"](s)

    def update(self, s: State) -> State:
        return ACTION["update"](s)

    def clear(self, s: State) -> State:
        return ACTION["clear"](s)

    def swap(self, s: State) -> State:
        return ACTION["swaprows"](s)

    def select(self, s: State, index: int) -> State:
        return replace(s, selected=s.rows[index].id)

    def update_one(self, s: State, index: int) -> State:
        rows = list(s.rows)
        rows[index] = replace(rows[index], label=rows[index].label + " !!!")
        return replace(s, rows=tuple(rows))

    def remove(self, s: State, index: int) -> State:
        return replace(s, rows=s.rows[:index] + s.rows[index + 1 :])


# -- anchor view: the same markup as tuples ------------------------------------------------------
def anchor_view(state: State) -> Any:
    sel = state.selected
    rows: tuple[Any, ...] = tuple(
        (
            "tr",
            r.id,
            {"class": "danger"} if r.id == sel else {},
            (
                ("td", None, {"class": "col-md-1"}, (str(r.id),)),
                ("td", None, {"class": "col-md-4"}, (("a", None, {}, (r.label,)),)),
                (
                    "td",
                    None,
                    {"class": "col-md-1"},
                    (
                        (
                            "a",
                            None,
                            {},
                            (
                                (
                                    "span",
                                    None,
                                    {"class": "glyphicon glyphicon-remove", "aria-hidden": "true"},
                                    (),
                                ),
                            ),
                        ),
                    ),
                ),
                ("td", None, {"class": "col-md-6"}, ()),
            ),
        )
        for r in state.rows
    )
    buttons = tuple(
        (
            "div",
            None,
            {"class": "col-sm-6 smallpad"},
            (
                (
                    "button",
                    None,
                    {"type": "button", "class": "btn btn-primary btn-block", "id": bid},
                    (label,),
                ),
            ),
        )
        for bid, label in BUTTONS
    )
    return (
        "div",
        None,
        {"id": "main"},
        (
            (
                "div",
                None,
                {"class": "container"},
                (
                    (
                        "div",
                        None,
                        {"class": "jumbotron"},
                        (
                            (
                                "div",
                                None,
                                {"class": "row"},
                                (
                                    (
                                        "div",
                                        None,
                                        {"class": "col-md-6"},
                                        (("h1", None, {}, ("tempestweb keyed",)),),
                                    ),
                                    (
                                        "div",
                                        None,
                                        {"class": "col-md-6"},
                                        (("div", None, {"class": "row"}, buttons),),
                                    ),
                                ),
                            ),
                        ),
                    ),
                    (
                        "table",
                        None,
                        {"class": "table table-hover table-striped test-data"},
                        (("tbody", None, {"id": "tbody"}, rows),),
                    ),
                    (
                        "span",
                        None,
                        {"class": "preloadicon glyphicon glyphicon-remove", "aria-hidden": "true"},
                        (),
                    ),
                ),
            ),
        ),
    )


# -- drivers -------------------------------------------------------------------------------------
class TempestDriver:
    def __init__(self) -> None:
        self.ops = 0
        self.session = Session(APP, on_patch=self._on_patch)
        self.session.mount()

    def _on_patch(self, ops: tuple[Any, ...], ack: int) -> None:
        self.ops += len(ops)

    async def show(self, state: State) -> None:
        self.session.set_state(lambda _: state)
        await self.session.flush()


class AnchorDriver:
    def __init__(self) -> None:
        self.rec = MinimalReconciler()
        self.ops = len(self.rec.render(anchor_view(State())))

    async def show(self, state: State) -> None:
        self.ops += len(self.rec.render(anchor_view(state)))


Prep = Callable[[Data, State], State]
Step = Callable[[Data, State], State]

OPS: list[tuple[str, Prep, Step, int]] = [
    ("create 1k", lambda d, s: State(), lambda d, s: d.run(s), 15),
    ("replace 1k", lambda d, s: d.run(s), lambda d, s: d.run(s), 15),
    ("update every 10th", lambda d, s: d.update(d.run(s)), lambda d, s: d.update(s), 25),
    ("select", lambda d, s: d.select(d.run(s), 4), lambda d, s: d.select(s, 1), 25),
    ("update one", lambda d, s: d.run(s), lambda d, s: d.update_one(s, 500), 25),
    ("swap", lambda d, s: d.run(s), lambda d, s: d.swap(s), 25),
    ("remove one", lambda d, s: d.run(s), lambda d, s: d.remove(s, 3), 25),
    ("append 1k", lambda d, s: d.run(s), lambda d, s: d.add(s), 15),
    ("clear", lambda d, s: d.run(s), lambda d, s: d.clear(s), 15),
    ("create 10k", lambda d, s: State(), lambda d, s: d.runlots(s), 5),
]


ONE_ROW_OPS = ("select", "update one", "remove one")
"""Ops that change one row: their absolute time has its own target (<= 2 ms)."""


async def measure(driver_cls: type[Any], prep: Prep, step: Step, keep_gc: bool = False) -> float:
    data = Data()
    driver = driver_cls()
    state = prep(data, State())
    await driver.show(state)
    target = step(data, state)
    gc.collect()
    if not keep_gc:
        gc.disable()
    try:
        t0 = CLOCK()
        await driver.show(target)
        elapsed = CLOCK() - t0
    finally:
        gc.enable()
    return elapsed * 1000.0


async def main(quick: bool = False, keep_gc: bool = False) -> dict[str, Any]:
    results: dict[str, Any] = {
        "unit": "ms",
        "python": sys.version.split()[0],
        "gc_enabled": keep_gc,
        "clock": "cpu" if CLOCK is time.thread_time else "wall",
    }
    results["ops"] = {}
    print(f"cyclic GC during timed sections: {'enabled' if keep_gc else 'disabled'}")
    print(f"{'op':<20}{'tempest ms':>12}{'anchor ms':>12}{'ratio':>8}{'min ratio':>11}")
    for name, prep, step, full_reps in OPS:
        reps = max(3, full_reps // 3) if quick else full_reps
        t_times: list[float] = []
        a_times: list[float] = []
        for _ in range(reps):
            t_times.append(await measure(TempestDriver, prep, step, keep_gc))
            a_times.append(await measure(AnchorDriver, prep, step, keep_gc))
        t = statistics.median(t_times)
        a = statistics.median(a_times)
        min_ratio = min(t_times) / min(a_times)
        results["ops"][name] = {
            "tempest_ms": round(t, 3),
            "anchor_ms": round(a, 3),
            "ratio": round(t / a, 3),
            "tempest_min_ms": round(min(t_times), 3),
            "anchor_min_ms": round(min(a_times), 3),
            "min_ratio": round(min_ratio, 3),
            "reps": reps,
        }
        print(f"{name:<20}{t:>12.3f}{a:>12.3f}{t / a:>8.2f}{min_ratio:>11.2f}")
    one_row = {name: results["ops"][name]["tempest_ms"] for name in ONE_ROW_OPS}
    print("one-row ops (target <= 2 ms): " + ", ".join(f"{n} {ms:.2f} ms" for n, ms in one_row.items()))
    out = HERE / "results" / ("reconciler_gc.json" if keep_gc else "reconciler.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    return results


if __name__ == "__main__":
    asyncio.run(main(quick="--quick" in sys.argv, keep_gc="--gc" in sys.argv))
