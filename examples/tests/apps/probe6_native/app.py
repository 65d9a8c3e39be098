"""An app for the sixth outside probe of ``tempestweb.native``: one button per scenario.

Each button ``#<name>`` runs the scenario of that name from :data:`SCENARIOS` and renders its
outcome in ``#<name>-out``: ``ok <value>`` or ``<ErrorClass> <code> <message>``. The browser
suite (``examples/tests/test_native_probe6_modes.py``) clicks them in Mode A and Mode B and runs
the same scenarios under ``fake_native()``, comparing the outcomes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tempest_core import App, html
from tempestweb.native import NativeCallError, file, http, storage

if TYPE_CHECKING:
    from tempest_core import Node

MIB = 1024 * 1024


async def _big_int() -> object:
    await storage.put("big", 10**30)
    return await storage.get("big")


async def _nested_big_int() -> object:
    await storage.put("nested", {"a": [1, {"b": -(2**53)}]})
    return await storage.get("nested")


async def _safe_edges() -> object:
    value = [2**53 - 1, -(2**53 - 1), 0]
    await storage.put("edges", value)
    return await storage.get("edges")


async def _floats() -> object:
    await storage.put("floats", [1.0, -0.0, 0.5, 1e20, 1e21, 2.5e-7])
    return await storage.get("floats")


async def _unicode_keys() -> object:
    keys = ["é", "日本", "\U0001f600", "a" * 1024, " ", "a/b", "\u0000x"]
    for n, key in enumerate(keys):
        await storage.put(key, n)
    return [await storage.get(key) for key in keys], len(await storage.list(prefix=""))


async def _long_key() -> object:
    await storage.put("k" * 1025, 1)
    return "stored"


async def _empty_key() -> object:
    await storage.put("", 1)
    return "stored"


async def _nested() -> object:
    value = {"a": [1, 2.5, "x", None, True, {"b": [[], {}]}], "é": {"\U0001f600": "ok"}}
    await storage.put("nest", value)
    return await storage.get("nest") == value


async def _concurrent_small() -> object:
    await asyncio.gather(*(storage.put(f"c{i}", i) for i in range(20)))
    return [await storage.get(f"c{i}") for i in range(20)] == list(range(20))


async def _concurrent_big() -> object:
    blobs = [bytes([i]) * (4 * MIB) for i in range(3)]
    await asyncio.gather(*(storage.put(f"big{i}", blob) for i, blob in enumerate(blobs)))
    return [await storage.get(f"big{i}") == blob for i, blob in enumerate(blobs)]


async def _put_16mb() -> object:
    await storage.put("sixteen", b"\x01" * (16 * MIB))
    return "stored"


async def _put_4mb_round_trip() -> object:
    blob = bytes(range(256)) * (4 * MIB // 256 + 512)
    await storage.put("nine", blob)
    return await storage.get("nine") == blob


async def _save_empty() -> object:
    result = await file.save("empty.bin", b"", prefer="download")
    return result.method


async def _save_16mb() -> object:
    result = await file.save("big.bin", b"\x02" * (16 * MIB), prefer="download")
    return result.method


async def _http_204() -> object:
    response = await http.request("GET", "/api/204")
    return response.status, response.content


async def _http_head() -> object:
    response = await http.request("HEAD", "/api/head")
    return response.status, response.content, response.headers.get("x-probe")


async def _http_big() -> object:
    response = await http.request("GET", "/api/big")
    return response.status, len(response.content)


SCENARIOS: dict[str, Callable[[], Awaitable[object]]] = {
    "big-int": _big_int,
    "nested-big-int": _nested_big_int,
    "safe-edges": _safe_edges,
    "floats": _floats,
    "unicode-keys": _unicode_keys,
    "long-key": _long_key,
    "empty-key": _empty_key,
    "nested": _nested,
    "concurrent-small": _concurrent_small,
    "concurrent-big": _concurrent_big,
    "put-16mb": _put_16mb,
    "put-4mb": _put_4mb_round_trip,
    "save-empty": _save_empty,
    "save-16mb": _save_16mb,
    "http-204": _http_204,
    "http-head": _http_head,
    "http-big": _http_big,
}
"""Every scenario, by button id."""


async def outcome(name: str) -> str:
    """Run scenario ``name`` and describe what it did: ``ok <value>`` or ``<Class> <code> <message>``."""
    try:
        return f"ok {await SCENARIOS[name]()!r}"
    except NativeCallError as exc:
        return f"{type(exc).__name__} {exc.code} {exc.message}"


@dataclass
class State:
    """Each scenario's outcome, by name."""

    results: dict[str, str] = field(default_factory=dict)


def _runner(name: str) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        app.set_state(lambda s: s.results.__setitem__(name, "…"))
        text = await outcome(name)
        app.set_state(lambda s: s.results.__setitem__(name, text))

    return run


def view(state: State) -> Node:
    rows = [
        html.div(
            html.button(name, id=name, on_click=_runner(name)),
            html.pre(state.results.get(name, ""), id=f"{name}-out"),
        )
        for name in SCENARIOS
    ]
    return html.div(*rows)


app = App(view=view, state=State, title="Probe6 native")
