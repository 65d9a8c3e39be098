"""Sum the JUnit XML reports of every pytest run in CI into one closing line.

Exits 1 when no test ran at all or when any test failed or errored, so a CI run that
collected nothing can never pass.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def main(directory: str) -> int:
    """Print the totals of every ``*.xml`` report in ``directory``; return the exit code."""
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    reports = sorted(Path(directory).glob("*.xml"))
    for report in reports:
        root = ET.parse(report).getroot()
        suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
        for suite in suites:
            for key in totals:
                totals[key] += int(suite.get(key, 0))
    failed = totals["failures"] + totals["errors"]
    passed = totals["tests"] - failed - totals["skipped"]
    print(f"\n{len(reports)} pytest runs")
    print(f"tests: {passed} passed, {failed} failed, {totals['skipped']} skipped")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
