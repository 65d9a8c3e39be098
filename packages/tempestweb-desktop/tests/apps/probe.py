"""A test app for the desktop host: a counter, an ordered event log and the window API.

- ``#inc``: count + 1 (``#count``);
- ``#burst``: each click appends its ``data-n`` to the log (``#log``), so a test that fires many
  clicks at once can check they arrived in order and exactly once;
- ``#eval``: evaluates ``#expr``'s text with ``current_window().eval_js`` and shows
  ``<number of evals>|<result or error class>`` in ``#eval-out``;
- ``#title``: sets the window title to ``#expr``'s text; ``#state`` shows window state queries;
- ``#tick``: a task pushes 200 renders (``#ticks``) from outside any event, over the Channel,
  while the page's clicks get their patches in the replies of their ``send`` calls.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, replace

from tempest_core import App, Node, html
from tempest_core.events import InputEvent
from tempestweb_desktop import DesktopError, current_window


@dataclass(frozen=True, slots=True)
class State:
    """Everything the page shows."""

    count: int = 0
    log: tuple[int, ...] = ()
    expr: str = ""
    out: str = ""
    evals: int = 0
    state: str = ""
    ticks: int = 0


def _inc() -> None:
    app.set_state(lambda s: replace(s, count=s.count + 1))


def _logger(n: int) -> Callable[[], None]:
    def log() -> None:
        app.set_state(lambda s: replace(s, log=(*s.log, n)))

    return log


def _typed(event: InputEvent) -> None:
    app.set_state(lambda s: replace(s, expr=event.value))


async def _eval() -> None:
    expr = app.state.expr
    try:
        value = await current_window().eval_js(expr, timeout_s=2.0)
        out = "ok:" + json.dumps(value, sort_keys=True)
    except DesktopError as exc:
        out = f"{type(exc).__name__}:{exc}"
    app.set_state(lambda s: replace(s, out=f"{s.evals + 1}|{out}", evals=s.evals + 1))


def _title() -> None:
    window = current_window()
    window.set_title(app.state.expr)
    app.set_state(lambda s: replace(s, out="title:" + window.title))


def _state() -> None:
    window = current_window()
    summary = {
        "label": window.label,
        "visible": window.is_visible(),
        "maximized": window.is_maximized(),
        "fullscreen": window.is_fullscreen(),
    }
    app.set_state(lambda s: replace(s, state=json.dumps(summary, sort_keys=True)))


TICKS = 200
"""Renders ``#tick`` pushes."""


async def _tick() -> None:
    for _ in range(TICKS):
        await asyncio.sleep(0.002)  # each render leaves on its own, outside any send's reply
        app.set_state(lambda s: replace(s, ticks=s.ticks + 1))


def view(state: State) -> Node:
    return html.div(
        html.p(str(state.count), id="count"),
        html.button("+", id="inc", on_click=_inc),
        html.div(
            *[html.button(str(n), class_="burst", data_n=str(n), on_click=_logger(n)) for n in range(5)],
            id="bursts",
        ),
        html.p(",".join(map(str, state.log)), id="log"),
        html.input(id="expr", value=state.expr, on_input=_typed),
        html.button("eval", id="eval", on_click=_eval),
        html.button("title", id="title", on_click=_title),
        html.button("state", id="state-btn", on_click=_state),
        html.pre(state.out, id="eval-out"),
        html.pre(state.state, id="state"),
        html.button("tick", id="tick", on_click=_tick),
        html.p(str(state.ticks), id="ticks"),
    )


app = App(view=view, state=State, title="Probe")
