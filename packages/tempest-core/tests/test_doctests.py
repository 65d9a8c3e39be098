"""The ``Example:`` sections of the runtime's public docstrings run as tests."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "tempest_core._table_feed",
    "tempest_core._table_model",
    "tempest_core.app",
    "tempest_core.components",
    "tempest_core.hooks",
    "tempest_core.keyed",
    "tempest_core.templates",
    "tempest_core.testing",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
