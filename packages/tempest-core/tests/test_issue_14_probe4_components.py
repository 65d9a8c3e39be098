"""Issue 14, fourth probe of the components from outside: regressions found there (pure Python).

``Form(errors=...)`` replaced a control's own ``aria-describedby`` (a hint under the field, a
Tooltip's id) with the message's id, so a screen reader no longer read the hint or the tooltip
once the field was invalid: the message's id is now added after the ids it had.

``AppShell(nav_id="")`` (or a ``main_id`` with a space) built a menu button whose
``aria-controls`` and a skip link whose ``href`` named nothing: such ids are a ``WidgetError``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tempest_core.errors import WidgetError
from tempest_core.html import html
from tempest_core.nodes import Element, Node
from tempest_core.widgets import AppShell, Form, Tooltip


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Element):
        for child in node.children:
            yield from walk(child)


def control(form: Element, name: str) -> Element:
    (found,) = (n for n in walk(form) if isinstance(n, Element) and n.attrs.get("name") == name)
    return found


def test_issue_14_form_error_keeps_the_hint_the_field_was_described_by() -> None:
    def form(errors: dict[str, str]) -> Element:
        return Form(
            html.label("Email", html.input(name="email", id="email", aria_describedby="email-hint")),
            html.p("We never share it", id="email-hint"),
            errors=errors,
        )

    invalid = control(form({"email": "Enter an email"}), "email")
    assert invalid.attrs["aria-invalid"] == "true"
    assert invalid.attrs["aria-describedby"] == "email-hint email-error"
    valid = control(form({}), "email")  # the error gone: the hint alone, as written
    assert "aria-invalid" not in valid.attrs
    assert valid.attrs["aria-describedby"] == "email-hint"


def test_issue_14_form_error_keeps_the_tooltip_of_a_field() -> None:
    form = Form(
        Tooltip(html.input(name="code", aria_label="Code"), text="6 digits", id="code-tip"),
        errors={"code": "Enter the code"},
    )
    assert control(form, "code").attrs["aria-describedby"] == "code-tip tw-code-error"


def test_issue_14_form_error_names_its_message_once() -> None:
    # A field already described by the message's id (written by hand) does not get it twice.
    form = Form(
        html.input(name="age", id="age", aria_describedby="age-error  age-hint"),
        errors={"age": "Enter a number"},
    )
    assert control(form, "age").attrs["aria-describedby"] == "age-error age-hint"


@pytest.mark.parametrize(("arg", "value"), [("nav_id", ""), ("main_id", ""), ("main_id", "main content")])
def test_issue_14_app_shell_refuses_an_id_its_references_cannot_name(arg: str, value: str) -> None:
    # nav_id is the menu button's aria-controls, main_id the skip link's #fragment: "" or an id
    # with a space built a button controlling nothing and a skip link to nowhere.
    with pytest.raises(WidgetError, match=rf"^AppShell\({arg}=\.\.\.\): expected a non-empty id"):
        if arg == "nav_id":
            AppShell(html.p("x"), nav_id=value)
        else:
            AppShell(html.p("x"), main_id=value)
