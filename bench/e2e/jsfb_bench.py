"""End-to-end keyed benchmark (spec: ``shared/specs/jsfb.md`` section 6): tempestweb Mode B vs vanilla JS.

For every operation and iteration, target and anchor run interleaved (alternating which goes first), each on
a fresh page in a fresh browser context: preparation clicks (each waited for), forced GC through CDP
``HeapProfiler.collectGarbage``, CPU throttling through CDP ``Emulation.setCPUThrottlingRate`` (4x update,
select, swap, clear; 2x remove), then in the page ``performance.now()`` -> ``el.click()`` -> MutationObserver
until the op's expected DOM state -> one ``requestAnimationFrame`` + ``setTimeout(0)`` ->
``performance.now()``.
Medians per op, ratio = target / anchor, score = weighted geometric mean of the ratios (an op that never
reaches its state within 30 s makes the score ``inf``).

Usage::

    python bench/e2e/jsfb_bench.py                 # 5 iterations, W = 5, writes bench/results/jsfb_e2e.json
    python bench/e2e/jsfb_bench.py --quick         # smoke run: 1 iteration, W = 1
    python bench/e2e/jsfb_bench.py --target-url http://127.0.0.1:8000/   # an already running target
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import statistics
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from _servers import REPO, AppServer, StaticServer

from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

OP_TIMEOUT_MS = 30_000
READY_TIMEOUT_MS = 180_000  # a Mode A page (fresh context) boots Pyodide before #run is enabled
BUDGETS = {"b": 2.0, "a": 3.0}
"""Weighted ratio budget per mode (ARCHITECTURE.md: Mode B <= 2.0, Mode A <= 3.0)."""
DEFAULT_OUTPUT = REPO / "bench" / "results" / "jsfb_e2e.json"
VANILLA_DIR = Path(__file__).parent / "vanilla"

# One click plus the DOM state that marks it done; the same function serves preparation and measurement.
_STEP_JS = """
async ({target, cond, timeoutMs}) => {
  const rows = () => document.getElementById('tbody').children;
  const ok = () => {
    const rs = rows();
    if (cond.rows !== undefined && rs.length !== cond.rows) return false;
    for (const [r, id] of cond.ids || []) {
      const tr = rs[r - 1];
      if (!tr || !tr.firstElementChild || tr.firstElementChild.textContent !== String(id)) return false;
    }
    for (const [r, suffix] of cond.suffix || []) {
      const tr = rs[r - 1];
      if (!tr || !tr.children[1] || !tr.children[1].textContent.endsWith(suffix)) return false;
    }
    for (const r of cond.danger || []) {
      const tr = rs[r - 1];
      if (!tr || tr.className !== 'danger') return false;
    }
    for (const r of cond.plain || []) {
      const tr = rs[r - 1];
      if (!tr || tr.classList.contains('danger')) return false;
    }
    return true;
  };
  let el;
  if (target.button) el = document.getElementById(target.button);
  else {
    const tr = rows()[target.row - 1];
    el = target.kind === 'select' ? tr.children[1].firstElementChild
                                  : tr.children[2].firstElementChild.firstElementChild;
  }
  if (!el) return -2;
  return await new Promise((resolve) => {
    let finished = false;
    let timer = 0;
    let t0 = 0;
    const obs = new MutationObserver(() => check());
    const check = () => {
      if (finished || !ok()) return;
      finished = true;
      obs.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
    };
    obs.observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true});
    timer = setTimeout(() => {
      if (!finished) { finished = true; obs.disconnect(); resolve(-1); }
    }, timeoutMs);
    t0 = performance.now();
    el.click();
    check();
  });
}
"""


@dataclass(frozen=True)
class Step:
    """A click (``{"button": id}`` or ``{"kind": "select"|"remove", "row": n}``) and its done state."""

    target: dict[str, Any]
    cond: dict[str, Any]


@dataclass(frozen=True)
class Op:
    """One benchmark operation: preparation, the measured step, CPU throttling rate and score weight."""

    name: str
    prep: tuple[Step, ...]
    measured: Step
    throttle: float
    weight: float


def _run(k: int) -> Step:
    """The k-th ``run`` of a page (0-based) creates ids k*1000+1 .. k*1000+1000."""
    return Step({"button": "run"}, {"rows": 1000, "ids": [[1, k * 1000 + 1], [1000, k * 1000 + 1000]]})


CLEAR = Step({"button": "clear"}, {"rows": 0})


def _swap_state(k: int) -> Step:
    swapped = k % 2 == 1
    return Step(
        {"button": "swaprows"},
        {"rows": 1000, "ids": [[2, 999 if swapped else 2], [999, 2 if swapped else 999]]},
    )


def _update(k: int) -> Step:
    """The k-th ``update`` (1-based) leaves rows 1 and 991 ending with `` !!!`` k times."""
    return Step({"button": "update"}, {"rows": 1000, "suffix": [[1, " !!!" * k], [991, " !!!" * k]]})


def build_ops(warmup: int) -> tuple[Op, ...]:
    """Return the nine operations of spec section 6 with ``warmup`` (W) preparation steps."""
    w = warmup
    run_clear = tuple(s for k in range(w) for s in (_run(k), CLEAR))
    removes = tuple(
        Step({"kind": "remove", "row": n}, {"rows": 1000 - (10 - n + 1), "ids": [[n, 11]]})
        for n in (10, 9, 8, 7, 6)
    )
    return (
        Op("run", run_clear, _run(w), 1, 0.643),
        Op("replace", tuple(_run(k) for k in range(w)), _run(w), 1, 0.561),
        Op("update", (_run(0), *(_update(k + 1) for k in range(w))), _update(w + 1), 4, 0.564),
        Op(
            "select",
            (_run(0), Step({"kind": "select", "row": 5}, {"danger": [5]})),
            Step({"kind": "select", "row": 2}, {"danger": [2], "plain": [5]}),
            4,
            0.193,
        ),
        Op("swap", (_run(0), *(_swap_state(k + 1) for k in range(w))), _swap_state(w + 1), 4, 0.132),
        Op(
            "remove",
            (_run(0), *removes),
            Step({"kind": "remove", "row": 4}, {"rows": 994, "ids": [[4, 5]]}),
            2,
            0.528,
        ),
        Op(
            "runlots",
            run_clear,
            Step({"button": "runlots"}, {"rows": 10000, "ids": [[10000, w * 1000 + 10000]]}),
            1,
            0.564,
        ),
        Op(
            "add",
            (*run_clear, _run(w)),
            Step({"button": "add"}, {"rows": 2000, "ids": [[2000, w * 1000 + 2000]]}),
            1,
            0.551,
        ),
        Op("clear", (*run_clear, _run(w)), CLEAR, 4, 0.423),
    )


@dataclass
class OpResult:
    """Samples (ms) of one op for both implementations; ``None`` marks a sample that timed out."""

    op: Op
    target: list[float | None] = field(default_factory=list)
    anchor: list[float | None] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @staticmethod
    def _median(samples: list[float | None]) -> float:
        if not samples or any(s is None for s in samples):
            return math.inf
        return float(statistics.median(s for s in samples if s is not None))

    @property
    def target_median(self) -> float:
        """Median of the target's samples (``inf`` if one failed)."""
        return self._median(self.target)

    @property
    def anchor_median(self) -> float:
        """Median of the anchor's samples (``inf`` if one failed)."""
        return self._median(self.anchor)

    @property
    def ratio(self) -> float:
        """target median / anchor median."""
        t, a = self.target_median, self.anchor_median
        if math.isinf(t) or math.isinf(a) or a <= 0:
            return math.inf
        return t / a


