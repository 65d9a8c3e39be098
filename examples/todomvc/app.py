"""TodoMVC in tempestweb, following ``shared/specs/todomvc.md`` (markup, behaviour, hash routing).

State is immutable (frozen dataclasses and tuples); every handler replaces it through ``app.set_state``.
Rows are a memoized keyed component, so a change to one todo re-renders only that row. The filter comes
from ``location.hash`` through ``use_location()``.

Run it with ``tempestweb run examples/todomvc``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from tempest_core import App, ChangeEvent, FocusEvent, InputEvent, KeyEvent, component, html, use_location

if TYPE_CHECKING:
    from tempest_core import Node

__all__ = ["Todo", "TodoState", "app", "view"]

Filter = Literal["all", "active", "completed"]
FILTER_LINKS: tuple[tuple[Filter, str, str], ...] = (
    ("all", "#/", "All"),
    ("active", "#/active", "Active"),
    ("completed", "#/completed", "Completed"),
)


@dataclass(frozen=True, slots=True)
class Todo:
    """One todo: a stable id, its title and whether it is done."""

    id: int
    title: str
    done: bool = False


@dataclass(frozen=True, slots=True)
class TodoState:
    """The app state.

    Attributes:
        todos: Todos in creation order.
        next_id: Id of the next todo.
        draft: Text of the new-todo input.
        editing: Id of the todo being edited, or ``None``.
        edit_text: Text of the edit input while editing.
    """

    todos: tuple[Todo, ...] = ()
    next_id: int = 1
    draft: str = ""
    editing: int | None = None
    edit_text: str = ""


def filter_of(hash_: str) -> Filter:
    """Map ``location.hash`` to a filter: ``#/active``, ``#/completed``, anything else shows all."""
    if hash_ == "#/active":
        return "active"
    if hash_ == "#/completed":
        return "completed"
    return "all"


# --- state transitions (pure) ------------------------------------------------------------------------


def _add(s: TodoState, text: str) -> TodoState:
    title = text.strip()
    if not title:
        return s
    return replace(s, todos=(*s.todos, Todo(s.next_id, title)), next_id=s.next_id + 1, draft="")


def _update(s: TodoState, todo_id: int, **changes: object) -> TodoState:
    return replace(s, todos=tuple(replace(t, **changes) if t.id == todo_id else t for t in s.todos))  # type: ignore[arg-type]


def _remove(s: TodoState, todo_id: int) -> TodoState:
    return replace(s, todos=tuple(t for t in s.todos if t.id != todo_id))


def _commit(s: TodoState, todo_id: int, text: str) -> TodoState:
    if s.editing != todo_id:
        return s  # already saved or discarded (Enter/Escape, then the input's blur)
    title = text.strip()
    done = replace(s, editing=None, edit_text="")
    return _remove(done, todo_id) if not title else _update(done, todo_id, title=title)


def _toggle_all(s: TodoState) -> TodoState:
    target = any(not t.done for t in s.todos)
    return replace(s, todos=tuple(t if t.done == target else replace(t, done=target) for t in s.todos))


# --- handlers ------------------------------------------------------------------------------------------


def on_draft_input(event: InputEvent) -> None:
    """Keep the new-todo text in state."""
    app.set_state(lambda s: replace(s, draft=event.value))


def on_draft_keydown(event: KeyEvent) -> None:
    """Enter adds a todo with the trimmed text (nothing when it is blank)."""
    if event.key == "Enter":
        app.set_state(lambda s: _add(s, event.value if event.value is not None else s.draft))


def on_toggle_all() -> None:
    """Mark every todo done if one is active, else mark every todo active."""
    app.set_state(_toggle_all)


def on_clear_completed() -> None:
    """Delete every done todo."""
    app.set_state(lambda s: replace(s, todos=tuple(t for t in s.todos if not t.done)))


def on_edit_input(event: InputEvent) -> None:
    """Keep the edit text in state."""
    app.set_state(lambda s: replace(s, edit_text=event.value))


# --- view ----------------------------------------------------------------------------------------------


@component
def todo_item(*, todo: Todo, editing: bool) -> Node:
    """One ``li`` of the list; re-rendered only when its todo or its editing flag changes."""
    todo_id = todo.id

    def on_toggle(event: ChangeEvent) -> None:
        checked = event.checked
        app.set_state(lambda s: _update(s, todo_id, done=checked if checked is not None else not todo.done))

    def on_destroy() -> None:
        app.set_state(lambda s: _remove(s, todo_id))

    def on_start_edit() -> None:
        app.set_state(lambda s: replace(s, editing=todo_id, edit_text=todo.title))

    def on_edit_keydown(event: KeyEvent) -> None:
        if event.key == "Enter":
            app.set_state(
                lambda s: _commit(s, todo_id, event.value if event.value is not None else s.edit_text)
            )
        elif event.key == "Escape":
            app.set_state(lambda s: replace(s, editing=None, edit_text="") if s.editing == todo_id else s)

    def on_edit_blur(event: FocusEvent) -> None:
        app.set_state(lambda s: _commit(s, todo_id, event.value if event.value is not None else s.edit_text))

    return html.li(
        html.div(
            html.input(class_="toggle", type="checkbox", checked=todo.done, on_change=on_toggle),
            html.label(todo.title, on_dblclick=on_start_edit),
            html.button(class_="destroy", type="button", on_click=on_destroy),
            class_="view",
            hidden=editing,
        ),
        html.input(
            class_="edit",
            value=todo.title,
            autofocus=True,
            on_input=on_edit_input,
            on_keydown=on_edit_keydown,
            on_blur=on_edit_blur,
        )
        if editing
        else None,
        classes={"completed": todo.done, "editing": editing},
        key=todo_id,
    )


def view(state: TodoState) -> Node:
    """Render the whole app for ``state`` and the current location hash."""
    current = filter_of(use_location().hash)
    todos = state.todos
    active = sum(1 for t in todos if not t.done)
    shown = [t for t in todos if current == "all" or (current == "active") != t.done]
    header = html.header(
        html.h1("todos"),
        html.input(
            class_="new-todo",
            placeholder="What needs to be done?",
            autofocus=True,
            value=state.draft,
            on_input=on_draft_input,
            on_keydown=on_draft_keydown,
        ),
        class_="header",
    )
    if not todos:
        return html.section(header, class_="todoapp")
    main = html.section(
        html.input(
            id="toggle-all",
            class_="toggle-all",
            type="checkbox",
            checked=active == 0,
            on_change=on_toggle_all,
        ),
        html.label("Mark all as complete", for_="toggle-all"),
        html.ul(
            [todo_item(todo=t, editing=state.editing == t.id, key=t.id) for t in shown],
            class_="todo-list",
        ),
        class_="main",
        key="main",
    )
    footer = html.footer(
        html.span(
            html.strong(str(active)), " item left" if active == 1 else " items left", class_="todo-count"
        ),
        html.ul(
            [
                html.li(html.a(text, href=href, classes={"selected": current == name}))
                for name, href, text in FILTER_LINKS
            ],
            class_="filters",
        ),
        html.button("Clear completed", class_="clear-completed", type="button", on_click=on_clear_completed)
        if active < len(todos)
        else None,
        class_="footer",
        key="footer",
    )
    return html.section(header, main, footer, class_="todoapp")


app = App(view=view, state=TodoState, title="tempestweb • TodoMVC")
