"""A rehearsal of the event path in a throwaway session, while the page is idle (Mode A, private).

Under Pyodide the app's Python runs in the browser's WebAssembly engine, and the client in its
JavaScript engine. Both compile a function the first time it runs (V8's lazy compilation:
Liftoff for WebAssembly, Ignition and Sparkplug for JavaScript; https://v8.dev/blog/wasm-dynamic-tiering),
so the first scroll of a page, its first click and its first keystroke run code no render ran
before: the validation of an event model, a keyed diff that moves, creates and removes, a
template instance, a patch application in the client. Measured in Chromium 156 under 4x CPU
throttling (docs/benchmarks.md, "The first steps of a page"): the first scroll step of the
virtual table took 74-157 ms, of which about 25-55 ms compiled WebAssembly functions of the
interpreter and 20-33 ms JavaScript functions, where later steps take 9-12 ms.

``bootstrap.js`` therefore runs this rehearsal once the page is idle after it became interactive:
a private app (:data:`REHEARSAL_APP`: a virtual :func:`~tempest_core.Table` of :data:`ROWS` rows,
a keyed list, a button, a text field) is opened in a session of its own (its own
:class:`~tempest_core.host.SessionTable`, never the page's session). One :meth:`Rehearsal.step`
per idle callback hands that session the frames a client would send (``hello``, scroll steps and
jumps, typing, clicks, a selection) and the page applies the frames it answers, JSON text through
``pyodide.ffi`` as in the real path, to a client ``DomTree`` in an inert document
(``document.implementation.createHTMLDocument``: nothing is rendered, styled or shown, and the
page's own document and stylesheet are not touched). The same functions then run, and are
compiled, as on a person's first scroll, click and keystroke, before that comes. The rehearsal
changes nothing the app sees: its session, state and handlers are its own, and it is closed
when done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Final

from tempest_core import App, Button, Column, Node, Table, TableColumn, Text, TextField, html
from tempest_core.host import Connection, SessionTable
from tempestweb_contract import (
    PROTOCOL_VERSION,
    Create,
    ElementNode,
    Event,
    EventValue,
    Hello,
    Init,
    NodeSpec,
    Op,
    decode,
    encode,
)

__all__ = ["CLICKS", "REHEARSAL_APP", "ROWS", "SCROLL_TOPS", "SELECT_ALL", "TYPED", "Rehearsal"]

ROWS: Final = 1_000
"""Rows of the rehearsal's virtual table."""
SCROLL_TOPS: Final = (96, 192, 288, 16_000, 31_000)
"""``scrollTop`` (px) of the rehearsal's scroll events: three wheel steps down (rows enter and
leave, the window leads the scroll), a jump (every row recycled), another jump."""
TYPED: Final = ("a", "ab")
"""Values of the rehearsal's ``input`` events (a controlled text field)."""
CLICKS: Final = 2
"""Clicks on the rehearsal's button (each moves, removes and adds keyed items)."""
SELECT_ALL: Final = 1
"""``change`` events of the table's "Select all rows" checkbox (every row's checkbox then set)."""

_ROWS: Final = tuple({"id": i, "name": f"Row {i}", "value": (i * 7919) % ROWS} for i in range(ROWS))
_COLUMNS: Final = (
    TableColumn(key="id", header="ID", sortable=True, align="end", width=96),
    TableColumn(key="name", header="Name"),
    TableColumn(key="value", header="Value", sortable=True, align="end", width=120),
)


@dataclass(frozen=True, slots=True)
class _State:
    clicks: int = 0
    text: str = ""
    items: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6, 7)
    selected: frozenset[object] = frozenset()


def _click() -> None:
    # A click moves the keyed list's first item to the end, drops one and adds one: a keyed
    # diff that moves, removes and creates.
    def step(state: _State) -> _State:
        items = (*state.items[2:], state.items[0], max(state.items) + 1)
        return replace(state, clicks=state.clicks + 1, items=items)

    REHEARSAL_APP.set_state(step)


def _type(text: str) -> None:
    REHEARSAL_APP.set_state(lambda s: replace(s, text=text))


def _select(selected: frozenset[object]) -> None:
    REHEARSAL_APP.set_state(lambda s: replace(s, selected=selected))


def _view(state: _State) -> Node:
    return Column(
        Text(f"{state.clicks} clicks, {state.text!r}", id="tw-rehearsal-log"),
        Button("Step", on_click=_click, id="tw-rehearsal-step"),
        TextField(value=state.text, on_input=_type, label="Text", id="tw-rehearsal-text"),
        html.ul(*(html.li(f"Item {i}", key=i) for i in state.items)),
        Table(
            _ROWS,
            columns=_COLUMNS,
            row_key="id",
            label="Rehearsal",
            virtual=True,
            height=400,
            selectable=True,
            selected=state.selected,
            on_select=_select,
        ),
    )


