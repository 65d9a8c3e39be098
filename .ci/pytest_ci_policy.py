"""Workspace-wide pytest policy, loaded by every pytest run of the noxfile (``-p pytest_ci_policy``).

With ``TEMPESTWEB_REQUIRE_BROWSER=1`` (set by ``.ci/run``) a skipped test is reported as a
failure: CI must run everything it can, and a missing Chromium or test dependency must be
fixed in the install step, not hidden behind a skip.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    """Turn a skip into a failure when ``TEMPESTWEB_REQUIRE_BROWSER`` is set (xfails stay)."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.skipped and os.environ.get("TEMPESTWEB_REQUIRE_BROWSER") and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under TEMPESTWEB_REQUIRE_BROWSER=1 (CI must not skip): {reason}"


def pytest_configure(config: pytest.Config) -> None:
    """Run Hypothesis without per-example deadlines.

    A 2-core CI machine running browsers beside the property tests makes single examples slow
    now and then, which is not a failure of the code (a hung example still fails through the
    test's own timeouts).
    """
    try:
        from hypothesis import settings
    except ImportError:  # a session without hypothesis
        return
    settings.register_profile("tempestweb-ci", deadline=None)
    settings.load_profile("tempestweb-ci")
