"""The public surface: everything in ``__all__`` exists, nothing private leaks."""

from __future__ import annotations

import importlib

import pytest

import tempest_core

MODULES = [
    "tempest_core",
    "tempest_core.testing",
    "tempest_core.router",
    "tempest_core.hooks",
    "tempest_core.session",
    "tempest_core.theme",
    "tempest_core.icons",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist_and_are_public(name: str) -> None:
    module = importlib.import_module(name)
    assert len(set(module.__all__)) == len(module.__all__)
    for attr in module.__all__:
        assert not attr.startswith("_"), attr
        assert hasattr(module, attr), f"{name}.{attr}"


def test_top_level_exports_the_documented_api() -> None:
    expected = {
        "App",
        "Session",
        "SessionError",
        "component",
        "use_state",
        "use_effect",
        "use_memo",
        "use_ref",
        "use_location",
        "use_navigate",
        "navigate",
        "routes",
        "render_to_html",
        "html",
        "Style",
        "Text",
        "Button",
        "Link",
        "Image",
        "Column",
        "Row",
        "Stack",
        "Container",
        "Spacer",
        "Divider",
        "TextField",
        "TextArea",
        "Checkbox",
        "Switch",
        "Slider",
        "Select",
        "RadioGroup",
        "Form",
        "List",
        "ClickEvent",
        "InputEvent",
        "ChangeEvent",
        "KeyEvent",
        "SubmitEvent",
        "FocusEvent",
    }
    assert expected <= set(tempest_core.__all__)
    assert set(dir(tempest_core)) == set(tempest_core.__all__)


def test_no_private_module_objects_in_public_api() -> None:
    for attr in tempest_core.__all__:
        obj = getattr(tempest_core, attr)
        module = getattr(obj, "__module__", "") or ""
        assert "._internal" not in module, (attr, module)
