"""Headless testing: run an app in a session against a reference DOM, click and type with a pilot.

Like Textual's ``App.run_test()``: no browser, no server, the same Session and ops as every
host. Works under CPython and Pyodide.

Example:
    >>> import asyncio
    >>> from tempest_core import App
    >>> from tempest_core.nodes import Element, EventBinding, Text
    >>> app = App(view=lambda n: Element("button", children=(Text(str(n)),),
    ...           events={"click": EventBinding(lambda: app.set_state(lambda s: s + 1))}), state=0)
    >>> async def main() -> str:
    ...     async with run_test(app) as pilot:
    ...         await pilot.click("button")
    ...         return pilot.text("button")
    >>> asyncio.run(main())
    '1'

"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from tempest_core.app import App
from tempest_core.errors import SessionError
from tempest_core.session import Session
from tempest_core.testing._dom import DomElement, DomModel, DomModelError, DomNode, DomText
from tempest_core.testing._select import SelectorError, select
from tempestweb_contract import EVENT_STOP_PROPAGATION, Event, EventValue, Op

__all__ = [
    "DomElement",
    "DomModel",
    "DomModelError",
    "DomNode",
    "DomText",
    "Pilot",
    "SelectorError",
    "run_test",
    "select",
]


class Pilot:
    """Drives one headless session: fires DOM-like events and inspects the resulting DOM.

    Attributes:
        session: The running :class:`Session`.
        dom: The :class:`DomModel` every patch is applied to.
        errors: Every ``SessionError`` reported through ``on_error``.
        history: Locations the app pushed (``navigate``), oldest first.

    """

    def __init__(self, app: App[Any], *, path: str, raise_errors: bool) -> None:
        self.dom = DomModel()
        self.errors: list[SessionError] = []
        self.history: list[str] = [path]
        self._index = 0
        self._eid = 0
        self._raise = raise_errors
        self.session = Session(
            app,
            path=path,
            on_patch=self._on_patch,
            on_navigate=self._on_navigate,
            on_error=self.errors.append,
        )

    def _on_patch(self, ops: tuple[Op, ...], ack: int) -> None:
        self.dom.apply_all(ops)

    def _on_navigate(self, path: str, replace: bool) -> None:
        if replace:
            self.history[self._index] = path
        else:
            del self.history[self._index + 1 :]
            self.history.append(path)
            self._index += 1

    # -- inspection ----------------------------------------------------------------------------
    def query(self, selector: str) -> list[DomElement]:
        """Return every element matching ``selector`` (see :func:`select`), in document order.

        Raises:
            SelectorError: Malformed or unsupported selector.

        """
        return select(self.dom.root, selector)

    def one(self, selector: str) -> DomElement:
        """Return the first element matching ``selector``.

        Raises:
            LookupError: Nothing matches.
            SelectorError: Malformed or unsupported selector.

        """
        found = self.query(selector)
        if not found:
            raise LookupError(f"no element matches {selector!r}")
        return found[0]

    def text(self, selector: str) -> str:
        """Return the ``textContent`` of the first element matching ``selector``.

        Raises:
            LookupError: Nothing matches.

        """
        return self.one(selector).text_content

    def html(self) -> str:
        """Return the canonical serialization of the DOM (see :meth:`DomModel.serialize`)."""
        return self.dom.serialize()

    # -- events --------------------------------------------------------------------------------
    async def fire(
        self, target: DomElement | str, name: str, data: dict[str, EventValue] | None = None
    ) -> int:
        """Dispatch DOM event ``name`` from ``target`` up through every listening ancestor.

        Bubbling stops after a listener with the stop-propagation flag, as in the browser.

        Args:
            target: An element or a selector (first match).
            name: DOM event type.
            data: Payload (docs/design.md table); ``{}`` when omitted.

        Returns:
            How many listeners received it.

        Raises:
            LookupError: Nothing matches the selector, or no element on the path listens.
            SessionError: The session rejected the event, or (``raise_errors``) a handler raised.

        """
        el: DomElement | None = self.one(target) if isinstance(target, str) else target
        delivered = 0
        while el is not None and el.tag != "#root":
            flags = el.events.get(name)
            if flags is not None:
                self._eid += 1
                before = len(self.errors)
                await self.session.dispatch(
                    Event(eid=self._eid, node=el.id, name=name, data=dict(data or {}))
                )
                await self.session.flush()
                delivered += 1
                if self._raise and len(self.errors) > before:
                    raise self.errors[before]
                if flags & EVENT_STOP_PROPAGATION:
                    break
            el = el.parent
        if not delivered:
            raise LookupError(f"no element on the path of {target!r} listens to {name!r}")
        return delivered

    @staticmethod
    def _mods() -> dict[str, EventValue]:
        return {"alt": False, "ctrl": False, "shift": False, "meta": False}

    def _is_toggle(self, el: DomElement) -> bool:
        return el.tag == "input" and el.attrs.get("type") in ("checkbox", "radio")

    async def click(self, selector: str) -> None:
        """Click the first match; checkboxes/radios toggle and fire click, input and change.

        Raises:
            LookupError: Nothing matches, or nothing on the path listens to any fired event.

        """
        el = self.one(selector)
        if not self._is_toggle(el):
            await self.fire(el, "click", {"button": 0, **self._mods()})
            return
        checked = True if el.attrs.get("type") == "radio" else not el.props.get("checked", False)
        el.props["checked"] = checked
        payload: dict[str, EventValue] = {"value": str(el.props.get("value", "on")), "checked": checked}
        delivered = await self._fire_opt(el, "click", {"button": 0, **self._mods()})
        delivered += await self._fire_opt(el, "input", payload)
        delivered += await self._fire_opt(el, "change", payload)
        if not delivered:
            raise LookupError(f"nothing on the path of {selector!r} listens to click, input or change")

    async def dblclick(self, selector: str) -> None:
        """Fire ``dblclick`` on the first match."""
        await self.fire(selector, "dblclick", {"button": 0, **self._mods()})

    async def input(self, selector: str, text: str) -> None:
        """Set the control's value to ``text`` and fire ``input`` (as typing does)."""
        el = self.one(selector)
        el.props["value"] = text
        await self.fire(el, "input", {"value": text})

    async def change(self, selector: str, value: str | None = None, *, checked: bool | None = None) -> None:
        """Set value/checked and fire ``change`` (select boxes, committed text, toggles)."""
        el = self.one(selector)
        if value is not None:
            el.props["value"] = value
        if checked is not None:
            el.props["checked"] = checked
        payload: dict[str, EventValue] = {"value": str(el.props.get("value", ""))}
        if checked is not None or self._is_toggle(el):
            payload["checked"] = bool(el.props.get("checked", False))
        await self.fire(el, "change", payload)

    async def press(self, selector: str, key: str, *, code: str | None = None) -> None:
        """Fire ``keydown`` for ``key`` (``"Enter"``, ``"Escape"``, ``"a"``) on the first match."""
        el = self.one(selector)
        value = el.props.get("value")
        data: dict[str, EventValue] = {"key": key, "code": code or key, "repeat": False, **self._mods()}
        if value is not None:
            data["value"] = str(value)
        await self.fire(el, "keydown", data)

    async def submit(self, selector: str) -> None:
        """Fire ``submit`` on the form matching ``selector`` with its fields as ``form.<name>``."""
        form = self.one(selector)
        data: dict[str, EventValue] = {}
        for el in form.iter_descendants():
            name = el.attrs.get("name")
            if name is None or el.tag not in ("input", "textarea", "select"):
                continue
            if self._is_toggle(el) and not el.props.get("checked"):
                continue
            default = "on" if self._is_toggle(el) else ""  # HTML: a checkbox's default value is "on"
            data[f"form.{name}"] = str(el.props.get("value", el.attrs.get("value", default)))
        await self.fire(form, "submit", data)

    async def focus(self, selector: str) -> None:
        """Fire ``focus`` on the first match (if something listens)."""
        await self._fire_opt(self.one(selector), "focus", {"value": self.one(selector).props.get("value")})

    async def _fire_opt(self, el: DomElement, name: str, data: dict[str, EventValue]) -> int:
        try:
            return await self.fire(el, name, data)
        except LookupError:
            return 0

    # -- location ------------------------------------------------------------------------------
    async def navigate(self, path: str) -> None:
        """Simulate the user going to ``path`` (address bar / link outside the app's control)."""
        del self.history[self._index + 1 :]
        self.history.append(path)
        self._index += 1
        self.session.navigate(path)
        await self.session.flush()

    async def back(self) -> None:
        """Simulate the browser's back button (``popstate``).

        Raises:
            LookupError: There is no earlier entry.

        """
        if self._index == 0:
            raise LookupError("no earlier history entry")
        self._index -= 1
        self.session.navigate(self.history[self._index])
        await self.session.flush()

    async def forward(self) -> None:
        """Simulate the browser's forward button.

        Raises:
            LookupError: There is no later entry.

        """
        if self._index + 1 >= len(self.history):
            raise LookupError("no later history entry")
        self._index += 1
        self.session.navigate(self.history[self._index])
        await self.session.flush()

    async def wait(self) -> None:
        """Let pending renders and scheduled effects run (``Session.flush``)."""
        await self.session.flush()


@contextlib.asynccontextmanager
async def run_test(app: App[Any], *, path: str = "/", raise_errors: bool = True) -> AsyncIterator[Pilot]:
    """Run ``app`` headless and yield a :class:`Pilot`; the session is closed on exit.

    Args:
        app: The application.
        path: Initial location.
        raise_errors: Re-raise a handler's ``SessionError("handler_error")`` from the pilot
            call that triggered it (else collect them in ``pilot.errors``).

    Yields:
        The pilot, with the first view mounted and its effects started.

    Raises:
        SessionError: The first render failed.

    """
    pilot = Pilot(app, path=path, raise_errors=raise_errors)
    pilot.dom.apply_all(pilot.session.mount())
    await pilot.session.flush()
    try:
        yield pilot
    finally:
        await pilot.session.close()