REHEARSAL_APP: Final = App(view=_view, state=_State(), title="rehearsal")
"""The rehearsal's app: private to this module, never the page's."""


class _Port:
    """Hands the rehearsal session's frames to the page's callback, as JSON text."""

    def __init__(self, send: Callable[[str], object], rehearsal: Rehearsal) -> None:
        self._send = send
        self._rehearsal = rehearsal

    def send(self, frame: bytes, /) -> None:
        self._rehearsal._seen(frame)
        self._send(frame.decode("utf-8"))

    def close(self, code: int, reason: str, /) -> None:
        self._rehearsal._script.clear()  # a fatal error ends the rehearsal


def _walk(spec: NodeSpec) -> Iterator[NodeSpec]:
    yield spec
    if isinstance(spec, ElementNode):
        for child in spec.children:
            yield from _walk(child)


def _listening(ops: Iterable[Op], event: str, **attrs: str) -> int:
    """Return the id of the first created element listening to ``event`` with these attributes."""
    for op in ops:
        if isinstance(op, Create):
            for spec in _walk(op.node):
                if (
                    isinstance(spec, ElementNode)
                    and event in spec.events
                    and all(spec.attrs.get(name) == value for name, value in attrs.items())
                ):
                    return spec.id
    raise LookupError(f"the rehearsal's view has no {event} listener with {attrs}")


_Step = tuple[str, dict[str, EventValue]]
"""One event of the rehearsal's script: the DOM event name and its payload."""


def _step(name: str, /, **data: EventValue) -> _Step:
    return name, data


class Rehearsal:
    """One throwaway session of :data:`REHEARSAL_APP`, and the frames a client sends it.

    The page calls :meth:`step` once per idle callback until it returns ``False``: the first
    step sends ``hello``, each next one an event of the script (:data:`SCROLL_TOPS` on the
    table's scroll area, typing into the text field, clicks on the button, the table's "select
    all" checkbox), carrying the acknowledgement of the last patch as the JS client does. Every
    frame the session answers goes to ``send``.

    Args:
        send: Receives every frame the session answers, as JSON text (a JS function under
            Pyodide): ``init`` for ``hello``, then a ``patch`` per render, or an ``error``.

    """

    def __init__(self, send: Callable[[str], object]) -> None:
        self.table = SessionTable(REHEARSAL_APP)
        self._connection = Connection(self.table, _Port(send, self), transport="rehearsal")
        # The payloads the JS client sends (client/src/events.js, ``payload``); None: the hello.
        click = {"button": 0, "alt": False, "ctrl": False, "shift": False, "meta": False}
        self._script: list[_Step | None] = [
            None,
            *(
                _step("scroll", scroll_top=top, scroll_left=0, client_height=400, client_width=600)
                for top in SCROLL_TOPS
            ),
            *(_step("input", value=text) for text in TYPED),
            *(_step("click", **click) for _ in range(CLICKS)),
            *(_step("change", value="on", checked=True) for _ in range(SELECT_ALL)),
        ]
        self._nodes: dict[str, int] = {}
        self._eid = 0

    def _seen(self, frame: bytes) -> None:
        if not frame.startswith(b'{"type":"init"'):
            return
        message = decode(frame, sender="server")
        assert isinstance(message, Init)
        self._nodes = {
            "scroll": _listening(message.ops, "scroll", role="region"),
            "input": _listening(message.ops, "input", id="tw-rehearsal-text"),
            "click": _listening(message.ops, "click", id="tw-rehearsal-step"),
            "change": _listening(message.ops, "change", type="checkbox"),  # the table's "select all"
        }

    def step(self) -> bool:
        """Send the script's next frame to the session.

        Returns:
            Whether frames are left to send (``False`` once the script is done, or after the
            session answered a fatal error).

        """
        if not self._script:
            return False
        item = self._script.pop(0)
        if item is None:
            self._connection.receive(encode(Hello(v=PROTOCOL_VERSION, path="/")).decode("utf-8"))
        else:
            name, data = item
            session = self._connection.session
            self._eid += 1
            ack = session.seq if session is not None else 0
            frame = Event(eid=self._eid, node=self._nodes[name], name=name, data=data, ack=ack)
            self._connection.receive(encode(frame).decode("utf-8"))
        return bool(self._script)

    async def close(self) -> None:
        """Close the session and forget it (its state, its mounted tree)."""
        self._script.clear()
        self._connection.detach()
        await self.table.close_all()
