"""The app every host adapter runs in the protocol suite: a counter and a native-call probe."""

from __future__ import annotations

from tempest_core import App, Button, Column, Node, Text
from tempestweb_contract.native import NativeCallError, call

NATIVE_TIMEOUT_S = 0.3
"""Timeout of the probe's native call, in seconds (short, so a late result can be scripted)."""


class State:
    """The count and what the last native call gave."""

    def __init__(self) -> None:
        self.count = 0
        self.native = "idle"


def increment() -> None:
    app.set_state(lambda s: _set(s, count=s.count + 1))


async def probe() -> None:
    try:
        value = await call("probe", "echo", {"x": 1}, timeout_s=NATIVE_TIMEOUT_S)
        text = f"ok {value!r}"
    except NativeCallError as exc:
        text = f"{type(exc).__name__} {exc.code}"
    app.set_state(lambda s: _set(s, native=text))


def _set(state: State, **fields: object) -> State:
    for name, value in fields.items():
        setattr(state, name, value)
    return state


def view(state: State) -> Node:
    return Column(
        Text(f"Count: {state.count}", id="count"),
        Button("+", on_click=increment, id="inc"),
        Text(state.native, id="native"),
        Button("probe", on_click=probe, id="probe"),
    )


app = App(view=view, state=State, title="protocol")
