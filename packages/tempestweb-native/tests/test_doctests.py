"""Every docstring ``Example:`` of the public modules runs as a test."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    f"tempestweb.native.{name}"
    for name in (
        "audio",
        "camera",
        "clipboard",
        "file",
        "geolocation",
        "http",
        "install",
        "notification",
        "onnx",
        "plugins",
        "storage",
    )
]


@pytest.mark.parametrize("name", MODULES)
def test_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no example"
    assert result.failed == 0
