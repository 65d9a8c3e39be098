"""The Python blocks of docs/guide.md run, in order, as one program: the guide stays true."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_guide_blocks_run(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = BLOCK.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(blocks) >= 5
    module = types.ModuleType("tempestweb_guide")  # dataclasses look their module up
    monkeypatch.setitem(sys.modules, module.__name__, module)
    for number, block in enumerate(blocks, 1):
        code = compile(block, f"{GUIDE.name} block {number}", "exec")
        exec(code, module.__dict__)
