"""Test app of examples/tests/test_upload.py and test_content_components.py: an AppShell holding
a FileUpload, a DatePicker, Markdown and a Form showing validation errors, with what each one
received shown in ``#log-*`` elements so a browser test can read it.

Run it with ``tempestweb run examples/tests/apps/content``.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field, replace

from pydantic import BaseModel, Field, ValidationError

from tempest_core import (
    App,
    AppShell,
    Button,
    DatePicker,
    FileUpload,
    Form,
    Markdown,
    Node,
    SubmitEvent,
    Text,
    TextField,
    html,
)
from tempest_core.host import UploadedFile, UploadError

__all__ = ["ContentState", "app", "view"]

MAX_UPLOAD_BYTES = 2_000_000
"""The FileUpload's limit: the browser tests send files on either side of it."""

DOC = """# Release notes

Uploads now **stream** to the server. See [the docs](/docs "Docs") or
[this link](javascript:alert(1)) (not a link: unsafe scheme).

- item one
- item `two`

<script>alert("never runs")</script>
"""


class Signup(BaseModel):
    """What the form validates."""

    name: str = Field(min_length=1)
    age: int


@dataclass(frozen=True)
class ContentState:
    """Everything the tests read back."""

    uploads: tuple[str, ...] = ()
    upload_errors: tuple[str, ...] = ()
    due: datetime.date | None = None
    form_errors: dict[str, str] | ValidationError = field(default_factory=dict)
    """``{}`` until the first submit, so the fields have their message slots from the start."""
    submitted: str = ""


def on_upload(file: UploadedFile) -> None:
    digest = hashlib.sha256(file.read()).hexdigest()[:12]
    line = f"{file.name}|{file.size}|{file.content_type}|{digest}"
    app.set_state(lambda s: replace(s, uploads=(*s.uploads, line)))


def on_upload_error(error: UploadError) -> None:
    app.set_state(lambda s: replace(s, upload_errors=(*s.upload_errors, error.code)))


def on_due(value: datetime.date | None) -> None:
    app.set_state(lambda s: replace(s, due=value))


def on_submit(event: SubmitEvent) -> None:
    fields = {"name": event.fields.get("name", ""), "age": event.fields.get("age", "")}
    try:
        model = Signup.model_validate(fields)
    except ValidationError as exc:
        errors = exc  # ``exc`` is unbound after the except block; the update runs later
        app.set_state(lambda s: replace(s, form_errors=errors, submitted=""))
        return
    app.set_state(lambda s: replace(s, form_errors={}, submitted=f"{model.name} ({model.age})"))


def view(state: ContentState) -> Node:
    nav = html.ul(html.li(html.a("Uploads", href="#uploads")), html.li(html.a("Dates", href="#dates")))
    return AppShell(
        html.section(
            html.h2("Uploads", id="uploads"),
            FileUpload(
                on_upload=on_upload,
                on_error=on_upload_error,
                multiple=True,
                max_bytes=MAX_UPLOAD_BYTES,
                label="Attachments",
                input_id="files",
                id="zone",
            ),
            html.pre("\n".join(state.uploads), id="log-uploads"),
            html.pre(" ".join(state.upload_errors), id="log-upload-errors"),
        ),
        html.section(
            html.h2("Dates", id="dates"),
            DatePicker(
                value=state.due,
                on_change=on_due,
                label="Due date",
                id="due",
                min=datetime.date(2026, 1, 1),
                max=datetime.date(2027, 12, 31),
            ),
            Text(state.due.isoformat() if state.due else "none", id="log-due"),
        ),
        html.section(Markdown(DOC, id="doc")),
        Form(
            TextField(name="name", label="Name", id="name"),
            TextField(name="age", label="Age", id="age"),
            Button("Sign up", type="submit", id="signup"),
            errors=state.form_errors,
            on_submit=on_submit,
            id="signup-form",
        ),
        Text(state.submitted, id="log-submitted"),
        header=html.h1("Content components"),
        nav=nav,
    )


app = App(view=view, state=ContentState, title="Content components")
