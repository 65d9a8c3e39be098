"""Test app of examples/tests/test_issue_14_typing_latency*.py: controlled text fields whose
value is state set on every ``input``, some transformed by the app (upper case, digits stripped,
a length limit), a textarea, a number field, a field inside a component, a field whose handler
is async, and a field the app sets from a timer while the person types.

Run it with ``tempestweb run examples/tests/apps/typing``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from tempest_core import App, Button, Column, Node, Text, TextArea, TextField, component

__all__ = ["LIMIT", "TypingState", "app", "view"]

LIMIT = 12
"""Characters the ``limited`` fields keep."""


@dataclass(frozen=True)
class TypingState:
    """The value of every field."""

    plain: str = ""
    other: str = ""
    upper: str = ""
    nodigits: str = ""
    limited: str = ""
    limited_c: str = ""
    area: str = ""
    num: str = ""
    slow: str = ""
    pushed: str = ""


def _set(**changes: str) -> None:
    app.set_state(lambda s: replace(s, **changes))


def _strip_digits(text: str) -> str:
    return "".join(c for c in text if not c.isdigit())


def _set_limited_c(text: str) -> None:
    _set(limited_c=text[:LIMIT])


async def _set_slow(text: str) -> None:
    await asyncio.sleep(0.15)  # a look-up before the state changes (a database, a service)
    _set(slow=text)


async def _push_later() -> None:
    await asyncio.sleep(0.6)
    _set(pushed="SERVER")


@component
def limited_field(*, value: str) -> Node:
    """A limited field inside a component: its props are equal when the limit cut the edit."""
    return TextField(value=value, on_input=_set_limited_c, id="limited-c", aria_label="Limited (component)")


def view(state: TypingState) -> Node:
    """The test page: each field, and a text showing the state it holds."""
    return Column(
        TextField(value=state.plain, on_input=lambda v: _set(plain=v), id="plain", aria_label="Plain"),
        Text(state.plain, id="plain-echo"),
        TextField(value=state.other, on_input=lambda v: _set(other=v), id="other", aria_label="Other"),
        Text(state.other, id="other-echo"),
        TextField(
            value=state.upper, on_input=lambda v: _set(upper=v.upper()), id="upper", aria_label="Upper"
        ),
        Text(state.upper, id="upper-echo"),
        TextField(
            value=state.nodigits,
            on_input=lambda v: _set(nodigits=_strip_digits(v)),
            id="nodigits",
            aria_label="No digits",
        ),
        Text(state.nodigits, id="nodigits-echo"),
        TextField(
            value=state.limited,
            on_input=lambda v: _set(limited=v[:LIMIT]),
            id="limited",
            aria_label="Limited",
        ),
        Text(state.limited, id="limited-echo"),
        limited_field(value=state.limited_c),
        Text(state.limited_c, id="limited-c-echo"),
        TextArea(value=state.area, on_input=lambda v: _set(area=v), id="area", aria_label="Area"),
        Text(state.area, id="area-echo"),
        TextField(
            value=state.num, on_input=lambda v: _set(num=v), type="number", id="num", aria_label="Number"
        ),
        Text(state.num, id="num-echo"),
        TextField(value=state.slow, on_input=_set_slow, id="slow", aria_label="Slow"),
        Text(state.slow, id="slow-echo"),
        TextField(value=state.pushed, on_input=lambda v: _set(pushed=v), id="pushed", aria_label="Pushed"),
        Text(state.pushed, id="pushed-echo"),
        Button("Push later", id="push-later", on_click=_push_later),
    )


app = App(view=view, state=TypingState(), title="Typing")
