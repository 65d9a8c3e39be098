"""The conformance app and the case scripts agree (no browser): one route per script, one script per route."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from types import ModuleType

import pytest
from runner import stage_app
from steps import CASES

from tempest_core import render_to_html

APP_MODULES = (
    "app",
    "conf_lists",
    "conf_forms",
    "conf_misc",
    "conf_templates",
    "ex_counter",
    "ex_todomvc",
    "ex_jsfb",
)


@pytest.fixture(scope="module")
def conf_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The staged conformance app module, imported in this process."""
    staged = stage_app(tmp_path_factory.mktemp("staged") / "app")
    saved = {name: sys.modules.pop(name) for name in APP_MODULES if name in sys.modules}
    sys.path.insert(0, str(staged.parent))
    try:
        yield importlib.import_module("app")
    finally:
        sys.path.remove(str(staged.parent))
        for name in APP_MODULES:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def test_every_case_has_a_route_and_every_route_a_script(conf_app: ModuleType) -> None:
    """``steps.CASES`` and the app's case names are the same set."""
    assert {c.name for c in CASES} == set(conf_app.NAMES)


def test_prerender_has_an_entry_button_per_case(conf_app: ModuleType) -> None:
    """The harness renders one ``#enter-<case>`` button per case and the sync probe."""
    html = render_to_html(conf_app.app)
    for case in CASES:
        assert f'id="enter-{case.name}"' in html
    assert 'id="conf-sync"' in html


def test_case_routes_render_headless(conf_app: ModuleType) -> None:
    """Every case route prerenders without raising and fills ``#conf-case``."""
    for case in CASES:
        html = render_to_html(conf_app.app, path=f"/case/{case.name}")
        assert 'id="conf-case"' in html
        assert "pick a case" not in html, case.name
