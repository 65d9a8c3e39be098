"""Mode A cold start: first paint and time to interactive, against bare Pyodide + ``import pydantic``.

Targets (ARCHITECTURE.md, performance budget): first paint of the prerendered view <= 300 ms on
localhost; interactive <= 1.3x the anchor. The anchor is measured in the same run, interleaved,
on the same static server: a page that loads the same vendored Pyodide, installs the same
pydantic wheels and runs ``import pydantic`` (the least any Pyodide app with typed events does).

Each sample is a fresh browser context (no HTTP cache, no service worker, no compiled-wasm cache):
a first visit. Times are ``performance.now()`` milliseconds from navigation start.

Run: ``python bench/e2e/wasm_coldstart.py [--app examples/jsfb] [--iterations 5]``; writes
``bench/results/wasm_coldstart.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, sync_playwright

from tempestweb_contract.testing import CHROMIUM_ARGS, chromium_executable
from tempestweb_wasm import build
from tempestweb_wasm._serve import StaticServer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BOOT_TIMEOUT_MS = 180_000
PYDANTIC_WHEELS = (
    "pydantic-",
    "pydantic_core-",
    "annotated_types-",
    "typing_extensions-",
    "typing_inspection-",
)

ANCHOR_HTML = """<!doctype html><html><head><meta charset="utf-8"><title>anchor</title>
<script type="module" src="./anchor.js"></script></head><body><p>anchor</p></body></html>
"""
ANCHOR_JS = """
const { loadPyodide } = await import("./pyodide/pyodide.mjs");
const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", location.href).href, fullStdLib: false });
await pyodide.loadPackage(%s.map((url) => new URL(url, location.href).href), { messageCallback: () => {} });
pyodide.runPython("import pydantic");
window.__anchorDone = performance.now();
"""


def prepare(app: Path, site: Path) -> None:
    """Build ``app`` for Mode A into ``site`` and add the anchor page beside it (same files)."""
    build(app, out=site)
    manifest = json.loads((site / "tw-build.json").read_text())
    wheels = [w for w in manifest["wheels"] if Path(w).name.startswith(PYDANTIC_WHEELS)]
    (site / "anchor.html").write_text(ANCHOR_HTML)
    (site / "anchor.js").write_text(ANCHOR_JS % json.dumps(wheels))


PHASES = ("pyodide", "wheels", "runtime", "interactive")
"""The boot's phase marks, in order (see :func:`sample_target`)."""


def sample_target(browser: Browser, url: str) -> dict[str, float]:
    """One first visit of the app: first contentful paint and the boot's phase marks (ms).

    Phases (``bootstrap.js``): ``tw:pyodide`` Pyodide loaded, ``tw:wheels`` wheels installed,
    ``tw:runtime`` the app imported and its session started, ``tw:interactive`` the first frame
    applied and the controls enabled.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("html[data-tw-ready]", timeout=BOOT_TIMEOUT_MS)
        marks: dict[str, float] = page.evaluate(
            """() => Object.fromEntries([
                ...performance.getEntriesByType("paint").map((e) => [e.name, e.startTime]),
                ...performance.getEntriesByType("mark").map((e) => [e.name, e.startTime]),
            ])"""
        )
        return {
            "first_paint_ms": marks["first-contentful-paint"],
            "pyodide_ms": marks["tw:pyodide"],
            "wheels_ms": marks["tw:wheels"],
            "runtime_ms": marks["tw:runtime"],
            "interactive_ms": marks["tw:interactive"],
        }
    finally:
        context.close()


def sample_anchor(browser: Browser, url: str) -> float:
    """One first visit of the anchor page: ms until ``import pydantic`` returned."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("() => window.__anchorDone !== undefined", timeout=BOOT_TIMEOUT_MS)
        done: float = page.evaluate("() => window.__anchorDone")
        return done
    finally:
        context.close()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print a table; return the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=ROOT / "examples" / "jsfb")
    parser.add_argument("--iterations", type=int, default=5)
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="tw-coldstart-"))
    try:
        site = workdir / "site"
        prepare(args.app, site)
        targets: list[dict[str, float]] = []
        anchors: list[float] = []
        with StaticServer(site) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_executable(), args=list(CHROMIUM_ARGS))
            for _ in range(args.iterations):  # interleaved: target, anchor, target, anchor...
                targets.append(sample_target(browser, server.url))
                anchors.append(sample_anchor(browser, server.url + "anchor.html"))
            browser.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    paint = statistics.median(t["first_paint_ms"] for t in targets)
    interactive = statistics.median(t["interactive_ms"] for t in targets)
    anchor = statistics.median(anchors)
    phases = {name: statistics.median(t[f"{name}_ms"] for t in targets) for name in PHASES}
    results = {
        "app": str(args.app.relative_to(ROOT) if args.app.is_relative_to(ROOT) else args.app),
        "iterations": args.iterations,
        "first_paint_ms": round(paint, 1),
        "first_paint_target_ms": 300,
        "interactive_ms": round(interactive, 1),
        "anchor_pyodide_import_pydantic_ms": round(anchor, 1),
        "interactive_ratio": round(interactive / anchor, 3),
        "interactive_ratio_target": 1.3,
        "phases_ms": {name: round(value, 1) for name, value in phases.items()},
        "samples": {"target": targets, "anchor": anchors},
    }
    print(f"Mode A cold start ({results['app']}, {args.iterations} first visits, medians)")
    print(f"  first paint of the prerendered view : {paint:8.1f} ms   (target <= 300 ms)")
    print(f"  interactive                         : {interactive:8.1f} ms")
    phase_text = ", ".join(f"{name} {value:.0f}" for name, value in phases.items())
    print(f"  boot phases (median ms from navigation start): {phase_text}")
    print(f"  anchor: Pyodide + import pydantic   : {anchor:8.1f} ms")
    print(f"  ratio interactive / anchor          : {interactive / anchor:8.2f}      (target <= 1.3)")
    out = ROOT / "bench" / "results" / "wasm_coldstart.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    return results


if __name__ == "__main__":
    main()