def weighted_geomean(results: list[OpResult]) -> float:
    """Weighted geometric mean of the ratios; ``inf`` when any op failed."""
    if any(math.isinf(r.ratio) for r in results):
        return math.inf
    total = sum(r.op.weight for r in results)
    return math.exp(sum(r.op.weight * math.log(r.ratio) for r in results) / total)


def measure_once(browser: Browser, url: str, op: Op) -> float | None:
    """Run one op on a fresh page; return the measured duration in ms, or ``None`` on a failure/timeout.

    Raises:
        RuntimeError: The page never became ready or a preparation step never completed (the op cannot be
            measured at all: a harness or app failure, not a slow op).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        page.goto(url, wait_until="load")
        page.wait_for_function(
            "() => { const b = document.getElementById('run'); return !!b && !b.disabled; }",
            timeout=READY_TIMEOUT_MS,
        )
        for step in op.prep:
            took = page.evaluate(
                _STEP_JS, {"target": step.target, "cond": step.cond, "timeoutMs": OP_TIMEOUT_MS}
            )
            if took < 0:
                raise RuntimeError(
                    f"{op.name}: preparation step {step.target} never reached {step.cond} at {url}"
                )
        cdp.send("HeapProfiler.collectGarbage")
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": op.throttle})
        m = op.measured
        took = page.evaluate(_STEP_JS, {"target": m.target, "cond": m.cond, "timeoutMs": OP_TIMEOUT_MS})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
        return float(took) if took >= 0 else None
    finally:
        context.close()


def run_bench(
    browser: Browser, target_url: str, anchor_url: str, ops: tuple[Op, ...], iterations: int
) -> list[OpResult]:
    """Measure every op ``iterations`` times on target and anchor, interleaved."""
    results: list[OpResult] = []
    for op in ops:
        res = OpResult(op)
        for i in range(iterations):
            order = [("target", target_url), ("anchor", anchor_url)]
            if i % 2:
                order.reverse()
            for who, url in order:
                try:
                    sample = measure_once(browser, url, op)
                except RuntimeError as exc:  # preparation failed: the op failed for this implementation
                    sample = None
                    res.errors.append(f"{who}: {exc}")
                    print(f"  {op.name}: {who} failed: {exc}", file=sys.stderr, flush=True)
                if sample is None and not res.errors:
                    res.errors.append(f"{who}: measured click did not reach its state in {OP_TIMEOUT_MS} ms")
                (res.target if who == "target" else res.anchor).append(sample)
        print(
            f"  {op.name:<8} target {_fmt(res.target_median)} ms  anchor {_fmt(res.anchor_median)} ms",
            flush=True,
        )
        results.append(res)
    return results


def _fmt(x: float) -> str:
    return "inf" if math.isinf(x) else f"{x:8.1f}"


def format_table(results: list[OpResult], score: float, mode: str = "b") -> str:
    """Render the results as a fixed-width text table."""
    lines = [f"{'op':<9}{'weight':>7}{'cpu':>5}{'target ms':>11}{'anchor ms':>11}{'ratio':>8}"]
    for r in results:
        ratio = "inf" if math.isinf(r.ratio) else f"{r.ratio:.2f}"
        lines.append(
            f"{r.op.name:<9}{r.op.weight:>7.3f}{r.op.throttle:>4.0f}x{_fmt(r.target_median):>11}"
            f"{_fmt(r.anchor_median):>11}{ratio:>8}"
        )
    lines.append(
        f"weighted geometric mean ratio: {'inf' if math.isinf(score) else f'{score:.3f}'}"
        f" (Mode {mode.upper()} budget <= {BUDGETS[mode]})"
    )
    return "\n".join(lines)


def _json_num(x: float) -> float | str:
    return "inf" if math.isinf(x) else round(x, 3)


def _start_target(stack: ExitStack, mode: str) -> str:
    """Serve examples/jsfb in Mode B (``tempestweb run``) or as its Mode A build; return the URL."""
    if mode == "b":
        return stack.enter_context(AppServer(REPO / "examples" / "jsfb")).url
    from tempestweb_wasm import build  # Mode A only: the builder is not needed for Mode B

    site = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tw-jsfb-a-"))) / "site"
    build(REPO / "examples" / "jsfb", out=site)
    return stack.enter_context(StaticServer(site)).url


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the process exit status (0, or 1 when the score is ``inf``)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--iterations", type=int, default=5, help="samples per op and implementation (default 5)"
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="W, warm-up steps in the preparation (default 5)"
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 iteration, W = 1")
    parser.add_argument("--ops", default="", help="comma-separated subset of ops (default: all nine)")
    parser.add_argument(
        "--mode",
        choices=("b", "a"),
        default="b",
        help="b: examples/jsfb served by `tempestweb run` (default); a: its Mode A static build",
    )
    parser.add_argument(
        "--target-url", default="", help="benchmark this running target instead of starting one"
    )
    parser.add_argument(
        "--anchor-url", default="", help="use this anchor URL instead of serving bench/e2e/vanilla"
    )
    parser.add_argument(
        "--output", type=Path, default=None, help="results file (default: bench/results/jsfb_e2e[_a].json)"
    )
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = DEFAULT_OUTPUT if args.mode == "b" else DEFAULT_OUTPUT.with_name("jsfb_e2e_a.json")
    iterations, warmup = (1, 1) if args.quick else (args.iterations, args.warmup)
    if iterations < 1 or warmup < 1:
        parser.error("--iterations and --warmup must be >= 1")
    ops = build_ops(warmup)
    if args.ops:
        wanted = [o.strip() for o in args.ops.split(",") if o.strip()]
        unknown = sorted(set(wanted) - {o.name for o in ops})
        if unknown:
            parser.error(f"unknown ops: {', '.join(unknown)}")
        ops = tuple(o for o in ops if o.name in wanted)
    with ExitStack() as stack:
        target_url = args.target_url or _start_target(stack, args.mode)
        anchor_url = args.anchor_url or stack.enter_context(StaticServer(VANILLA_DIR)).url + "index.html"
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(
            executable_path=chromium_executable(), args=list(CHROMIUM_ARGS)
        )
        stack.callback(browser.close)
        print(f"target {target_url}  anchor {anchor_url}  iterations {iterations}  W {warmup}", flush=True)
        for url in (target_url, anchor_url):  # one unmeasured load each: server imports, caches
            measure_once(browser, url, Op("warm", (), _run(0), 1, 1))
        results = run_bench(browser, target_url, anchor_url, ops, iterations)
        score = weighted_geomean(results)
        print(format_table(results, score, args.mode))
        report = {
            "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "spec": "shared/specs/jsfb.md section 6",
            "mode": args.mode.upper() if not args.target_url else "external",
            "target_url": target_url,
            "chromium": browser.version,
            "python": platform.python_version(),
            "iterations": iterations,
            "warmup_steps": warmup,
            "ops": {
                r.op.name: {
                    "weight": r.op.weight,
                    "cpu_throttle": r.op.throttle,
                    "target_ms": [None if s is None else round(s, 3) for s in r.target],
                    "anchor_ms": [None if s is None else round(s, 3) for s in r.anchor],
                    "target_median_ms": _json_num(r.target_median),
                    "anchor_median_ms": _json_num(r.anchor_median),
                    "ratio": _json_num(r.ratio),
                    "errors": r.errors,
                }
                for r in results
            },
            "weighted_geomean_ratio": _json_num(score),
            "budget": BUDGETS[args.mode],
            "within_budget": not math.isinf(score) and score <= BUDGETS[args.mode],
        }
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.output}")
    return 1 if math.isinf(score) else 0


if __name__ == "__main__":
    sys.exit(main())
