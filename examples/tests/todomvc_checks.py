"""The TodoMVC behaviour checks, one function per area of ``/work/shared/specs/todomvc.md`` section 2.

Each ``check_*`` takes a page already opened with :func:`todomvc_driver.open_app` (empty list, probe done)
and raises :class:`AssertionError` on the first departure from the spec. After every action the driver
compares the whole visible state (items, classes, checkboxes, counter, ``#toggle-all``, visibility, selected
filter link) with the suite's model, so every kind of change is followed by a ``#toggle-all`` check.
Persistence across reload is not covered here.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page
from todomvc_driver import (
    BLUR_POINT,
    HREF,
    Model,
    add,
    clear_completed,
    destroy,
    expect_model,
    filter_of,
    history,
    navigate_hash,
    probe,
    start_edit,
    toggle,
    toggle_all,
    type_in_edit,
    wait_for,
)

__all__ = ["ALL_CHECKS", "Check"]

Check = Callable[[Page], None]


def _seed(page: Page, *titles: str) -> Model:
    model = Model()
    for title in titles:
        add(page, model, title)
    return model


def check_add(page: Page) -> None:
    """Enter adds a trimmed, active todo at the end; empty or blank input adds nothing; input is cleared."""
    model = Model()
    add(page, model, "buy milk")
    add(page, model, "   walk the dog  ")
    assert model.todos[-1].title == "walk the dog"
    add(page, model, "    ", expect=None)
    add(page, model, "", expect=None)
    add(page, model, "inner  spaces kept")
    toggle(page, model, 0)
    toggle(page, model, 1)
    toggle(page, model, 2)  # all done: #toggle-all checked
    add(page, model, "new one is active")  # adding an active todo unchecks #toggle-all


def check_toggle(page: Page) -> None:
    """Clicking input.toggle flips one todo; li.completed, the checkbox and #toggle-all follow."""
    model = _seed(page, "a", "b", "c")
    toggle(page, model, 1)
    toggle(page, model, 1)
    for i in range(3):
        toggle(page, model, i)  # the last one makes #toggle-all checked
    toggle(page, model, 0)  # and this unchecks it


def check_toggle_all(page: Page) -> None:
    """Toggle-all: all done if any is active, else all active; #toggle-all checked state after deletes."""
    model = _seed(page, "a", "b", "c")
    toggle(page, model, 1)
    toggle_all(page, model)  # some active -> all done
    toggle_all(page, model)  # all done -> all active
    toggle_all(page, model)
    toggle(page, model, 2)  # one active again
    destroy(page, model, 2)  # deleting the only active one: all remaining done -> checked
    clear_completed(page, model)  # empty list -> unchecked
    add(page, model, "d")
    toggle_all(page, model)


def check_edit_enter(page: Page) -> None:
    """Double-click enters edit mode (class, visible input with the title, focus); Enter saves trimmed."""
    model = _seed(page, "first", "second", "third")
    toggle(page, model, 1)
    start_edit(page, model, 1)
    type_in_edit(page, "  second, renamed  ")
    page.keyboard.press("Enter")
    model.todos[1].title = "second, renamed"
    expect_model(page, model, "after Enter in the edit input")  # done state and position kept
    start_edit(page, model, 0)
    page.keyboard.press("Enter")  # unchanged text saves as is
    expect_model(page, model, "after Enter without changes")


def check_edit_blur(page: Page) -> None:
    """Losing focus (click on empty page space) saves the trimmed text and leaves edit mode."""
    model = _seed(page, "first", "second")
    toggle(page, model, 0)
    start_edit(page, model, 0)
    type_in_edit(page, " blurred title ")
    page.mouse.click(*BLUR_POINT)
    model.todos[0].title = "blurred title"
    expect_model(page, model, "after blurring the edit input")


def check_edit_escape(page: Page) -> None:
    """Escape leaves edit mode, keeps the old title, and the typed text stays discarded after a later blur."""
    model = _seed(page, "keep me", "other")
    start_edit(page, model, 0)
    type_in_edit(page, "discarded text")
    page.keyboard.press("Escape")
    expect_model(page, model, "after Escape")
    page.mouse.click(*BLUR_POINT)
    probe(page, model)  # barrier: events are handled in order, so a late save would show by now
    expect_model(page, model, "after Escape and a later blur")
    start_edit(page, model, 1)  # editing still works afterwards
    type_in_edit(page, "other edited")
    page.keyboard.press("Enter")
    model.todos[1].title = "other edited"
    expect_model(page, model, "after editing once more")


