"""Conformance cases: controlled inputs, focus, keys, checkboxes, selects, forms (app components)."""

from __future__ import annotations

from collections.abc import Callable

from conf_lists import button

from tempest_core import (
    ChangeEvent,
    FocusEvent,
    InputEvent,
    KeyEvent,
    Node,
    SubmitEvent,
    component,
    handler,
    html,
    use_state,
)

__all__ = ["CASES"]


@component
def controlled_input() -> Node:
    """A controlled text input mirrored into a paragraph while typing; a button clears it."""
    text, set_text = use_state("")

    def on_input(event: InputEvent) -> None:
        set_text(event.value)

    return html.div(
        html.input(id="field", type="text", value=text, on_input=on_input),
        button("clear", "clear", lambda: set_text("")),
        button("preset", "preset", lambda: set_text("preset value")),
        html.p(text, id="mirror"),
        html.p(str(len(text)), id="length"),
    )


@component
def controlled_textarea() -> Node:
    """A controlled textarea with multi-line text; the mirror shows the line count."""
    text, set_text = use_state("first line")

    def on_input(event: InputEvent) -> None:
        set_text(event.value)

    return html.div(
        html.textarea(id="area", value=text, on_input=on_input),
        html.p(f"{len(text.splitlines())} lines", id="lines"),
    )


@component
def focus_retention() -> Node:
    """Typing in an input while siblings before it appear and change; focus must stay in it."""
    text, set_text = use_state("")

    def on_input(event: InputEvent) -> None:
        set_text(event.value)

    return html.div(
        [html.span(c, key=f"{i}-{c}") for i, c in enumerate(text)],
        html.p("long" if len(text) > 3 else "short", class_="long" if len(text) > 3 else "short"),
        html.input(id="typing", value=text, on_input=on_input, placeholder="type here"),
        html.input(id="other", value="other"),
    )


@component
def focus_events() -> Node:
    """on_focus / on_blur handlers report the value they saw."""
    start: tuple[str, ...] = ()
    log, set_log = use_state(start)

    def on_focus(event: FocusEvent) -> None:
        set_log(lambda entries: (*entries, f"focus {event.value}"))

    def on_blur(event: FocusEvent) -> None:
        set_log(lambda entries: (*entries, f"blur {event.value}"))

    return html.div(
        html.input(id="a", value="alpha", on_focus=on_focus, on_blur=on_blur),
        html.input(id="b", value="beta", on_focus=on_focus, on_blur=on_blur),
        html.ul([html.li(e) for e in log], id="log"),
    )


@component
def key_events() -> Node:
    """Key presses: Enter commits, Escape clears, other keys are logged by name."""
    start: tuple[tuple[str, ...], str] = ((), "")
    state, set_state = use_state(start)
    items, last = state

    def on_keydown(event: KeyEvent) -> None:
        value = event.value or ""
        if event.key == "Enter" and value.strip():
            set_state(lambda s: ((*s[0], value.strip()), "Enter"))
        elif event.key == "Escape":
            set_state(lambda s: ((), "Escape"))
        else:
            set_state(lambda s: (s[0], event.key))

    return html.div(
        html.input(id="entry", on_keydown=on_keydown),
        html.p(last, id="last"),
        html.ul([html.li(i) for i in items], id="items"),
    )


@component
def checkbox_case() -> Node:
    """Controlled checkboxes: toggling one, toggling all from a button, indeterminate count."""
    start: tuple[bool, ...] = (False, True, False)
    checks, set_checks = use_state(start)

    def toggle(i: int) -> Callable[[ChangeEvent], None]:
        def on_change(event: ChangeEvent) -> None:
            set_checks(lambda cs: tuple(bool(event.checked) if j == i else c for j, c in enumerate(cs)))

        return on_change

    return html.div(
        [
            html.input(type="checkbox", id=f"c{i}", checked=c, on_change=toggle(i))
            for i, c in enumerate(checks)
        ],
        button("all", "all", lambda: set_checks(lambda cs: tuple(not all(cs) for _ in cs))),
        html.p(f"{sum(checks)} checked", id="summary"),
    )


@component
def select_case() -> Node:
    """A controlled select, changed by the user and by a button; options added."""
    start: tuple[str, tuple[str, ...]] = ("b", ("a", "b", "c"))
    state, set_state = use_state(start)
    value, options = state

    def on_change(event: ChangeEvent) -> None:
        set_state(lambda s: (event.value or "", s[1]))

    return html.div(
        html.select([html.option(o.upper(), value=o, key=o) for o in options], id="sel", value=value,
                    on_change=on_change),
        button("pick c", "pickc", lambda: set_state(lambda s: ("c", s[1]))),
        button("more", "more", lambda: set_state(lambda s: (s[0], (*s[1], f"x{len(s[1])}")))),
        html.p(value, id="chosen"),
    )  # fmt: skip


@component
def radio_case() -> Node:
    """A radio group driven by state."""
    choice, set_choice = use_state("m")

    def pick(v: str) -> Callable[[ChangeEvent], None]:
        return lambda event: set_choice(v)

    return html.div(
        [
            html.label(html.input(type="radio", name="size", id=f"r-{v}", value=v, checked=choice == v,
                                  on_change=pick(v)), v)
            for v in ("s", "m", "l")
        ],
        html.p(choice, id="choice"),
    )  # fmt: skip


@component
def form_submit() -> Node:
    """A form whose submit handler receives the named fields (preventDefault on submit)."""
    got, set_got = use_state("")

    def on_submit(event: SubmitEvent) -> None:
        set_got(", ".join(f"{k}={v}" for k, v in sorted(event.fields.items())))

    return html.form(
        html.input(name="user", id="user"),
        html.input(name="mail", id="mail", type="email"),
        html.button("send", type="submit", id="send"),
        html.p(got, id="got"),
        on_submit=handler(on_submit, prevent_default=True),
    )


@component
def range_input() -> Node:
    """A controlled range input changed by keys (arrow keys fire input events)."""
    value, set_value = use_state("5")

    def on_input(event: InputEvent) -> None:
        set_value(event.value)

    return html.div(
        html.input(type="range", id="range", min="0", max="10", value=value, on_input=on_input),
        html.output(value, id="out"),
    )


CASES: dict[str, Callable[..., Node]] = {
    "controlled_input": controlled_input,
    "controlled_textarea": controlled_textarea,
    "focus_retention": focus_retention,
    "focus_events": focus_events,
    "key_events": key_events,
    "checkbox": checkbox_case,
    "select": select_case,
    "radio": radio_case,
    "form_submit": form_submit,
    "range_input": range_input,
}
