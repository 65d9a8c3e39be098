"""A desktop app calling ``tempestweb.native.notification``, with or without the notification plugin.

``#go`` runs ``notification.permission()``, ``notification.request_permission()`` and
``notification.show(TITLE, body=BODY)``, the calls a Mode B app makes, and shows each outcome in
``#out`` (``ok <value>`` or ``<ErrorClass> <code> <message>``), separated by `` || ``.

Arguments: ``--plugin`` lists ``notification`` in the plugins and grants ``notification:default``;
``--plugin-denied`` lists it and grants nothing; neither: the plugin is not listed.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from tempest_core import App, Node, html
from tempestweb.native import notification
from tempestweb.native.errors import NativeCallError
from tempestweb_desktop import run

TITLE = "tempestweb desktop notification"
BODY = "through tauri-plugin-notification"


@dataclass(frozen=True, slots=True)
class State:
    """The outcomes, once ``#go`` ran."""

    out: str = ""


async def _outcome(call: Callable[[], Awaitable[object]]) -> str:
    try:
        return f"ok {await call()!r}"
    except NativeCallError as exc:
        return f"{type(exc).__name__} {exc.code} {exc}"


async def _go() -> None:
    outcomes = [
        await _outcome(notification.permission),
        await _outcome(notification.request_permission),
        await _outcome(lambda: notification.show(TITLE, body=BODY, silent=True, timeout_s=10)),
    ]
    app.set_state(lambda s: replace(s, out=" || ".join(outcomes)))


def view(state: State) -> Node:
    return html.div(html.button("go", id="go", on_click=_go), html.pre(state.out, id="out"))


app = App(view=view, state=State, title="Notification")

if __name__ == "__main__":
    flags = set(sys.argv[1:])
    if "--plugin" in flags:
        sys.exit(run(app, plugins=["notification"], permissions=["notification:default"]))
    if "--plugin-denied" in flags:
        sys.exit(run(app, plugins=["notification"]))
    sys.exit(run(app))
