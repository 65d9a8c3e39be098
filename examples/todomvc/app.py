"""TodoMVC in tempestweb, following ``shared/specs/todomvc.md`` (markup, behaviour, hash routing).

State is immutable (frozen dataclasses and tuples); every handler replaces it through ``app.set_state``.
Rows are a memoized keyed component, so a change to one todo re-renders only that row. The filter comes
from ``location.hash`` through ``use_location()``.

Run it with ``tempestweb run examples/todomvc``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from tempest_core import (
    App,
    ChangeEvent,
    FocusEvent,
    InputEvent,
    KeyEvent,
    Style,
    component,
    handler,
    html,
    use_location,
)

if TYPE_CHECKING:
    from tempest_core import Node

__all__ = ["Todo", "TodoState", "app", "view"]

Filter = Literal["all", "active", "completed"]
EDIT_KEYS = ("Enter", "F2")
"""Keys that put the todo whose checkbox has focus into edit mode (the only keys its listener
is sent: ``handler(..., keys=EDIT_KEYS)``)."""
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
        editing: Id of the todo being edited, or ``None``. Double-clicking a title, or Enter or
            F2 on a todo's checkbox, starts editing; Enter or Escape ends it and the client's
            focus continuity (``client/src/behaviors.js``) puts focus back on that checkbox.
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


# --- styles ----------------------------------------------------------------------------------------------
# Module-level constants, so that equal styles share one generated class rule. The suite requires the
# children of ``div.view`` (and the todo ``li``) to carry no class besides their spec classes, so the
# checkbox, the title label and the destroy button are laid out by their ``div.view`` grid and styled
# through inherited properties only (font, colour, word breaking).

_FONT = ("Helvetica Neue", "Helvetica", "Arial", "sans-serif")
_ACCENT = "#b83f45"
_TEXT = "#484848"
_MUTED = "#6e6e6e"  # completed titles and footer text: 4.7:1 on #fafafa (WCAG 1.4.3 AA)
_LINE = "#ededed"


def _chevron(colour: str) -> str:
    """A ``background`` value drawing the toggle-all chevron (a "V") in ``colour`` with two gradients.

    Each arm is a diagonal stripe: a ``to top right`` / ``to top left`` linear gradient puts its 50% line
    through the other two corners of its 10x9 px tile (CSS Images 3, "magic corners"), so the two tiles side
    by side draw a V whose point is at the centre of the 60x65 px label. Gradients instead of an SVG data URI
    because the Mode B shell's Content-Security-Policy does not allow ``data:`` images.
    """
    stripe = f"transparent 38%, {colour} 38%, {colour} 62%, transparent 62%"
    return (
        f"linear-gradient(to top right, {stripe}) 20px 28px / 10px 9px no-repeat, "
        f"linear-gradient(to top left, {stripe}) 30px 28px / 10px 9px no-repeat"
    )


PAGE = Style(
    position="fixed",
    inset=0,
    overflow_y="auto",
    background="#f5f5f5",
    color="#111111",
    font_family=_FONT,
    font_size=14,
    font_weight=300,
    line_height=1.4,
)
CARD = Style(
    position="relative",
    max_width=550,
    min_width=230,
    margin=(130, "auto", 40),
    background="#ffffff",
    box_shadow="0 2px 4px 0 rgba(0,0,0,0.2), 0 25px 50px 0 rgba(0,0,0,0.1)",
)
TITLE = Style(
    position="absolute",
    top=-140,
    width="100%",
    margin=0,
    font_size=80,
    font_weight=200,
    text_align="center",
    color=_ACCENT,
    user_select="none",
)
NEW_TODO = Style(
    position="relative",
    display="block",
    width="100%",
    margin=0,
    padding=(16, 16, 16, 60),
    box_sizing="border-box",
    border="none",
    background="rgba(0,0,0,0.003)",
    box_shadow="inset 0 -2px 1px rgba(0,0,0,0.03)",
    font_family=_FONT,
    font_size=24,
    font_weight=300,
    line_height=1.4,
    color=_TEXT,
    outline="none",
    focus=Style(box_shadow="0 0 2px 2px #cf7d7d"),
)
MAIN = Style(position="relative", z_index=2, border_top="1px solid #e6e6e6")
TOGGLE_ALL = Style(
    position="absolute", right="100%", bottom="100%", width=1, height=1, opacity=0, border="none"
)
_TOGGLE_ALL_LABEL = Style(
    position="absolute",
    top=-65,
    left=0,
    width=60,
    height=65,
    font_size=0,
    cursor="pointer",
    user_select="none",
)
TOGGLE_ALL_LABEL = _TOGGLE_ALL_LABEL | Style(
    background=_chevron("#d9d9d9"), hover=Style(background=_chevron(_MUTED))
)
TOGGLE_ALL_LABEL_ON = _TOGGLE_ALL_LABEL | Style(background=_chevron("#4d4d4d"))
TODO_LIST = Style(margin=0, padding=0, list_style="none")
_ROW = Style(
    display="grid",
    grid_template_columns="auto 1fr auto",
    align_items="center",
    column_gap=20,
    padding=(15, 15, 15, 20),
    border_bottom=f"1px solid {_LINE}",
    font_size=24,
    line_height=1.2,
    word_break="break-word",
    white_space="pre-line",
    transition="background-color 0.15s ease-out",
    hover=Style(background_color="#fafafa"),
)
ROW = _ROW | Style(color=_TEXT)
ROW_DONE = _ROW | Style(color=_MUTED, text_decoration="line-through")
EDIT = Style(
    display="block",
    width="calc(100% - 43px)",
    margin=(0, 0, 0, 43),
    padding=(12, 16),
    box_sizing="border-box",
    border="1px solid #999999",
    box_shadow="inset 0 -1px 5px 0 rgba(0,0,0,0.2)",
    font_family=_FONT,
    font_size=24,
    font_weight=300,
    line_height=1.4,
    color=_TEXT,
    outline="none",
)
FOOTER = Style(
    display="grid",
    grid_template_columns="1fr auto 1fr",
    align_items="center",
    padding=(10, 15),
    min_height=20,
    font_size=15,
    color="#111111",
    box_shadow=(
        "0 1px 1px rgba(0,0,0,0.2), 0 8px 0 -3px #f6f6f6, 0 9px 1px -3px rgba(0,0,0,0.2), "
        "0 16px 0 -6px #f6f6f6, 0 17px 2px -6px rgba(0,0,0,0.2)"
    ),
)
COUNT = Style(text_align="left")
COUNT_NUMBER = Style(font_weight=300)
FILTERS = Style(display="flex", gap=6, margin=0, padding=0, list_style="none")
_FILTER_LINK = Style(
    display="block",
    padding=(3, 7),
    border="1px solid transparent",
    border_radius=3,
    color="inherit",
    text_decoration="none",
)
FILTER_LINK = _FILTER_LINK | Style(hover=Style(border_color="rgba(184,63,69,0.1)"))
FILTER_LINK_SELECTED = _FILTER_LINK | Style(border_color="rgba(184,63,69,0.2)")
CLEAR = Style(
    margin=(0, 0, 0, "auto"),
    padding=0,
    border="none",
    background="none",
    font_family=_FONT,
    font_size=15,
    font_weight=300,
    line_height=1.4,
    color="inherit",
    cursor="pointer",
    hover=Style(text_decoration="underline"),
)
INFO = Style(margin=(65, "auto", 40), font_size=11, line_height=1, color="#4d4d4d", text_align="center")
INFO_LINE = Style(margin=(0, 0, 8, 0))

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
    """Enter (the only key the listener is sent) adds a todo with the trimmed text (nothing when blank)."""
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

    def on_toggle_keydown(event: KeyEvent) -> None:
        # The keyboard way into edit mode (WCAG 2.1.1), beside the spec's double-click: Enter
        # (a checkbox does nothing with it) or F2 (the usual "edit" key) on the todo's checkbox.
        if not (event.alt or event.ctrl or event.meta or event.shift):
            on_start_edit()

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
            # The visible label is the double-click target for editing, not a <label> of the
            # checkbox (spec), so the checkbox is named by aria-label (WCAG 4.1.2).
            html.input(
                class_="toggle",
                type="checkbox",
                checked=todo.done,
                on_change=on_toggle,
                on_keydown=handler(on_toggle_keydown, keys=EDIT_KEYS),
                aria_label=todo.title,
            ),
            html.label(todo.title, on_dblclick=on_start_edit),
            html.button("\u00d7", class_="destroy", type="button", aria_label="Delete", on_click=on_destroy),
            class_="view",
            hidden=editing,
            style=None if editing else ROW_DONE if todo.done else ROW,  # display:grid would beat `hidden`
        ),
        html.input(
            class_="edit",
            value=todo.title,
            aria_label="Edit todo",
            autofocus=True,
            on_input=on_edit_input,
            on_keydown=handler(on_edit_keydown, keys=("Enter", "Escape")),
            on_blur=on_edit_blur,
            style=EDIT,
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
        html.h1("todos", style=TITLE),
        html.input(
            class_="new-todo",
            placeholder="What needs to be done?",
            autofocus=True,
            value=state.draft,
            on_input=on_draft_input,
            on_keydown=handler(on_draft_keydown, keys=("Enter",)),
            style=NEW_TODO,
        ),
        class_="header",
    )
    if not todos:
        return _page(html.section(header, class_="todoapp", style=CARD))
    main = html.section(
        html.input(
            id="toggle-all",
            class_="toggle-all",
            type="checkbox",
            checked=active == 0,
            on_change=on_toggle_all,
            style=TOGGLE_ALL,
        ),
        html.label(
            "Mark all as complete",
            for_="toggle-all",
            style=TOGGLE_ALL_LABEL_ON if active == 0 else TOGGLE_ALL_LABEL,
        ),
        html.ul(
            [todo_item(todo=t, editing=state.editing == t.id, key=t.id) for t in shown],
            class_="todo-list",
            style=TODO_LIST,
        ),
        class_="main",
        style=MAIN,
        key="main",
    )
    footer = html.footer(
        html.span(
            html.strong(str(active), style=COUNT_NUMBER),
            " item left" if active == 1 else " items left",
            class_="todo-count",
            style=COUNT,
        ),
        html.ul(
            [
                html.li(
                    html.a(
                        text,
                        href=href,
                        classes={"selected": current == name},
                        style=FILTER_LINK_SELECTED if current == name else FILTER_LINK,
                    )
                )
                for name, href, text in FILTER_LINKS
            ],
            class_="filters",
            style=FILTERS,
        ),
        html.button(
            "Clear completed",
            class_="clear-completed",
            type="button",
            on_click=on_clear_completed,
            style=CLEAR,
        )
        if active < len(todos)
        else None,
        class_="footer",
        key="footer",
        style=FOOTER,
    )
    return _page(html.section(header, main, footer, class_="todoapp", style=CARD))


def _page(todoapp: Node) -> Node:
    """Wrap ``section.todoapp`` in the full-viewport page with the info footer below the card."""
    return html.div(
        todoapp,
        html.footer(
            html.p("Double-click to edit a todo (or press Enter on its checkbox)", style=INFO_LINE),
            html.p("Styled with tempestweb Style: no stylesheet", style=INFO_LINE),
            class_="info",
            style=INFO,
        ),
        style=PAGE,
    )


# theme=None: the page reproduces the TodoMVC look (shared/specs) with its own Styles, so the
# default theme's tokens, base rules and widget classes would only be overridden bytes.
app = App(view=view, state=TodoState, title="tempestweb • TodoMVC", theme=None)
