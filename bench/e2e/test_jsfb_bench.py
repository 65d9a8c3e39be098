"""Unit tests of the benchmark's bookkeeping (no browser): op table, medians, ratios, weighted score."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from jsfb_bench import OpResult, build_ops, weighted_geomean

SPEC_WEIGHTS = {
    "run": 0.643, "replace": 0.561, "update": 0.564, "select": 0.193, "swap": 0.132,
    "remove": 0.528, "runlots": 0.564, "add": 0.551, "clear": 0.423,
}  # fmt: skip


def test_ops_follow_the_spec_table() -> None:
    ops = {op.name: op for op in build_ops(5)}
    assert {n: op.weight for n, op in ops.items()} == SPEC_WEIGHTS
    assert {n for n, op in ops.items() if op.throttle == 4} == {"update", "select", "swap", "clear"}
    assert ops["remove"].throttle == 2
    assert ops["run"].measured.cond["ids"] == [[1, 5001], [1000, 6000]]
    assert ops["replace"].measured.cond["ids"] == [[1, 5001], [1000, 6000]]
    assert ops["runlots"].measured.cond["ids"] == [[10000, 15000]]
    assert ops["add"].measured.cond == {"rows": 2000, "ids": [[2000, 7000]]}
    assert ops["update"].measured.cond["suffix"] == [[1, " !!!" * 6], [991, " !!!" * 6]]
    assert ops["swap"].measured.cond["ids"] == [[2, 2], [999, 999]]
    assert ops["remove"].measured.cond == {"rows": 994, "ids": [[4, 5]]}
    assert [s.target.get("row") for s in ops["remove"].prep[1:]] == [10, 9, 8, 7, 6]
    assert ops["clear"].measured.cond == {"rows": 0}


def test_weighted_geomean_and_failures() -> None:
    ops = build_ops(1)
    results = [OpResult(op, target=[2.0, 4.0, 100.0], anchor=[1.0, 2.0, 3.0]) for op in ops]
    assert results[0].ratio == pytest.approx(2.0)  # medians 4 / 2
    assert weighted_geomean(results) == pytest.approx(2.0)
    results[1] = OpResult(ops[1], target=[1.0], anchor=[1.0])
    expected = math.exp(
        sum(op.weight * math.log(2.0) for op in ops if op.name != "replace") / sum(o.weight for o in ops)
    )
    assert weighted_geomean(results) == pytest.approx(expected)
    results[2].target.append(None)  # one timed-out sample: the op failed, the score is inf
    assert math.isinf(results[2].ratio)
    assert math.isinf(weighted_geomean(results))