def check_edit_empty_deletes(page: Page) -> None:
    """Saving an empty (blank) title deletes the todo, by Enter and by blur; #toggle-all follows."""
    model = _seed(page, "a", "b", "c")
    toggle(page, model, 0)
    toggle(page, model, 2)
    start_edit(page, model, 1)
    type_in_edit(page, "   ")
    page.keyboard.press("Enter")
    del model.todos[1]
    expect_model(page, model, "after saving a blank title with Enter")  # remaining all done: checked
    start_edit(page, model, 0)
    type_in_edit(page, "")
    page.mouse.click(*BLUR_POINT)
    del model.todos[0]
    expect_model(page, model, "after saving an empty title by blur")


def check_delete(page: Page) -> None:
    """Hover + click on button.destroy deletes that todo; the others keep their order."""
    model = _seed(page, "a", "b", "c", "d")
    destroy(page, model, 1)
    destroy(page, model, 2)
    toggle(page, model, 0)
    destroy(page, model, 1)  # the only active todo: the remaining one is done -> #toggle-all checked
    destroy(page, model, 0)  # empty: main and footer hidden


def check_clear_completed(page: Page) -> None:
    """button.clear-completed is visible only with done todos and deletes exactly those."""
    model = _seed(page, "a", "b", "c")
    toggle(page, model, 0)
    toggle(page, model, 2)
    clear_completed(page, model)
    assert [t.title for t in model.todos] == ["b"]
    toggle(page, model, 0)
    clear_completed(page, model)  # list empty


def check_counter(page: Page) -> None:
    """span.todo-count shows the active count of all todos: "1 item left", "N items left", "0 items left"."""
    model = Model()
    expect_model(page, model, "empty list")
    add(page, model, "one")  # 1 item left
    add(page, model, "two")  # 2 items left
    toggle_all(page, model)  # 0 items left
    toggle(page, model, 0)  # 1 item left
    page.locator('.filters a[href="#/completed"]').click()
    model.filter = "completed"
    expect_model(page, model, "counter under the completed filter counts every active todo")


def check_visibility(page: Page) -> None:
    """section.main and footer.footer are hidden exactly while the list is empty, whatever the filter."""
    model = Model()
    expect_model(page, model, "initial empty list")
    add(page, model, "only")
    page.locator('.filters a[href="#/completed"]').click()
    model.filter = "completed"
    expect_model(page, model, "non-empty list with nothing matching the filter")
    page.locator('.filters a[href="#/active"]').click()
    model.filter = "active"
    expect_model(page, model, "active filter")
    destroy(page, model, 0)
    expect_model(page, model, "empty list under the active filter")


def check_routing_links(page: Page) -> None:
    """Filter link clicks filter the list; a todo leaving the filter disappears at once; one link selected."""
    model = _seed(page, "a", "b", "c")
    toggle(page, model, 1)
    for f in ("active", "completed", "all", "active"):
        page.locator(f'.filters a[href="{HREF[f]}"]').click()
        model.filter = f
        expect_model(page, model, f"after clicking the {f} filter link")
    toggle(page, model, 0)  # "a" completed while #/active is shown: disappears
    page.locator('.filters a[href="#/completed"]').click()
    model.filter = "completed"
    expect_model(page, model, "completed filter")
    toggle(page, model, 0)  # "a" active again: leaves the completed view
    add(page, model, "d")  # added while #/completed: not shown, counted
    clear_completed(page, model)


def check_routing_history(page: Page) -> None:
    """Back and forward through filter links update the list and the selected link."""
    model = _seed(page, "a", "b")
    toggle(page, model, 0)
    steps: list[str] = []
    for f in ("active", "completed"):
        page.locator(f'.filters a[href="{HREF[f]}"]').click()
        steps.append(f)
        model.filter = f
        expect_model(page, model, f"after clicking {f}")
    history(page, "back")
    model.filter = "active"
    expect_model(page, model, "after history back")
    history(page, "back")
    model.filter = "all"
    expect_model(page, model, "after a second history back")
    history(page, "forward")
    model.filter = "active"
    expect_model(page, model, "after history forward")


def check_routing_hash(page: Page) -> None:
    """Same-document navigations (location.hash = ...) filter the list; unknown hashes show all."""
    model = _seed(page, "a", "b", "c")
    toggle(page, model, 2)
    for h in ("#/completed", "#/active", "#/", "#/completed"):
        navigate_hash(page, h)
        model.filter = filter_of(h)
        expect_model(page, model, f"after location.hash = {h!r}")
    for h in ("#/nonsense", ""):
        navigate_hash(page, h)
        model.filter = "all"
        exp = model.expected()
        del exp["selected"]  # no route-specific link for an unknown or empty hash is required beyond "All"
        wait_for(page, exp, f"after location.hash = {h!r}")


ALL_CHECKS: dict[str, Check] = {
    name.removeprefix("check_"): fn
    for name, fn in sorted(globals().items())
    if name.startswith("check_") and callable(fn)
}
