"""Validation errors next to fields: TextField/TextArea ``error=`` and ``Form(errors=...)``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import BaseModel, ValidationError, model_validator

from tempest_core.errors import WidgetError
from tempest_core.html import html
from tempest_core.nodes import Element, Node, Text
from tempest_core.style import Style
from tempest_core.widgets import Button, Form, TextArea, TextField


class Signup(BaseModel):
    email: str
    age: int
    password: str = ""
    confirm: str = ""

    @model_validator(mode="after")
    def passwords_match(self) -> Signup:
        if self.password != self.confirm:
            raise ValueError("passwords differ")
        return self


def walk(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Element):
        for child in node.children:
            yield from walk(child)


def by_tag(root: Element, tag: str) -> list[Element]:
    return [n for n in walk(root) if isinstance(n, Element) and n.tag == tag]


def text_of(node: Element) -> str:
    return "".join(n.text for n in walk(node) if isinstance(n, Text))


def test_text_field_error_ties_message_to_input() -> None:
    box = TextField(label="Email", name="email", error="Enter an email", key="k", class_="c")
    assert box.tag == "div" and box.key == "k" and box.attrs == {"class": "c"}
    label, message = box.children
    assert isinstance(label, Element) and label.tag == "label"
    (control,) = by_tag(label, "input")
    assert control.attrs["aria-invalid"] == "true"
    assert control.attrs["aria-describedby"] == "tw-email-error"
    assert isinstance(message, Element) and message.tag == "p"
    assert message.attrs["id"] == "tw-email-error" and text_of(message) == "Enter an email"
    assert message.style is not None and message.style.color == "var(--tw-color-danger)"


def test_error_id_prefers_the_field_id() -> None:
    box = TextArea(id="bio", error="Too long")
    (control,) = by_tag(box, "textarea")
    assert control.attrs["aria-describedby"] == "bio-error"
    assert by_tag(box, "p")[0].attrs["id"] == "bio-error"


def test_empty_error_keeps_the_box_without_a_message() -> None:
    box = TextField(name="email", error="")
    assert box.tag == "div" and len(box.children) == 1
    (control,) = by_tag(box, "input")
    assert "aria-invalid" not in control.attrs and "aria-describedby" not in control.attrs
    # the control keeps its position whether a message is shown or not (it stays mounted)
    with_message = TextField(name="email", error="bad")
    assert with_message.children[0].tag == box.children[0].tag == "input"  # type: ignore[union-attr]


def test_no_error_is_todays_field() -> None:
    assert TextField(name="x").tag == "input"
    assert TextField(name="x", label="X").tag == "label"


def test_error_needs_an_id_or_name() -> None:
    with pytest.raises(WidgetError, match=r"TextField\(error=...\): give the field id= or name="):
        TextField(error="bad")
    with pytest.raises(WidgetError, match=r"TextField\(error=...\): expected str, got int \(1\)"):
        TextField(name="x", error=1)  # type: ignore[arg-type]


def test_form_marks_named_controls_from_a_mapping() -> None:
    form = Form(
        TextField(name="email", label="Email"),
        html.div(TextField(name="age", id="age")),
        Button("Send", type="submit"),
        errors={"email": "Required", "age": "Must be a number"},
    )
    summary = form.children[0]
    assert isinstance(summary, Element) and summary.attrs == {"role": "alert"} and not summary.children
    label = form.children[1]
    message = form.children[2]
    assert isinstance(label, Element) and label.tag == "label"
    (email,) = by_tag(label, "input")
    assert email.attrs["aria-invalid"] == "true" and email.attrs["aria-describedby"] == "tw-email-error"
    assert isinstance(message, Element) and message.attrs["id"] == "tw-email-error"
    assert text_of(message) == "Required"
    wrapper = form.children[3]
    assert isinstance(wrapper, Element)
    age, age_message = wrapper.children
    assert isinstance(age, Element) and age.attrs["aria-describedby"] == "age-error"
    assert isinstance(age_message, Element) and text_of(age_message) == "Must be a number"


def test_form_errors_from_a_validation_error() -> None:
    with pytest.raises(ValidationError) as caught:
        Signup.model_validate({"email": 3, "age": "old"})
    form = Form(TextField(name="email"), TextField(name="age"), errors=caught.value)
    inputs = by_tag(form, "input")
    assert [i.attrs.get("aria-invalid") for i in inputs] == ["true", "true"]
    messages = [text_of(p) for p in by_tag(form, "p")]
    assert messages == [
        "Input should be a valid string",
        "Input should be a valid integer, unable to parse string as an integer",
    ]


def test_model_level_errors_go_to_the_alert_box() -> None:
    with pytest.raises(ValidationError) as caught:
        Signup.model_validate({"email": "a@b", "age": 3, "password": "x", "confirm": "y"})
    form = Form(TextField(name="password"), errors=caught.value)
    summary = form.children[0]
    assert isinstance(summary, Element) and summary.attrs["role"] == "alert"
    assert "passwords differ" in text_of(summary)
    assert "aria-invalid" not in by_tag(form, "input")[0].attrs


def test_field_with_its_own_error_is_not_marked_twice() -> None:
    form = Form(TextField(name="email", error="own message"), errors={"email": "form message"})
    assert [text_of(p) for p in by_tag(form, "p")] == ["own message"]
    summary = form.children[0]
    assert isinstance(summary, Element) and not summary.children


def test_radio_group_gets_one_message() -> None:
    form = Form(
        html.input(type="radio", name="size", value="s"),
        html.input(type="radio", name="size", value="l"),
        errors={"size": "Pick a size"},
    )
    assert [text_of(p) for p in by_tag(form, "p")] == ["Pick a size"]
    assert all(i.attrs["aria-describedby"] == "tw-size-error" for i in by_tag(form, "input"))


def test_form_without_errors_is_unchanged() -> None:
    field = TextField(name="a")
    form = Form(field)
    assert form.children == (field,)
    untouched = Form(field, errors={})
    assert untouched.children[1] is field


def test_form_errors_type_errors() -> None:
    with pytest.raises(WidgetError, match=r"Form\(errors=...\): expected a mapping of field name"):
        Form(errors=["x"])  # type: ignore[arg-type]
    with pytest.raises(WidgetError, match=r"Form\(errors=...\): expected str names and messages"):
        Form(errors={"a": 1})  # type: ignore[dict-item]


def test_style_goes_on_the_box() -> None:
    box = TextField(name="a", error="x", style=Style(width=200))
    assert box.style is not None and box.style.width == 200 and box.style.display == "flex"


def test_structure_is_the_same_with_and_without_messages() -> None:
    def shape(form: Element) -> list[str]:
        return [c.tag for c in form.children if isinstance(c, Element)]

    fields = (TextField(name="name", label="Name"), TextField(name="age"), Button("Go", type="submit"))
    valid = Form(*fields, errors={})
    invalid = Form(*fields, errors={"name": "Required", "age": "Too young"})
    assert shape(valid) == shape(invalid) == ["div", "label", "p", "input", "p", "button"]
    slot = valid.children[2]
    assert isinstance(slot, Element) and slot.attrs["id"] == "tw-name-error" and text_of(slot) == ""
    assert "aria-describedby" not in by_tag(valid, "input")[0].attrs
