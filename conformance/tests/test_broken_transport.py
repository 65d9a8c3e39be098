"""Self-test: a Mode B transport that drops one attribute from ``create`` ops must fail the suite."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from runner import Driver, RunTotals, break_attribute_script, compare_case
from steps import CASES

pytestmark = pytest.mark.browser


def test_dropped_attribute_gives_readable_diff(browser: Browser, sites: dict[str, str]) -> None:
    """Strip ``title`` from created nodes in Mode B: the ``attrs`` case diff names the lost attribute."""
    case = next(c for c in CASES if c.name == "attrs")
    context = browser.new_context(viewport={"width": 1000, "height": 900}, bypass_csp=True)
    try:
        context.add_init_script(break_attribute_script("title"))
        driver = Driver(context.new_page(), sites["b"])
        results = {"B": driver.run(case)}
    finally:
        context.close()
    diffs = compare_case(case, results, totals=RunTotals())
    assert diffs, "a transport dropping `title` went unnoticed"
    text = "\n".join(diffs)
    assert "attrs step 0: enter /case/attrs (mode B)" in text
    assert "--- golden" in text and "+++ mode B" in text
    removed = [line for line in text.splitlines() if line.startswith("-<a ") or line.startswith("-  <a ")]
    added = [line for line in text.splitlines() if line.startswith("+<a ") or line.startswith("+  <a ")]
    assert any('title="first"' in line for line in removed), text
    assert added and not any("title=" in line for line in added), text
