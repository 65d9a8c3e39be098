"""Run conformance cases in Mode A (Pyodide in Chromium) and Mode B (server + Chromium).

One staged conformance app (``cases/app`` plus copies of the example apps) is built once for
Mode A and served once for Mode B; one page per mode stays open for the whole run, and each case
is entered in-app (no reload, so Pyodide boots once).

Usage (outside pytest)::

    python conformance/runner.py --mode both [--update-golden] [--case NAME ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from playwright.sync_api import Browser, Page, sync_playwright

from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from sites import mode_a_site, mode_b_site, stage_app  # noqa: E402
from snapshot import SERIALIZE_JS, StepSnapshot, diff_lines, format_dump, read_golden, write_golden  # noqa: E402
from steps import CASES, Case, Step  # noqa: E402

__all__ = [
    "Driver",
    "Mode",
    "TOTALS",
    "RunTotals",
    "break_attribute_script",
    "compare_case",
    "launch_browser",
    "mode_a_site",
    "mode_b_site",
    "stage_app",
]

Mode = Literal["a", "b"]
GOLDEN = HERE / "golden"
BOOT_TIMEOUT_MS = 240_000
"""First boot of the page: Mode A compiles Pyodide (~10-60 s on a loaded 2-core machine)."""
STEP_TIMEOUT_MS = 120_000
"""One step until settled: 10,000 rows rendered by Pyodide take several seconds."""


def launch_browser(pw: object) -> Browser:
    """Launch Chromium (the system one when present) with the suite's arguments."""
    return pw.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))  # type: ignore[attr-defined,no-any-return]


def break_attribute_script(attribute: str) -> str:
    """Return an init script that strips ``attribute`` from every ``create`` op a WebSocket delivers.

    A deliberately broken Mode B transport for the suite's self-test: it wraps the ``data`` getter
    of ``MessageEvent`` for WebSocket messages, so the client applies patches missing one attribute.

    Args:
        attribute: Attribute name to drop, e.g. ``"title"``.

    Returns:
        JavaScript for ``BrowserContext.add_init_script``.
    """
    return f"""
(() => {{
  const name = {attribute!r};
  const strip = (spec) => {{
    if (!Array.isArray(spec) || spec[0] !== "e") return;
    if (spec[3] && typeof spec[3] === "object") delete spec[3][name];
    for (const kid of spec[6] || []) strip(kid);
  }};
  const desc = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data");
  Object.defineProperty(MessageEvent.prototype, "data", {{
    configurable: true,
    get() {{
      const raw = desc.get.call(this);
      if (!(this.target instanceof WebSocket) || typeof raw !== "string") return raw;
      let msg;
      try {{ msg = JSON.parse(raw); }} catch (e) {{ return raw; }}
      for (const op of msg.ops || []) if (op[0] === "create") strip(op[3]);
      return JSON.stringify(msg);
    }},
  }});
}})();
"""


class Driver:
    """One page running the conformance app: enters cases, performs steps, takes snapshots.

    Args:
        page: A Playwright page (its context is reused for the whole run).
        url: Base URL of the Mode A or Mode B site.
    """

    def __init__(self, page: Page, url: str) -> None:
        self.page = page
        page.goto(url)
        page.wait_for_selector(
            "#tw-root[data-tw-status=open] #conf-sync", state="attached", timeout=BOOT_TIMEOUT_MS
        )
        if page.evaluate("document.getElementById('tw-root').dataset.twMode === 'wasm'"):
            page.wait_for_selector("html[data-tw-ready]", state="attached", timeout=BOOT_TIMEOUT_MS)

    def settle(self) -> None:
        """Wait until every event sent so far is handled and its patch applied.

        Clicks the hidden ``#conf-sync`` probe (a JS click: focus stays where it is) and waits
        for its ``data-n`` to show the new count with the client connected, then for two
        animation frames.
        """
        n = int(self.page.get_attribute("#conf-sync", "data-n") or "0")
        self.page.evaluate("document.getElementById('conf-sync').click()")
        self.page.wait_for_function(
            "n => document.getElementById('conf-sync')?.dataset.n === String(n)"
            " && document.getElementById('tw-root').dataset.twStatus === 'open'",
            arg=n + 1,
            timeout=STEP_TIMEOUT_MS,
        )
        self.page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def enter(self, case: str) -> None:
        """Enter ``case`` in-app (state reset, navigate to ``/case/<case>``) and settle.

        Raises:
            LookupError: The conformance app has no case of that name.
        """
        found = self.page.evaluate(
            "id => { const b = document.getElementById(id); if (b) b.click(); return b !== null; }",
            f"enter-{case}",
        )
        if not found:
            raise LookupError(f"the conformance app has no case {case!r} (no #enter-{case} button)")
        self.page.wait_for_function(f"location.pathname === {'/case/' + case!r}", timeout=STEP_TIMEOUT_MS)
        self.settle()

    def perform(self, step: Step) -> None:
        """Perform one step and settle."""
        page = self.page
        if step.action == "navigate":
            page.evaluate(
                "p => { history.pushState(null, '', p); dispatchEvent(new PopStateEvent('popstate')); }",
                step.target,
            )
        else:
            loc = page.locator(f"#conf-case {step.target}").first
            if step.action == "click":
                loc.click(timeout=STEP_TIMEOUT_MS)
            elif step.action == "jsclick":
                loc.evaluate("e => e.click()")
            elif step.action == "select":
                loc.select_option(step.text, timeout=STEP_TIMEOUT_MS)
            elif step.action == "dblclick":
                loc.dblclick(timeout=STEP_TIMEOUT_MS)
            elif step.action == "type":
                loc.press_sequentially(step.text, timeout=STEP_TIMEOUT_MS)
            elif step.action == "press":
                loc.press(step.text, timeout=STEP_TIMEOUT_MS)
            elif step.action == "focus":
                loc.focus(timeout=STEP_TIMEOUT_MS)
            elif step.action == "blur":
                loc.evaluate("e => e.blur()")
            elif step.action == "scroll":
                # the client reports a scroll once per animation frame: wait two frames so the
                # report is sent before settle()'s probe click
                loc.evaluate(
                    "(e, top) => new Promise(r => { e.scrollTop = top;"
                    " requestAnimationFrame(() => requestAnimationFrame(r)); })",
                    float(step.text),
                )
            else:  # pragma: no cover - Step.action is a Literal
                raise ValueError(f"unknown step action {step.action!r}")
        self.settle()

    def snapshot(self) -> tuple[str, ...]:
        """Serialize ``#conf-case`` in the normalized form (see :mod:`snapshot`)."""
        return tuple(format_dump(self.page.evaluate(SERIALIZE_JS, "#conf-case")))

    def run(self, case: Case) -> list[StepSnapshot]:
        """Enter ``case``, perform its steps, and return step 0 (entry) and one snapshot per step."""
        self.enter(case.name)
        out = [StepSnapshot(f"enter /case/{case.name}", self.snapshot())]
        for step in case.steps:
            self.perform(step)
            out.append(StepSnapshot(step.describe(), self.snapshot()))
        return out


