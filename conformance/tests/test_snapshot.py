"""Unit tests of the serializer's text form and the comparer (no browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from snapshot import (
    BIG_LINES,
    GoldenFormatError,
    StepSnapshot,
    condense,
    diff_lines,
    format_dump,
    read_golden,
    write_golden,
)


def _dump(nodes: list[Any], location: str = "/case/x", focus: str = "none") -> dict[str, Any]:
    return {"location": location, "focus": focus, "root": True, "nodes": nodes}


UL = [0, "e", "ul", [["class", "list"], ["id", "l"]], []]
LI1 = [[1, "e", "li", [["data-k", "1"]], []], [2, "t", "one"]]
LI2 = [[1, "e", "li", [["data-k", "2"]], []], [2, "t", "two"]]
INPUT = [0, "e", "input", [["type", "text"]], [["value", "abc"], ["focus", True]]]
BASE = _dump([UL, *LI1, *LI2, INPUT])


def _diff(other: dict[str, Any]) -> str:
    return diff_lines(
        format_dump(BASE), format_dump(other), label="case step 1", left="golden", right="mode B"
    )


def test_format_dump_is_readable_and_indented() -> None:
    """One line per node, attributes as name="value", properties prefixed with ':'."""
    assert format_dump(BASE) == [
        "location /case/x focus none",
        '<ul class="list" id="l">',
        '  <li data-k="1">',
        '    "one"',
        '  <li data-k="2">',
        '    "two"',
        '<input type="text" :value="abc" :focus=true>',
    ]


def test_equal_snapshots_give_no_diff() -> None:
    """Identical dumps compare equal."""
    assert _diff(BASE) == ""


def test_dropped_attribute_is_caught() -> None:
    """Losing one attribute shows the old and new element lines."""
    other = _dump([[0, "e", "ul", [["id", "l"]], []], *LI1, *LI2, INPUT])
    text = _diff(other)
    assert text.startswith("case step 1\n--- golden\n+++ mode B")
    assert '-<ul class="list" id="l">' in text
    assert '+<ul id="l">' in text


def test_reordered_children_are_caught() -> None:
    """Swapping two children is a diff."""
    text = _diff(_dump([UL, *LI2, *LI1, INPUT]))
    assert text
    minus = [line for line in text.splitlines() if line.startswith("-") and not line.startswith("---")]
    plus = [line for line in text.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert minus and plus


def test_text_change_is_caught() -> None:
    """A changed text node is a diff naming both texts."""
    text = _diff(_dump([UL, *LI1, LI2[0], [2, "t", "TWO"], INPUT]))
    assert '-    "two"' in text and '+    "TWO"' in text


def test_property_and_focus_changes_are_caught() -> None:
    """``value`` and focus are part of the snapshot."""
    other = _dump([UL, *LI1, *LI2, [0, "e", "input", [["type", "text"]], [["value", "abd"]]]])
    text = _diff(other)
    assert '-<input type="text" :value="abc" :focus=true>' in text
    assert '+<input type="text" :value="abd">' in text


def test_location_change_is_caught() -> None:
    """The location heads the snapshot."""
    assert "+location /case/y focus none" in _diff({**BASE, "location": "/case/y"})


def test_big_snapshots_are_condensed_and_still_compared() -> None:
    """Above BIG_LINES lines a digest and the edges are kept; a change in the middle flips the digest."""
    lines = [f'  "row {i}"' for i in range(BIG_LINES + 10)]
    short = condense(lines)
    assert short[0].startswith("digest sha256:") and len(short) < len(lines)
    changed = list(lines)
    changed[BIG_LINES // 2] = '  "row X"'
    text = diff_lines(short, changed, label="big", left="golden", right="mode A")
    assert "-digest sha256:" in text and "+digest sha256:" in text
    assert diff_lines(short, lines, label="big", left="golden", right="mode A") == ""


def test_golden_round_trip(tmp_path: Path) -> None:
    """write_golden then read_golden gives the same (condensed) steps."""
    steps = [
        StepSnapshot("enter /case/x", tuple(format_dump(BASE))),
        StepSnapshot("click #b", ("location /",)),
    ]
    path = tmp_path / "x.snap"
    write_golden(path, "x", steps)
    assert read_golden(path) == steps


def test_golden_with_bad_header_is_a_typed_error(tmp_path: Path) -> None:
    """A golden file whose steps are out of order raises GoldenFormatError naming the line."""
    path = tmp_path / "x.snap"
    path.write_text("# golden\n## step 1: click\nline\n", encoding="utf-8")
    with pytest.raises(GoldenFormatError, match="expected step 0"):
        read_golden(path)
