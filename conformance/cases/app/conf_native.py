"""Conformance cases: tempestweb.native results rendered into the DOM (the same in Mode A and Mode B).

Each button's handler awaits capability calls that run in the page's JS (IndexedDB, Web Share,
the install prompt, the client's capability registry) and renders the typed result or the typed
error's code. Only capabilities that need no permission and give the same answer on every
Chromium are used. The settle probe waits for every pending native handler (:func:`settled`),
so a snapshot never races a native round trip.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from conf_lists import button

from tempest_core import Node, component, html, use_state
from tempestweb.native import NativeCallError, file, install, share, storage
from tempestweb.native.plugins import Capability

__all__ = ["CASES", "settled"]

_IN_FLIGHT: list[int] = [0]
_IDLE = asyncio.Event()
_IDLE.set()


async def settled() -> None:
    """Wait until no native case handler is running (the settle probe awaits this)."""
    await _IDLE.wait()


def _track(run: Callable[[], Awaitable[str]], show: Callable[[str], None]) -> Callable[[], Awaitable[None]]:
    async def handler() -> None:
        _IN_FLIGHT[0] += 1
        _IDLE.clear()
        try:
            try:
                text = await run()
            except NativeCallError as exc:
                text = f"{type(exc).__name__}:{exc.code}"
            show(text)
        finally:
            _IN_FLIGHT[0] -= 1
            if _IN_FLIGHT[0] == 0:
                _IDLE.set()

    return handler


def _results() -> tuple[list[tuple[str, str]], Callable[[str], Callable[[str], None]]]:
    empty: list[tuple[str, str]] = []
    lines, set_lines = use_state(empty)

    def show(name: str) -> Callable[[str], None]:
        return lambda text: set_lines(lambda old: [*old, (name, text)])

    return lines, show


def _log(lines: list[tuple[str, str]]) -> Node:
    return html.ol(
        [html.li(f"{name}: {text}", data_step=str(i)) for i, (name, text) in enumerate(lines)], id="log"
    )


async def _clear() -> str:
    for key in await storage.list(prefix="conf-"):
        await storage.delete(key)
    return f"keys={await storage.list(prefix='conf-')}"


async def _put() -> str:
    await storage.put("conf-text", "héllo 日本")
    await storage.put("conf-bytes", bytes([0, 1, 2, 255]))
    await storage.put("conf-json", {"n": 1.5, "list": [True, None, "x"], "nested": {"k": []}})
    return "stored"


async def _get() -> str:
    values = [await storage.get(k) for k in ("conf-text", "conf-bytes", "conf-json", "conf-missing")]
    return " | ".join(repr(v) for v in values)


async def _list() -> str:
    return f"keys={await storage.list(prefix='conf-')}"


async def _delete() -> str:
    await storage.delete("conf-bytes")
    return f"keys={await storage.list(prefix='conf-')}"


@component
def native_storage() -> Node:
    """IndexedDB through storage.put/get/list/delete: JSON values and bytes round-trip."""
    lines, show = _results()
    return html.div(
        *(
            button(label, bid, _track(run, show(label)))  # type: ignore[arg-type]
            for label, bid, run in (
                ("clear", "clear", _clear),
                ("put", "put", _put),
                ("get", "get", _get),
                ("list", "list", _list),
                ("delete", "delete", _delete),
            )
        ),
        _log(lines),
    )


_NOPE = Capability("conf_missing_capability")


async def _share() -> str:
    return repr(await share(title="tempestweb", text="conformance"))


async def _install() -> str:
    state = await install.state()
    return f"{state!r} prompt={await install.prompt()}"


async def _unknown() -> str:
    return str(await _NOPE.call("anything", result=str))


async def _malformed() -> str:
    return str(await Capability("storage").call("list", {"prefix": ""}, result=dict[str, int]))


async def _invalid() -> str:
    await storage.put("", "empty keys are refused before any call")
    return "stored"


async def _bad_name() -> str:
    return repr(await file.save("../escape.txt", b"x"))


@component
def native_outcomes() -> Node:
    """Soft outcomes as values (share unsupported, install unavailable) and typed errors rendered."""
    lines, show = _results()
    return html.div(
        *(
            button(label, bid, _track(run, show(label)))  # type: ignore[arg-type]
            for label, bid, run in (
                ("share", "share", _share),
                ("install", "install", _install),
                ("unknown capability", "unknown", _unknown),
                ("malformed result", "malformed", _malformed),
                ("invalid argument", "invalid", _invalid),
                ("bad file name", "badname", _bad_name),
            )
        ),
        _log(lines),
    )


CASES: dict[str, Callable[..., Node]] = {
    "native_storage": native_storage,
    "native_outcomes": native_outcomes,
}
