from __future__ import annotations

import importlib

import pytest

import tempestweb.native
import tempestweb_contract.native as contract_native
from tempestweb.native import errors

MODULES = [
    "tempestweb.native",
    "tempestweb.native.audio",
    "tempestweb.native.camera",
    "tempestweb.native.clipboard",
    "tempestweb.native.constants",
    "tempestweb.native.errors",
    "tempestweb.native.file",
    "tempestweb.native.geolocation",
    "tempestweb.native.http",
    "tempestweb.native.install",
    "tempestweb.native.notification",
    "tempestweb.native.onnx",
    "tempestweb.native.plugins",
    "tempestweb.native.storage",
    "tempestweb.native.testing",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_public_complete_and_the_dir(name: str) -> None:
    module = importlib.import_module(name)
    assert len(set(module.__all__)) == len(module.__all__)
    for item in module.__all__:
        assert not item.startswith("_")
        assert hasattr(module, item), f"{name}.__all__ lists missing {item}"
    assert sorted(dir(module)) == sorted(module.__all__)


def test_the_issue_imports_run_verbatim() -> None:
    from tempestweb.native import (
        audio,
        camera,
        clipboard,
        file,
        geolocation,
        http,
        install,
        onnx,
        share,
        storage,
    )
    from tempestweb.native.http import RetryOptions
    from tempestweb.native.onnx import Tensor

    assert callable(share) and RetryOptions().attempts == 3 and Tensor.__name__ == "Tensor"
    for module in (audio, camera, clipboard, file, geolocation, http, install, onnx, storage):
        assert module.__name__.startswith("tempestweb.native.")


def test_errors_are_the_contracts_own_classes() -> None:
    for name in errors.__all__:
        assert getattr(errors, name) is getattr(contract_native, name)
    assert tempestweb.native.PermissionDeniedError is contract_native.PermissionDeniedError
