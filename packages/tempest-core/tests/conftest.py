"""Shared fixtures; stands in for the colleague's ``widgets`` module while it does not exist yet."""

from __future__ import annotations

import importlib.util
import pathlib
import sys
import types

_spec = importlib.util.find_spec("tempest_core")
assert _spec is not None and _spec.origin is not None
if not (pathlib.Path(_spec.origin).parent / "widgets.py").exists():  # pragma: no cover - transitional
    _fake = types.ModuleType("tempest_core.widgets")
    for _name in [
        "Button",
        "Checkbox",
        "Column",
        "Container",
        "Divider",
        "Form",
        "Image",
        "Link",
        "List",
        "RadioGroup",
        "Row",
        "Select",
        "Slider",
        "Spacer",
        "Stack",
        "Switch",
        "Text",
        "TextArea",
        "TextField",
    ]:
        setattr(_fake, _name, None)
    sys.modules["tempest_core.widgets"] = _fake
