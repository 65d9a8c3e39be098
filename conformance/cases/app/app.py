"""The conformance app: every conformance case mounted behind ``/case/<name>`` in ONE app.

Built once for Mode A and served once for Mode B, so Pyodide boots once per run. The runner
enters a case by clicking its hidden ``#enter-<name>`` button (a JS ``click()``, so focus does not
move): the handler resets the case state (a new ``nonce`` remounts the case component, so its
hooks start fresh; an example app gets a fresh state) and navigates to ``/case/<name>``.

``#conf-sync`` is the settle probe: the runner clicks it after every step and waits until its
``data-n`` shows the new count. Events are sent and handled in order, so once the probe's patch is
applied every earlier event's patch is applied too. Only ``#conf-case`` is snapshotted.

The example apps (``ex_counter``, ``ex_todomvc``, ``ex_jsfb`` are copies of ``examples/*/app.py``
that the runner stages next to this file) call ``app.set_state`` on their module's ``app``: it is
replaced by a :class:`Lens` onto ``ConfState.sub`` so their unmodified code runs in here.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import conf_components_content
import conf_components_display
import conf_components_overlay
import conf_forms
import conf_lists
import conf_misc
import conf_native
import conf_table
import conf_templates
import ex_counter
import ex_jsfb
import ex_todomvc

from tempest_core import App, Node, component, html, navigate, use_location

__all__ = ["CASES", "ConfState", "Lens", "app"]

JSFB_SEED = 20261121
"""``random.seed`` on entering an example case: jsfb labels are random; CPython and Pyodide share
the Mersenne Twister, so a fixed seed gives the same labels in both modes."""


@dataclass(frozen=True, slots=True)
class ConfState:
    """The conformance app state.

    Attributes:
        nonce: Incremented on every case entry (remounts the case component).
        sync: Settle-probe counter shown as ``#conf-sync[data-n]``.
        sub: State of the running example app (``None`` for focused cases).
    """

    nonce: int = 0
    sync: int = 0
    sub: Any = None


class Lens:
    """Stand-in for an example module's ``app``: its ``set_state`` updates ``ConfState.sub``.

    Args:
        initial: The example's state class (called for a fresh state when ``sub`` holds none of it,
            e.g. a page loaded directly at ``/case/counter``).
    """

    def __init__(self, initial: type[Any]) -> None:
        self.initial = initial

    def current(self, sub: object) -> Any:
        """``sub`` when it is this example's state, else a fresh initial state."""
        return sub if isinstance(sub, self.initial) else self.initial()

    def set_state(self, fn: Callable[[Any], Any], /) -> None:
        """Apply ``fn`` to the example's state inside the conformance app's state."""
        app.set_state(lambda s: replace(s, sub=fn(self.current(s.sub))))

    @property
    def state(self) -> Any:
        """The example's current state."""
        return self.current(app.state.sub)


EXAMPLES: dict[str, tuple[Any, type[Any]]] = {
    "counter": (ex_counter, ex_counter.CounterState),
    "todomvc": (ex_todomvc, ex_todomvc.TodoState),
    "jsfb": (ex_jsfb, ex_jsfb.BenchState),
}
LENSES = {name: Lens(initial) for name, (_, initial) in EXAMPLES.items()}
for _name, (_module, _) in EXAMPLES.items():
    _module.app = LENSES[_name]

CASES: dict[str, Callable[..., Node]] = {
    **conf_lists.CASES,
    **conf_forms.CASES,
    **conf_misc.CASES,
    **conf_table.CASES,
    **conf_templates.CASES,
    **conf_native.CASES,
    **conf_components_overlay.CASES,
    **conf_components_content.CASES,
    **conf_components_display.CASES,
}
"""Focused case name -> component factory (called with ``key``)."""


def _example_of(name: str) -> str | None:
    for prefix in EXAMPLES:
        if name == prefix or name.startswith(prefix + "_"):
            return prefix
    return None


@component
def example_case(*, example: str, sub: Any) -> Node:
    """Render an example app's own ``view`` for its state."""
    module = EXAMPLES[example][0]
    return module.view(LENSES[example].current(sub))  # type: ignore[no-any-return]


def _enter(name: str) -> Callable[[], None]:
    example = _example_of(name)

    def on_click() -> None:
        random.seed(JSFB_SEED)
        sub = EXAMPLES[example][1]() if example is not None else None
        app.set_state(lambda s: replace(s, nonce=s.nonce + 1, sub=sub))
        navigate(f"/case/{name}")

    return on_click


async def _sync() -> None:
    await conf_native.settled()  # native round trips started by earlier events render first
    app.set_state(lambda s: replace(s, sync=s.sync + 1))


NAMES: tuple[str, ...] = (*CASES, "counter", "todomvc", "todomvc_edit", "todomvc_filter", "jsfb", "jsfb_swap")
ENTER_BUTTONS = tuple(
    html.button(name, id=f"enter-{name}", type="button", on_click=_enter(name)) for name in NAMES
)


def view(state: ConfState) -> Node:
    """The harness (hidden entry buttons and sync probe) and the current case in ``#conf-case``."""
    path = use_location().path
    name = path[len("/case/") :].split("/", 1)[0] if path.startswith("/case/") else ""
    example = _example_of(name)
    if example is not None:
        body: Node | None = example_case(example=example, sub=state.sub, key=(name, state.nonce))
    elif name in CASES:
        body = CASES[name](key=(name, state.nonce))
    else:
        body = html.p("pick a case", class_="conf-index")
    return html.div(
        html.div(
            *ENTER_BUTTONS,
            html.button("sync", id="conf-sync", type="button", data_n=str(state.sync), on_click=_sync),
            id="conf-harness",
            hidden=True,
        ),
        html.div(body, id="conf-case"),
    )


app = App(view=view, state=ConfState, title="tempestweb conformance")
