"""A test app for the desktop DatePicker: the field and the date the app last received.

- ``#dp``: a DatePicker (``min`` 2026-01-01, ``max`` 2027-12-31) starting on 2026-12-02;
- ``#due``: the date its ``on_change`` last received (``none`` for None).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from tempest_core import App, DatePicker, Node, html


@dataclass(frozen=True, slots=True)
class State:
    """The date the app holds."""

    due: datetime.date | None = datetime.date(2026, 12, 2)


def _due(value: datetime.date | None) -> None:
    app.set_state(lambda s: replace(s, due=value))


def view(state: State) -> Node:
    return html.div(
        DatePicker(
            value=state.due,
            on_change=_due,
            aria_label="Due",
            id="dp",
            min=datetime.date(2026, 1, 1),
            max=datetime.date(2027, 12, 31),
        ),
        html.p(state.due.isoformat() if state.due is not None else "none", id="due"),
    )


app = App(view=view, state=State, title="Dates")
