"""Conformance cases of the content and form components (issue 14): DatePicker typed with keys,
Markdown sources switched (raw HTML and unsafe links stay text), the AppShell drawer toggled by
its button and closed by Escape, a Form showing validation errors next to its fields, and a
FileUpload's drop zone (its markup; the bytes' paths are tested in examples/tests/test_upload.py),
compared step by step in Mode A and Mode B."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import cast

from conf_lists import button
from pydantic import BaseModel, Field, ValidationError

from tempest_core import (
    AppShell,
    DatePicker,
    FileUpload,
    Form,
    Markdown,
    Node,
    SubmitEvent,
    TextField,
    component,
    html,
    use_state,
)

__all__ = ["CASES"]

MARKDOWN_SOURCES = (
    "# Title\n\nSome *emphasis*, **strong** and `code`.\n\n- one\n- two\n",
    '[safe](https://example.org "T") and [unsafe](javascript:alert(1))\n\n<img src=x onerror=alert(1)>\n',
    "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n```py\nprint('hi')\n```\n\n> quote ~~gone~~\n",
)


@component
def content_datepicker() -> Node:
    """A DatePicker with min/max whose date is echoed; typed with keys, stepped with arrows."""
    due, set_due = use_state(cast(datetime.date | None, datetime.date(2026, 12, 2)))
    return html.div(
        DatePicker(
            value=due,
            on_change=set_due,
            label="Due",
            id="dp",
            min=datetime.date(2026, 1, 1),
            max=datetime.date(2027, 12, 31),
        ),
        html.p(due.isoformat() if due is not None else "none", id="due"),
        button("clear", "clear", lambda: set_due(None)),
    )


@component
def content_markdown() -> Node:
    """Markdown whose source the button cycles through (headings, lists, links, tables, code)."""
    index, set_index = use_state(0)
    return html.div(
        button("next", "next", lambda: set_index(lambda i: (i + 1) % len(MARKDOWN_SOURCES))),
        Markdown(MARKDOWN_SOURCES[index], id="md"),
    )


@component
def content_appshell() -> Node:
    """An AppShell whose drawer button toggles aria-expanded; Escape in the drawer closes it."""
    return AppShell(
        html.p("content", id="body"),
        header=html.h1("Shell"),
        nav=html.ul(
            html.li(html.a("Home", href="#home", id="home")), html.li(html.a("About", href="#about"))
        ),
        nav_id="conf-nav",
    )


class Person(BaseModel):
    """What the form case validates."""

    name: str = Field(min_length=2)
    age: int = Field(ge=0)


@component
def content_form_errors() -> Node:
    """A Form validated by Pydantic on submit: errors next to fields, then fixed and accepted."""
    errors, set_errors = use_state(dict[str, str]())
    saved, set_saved = use_state("")

    def submit(event: SubmitEvent) -> None:
        try:
            person = Person.model_validate(
                {"name": event.fields.get("name", ""), "age": event.fields.get("age", "")}
            )
        except ValidationError as exc:
            set_errors({".".join(map(str, e["loc"])): e["msg"] for e in exc.errors(include_url=False)})
            return
        set_errors({})
        set_saved(f"{person.name}, {person.age}")

    return html.div(
        Form(
            TextField(name="name", label="Name", id="name"),
            TextField(name="age", label="Age", id="age"),
            html.button("Save", type="submit", id="save"),
            errors=errors,
            on_submit=submit,
            id="form",
        ),
        html.p(saved, id="saved"),
    )


@component
def content_upload() -> Node:
    """A FileUpload's drop zone: label, hint with limits, picker button, empty progress list."""
    return FileUpload(
        multiple=True, accept=[".txt", "image/*"], max_bytes=1_500_000, label="Files", id="zone"
    )


CASES: dict[str, Callable[..., Node]] = {
    "content_datepicker": content_datepicker,
    "content_markdown": content_markdown,
    "content_appshell": content_appshell,
    "content_form_errors": content_form_errors,
    "content_upload": content_upload,
}