@dataclass
class RunTotals:
    """Counters printed at the end of a run."""

    cases: int = 0
    steps: int = 0
    comparisons: int = 0
    failures: list[str] = field(default_factory=list)


TOTALS = RunTotals()
"""Counters of the current pytest run (printed by the conformance conftest's terminal summary)."""


def compare_case(
    case: Case, results: dict[str, list[StepSnapshot]], *, totals: RunTotals, update: bool = False
) -> list[str]:
    """Compare one case's per-mode results with its golden file and with each other.

    Args:
        case: The case.
        results: Mode name (``"A"``/``"B"``) -> the snapshots :meth:`Driver.run` returned.
        totals: Counters to update (a step counts once per mode, a comparison per pair compared).
        update: Rewrite the golden file from the results (only when every mode agrees).

    Returns:
        Readable diffs; empty when everything matched.

    Raises:
        FileNotFoundError: No golden file and ``update`` is false.
    """
    diffs: list[str] = []
    totals.cases += 1
    modes = sorted(results)
    for mode in modes:
        totals.steps += len(results[mode])
    if len(modes) == 2:
        a, b = (results[m] for m in modes)
        for i, (sa, sb) in enumerate(zip(a, b, strict=True)):
            totals.comparisons += 1
            d = diff_lines(
                sa.lines, sb.lines, label=f"{case.name} step {i}: {sa.label}", left="mode A", right="mode B"
            )
            if d:
                diffs.append(d)
    path = GOLDEN / f"{case.name}.snap"
    if update:
        if not diffs:
            write_golden(path, case.name, results[modes[0]])
        return diffs
    if not path.is_file():
        raise FileNotFoundError(
            f"no golden snapshot for case {case.name!r} ({path}); run with --update-golden"
        )
    golden = read_golden(path)
    for mode in modes:
        got = results[mode]
        if [g.label for g in golden] != [s.label for s in got]:
            diffs.append(
                f"{case.name}: golden steps {[g.label for g in golden]} != run steps {[s.label for s in got]}"
            )
            continue
        for i, (g, s) in enumerate(zip(golden, got, strict=True)):
            totals.comparisons += 1
            d = diff_lines(g.lines, s.lines, label=f"{case.name} step {i}: {s.label} (mode {mode})",
                           left="golden", right=f"mode {mode}")  # fmt: skip
            if d:
                diffs.append(d)
    return diffs


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: run cases in one or both modes, compare, print totals; 1 on any diff."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=("a", "b", "both"), default="both")
    parser.add_argument("--update-golden", action="store_true")
    parser.add_argument("--case", action="append", default=[])
    args = parser.parse_args(argv)
    cases = [c for c in CASES if not args.case or c.name in args.case]
    modes: list[Mode] = ["a", "b"] if args.mode == "both" else [args.mode]
    totals = RunTotals()
    with tempfile.TemporaryDirectory(prefix="tw-conformance-") as tmp, sync_playwright() as pw:
        staged = stage_app(Path(tmp) / "app")
        browser = launch_browser(pw)
        results: dict[str, dict[str, list[StepSnapshot]]] = {c.name: {} for c in cases}
        for mode in modes:
            site = mode_a_site(staged, Path(tmp) / "site") if mode == "a" else mode_b_site(staged)
            with site as url:
                context = browser.new_context(viewport={"width": 1000, "height": 900}, bypass_csp=True)
                driver = Driver(context.new_page(), url)
                for case in cases:
                    started = time.monotonic()
                    results[case.name][mode.upper()] = driver.run(case)
                    print(f"mode {mode.upper()} {case.name}: {time.monotonic() - started:.1f} s", flush=True)
                context.close()
        for case in cases:
            for d in compare_case(case, results[case.name], totals=totals, update=args.update_golden):
                print(d)
                totals.failures.append(case.name)
        browser.close()
    print(f"conformance: {totals.cases} cases, {totals.steps} steps, {totals.comparisons} comparisons, "
          f"{len(totals.failures)} failing")  # fmt: skip
    return 1 if totals.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
