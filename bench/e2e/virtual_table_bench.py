"""Virtual Table scroll benchmark: the 100,000-row Table (Mode B, Mode A) vs a vanilla JS virtual list.

Target: ``examples/tests/apps/table`` (``Table(..., virtual=True, row_height=32, height=400)``, 100,000
rows, each kept while it shows the same thing, built from one template) served by ``tempestweb run`` (Mode
B) or as its Mode A static build. Anchor: ``bench/e2e/vanilla_table`` (the same rows, markup, box model
and window maths, re-rendered synchronously in its scroll listener). Harness conditions as
``jsfb_bench.py`` (the jsfb spec, section 6): the same Chromium flags
(``tempestweb_contract.testing.CHROMIUM_ARGS``), a fresh browser context per sample (1280x900), a
preparation of W warm-up steps of each kind in that page (``--warmup``, default 5 as jsfb's W:
wheel steps, jumps, the end, then back to the top; unthrottled and unmeasured), forced GC through
CDP ``HeapProfiler.collectGarbage``, then CDP ``Emulation.setCPUThrottlingRate`` (default 4x, as
jsfb's partial-update ops) while measuring; target and anchor interleaved, alternating which goes
first. ``--warmup 0`` measures a cold page instead: its first steps run code no render ran before.

One sample = one page scrolled through a fixed script of steps: 30 wheel-sized steps (+96 px, three rows),
10 jumps to spread positions, and a jump to the end. For each step, in the page: ``performance.now()`` ->
``scrollTop = y`` -> MutationObserver until the DOM holds exactly the window of rows for ``y`` (first and
last rendered ``aria-rowindex``, overscan and lead included: ``table_window``/``scroll_lead``, which the
anchor computes too) -> one ``requestAnimationFrame`` + ``setTimeout(0)`` -> ``performance.now()``
("scroll to painted frame", the ratio's measure). Also recorded per step: the time from the browser
dispatching the ``scroll`` event (a capture listener on ``window``, so before any listener of the page
renders) to the DOM holding the window; a step "renders within one frame" when
that is <= 16.7 ms (the next frame after the scroll paints the new rows). The first three
measured wheel steps of each page are also reported on their own (with ``--warmup 0`` they start
right after the page became ready, and run code no render ran before).

What a person sees is measured as well, because the exact window is not it: the rows already in the DOM
(the overscan) fill the area while the window of the new position is on its way. From the scroll event
on, every animation frame checks, before it paints, how many px of the scroll area below the header no
row covers (the rows' laid-out geometry); a frame with any is a "blank frame". Per step: the steps with
no blank frame (the frame that paints the scroll shows rows everywhere) and with at most one (the rows
are painted by the next frame). Then two continuous scrolls per page, one second each, down from row
50,000 and back up: every frame moves ``scrollTop`` by 96 px (a wheel spun one notch per frame, 5,760
px/s) and checks the area before it paints, as the browser's threaded scrolling shows a position before
its ``scroll`` event runs; reported as blank frames / frames, the mean blank px per frame, and the most
``[role=row]`` elements in the DOM.

Usage::

    python bench/e2e/virtual_table_bench.py                # Mode B and Mode A, 5 samples each
    python bench/e2e/virtual_table_bench.py --modes b --quick
    python bench/e2e/virtual_table_bench.py --throttle 1   # no CPU throttling
    python bench/e2e/virtual_table_bench.py --settle-ms 1000  # a person scrolls a second after load
    python bench/e2e/virtual_table_bench.py --warmup 0     # cold pages: no preparation
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

from tempest_core._table_model import LEAD_FRAMES, LEAD_VIEWPORTS
from tempest_core._widgets_table import DEFAULT_OVERSCAN_ROWS
from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

ROWS = 100_000
ROW_PX = 32
OVERSCAN = DEFAULT_OVERSCAN_ROWS  # the test app's Table keeps the default
VIEWPORT_PX = 400
FRAME_MS = 1000 / 60
STEP_TIMEOUT_MS = 30_000
READY_TIMEOUT_MS = 180_000
APP = REPO / "examples" / "tests" / "apps" / "table"
VANILLA_DIR = Path(__file__).parent / "vanilla_table"
DEFAULT_OUTPUT = REPO / "bench" / "results" / "virtual_table.json"

_READY_JS = """() => !!document.querySelector('[data-tw-status=open]')
  || document.documentElement.dataset.ready === '1'"""

# How many px of the scroll area below the sticky header no row covers, by the rows' laid-out
# geometry (rows never overlap: the sum of their visible heights is the covered part): what the
# frame about to be painted shows blank.
_COVERED_JS = """
const uncovered = (region) => {
  const box = region.getBoundingClientRect();
  const top = region.querySelector('[role=rowgroup]').getBoundingClientRect().bottom;
  const bottom = box.top + region.clientTop + region.clientHeight;
  let covered = 0;
  for (const row of region.querySelectorAll('[role=rowgroup] + [role=rowgroup] > [role=row]')) {
    const r = row.getBoundingClientRect();
    covered += Math.max(0, Math.min(r.bottom, bottom) - Math.max(r.top, top));
  }
  const gap = bottom - top - covered;
  return gap > 0.5 ? gap : 0;
};
"""

# One scroll step: set scrollTop, wait for exactly the window of that position, then the painted
# frame. From the scroll event on, every animation frame also checks (before it paints) whether
# the rows in the DOM cover the scroll area: ``blank`` counts the frames that do not.
_STEP_JS = (
    "async ({top, rowPx, total, overscan, leadFrames, leadViewports, timeoutMs}) => {"
    + _COVERED_JS
    + """
  const region = document.querySelector('#big [role=region]');
  // tempest_core's table_window and scroll_lead: the previous step's move decides the lead.
  const before = region.scrollTop, previous = window.__vtDelta || 0;
  const expected = () => {
    const viewport = region.clientHeight, delta = region.scrollTop - before;
    const most = leadViewports * viewport;
    const lead = delta * previous <= 0 || Math.abs(delta) < rowPx
      || Math.max(Math.abs(delta), Math.abs(previous)) > most
      ? 0 : Math.sign(delta) * Math.min(leadFrames * Math.abs(delta), most);
    const ahead = Math.floor(Math.abs(lead) / rowPx);
    const y = Math.min(Math.max(0, region.scrollTop), Math.max(0, (total + 1) * rowPx - viewport));
    const first = Math.floor(y / rowPx), last = Math.ceil((y + Math.max(viewport, rowPx)) / rowPx) - 1;
    return [
      Math.max(0, Math.min(first - overscan - (lead < 0 ? ahead : 0), total)),
      Math.max(0, Math.min(last + overscan + (lead > 0 ? ahead : 0), total)),
    ];
  };
  const ok = () => {
    const rows = region.querySelectorAll('[role=rowgroup] + [role=rowgroup] > [role=row]');
    if (rows.length === 0) return false;
    const [start, end] = expected();
    return Number(rows[0].getAttribute('aria-rowindex')) - 2 === start
      && Number(rows[rows.length - 1].getAttribute('aria-rowindex')) - 2 === end - 1
      && rows.length === end - start;
  };
  return await new Promise((resolve) => {
    let finished = false, tScroll = -1, timer = 0, t0 = 0, tDom = 0, frames = 0, blank = 0, done = false;
    const frame = () => {
      if (done) return;
      frames += 1;
      if (uncovered(region) > 0) blank += 1;
      if (!finished) { requestAnimationFrame(frame); return; }
      done = true;
      setTimeout(() => resolve({total: performance.now() - t0, react: tDom - tScroll, blank, frames}), 0);
    };
    // Capture phase at the window: before any listener of the page (the anchor's own render, the
    // client's delegated listener on its root, which in Mode A renders in Python right there).
    const onScroll = (event) => {
      if (tScroll >= 0 || event.target !== region) return;
      tScroll = performance.now();
      window.__vtDelta = region.scrollTop - before;
      requestAnimationFrame(frame);
    };
    window.addEventListener('scroll', onScroll, {capture: true});
    const obs = new MutationObserver(() => check());
    const check = () => {
      if (finished || tScroll < 0 || !ok()) return;
      finished = true;
      tDom = performance.now();
      obs.disconnect();
      window.removeEventListener('scroll', onScroll, {capture: true});
      clearTimeout(timer);
    };
    obs.observe(region, {childList: true, subtree: true, attributes: true, characterData: true});
    timer = setTimeout(() => {
      if (!finished) {
        finished = done = true;
        obs.disconnect();
        resolve({total: -1, react: -1, blank: -1, frames: -1});
      }
    }, timeoutMs);
    region.addEventListener('scroll', () => check(), {once: true});
    t0 = performance.now();
    region.scrollTop = top;
  });
}
"""
)

# A continuous scroll: every animation frame moves scrollTop by ``px`` (a wheel spun one notch per
# frame, or a flung trackpad) and checks, before that frame paints, whether rows cover the area.
# The scroll event of a frame's position is dispatched in the next frame, as with the browser's
# own (threaded) scrolling, so the frame showing a position has only the rows rendered for the
# positions before it: the overscan, and how fast the rows follow, decide what a person sees.
_FLING_JS = (
    "async ({px, frames}) => {"
    + _COVERED_JS
    + """
  const region = document.querySelector('#big [role=region]');
  return await new Promise((resolve) => {
    let k = 0, blank = 0, most = 0, gaps = 0;
    const tick = () => {
      region.scrollTop += px;
      const gap = uncovered(region);
      if (gap > 0) blank += 1;
      gaps += gap;
      most = Math.max(most, region.querySelectorAll('[role=row]').length);
      k += 1;
      if (k < frames) requestAnimationFrame(tick);
      else {
        window.__vtDelta = px;
        setTimeout(() => resolve({blank, frames, most, gaps}), 0);
      }
    };
    requestAnimationFrame(tick);
  });
}
"""
)


FIRST_STEPS = 3
"""Wheel steps at the start of each page reported on their own: the first scroll of a page runs
code no render ran before (compiled by the engine then, unless rehearsed at idle)."""

FLING_PX = 96
"""scrollTop change per frame of the continuous scroll (one wheel notch per frame, 5,760 px/s)."""
FLING_FRAMES = 60
"""Frames of each continuous scroll (one second at 60 Hz), down from the middle and back up."""
FLING_FROM = ROWS // 2 * ROW_PX


def scroll_script() -> tuple[tuple[str, int], ...]:
    """The steps of one sample: ``(kind, scrollTop px)``: 30 wheel steps, 10 jumps, the end."""
    wheel = tuple(("wheel", 96 * k) for k in range(1, 31))
    jumps = tuple(("jump", ((k * 7919) % 97) * ROWS * ROW_PX // 100) for k in range(1, 11))
    return (*wheel, *jumps, ("end", (ROWS + 1) * ROW_PX))


DEFAULT_WARMUP = 5
"""W, warm-up steps of each kind before a page's measured steps: jsfb's preparation (spec
section 6: W = 5 warm-up runs of the measured operation in the same page, unthrottled, then a
forced GC), which ``jsfb_bench.py`` follows too."""


def warmup_script(warmup: int) -> tuple[int, ...]:
    """The preparation of one sample (scrollTop px): ``warmup`` wheel steps from the top, as many
    jumps (to other positions than the measured ones), the end, then back to the top, where the
    measured steps start. Empty for ``warmup`` 0 (a cold page: its first steps run code no render
    ran before)."""
    if warmup <= 0:
        return ()
    wheel = tuple(96 * k for k in range(1, warmup + 1))
    jumps = tuple(((k * 3571) % 89) * ROWS * ROW_PX // 100 + ROW_PX * 7 for k in range(1, warmup + 1))
    return (*wheel, *jumps, (ROWS + 1) * ROW_PX, 0)


@dataclass
class Samples:
    """Per step kind: scroll-to-painted-frame and scroll-event-to-DOM times (ms), blank frames
    per step; frames of the continuous scrolls and how many of them were blank; failures."""

    total: dict[str, list[float]] = field(default_factory=dict)
    react: dict[str, list[float]] = field(default_factory=dict)
    blank: dict[str, list[int]] = field(default_factory=dict)
    first: list[float] = field(default_factory=list)
    """Scroll-event-to-DOM times (ms) of the first :data:`FIRST_STEPS` wheel steps of each page."""
    fling_frames: int = 0
    fling_blank: int = 0
    fling_blank_px: float = 0.0
    most_rows: int = 0
    failures: int = 0

    def add(self, kind: str, total: float, react: float, blank: int) -> None:
        if total < 0:
            self.failures += 1
            return
        self.total.setdefault(kind, []).append(total)
        self.react.setdefault(kind, []).append(react)
        self.blank.setdefault(kind, []).append(blank)

    def blank_steps(self, kind: str | None, most: int) -> tuple[int, int]:
        """``(steps of ``kind`` (None: every kind) with at most ``most`` blank frames, steps)``."""
        values = [v for k, vs in self.blank.items() if kind in (None, k) for v in vs]
        return sum(v <= most for v in values), len(values)

    def median(self, kind: str) -> float:
        values = self.total.get(kind, [])
        return float(statistics.median(values)) if values and not self.failures else math.inf

    def within_frame(self, kind: str | None = None) -> tuple[int, int]:
        """``(steps of ``kind`` (None: every kind) whose scroll-to-DOM time <= 16.7 ms, steps)``."""
        values = [v for k, vs in self.react.items() if kind in (None, k) for v in vs]
        return sum(v <= FRAME_MS for v in values), len(values)

    def react_percentile(self, q: float) -> float:
        values = sorted(v for vs in self.react.values() for v in vs)
        if not values:
            return math.inf
        return values[min(len(values) - 1, int(q * len(values)))]


def measure_once(
    browser: Browser, url: str, throttle: float, into: Samples, *, settle_ms: int = 0, warmup: int = 0
) -> None:
    """Scroll one fresh page through :func:`scroll_script`, adding each step's times to ``into``.

    ``settle_ms``: how long the page is left alone once ready before the preparation (0: at
    once, as jsfb's operations do; a person scrolls a moment later). ``warmup``: W of
    :func:`warmup_script`, the unthrottled, unmeasured preparation before the forced GC.

    Raises:
        RuntimeError: The page never became ready.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        page.goto(url, wait_until="load")
        page.wait_for_function(_READY_JS, timeout=READY_TIMEOUT_MS)
        page.wait_for_selector(
            "#big [role=row][aria-rowindex='2']", state="attached", timeout=READY_TIMEOUT_MS
        )
        if settle_ms:
            page.wait_for_timeout(settle_ms)

        def step(top: int) -> dict[str, float]:
            args = {
                "top": top,
                "rowPx": ROW_PX,
                "total": ROWS,
                "overscan": OVERSCAN,
                "leadFrames": LEAD_FRAMES,
                "leadViewports": LEAD_VIEWPORTS,
                "timeoutMs": STEP_TIMEOUT_MS,
            }
            return dict(page.evaluate(_STEP_JS, args))

        for top in warmup_script(warmup):
            if step(top)["total"] < 0:
                into.failures += 1
        cdp.send("HeapProfiler.collectGarbage")
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        for index, (kind, top) in enumerate(scroll_script()):
            took = step(top)
            into.add(kind, float(took["total"]), float(took["react"]), int(took["blank"]))
            if index < FIRST_STEPS and took["react"] >= 0:
                into.first.append(float(took["react"]))
        for px in (FLING_PX, -FLING_PX):
            if step(FLING_FROM)["total"] < 0:
                into.failures += 1
                continue
            fling = page.evaluate(_FLING_JS, {"px": px, "frames": FLING_FRAMES})
            into.fling_blank += int(fling["blank"])
            into.fling_blank_px += float(fling["gaps"])
            into.fling_frames += int(fling["frames"])
            into.most_rows = max(into.most_rows, int(fling["most"]))
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    finally:
        context.close()


def _start(stack: ExitStack, mode: str) -> str:
    if mode == "b":
        return str(stack.enter_context(AppServer(APP)).url)
    from tempestweb_wasm import build  # Mode A only

    site = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tw-vtable-a-"))) / "site"
    build(APP, out=site)
    return str(stack.enter_context(StaticServer(site)).url)


def _num(x: float) -> float | str:
    return "inf" if math.isinf(x) else round(x, 3)


def report_mode(mode: str, target: Samples, anchor: Samples) -> dict[str, Any]:
    """Ratios per step kind, their geometric mean and the frame budget figures of one mode."""
    kinds = ("wheel", "jump", "end")
    ratios = {k: target.median(k) / anchor.median(k) if anchor.median(k) > 0 else math.inf for k in kinds}
    finite = [r for r in ratios.values() if not math.isinf(r)]
    geomean = (
        math.exp(sum(math.log(r) for r in finite) / len(finite)) if len(finite) == len(kinds) else math.inf
    )
    t_ok, t_n = target.within_frame()
    a_ok, a_n = anchor.within_frame()
    return {
        "kinds": {
            k: {
                "target_median_ms": _num(target.median(k)),
                "anchor_median_ms": _num(anchor.median(k)),
                "ratio": _num(ratios[k]),
            }
            for k in kinds
        },
        "geomean_ratio": _num(geomean),
        "target_scroll_to_dom_ms": {
            "p50": _num(target.react_percentile(0.5)),
            "p95": _num(target.react_percentile(0.95)),
        },
        "anchor_scroll_to_dom_ms": {
            "p50": _num(anchor.react_percentile(0.5)),
            "p95": _num(anchor.react_percentile(0.95)),
        },
        "target_steps_within_one_frame": [t_ok, t_n],
        "anchor_steps_within_one_frame": [a_ok, a_n],
        "steps_within_one_frame_by_kind": {
            name: {k: list(samples.within_frame(k)) for k in kinds}
            for name, samples in (("target", target), ("anchor", anchor))
        },
        "every_target_step_within_one_frame": t_n > 0 and t_ok == t_n and not target.failures,
        "first_steps_scroll_to_dom_ms": {
            name: {
                "median": _num(statistics.median(samples.first)) if samples.first else "inf",
                "max": _num(max(samples.first)) if samples.first else "inf",
                "within_one_frame": [sum(v <= FRAME_MS for v in samples.first), len(samples.first)],
            }
            for name, samples in (("target", target), ("anchor", anchor))
        },
        "blank_frames": {
            name: {
                "steps_with_no_blank_frame": {
                    k or "all": list(samples.blank_steps(k, 0)) for k in (None, *kinds)
                },
                "steps_with_at_most_one_blank_frame": {
                    k or "all": list(samples.blank_steps(k, 1)) for k in (None, *kinds)
                },
                "continuous_scroll_blank_frames": [samples.fling_blank, samples.fling_frames],
                "continuous_scroll_mean_blank_px": _num(
                    samples.fling_blank_px / max(1, samples.fling_frames)
                ),
                "most_rows_in_dom": samples.most_rows,
            }
            for name, samples in (("target", target), ("anchor", anchor))
        },
        "target_failures": target.failures,
        "anchor_failures": anchor.failures,
    }


def format_mode(mode: str, rep: dict[str, Any]) -> str:
    """A fixed-width text table of one mode's results."""
    lines = [f"Mode {mode.upper()}: {'kind':<6}{'target ms':>11}{'anchor ms':>11}{'ratio':>8}"]
    for kind, row in rep["kinds"].items():
        target, anchor, ratio = row["target_median_ms"], row["anchor_median_ms"], row["ratio"]
        lines.append(f"        {kind:<6}{target!s:>11}{anchor!s:>11}{ratio!s:>8}")
    t_ok, t_n = rep["target_steps_within_one_frame"]
    a_ok, a_n = rep["anchor_steps_within_one_frame"]
    lines.append(f"        geometric mean ratio {rep['geomean_ratio']}")
    by_kind = rep["steps_within_one_frame_by_kind"]["target"]
    per_kind = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in by_kind.items())
    lines.append(
        f"        scroll event -> rows in DOM: target p50 {rep['target_scroll_to_dom_ms']['p50']} ms "
        f"p95 {rep['target_scroll_to_dom_ms']['p95']} ms, within one frame {t_ok}/{t_n} ({per_kind}); "
        f"anchor {a_ok}/{a_n}"
    )
    first = rep["first_steps_scroll_to_dom_ms"]
    lines.append(
        f"        first {FIRST_STEPS} wheel steps of a page, scroll event -> rows in DOM: target median "
        f"{first['target']['median']} ms, max {first['target']['max']} ms, within one frame "
        f"{first['target']['within_one_frame'][0]}/{first['target']['within_one_frame'][1]}; anchor "
        f"median {first['anchor']['median']} ms, max {first['anchor']['max']} ms, within one frame "
        f"{first['anchor']['within_one_frame'][0]}/{first['anchor']['within_one_frame'][1]}"
    )
    for name in ("target", "anchor"):
        blank = rep["blank_frames"][name]
        zero, one = blank["steps_with_no_blank_frame"], blank["steps_with_at_most_one_blank_frame"]
        per_kind = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in zero.items() if k != "all")
        fling_blank, fling_frames = blank["continuous_scroll_blank_frames"]
        lines.append(
            f"        {name}: steps painted with rows covering the area in the scroll's frame "
            f"{zero['all'][0]}/{zero['all'][1]} ({per_kind}), by the next frame "
            f"{one['all'][0]}/{one['all'][1]}; continuous scroll ({FLING_PX} px/frame): "
            f"{fling_blank}/{fling_frames} frames with a blank band (mean "
            f"{blank['continuous_scroll_mean_blank_px']} px of {VIEWPORT_PX - ROW_PX}), "
            f"at most {blank['most_rows_in_dom']} rows"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns 0, or 1 when a step never reached its window."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--modes", default="b,a", help="comma-separated modes to measure: b, a (default both)"
    )
    parser.add_argument(
        "--iterations", type=int, default=5, help="pages per implementation and mode (default 5)"
    )
    parser.add_argument("--throttle", type=float, default=4.0, help="CDP CPU throttling rate (default 4)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 iteration")
    parser.add_argument(
        "--settle-ms",
        type=int,
        default=0,
        help="leave each page alone this long once ready before its first step (default 0: at once)",
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=DEFAULT_WARMUP,
        help=f"W, unmeasured warm-up steps of each kind per page, as jsfb's preparation (default "
        f"{DEFAULT_WARMUP}; 0: a cold page, its first steps measured)",
    )
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="results file")
    args = parser.parse_args(argv)
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    if not modes or any(m not in ("a", "b") for m in modes):
        parser.error("--modes takes b, a or b,a")
    iterations = 1 if args.quick else args.iterations
    if iterations < 1 or args.throttle < 1 or args.warmup < 0:
        parser.error("--iterations and --throttle must be >= 1, --warmup >= 0")
    report: dict[str, Any] = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "harness": "bench/e2e/jsfb_bench.py conditions; see this script's docstring",
        "rows": ROWS,
        "iterations": iterations,
        "cpu_throttle": args.throttle,
        "settle_ms": args.settle_ms,
        "warmup_steps": args.warmup,
        "python": platform.python_version(),
        "modes": {},
    }
    failed = False
    with ExitStack() as stack:
        anchor_url = stack.enter_context(StaticServer(VANILLA_DIR)).url + "index.html"
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
        stack.callback(browser.close)
        report["chromium"] = browser.version
        for mode in modes:
            target_url = _start(stack, mode)
            print(f"Mode {mode.upper()}: target {target_url}  anchor {anchor_url}", flush=True)
            measure_once(browser, target_url, 1, Samples())  # unmeasured: imports, caches
            target, anchor = Samples(), Samples()
            for i in range(iterations):
                order = [(target_url, target), (anchor_url, anchor)]
                for url, into in reversed(order) if i % 2 else order:
                    measure_once(
                        browser, url, args.throttle, into, settle_ms=args.settle_ms, warmup=args.warmup
                    )
            rep = report_mode(mode, target, anchor)
            failed = failed or bool(rep["target_failures"] or rep["anchor_failures"])
            report["modes"][mode.upper()] = rep
            print(format_mode(mode, rep), flush=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
