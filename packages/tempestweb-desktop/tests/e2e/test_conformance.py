"""Conformance, third mode: every case's DOM in a desktop window equals the golden snapshots, step by step.

The golden files (``conformance/golden``) are the snapshots Mode A and Mode B both produce in
Chromium; this runs the same staged conformance app with ``tempestweb run <app> --mode desktop``
(launched by WebKitWebDriver), enters every case in-app in one window, performs its steps with
the suite's own ``Driver`` (through :class:`WebDriverPage`) and compares each step with the golden
snapshot.

One difference is the engines', not tempestweb's: a snapshot shows a generated style class as
the CSS text of its rule *as the browser's CSSOM serializes it*, and WebKit serializes some
declarations differently from Chromium (shorthands folded or expanded, ``outline: none`` as
``outline: currentcolor``, ``background: transparent`` as ``none``, the unprefixed
``user-select`` it does not support dropped). :func:`canonical_css` rewrites exactly those forms
to one spelling on both sides; everything else (elements, attributes, every other declaration,
text, properties, focus, location) must be identical.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from webdriver_page import WebDriverPage

from tempestweb_desktop.testing import VirtualDisplay, WebDriverServer

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT / "conformance"))
runner: Any = importlib.import_module("runner")
sites: Any = importlib.import_module("sites")
snapshot: Any = importlib.import_module("snapshot")
steps: Any = importlib.import_module("steps")

pytestmark = pytest.mark.window

_SIDE = "(top|right|bottom|left)"
_CANONICAL: list[tuple[re.Pattern[str], str]] = [
    # Chromium expands `border: none`, WebKit folds it.
    (
        re.compile(
            r"border-width: medium; border-style: none; border-color: currentcolor; border-image: none;"
        ),
        "border: medium;",
    ),
    # WebKit expands `border-<side>: W S C`, Chromium keeps the shorthand.
    (
        re.compile(rf"border-{_SIDE}-width: ([^;]+); border-\1-style: ([^;]+); border-\1-color: ([^;]+);"),
        r"border-\1: \2 \3 \4;",
    ),
    (re.compile(r"outline: currentcolor;"), "outline: none;"),
    (re.compile(r"background: transparent;"), "background: none;"),
    (re.compile(r" ?user-select: none;"), ""),
    # WebKit does not support scroll anchoring (CSS Scroll Anchoring), so drops the declaration.
    (re.compile(r" ?overflow-anchor: [a-z]+;"), ""),
]


# A shorthand holding var() leaves its longhands "pending substitution": both engines serialize
# them with an empty value, each in its own order.
_EMPTY_RUN = re.compile(r"(?:[a-z-]+: ; ?)+")


def _sort_empty_run(match: re.Match[str]) -> str:
    names = sorted(re.findall(r"([a-z-]+): ;", match.group(0)))
    trailing = " " if match.group(0).endswith(" ") else ""
    return " ".join(f"{name}: ;" for name in names) + trailing


def canonical_css(line: str) -> str:
    """Rewrite the engine-specific CSSOM spellings above to one form (no-op outside them)."""
    for pattern, replacement in _CANONICAL:
        line = pattern.sub(replacement, line)
    return _EMPTY_RUN.sub(_sort_empty_run, line)


_DATE_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4})")


class DesktopDriver(runner.Driver):  # type: ignore[misc]  # the runner is loaded from a path
    """The suite's Driver, typing a date the way a person types it in WebKitGTK's date field.

    A step types a date as digits only (``"03152027"``): Chromium's ``<input type=date>`` moves
    to the next segment once one is full. WebKitGTK's (2.50: a native ``mm/dd/yyyy`` field,
    ``input.type`` reads ``"date"``) keeps every digit in the focused segment until the person
    types the separator (or Tab, or ArrowRight), so there the same date is typed as
    ``"03/15/2027"``: same field, same segments, same value. Every other step is performed as is.
    """

    def perform(self, step: Any) -> None:
        """Perform ``step`` as a person does in this webview, then settle."""
        digits = _DATE_DIGITS.fullmatch(step.text) if step.action == "type" else None
        if digits is not None and self.page.evaluate(
            "sel => document.querySelector(sel)?.type === 'date'", f"#conf-case {step.target}"
        ):
            step = dataclasses.replace(step, text="/".join(digits.groups()))
        super().perform(step)


@pytest.fixture(scope="module")
def desktop(display: VirtualDisplay) -> Iterator[Any]:
    """One desktop window running the staged conformance app for every case (the suite's Driver)."""
    with tempfile.TemporaryDirectory(prefix="tw-conformance-desktop-") as tmp:
        staged = sites.stage_app(Path(tmp) / "app")
        args = ["-m", "tempestweb_cli", "run", str(staged.parent), "--mode", "desktop"]
        with WebDriverServer(display=display.name) as server, server.launch(sys.executable, args) as session:
            page = WebDriverPage(session)
            page.set_viewport_size({"width": 1000, "height": 900})
            yield DesktopDriver(page, "tauri://localhost/")


COMPARED: list[int] = []


# Cases whose desktop run differs from the golden snapshots, each with what is known: a strict
# xfail, so the test fails once the case passes and its entry must go. None today (issue 11: the
# menu and scrolled-page divergences were the page adapter's locator chains; the date field's
# were WebKitGTK's segment typing, see DesktopDriver, and DatePicker's late `change`).
DESKTOP_DIVERGENCES: dict[str, str] = {}


def _case_param(case: Any) -> Any:
    gap = DESKTOP_DIVERGENCES.get(case.name)
    marks = [pytest.mark.xfail(reason=gap, strict=True)] if gap else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_case_param(c) for c in steps.CASES])
