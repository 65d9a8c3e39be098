"""Markup the HTML parser does not build as written, prerendered and then patched.

``/?case=nesting``: a ``<div>`` inside a ``<p>`` and a ``<tr>`` straight in a ``<table>`` (the
parser closes the ``<p>`` and inserts a ``<tbody>``); ``/?case=text``: a ``<style>``, a
``<textarea>`` with a text child and a ``<title>``, whose content the parser reads as text;
``/?case=raw``: a ``<style>`` whose text holds ``</``, which raw text cannot hold as written. A
button changes the text in each, so a page that hydrated the markup wrongly shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tempest_core import App, Node, html, use_location


@dataclass(frozen=True, slots=True)
class State:
    """The number of clicks."""

    clicks: int = 0


def bump() -> None:
    """Count one click."""
    app.set_state(lambda s: replace(s, clicks=s.clicks + 1))


def view(state: State) -> Node:
    """One case of markup, chosen by the ``case`` query parameter, and the button."""
    case = use_location().query.get("case", "nesting")
    n = state.clicks
    if case == "text":
        body: list[Node] = [
            html.style(f"#styled {{ --clicks: {n}; }} #styled > b {{ color: rgb(200, 0, 0); }}", id="css"),
            html.textarea(f"\nline {n} <x> & y", id="area"),
            html.title(f"Title {n}", id="title"),
            html.p(html.b("red"), id="styled"),
        ]
    elif case == "raw":
        body = [html.style(f"/* </ {n} */ #styled > b {{ color: rgb(0, 0, 200); }}", id="css"),
                html.p(html.b("blue"), id="styled")]
    else:
        body = [
            html.p("before ", html.div(f"inside {n}", id="inner"), " after", id="para"),
            html.table(html.tr(html.td(f"cell {n}", id="cell")), id="grid"),
        ]
    return html.main(*body, html.button("bump", on_click=bump, id="bump"), html.span(str(n), id="count"))


app = App(view=view, state=State, title="Rearranged")
