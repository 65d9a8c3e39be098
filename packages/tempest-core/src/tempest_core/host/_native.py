"""The pending-call table of one session: ``native_call`` out, ``native_result`` in.

Every host uses it through :class:`~tempest_core.host.HostSession`: capability code awaits
:meth:`NativeCalls.call` (the :class:`~tempestweb_contract.native.NativeBridge` of the
session), the table sends ``native_call{id, capability, method, args, timeout_ms}`` and the
session's connection feeds each ``native_result`` to :meth:`NativeCalls.resolve`.

Rules (docs/protocol.md, "Native calls"):

- ids are per session, increasing from 1; a call made while no connection is attached waits
  (its timeout running) and is sent when one attaches;
- a call sent over a connection that is lost before it answers fails with ``aborted``: the
  client may or may not have run it, so it is never sent twice;
- a result for an id that is not pending (unknown, late after its timeout, a duplicate) and a
  result of the wrong shape are answered with an ``error`` frame and change nothing else;
- closing the session fails every pending call with ``session_closed``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Final

import msgspec

from tempestweb_contract import Error, NativeCall, NativeResult
from tempestweb_contract.constants import MAX_PENDING_NATIVE_CALLS
from tempestweb_contract.native import (
    AbortedError,
    InvalidArgumentError,
    MalformedResultError,
    NativeCallError,
    NativeTimeoutError,
    SessionClosedError,
    native_error,
)

__all__ = ["NativeCalls"]

logger = logging.getLogger("tempestweb.host")

_FINISHED_REMEMBERED: Final = 1024
"""How many finished call ids a table remembers to tell a late or duplicate result apart."""

_ENCODER: Final = msgspec.json.Encoder()


class _Call:
    __slots__ = ("capability", "epoch", "future", "message", "method", "timer")

    def __init__(self, message: NativeCall, future: asyncio.Future[Any]) -> None:
        self.message = message
        self.capability = message.capability
        self.method = message.method
        self.future = future
        self.epoch: int | None = None  # connection epoch it was sent on; None: not sent yet
        self.timer: asyncio.TimerHandle | None = None


class NativeCalls:
    """The pending native calls of one session (implements ``NativeBridge``).

    Args:
        send: Sends one ``native_call`` over the attached connection; returns the connection
            epoch it went out on, or ``None`` when no connection is attached (the call waits).
        max_pending: Most calls waiting for a result at once.

    """

    def __init__(
        self, send: Callable[[NativeCall], int | None], *, max_pending: int = MAX_PENDING_NATIVE_CALLS
    ) -> None:
        self._send = send
        self._max_pending = max_pending
        self._next_id = 0
        self._pending: dict[int, _Call] = {}
        self._finished: OrderedDict[int, str] = OrderedDict()
        self._closed = False

    def __len__(self) -> int:
        return len(self._pending)

    async def call(
        self, capability: str, method: str, args: Mapping[str, Any], /, *, timeout_s: float
    ) -> Any:
        """Send one call to the client and wait for its result.

        Args:
            capability: Capability name, e.g. ``"clipboard"``.
            method: Method name, e.g. ``"read"``.
            args: JSON-encodable arguments.
            timeout_s: Seconds before the call fails with ``timeout``.

        Returns:
            The client's JSON value.

        Raises:
            SessionClosedError: The session is closed, or closes before the answer.
            InvalidArgumentError: ``args`` cannot be encoded as JSON.
            AbortedError: Too many calls are pending, or the connection the call went out on
                was lost before it answered.
            NativeTimeoutError: No answer within ``timeout_s``.
            NativeCallError: The subclass for the error code the client answered.

        """
        where = {"capability": capability, "method": method}
        if self._closed:
            raise SessionClosedError("the session is closed", **where)
        if len(self._pending) >= self._max_pending:
            raise AbortedError(f"{self._max_pending} native calls are already pending", **where)
        self._next_id += 1
        message = NativeCall(
            id=self._next_id,
            capability=capability,
            method=method,
            args=dict(args),
            timeout_ms=max(1, round(timeout_s * 1000)),
        )
        try:
            _ENCODER.encode(message)
        except (TypeError, ValueError, OverflowError) as exc:
            raise InvalidArgumentError(f"arguments are not JSON: {exc}", **where) from None
        loop = asyncio.get_running_loop()
        pending = _Call(message, loop.create_future())
        self._pending[message.id] = pending
        pending.timer = loop.call_later(timeout_s, self._expire, message.id, timeout_s)
        pending.epoch = self._send(message)
        try:
            return await pending.future
        finally:
            self._finish(message.id, "cancelled")

    def _expire(self, call_id: int, timeout_s: float) -> None:
        pending = self._pending.get(call_id)
        if pending is not None and not pending.future.done():
            pending.future.set_exception(
                NativeTimeoutError(
                    f"no result after {timeout_s:g} s", capability=pending.capability, method=pending.method
                )
            )
            self._finish(call_id, "timed out")

    def _finish(self, call_id: int, how: str) -> None:
        pending = self._pending.pop(call_id, None)
        if pending is None:
            return
        if pending.timer is not None:
            pending.timer.cancel()
        self._finished[call_id] = how
        while len(self._finished) > _FINISHED_REMEMBERED:
            self._finished.popitem(last=False)

    def resolve(self, result: NativeResult, /) -> Error | None:
        """Settle the call ``result.id`` answers.

        Args:
            result: A ``native_result`` frame from the client.

        Returns:
            ``None`` when a pending call was settled (with its value, or its typed error when
            the client reported one or the result had the wrong shape); an ``error`` frame to
            send back when the result answers no pending call (``unknown_message``) or is
            malformed (``malformed_frame``).

        """
        pending = self._pending.get(result.id)
        if pending is None:
            how = self._finished.get(result.id)
            reason = f"its call already {how}" if how is not None else "no such call was made"
            return Error(code="unknown_message", message=f"native_result {result.id} ignored: {reason}")
        where = {"capability": pending.capability, "method": pending.method}
        malformed = (result.ok and result.error is not None) or (not result.ok and result.error is None)
        if malformed:
            pending.future.set_exception(
                MalformedResultError("the client answered ok and error together, or neither", **where)
            )
            self._finish(result.id, "failed")
            return Error(code="malformed_frame", message=f"native_result {result.id}: ok and error disagree")
        if result.ok:
            pending.future.set_result(result.value)
            self._finish(result.id, "answered")
        else:
            assert result.error is not None
            pending.future.set_exception(native_error(result.error.code, result.error.message, **where))
            self._finish(result.id, "answered")
        return None

    def undecodable(self, call_id: int, reason: str, /) -> None:
        """Fail the pending call ``call_id`` with ``malformed_result``: its answer did not decode.

        A ``native_result`` whose frame breaks the contract (an unknown error code, an ``error``
        that is a string) is refused with ``malformed_frame`` before it is read as a result;
        without this its call would wait for its timeout. Nothing happens when no such call is
        pending.

        Args:
            call_id: The ``id`` the frame carried.
            reason: Why it did not decode (the contract's message).

        """
        pending = self._pending.get(call_id)
        if pending is None:
            return
        pending.future.set_exception(
            MalformedResultError(
                f"the client's answer did not decode: {reason}",
                capability=pending.capability,
                method=pending.method,
            )
        )
        self._finish(call_id, "failed")

    def attached(self, epoch: int, /) -> None:
        """Send every call that was made while no connection was attached.

        Args:
            epoch: The epoch of the connection that just attached.

        """
        for pending in list(self._pending.values()):
            if pending.epoch is None and not pending.future.done():
                pending.epoch = self._send(pending.message)

    def detached(self, epoch: int, /) -> None:
        """Fail the calls sent over the connection of ``epoch``, which was lost.

        Args:
            epoch: The lost connection's epoch.

        """
        for call_id, pending in list(self._pending.items()):
            if pending.epoch == epoch and not pending.future.done():
                pending.future.set_exception(
                    AbortedError(
                        "the connection was lost before the client answered",
                        capability=pending.capability,
                        method=pending.method,
                    )
                )
                self._finish(call_id, "aborted")

    def close(self) -> None:
        """Fail every pending call with ``session_closed``; later calls fail at once."""
        self._closed = True
        for call_id, pending in list(self._pending.items()):
            if not pending.future.done():
                error: NativeCallError = SessionClosedError(
                    "the session closed before the client answered",
                    capability=pending.capability,
                    method=pending.method,
                )
                pending.future.set_exception(error)
            self._finish(call_id, "failed")
