"""Fixtures of the reliability suite: the figures every test adds to, written at the end."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # harness.py
# The cluster helpers (a real Redis, supervised workers, the ledger client) of the server's tests.
sys.path.insert(0, str(HERE.parents[1] / "packages" / "tempestweb-server" / "tests"))

from harness import Figures  # noqa: E402

_FIGURES = Figures()


@pytest.fixture(scope="session")
def figures() -> Iterator[Figures]:
    """The suite's figures; written to ``$TEMPESTWEB_RELIABILITY_JSON`` (or a temp file) at the end."""
    yield _FIGURES
    target = os.environ.get("TEMPESTWEB_RELIABILITY_JSON") or str(
        Path(tempfile.gettempdir()) / "tempestweb-reliability.json"
    )
    _FIGURES.write(Path(target))
    sys.stderr.write(f"\nreliability figures written to {target}\n")
