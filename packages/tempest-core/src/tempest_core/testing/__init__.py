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
import json
from collections.abc import AsyncIterator
from typing import Any, cast

from tempest_core._html_build import KEY_EVENTS
from tempest_core.app import App
from tempest_core.errors import SessionError
from tempest_core.host import Connection, HostSession, SessionTable
from tempest_core.session import Session
from tempest_core.testing._dom import DomElement, DomModel, DomModelError, DomNode, DomText
from tempest_core.testing._select import SelectorError, select
from tempestweb_contract import (
    EVENT_STOP_PROPAGATION,
    PROTOCOL_VERSION,
    Error,
    Event,
    EventValue,
    Hello,
    Init,
    NativeCall,
    NativeError,
    NativeResult,
    Navigate,
    Patch,
    decode,
    encode,
)
from tempestweb_contract.names import ATTR_KEYS

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


class _PilotPort:
    """The pilot's :class:`~tempest_core.host.FramePort`: decodes every frame as a client would."""

    def __init__(self, pilot: Pilot) -> None:
        self._pilot = pilot

    def send(self, frame: bytes, /) -> None:
        self._pilot._receive(decode(frame, sender="server"))

    def close(self, code: int, reason: str, /) -> None:
        self._pilot.closed = (code, reason)


class Pilot:
    """Drives one headless session: fires DOM-like events and inspects the resulting DOM.

    The pilot is a client of the session host (:mod:`tempest_core.host`): events, navigations
    and native results go through the real codec and the same protocol every host speaks.

    Attributes:
        host_session: The hosted session.
        dom: The :class:`DomModel` every patch is applied to.
        errors: Every ``error`` frame the session sent, as ``SessionError`` (the pilot's host
            shows error details: a failure of app code has its ``error_id`` and ``detail``).
        history: Locations the app pushed (``navigate``), oldest first.
        native_calls: ``native_call`` frames the session sent that no test answered yet;
            answer them with :meth:`answer_native`.
        closed: ``(code, reason)`` once the host closed the connection, else ``None``.

    """

    def __init__(self, app: App[Any], *, path: str, raise_errors: bool) -> None:
        self.dom = DomModel()
        self.errors: list[SessionError] = []
        self.history: list[str] = [path]
        self.native_calls: list[NativeCall] = []
        self.closed: tuple[int, str] | None = None
        self._index = 0
        self._eid = 0
        self._raise = raise_errors
        self._table = SessionTable(app, debug=True)  # a test sees error details, as in dev
        self._connection = Connection(self._table, _PilotPort(self), transport="pilot")
        self._connection.receive(encode(Hello(v=PROTOCOL_VERSION, path=path)))
        if self._connection.session is None:
            raise self.errors[-1] if self.errors else SessionError("internal", "the session did not open")
        self.host_session: HostSession = self._connection.session

    @property
    def session(self) -> Session:
        """The running core :class:`~tempest_core.Session`."""
        return cast(Session, self.host_session.core)

    def _receive(self, message: object) -> None:
        if isinstance(message, Init):
            if message.reset:
                self.dom.reset()
            self.dom.apply_all(message.ops)
        elif isinstance(message, Patch):
            self.dom.apply_all(message.ops)
        elif isinstance(message, Error):
            error = SessionError(message.code, message.message, error_id=message.id, detail=message.detail)
            self.errors.append(error)
        elif isinstance(message, Navigate):
            self._on_navigate(message.path, message.replace)
        elif isinstance(message, NativeCall):
            self.native_calls.append(message)

    def _on_navigate(self, path: str, replace: bool) -> None:
        if replace:
            self.history[self._index] = path
        else:
            del self.history[self._index + 1 :]
            self.history.append(path)
            self._index += 1

    async def _send(self, message: Event | Navigate | NativeResult) -> None:
        before = len(self.errors)
        self._connection.receive(encode(message))
        await self.host_session.settle()
        if self._raise and len(self.errors) > before and isinstance(message, Event):
            raise self.errors[before]

    async def answer_native(
        self, call: NativeCall, value: object = None, *, error: tuple[str, str] | None = None
    ) -> None:
        """Answer a ``native_call`` as the browser would.

        Args:
            call: One of :attr:`native_calls`.
            value: The JSON result when the call succeeded.
            error: ``(code, message)`` to answer with a failure instead, e.g.
                ``("permission_denied", "denied by the user")``.

        """
        if call in self.native_calls:
            self.native_calls.remove(call)
        if error is None:
            result = NativeResult(id=call.id, ok=True, value=value)
        else:
            result = NativeResult(id=call.id, ok=False, error=NativeError(code=error[0], message=error[1]))  # type: ignore[arg-type]
        await self._send(result)

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

        Bubbling stops after a listener with the stop-propagation flag, as in the browser; a
        key event passes a listener whose key filter (``handler(fn, keys=...)``) leaves its
        ``key`` out, as the client does.

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
        key = (data or {}).get("key")
        while el is not None and el.tag != "#root":
            flags = el.events.get(name)
            if flags is not None and _key_passes(el, name, key):
                self._eid += 1
                await self._send(Event(eid=self._eid, node=el.id, name=name, data=dict(data or {})))
                delivered += 1
                if flags & EVENT_STOP_PROPAGATION:
                    break
            el = el.parent
        if not delivered:
            what = f"{name!r}" if key is None else f"{name!r} for the key {key!r}"
            raise LookupError(f"no element on the path of {target!r} listens to {what}")
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
        await self._send(Navigate(path=path))

    async def back(self) -> None:
        """Simulate the browser's back button (``popstate``).

        Raises:
            LookupError: There is no earlier entry.

        """
        if self._index == 0:
            raise LookupError("no earlier history entry")
        self._index -= 1
        await self._send(Navigate(path=self.history[self._index]))

    async def forward(self) -> None:
        """Simulate the browser's forward button.

        Raises:
            LookupError: There is no later entry.

        """
        if self._index + 1 >= len(self.history):
            raise LookupError("no later history entry")
        self._index += 1
        await self._send(Navigate(path=self.history[self._index]))

    async def wait(self) -> None:
        """Let queued events, pending renders and scheduled effects run."""
        await self.host_session.settle()


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
    await pilot.wait()
    try:
        yield pilot
    finally:
        await pilot._table.close_all()


def _key_passes(el: DomElement, name: str, key: object) -> bool:
    """Whether key event ``name`` with ``key`` reaches ``el``'s listener (the client's ``keyPasses``)."""
    text = el.attrs.get(ATTR_KEYS)
    if text is None or name not in KEY_EVENTS:
        return True
    try:
        keys = json.loads(text).get(name)
    except (ValueError, AttributeError):
        return True  # a filter that does not parse filters nothing
    return not isinstance(keys, list) or key in keys
