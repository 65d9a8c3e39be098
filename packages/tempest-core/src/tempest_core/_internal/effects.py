"""Running effects after a render commits, and cleaning them up on unmount."""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from tempest_core._internal.frame import CURRENT_SESSION
from tempest_core._internal.mounted import MComponent

__all__ = ["EffectRunner"]


class EffectRunner:
    """Runs effects of one session; reports every failure through ``report(exc, what)``."""

    def __init__(self, session: Any, report: Callable[[BaseException, str], None]) -> None:
        self._session = session
        self._report = report
        self._deferred: list[tuple[MComponent, Any, Coroutine[Any, Any, Any]]] = []
        self.background: set[asyncio.Task[Any]] = set()

    def run(self, comps: list[MComponent]) -> None:
        """Run the pending effects of ``comps`` (each slot once, the latest function wins)."""
        seen: set[int] = set()
        token = CURRENT_SESSION.set(self._session)
        try:
            for c in comps:
                if id(c) in seen:
                    continue
                seen.add(id(c))
                pending = c.effects
                c.effects = []
                if not c.alive:
                    continue
                latest: dict[int, tuple[Any, Any]] = {}
                for slot, fn in pending:
                    latest[id(slot)] = (slot, fn)
                for slot, fn in latest.values():
                    self.cleanup_slot(slot)
                    self._run_one(c, slot, fn)
        finally:
            CURRENT_SESSION.reset(token)

    def _run_one(self, c: MComponent, slot: Any, fn: Callable[[], Any]) -> None:
        try:
            result = fn()
        except Exception as exc:
            self._report(exc, f"effect {getattr(fn, '__qualname__', fn)!r}")
            return
        if inspect.iscoroutine(result):
            self._start(c, slot, result)
        elif callable(result):
            slot.cleanup = result
        elif result is not None:
            self._report(
                TypeError(
                    f"an effect must return None, a cleanup callable or be async; got {type(result).__name__}"
                ),
                f"effect {getattr(fn, '__qualname__', fn)!r}",
            )

    def _start(self, c: MComponent, slot: Any, coro: Coroutine[Any, Any, Any]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._deferred.append((c, slot, coro))
            return
        ctx = contextvars.copy_context()
        ctx.run(CURRENT_SESSION.set, self._session)
        task = loop.create_task(self._guard(coro), context=ctx)
        slot.task = task
        if c.tasks is None:
            c.tasks = set()
        c.tasks.add(task)
        task.add_done_callback(c.tasks.discard)

    async def _guard(self, coro: Coroutine[Any, Any, Any]) -> None:
        try:
            await coro
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._report(exc, "background task")

    def start_deferred(self) -> None:
        """Start async effects that were scheduled while no event loop was running."""
        if not self._deferred:
            return
        deferred, self._deferred = self._deferred, []
        for c, slot, coro in deferred:
            if c.alive:
                self._start(c, slot, coro)
            else:
                coro.close()

    def cleanup_slot(self, slot: Any) -> None:
        """Cancel the slot's task and run its cleanup (errors are reported, not raised)."""
        task = slot.task
        if task is not None:
            slot.task = None
            task.cancel()
        cleanup = slot.cleanup
        if cleanup is not None:
            slot.cleanup = None
            token = CURRENT_SESSION.set(self._session)
            try:
                result = cleanup()
                if inspect.iscoroutine(result):
                    try:
                        self.background.add(asyncio.get_running_loop().create_task(result))
                    except RuntimeError:
                        result.close()
            except Exception as exc:
                self._report(exc, f"effect cleanup {getattr(cleanup, '__qualname__', cleanup)!r}")
            finally:
                CURRENT_SESSION.reset(token)

    def unmounted(self, c: MComponent) -> None:
        """Clean up every effect of an unmounted component and cancel its tasks."""
        for hook in c.hooks:
            if hasattr(hook, "cleanup") and hasattr(hook, "task"):
                self.cleanup_slot(hook)
        for task in list(c.tasks or ()):
            task.cancel()
        for i, (dc, _slot, coro) in reversed(list(enumerate(self._deferred))):
            if dc is c:
                coro.close()
                del self._deferred[i]
