"""Every conformance case in the selected modes: each step equals its golden snapshot, and A == B."""

from __future__ import annotations

import pytest
from runner import TOTALS, Driver, compare_case
from snapshot import StepSnapshot
from steps import CASES, Case

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Case, drivers: dict[str, Driver], pytestconfig: pytest.Config) -> None:
    """Run ``case`` in every selected mode and compare every step."""
    results: dict[str, list[StepSnapshot]] = {mode.upper(): d.run(case) for mode, d in drivers.items()}
    update = bool(pytestconfig.getoption("--update-golden"))
    diffs = compare_case(case, results, totals=TOTALS, update=update)
    if diffs:
        TOTALS.failures.append(case.name)
    assert not diffs, "\n\n".join(diffs)


def test_suite_size() -> None:
    """The suite keeps at least 40 cases and 150 steps (entry snapshots included)."""
    assert len(CASES) >= 40
    assert sum(len(c.steps) + 1 for c in CASES) >= 150
    assert len({c.name for c in CASES}) == len(CASES)
