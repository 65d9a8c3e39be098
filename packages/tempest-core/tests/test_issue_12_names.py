"""Issue 12: a view or component that returns no widget is named as the app's author wrote it.

Before: ``component 'Session._render_root' must return a widget`` (an internal name, no place).
Now the message names the app's view function or component with ``file:line`` of its ``def``.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tempest_core import App, Session, SessionError
from tempest_core._internal.report import describe_function

APP = textwrap.dedent(
    """
    from tempest_core import App, component, html


    @component
    def Card(*, title: str):
        return None


    def bare_view(state: int):
        if state:
            return html.p("ok")
        return None


    def card_view(state: int):
        return html.div(Card(title="x"))


    bare = App(view=bare_view, state=0)
    card = App(view=card_view, state=0)
    """
)


@pytest.fixture
def user_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    (tmp_path / "user_app.py").write_text(APP)
    monkeypatch.chdir(tmp_path)
    spec = importlib.util.spec_from_file_location("user_app", tmp_path / "user_app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["user_app"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["user_app"]


def _mount_error(app: App[int]) -> str:
    with pytest.raises(SessionError) as raised:
        Session(app).mount()
    return str(raised.value)


def test_issue_12_a_view_returning_none_is_named_with_file_and_line(user_app: ModuleType) -> None:
    message = _mount_error(user_app.bare)
    assert "_render_root" not in message and "Session" not in message
    assert "the view function 'bare_view' (user_app.py:10) must return a widget" in message
    assert message.endswith("got NoneType")


def test_issue_12_a_component_returning_none_is_named_with_file_and_line(user_app: ModuleType) -> None:
    message = _mount_error(user_app.card)
    assert "component 'Card' (user_app.py:5) must return a widget" in message


def test_issue_12_describe_function_unwraps_and_falls_back_to_the_name() -> None:
    import functools

    def inner() -> None: ...

    @functools.wraps(inner)
    def wrapper() -> None: ...

    line = inner.__code__.co_firstlineno
    assert describe_function(wrapper).endswith(f"test_issue_12_names.py:{line})")
    assert describe_function(wrapper).startswith(repr(inner.__qualname__))
    assert describe_function(len) == "'len'"
