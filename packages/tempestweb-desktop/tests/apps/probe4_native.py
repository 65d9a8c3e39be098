"""A desktop app for the fourth outside probe: ``tempestweb.native`` calls that fail in a window.

- ``#timeout``: ``http.request`` of the URL in ``PROBE4_SLOW_URL`` (a server that answers
  late) with a one-second timeout; ``#out`` shows ``<ErrorClass> <code>`` or ``ok <status>``;
- ``#inc``: count + 1 (``#count``), to check the window still round-trips afterwards.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from tempest_core import App, Node, html
from tempestweb.native import http
from tempestweb.native.errors import NativeCallError


@dataclass(frozen=True, slots=True)
class State:
    """What the page shows."""

    count: int = 0
    out: str = ""


def _inc() -> None:
    app.set_state(lambda s: replace(s, count=s.count + 1))


async def _timeout() -> None:
    try:
        response = await http.request("GET", os.environ["PROBE4_SLOW_URL"], timeout_s=1.0)
        outcome = f"ok {response.status}"
    except NativeCallError as exc:
        outcome = f"{type(exc).__name__} {exc.code}"
    app.set_state(lambda s: replace(s, out=outcome))


def view(state: State) -> Node:
    return html.div(
        html.button("inc", id="inc", on_click=_inc),
        html.button("timeout", id="timeout", on_click=_timeout),
        html.span(str(state.count), id="count"),
        html.pre(state.out, id="out"),
    )


app = App(view=view, state=State, title="Probe4 native")