def test_case_matches_golden(case: Any, desktop: Any) -> None:
    golden = snapshot.read_golden(runner.GOLDEN / f"{case.name}.snap")
    got = desktop.run(case)
    assert [g.label for g in golden] == [s.label for s in got]
    diffs = []
    for index, (want, have) in enumerate(zip(golden, got, strict=True)):
        diff = snapshot.diff_lines(
            [canonical_css(line) for line in want.lines],
            [canonical_css(line) for line in have.lines],
            label=f"{case.name} step {index}: {have.label}",
            left="golden (modes A and B)",
            right="desktop",
        )
        if diff:
            diffs.append(diff)
    COMPARED.append(len(got))
    assert not diffs, "\n\n".join(diffs)


def test_every_case_and_step_was_compared() -> None:
    """Runs last in the module: every case ran and each of its steps was compared."""
    assert len(COMPARED) == len(steps.CASES)  # a known divergence is compared too (strict xfail)
    assert sum(COMPARED) >= 150


def test_canonical_css_orders_pending_substitution_longhands() -> None:
    chromium = "tw{color: red; border-top-color: ; border-top-width: ; border-left: 4px solid red;}"
    webkit = "tw{color: red; border-top-width: ; border-top-color: ; border-left: 4px solid red;}"
    assert canonical_css(chromium) == canonical_css(webkit)
    assert canonical_css(webkit).startswith("tw{color: red; border-top-color: ; border-top-width: ; ")


def test_canonical_css_touches_only_the_engine_spellings() -> None:
    chromium = "tw{color: red; border-width: medium; border-style: none; border-color: currentcolor; " + (
        "border-image: none;}"
    )
    webkit = "tw{color: red; border: medium;}"
    assert canonical_css(chromium) == canonical_css(webkit) == webkit
    assert canonical_css("border-top-width: 1px; border-top-style: solid; border-top-color: red;") == (
        "border-top: 1px solid red;"
    )
    assert canonical_css("tw{color: blue; user-select: none;}") == "tw{color: blue;}"
    assert canonical_css("tw{color: red;}") != canonical_css("tw{color: blue;}")
