"""The pending-call table of one session: ``native_call`` out, ``native_result`` in.

Every host uses it through :class:`~tempest_core.host.HostSession`: capability code awaits
:meth:`NativeCalls.call` (the :class:`~tempestweb_contract.native.NativeBridge` of the
session), the table sends ``native_call{id, capability, method, args, timeout_ms}`` and the
session's connection feeds each ``native_result`` to :meth:`NativeCalls.resolve`.

Rules (docs/protocol.md, "Native calls"):

- ids are per session, increasing from 1; a call made while no connection is attached waits
  (its timeout running) and is sent when one attaches;
- a call's frame is held to the size rule of one native call
  (:func:`tempestweb_contract.native.call_frame`: over ``MAX_CALL_ARGS_BYTES`` is
  ``quota_exceeded``), measured once on the encoded frame; a *large* call (a frame of at least
  ``LARGE_CALL_BYTES``) waits until the session's previous large call has finished, within
  its timeout, so that large frames never pile up past a transport's bound of unread bytes;
- a call sent over a connection that is lost before it answers fails with ``aborted``: the
  client may or may not have run it, so it is never sent twice;
- the late result of a call the host stopped waiting for (cancelled by the app, timed out,
  aborted) is dropped with a debug log: the page still finishes what it started, so it is
  expected. A result for an id never issued, a duplicate of an answered call's result, and a
  result of the wrong shape are answered with an ``error`` frame and change nothing else;
- closing the session fails every pending call with ``session_closed``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any, Final

import msgspec

from tempestweb_contract import Error, NativeCall, NativeResult
from tempestweb_contract.constants import MAX_PENDING_NATIVE_CALLS
from tempestweb_contract.native import (
    LARGE_CALL_BYTES,
    AbortedError,
    MalformedResultError,
    NativeCallError,
    NativeTimeoutError,
    SessionClosedError,
    call_frame,
    call_timeout_ms,
    native_error,
)

__all__ = ["NativeCalls"]

logger = logging.getLogger("tempestweb.host")

OUTCOMES_REMEMBERED: Final = 1024
"""How many of a session's latest call ids the table remembers the outcome of, one byte each (a
``bytearray`` of this many bytes, made at the first call): enough to tell a late result of a
call the host stopped waiting for, dropped quietly, from a duplicate or a result for no call."""

# One byte per remembered id: how its call finished (0: not finished, or never sent).
_ANSWERED: Final = 1
_FAILED: Final = 2
_CANCELLED: Final = 3
_TIMED_OUT: Final = 4
_ABORTED: Final = 5
_HOW: Final = ("", "answered", "failed", "cancelled", "timed out", "aborted")
_LATE_IS_EXPECTED: Final = frozenset({_CANCELLED, _TIMED_OUT, _ABORTED})
"""Outcomes after which the page may still answer: the host stopped waiting, not the page."""


class _Call:
    __slots__ = ("capability", "epoch", "frame", "future", "message", "method", "timer")

    def __init__(self, message: NativeCall, frame: bytes, future: asyncio.Future[Any]) -> None:
        self.message = message
        self.frame = frame  # its encoding, measured by the size rule: sent as it is
        self.capability = message.capability
        self.method = message.method
        self.future = future
        self.epoch: int | None = None  # connection epoch it was sent on; None: not sent yet
        self.timer: asyncio.TimerHandle | None = None


class NativeCalls:
    """The pending native calls of one session (implements ``NativeBridge``).

    Args:
        send: Sends one ``native_call`` (the message and its encoded frame, which the size rule
            measured) over the attached connection; returns the connection epoch it went out
            on, or ``None`` when no connection is attached (the call waits).
        max_pending: Most calls waiting for a result at once.

    """

    def __init__(
        self, send: Callable[[NativeCall, bytes], int | None], *, max_pending: int = MAX_PENDING_NATIVE_CALLS
    ) -> None:
        self._send = send
        self._max_pending = max_pending
        self._next_id = 0
        self._pending: dict[int, _Call] = {}
        self._outcomes: bytearray | None = None  # by id % OUTCOMES_REMEMBERED; made at the first call
        self._large_turn = asyncio.Lock()
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
            timeout_s: Seconds before the call fails with ``timeout`` (a large call's wait for
                its turn included).

        Returns:
            The client's JSON value.

        Raises:
            SessionClosedError: The session is closed, or closes before the answer.
            InvalidArgumentError: ``args`` cannot be encoded as JSON.
            QuotaExceededError: The call's frame is over ``MAX_CALL_ARGS_BYTES``.
            AbortedError: Too many calls are pending, or the connection the call went out on
                was lost before it answered.
            NativeTimeoutError: No answer within ``timeout_s``.
            NativeCallError: The subclass for the error code the client answered.

        """
        where = {"capability": capability, "method": method}
        self._check_open(where)
        self._next_id += 1
        message = NativeCall(
            id=self._next_id,
            capability=capability,
            method=method,
            args=dict(args),
            timeout_ms=call_timeout_ms(timeout_s),
        )
        self._remember(message.id, 0)  # the slot of the id issued OUTCOMES_REMEMBERED ago
        frame = call_frame(message)
        if len(frame) < LARGE_CALL_BYTES:
            return await self._run(message, frame, timeout_s)
        if self._large_turn.locked():
            loop = asyncio.get_running_loop()
            started = loop.time()
            try:
                async with asyncio.timeout(timeout_s):
                    await self._large_turn.acquire()
            except TimeoutError:
                raise NativeTimeoutError(
                    f"no turn within {timeout_s:g} s: another large call of this session was running",
                    **where,
                ) from None
            # The client gives up when the host does: it gets what is left of the timeout.
            timeout_s = max(timeout_s - (loop.time() - started), 0.001)
            message = msgspec.structs.replace(message, timeout_ms=call_timeout_ms(timeout_s))
            frame = call_frame(message)
        else:
            await self._large_turn.acquire()  # free: taken at once
        try:
            return await self._run(message, frame, timeout_s)
        finally:
            self._large_turn.release()

    def _check_open(self, where: dict[str, str]) -> None:
        if self._closed:
            raise SessionClosedError("the session is closed", **where)
        if len(self._pending) >= self._max_pending:
            raise AbortedError(f"{self._max_pending} native calls are already pending", **where)

    async def _run(self, message: NativeCall, frame: bytes, timeout_s: float) -> Any:
        self._check_open({"capability": message.capability, "method": message.method})
        loop = asyncio.get_running_loop()
        pending = _Call(message, frame, loop.create_future())
        self._pending[message.id] = pending
        pending.timer = loop.call_later(timeout_s, self._expire, message.id, timeout_s)
        try:
            pending.epoch = self._send(message, frame)
            return await pending.future
        finally:
            self._finish(message.id, _CANCELLED)  # nothing when it already finished otherwise

    def _expire(self, call_id: int, timeout_s: float) -> None:
        pending = self._pending.get(call_id)
        if pending is not None and not pending.future.done():
            pending.future.set_exception(
                NativeTimeoutError(
                    f"no result after {timeout_s:g} s", capability=pending.capability, method=pending.method
                )
            )
            self._finish(call_id, _TIMED_OUT)

    def _remember(self, call_id: int, outcome: int) -> None:
        if self._outcomes is None:
            self._outcomes = bytearray(OUTCOMES_REMEMBERED)
        if call_id > self._next_id - OUTCOMES_REMEMBERED:  # else its slot holds a newer id's
            self._outcomes[call_id % OUTCOMES_REMEMBERED] = outcome

    def _outcome(self, call_id: int) -> int:
        """How the call ``call_id`` finished, if it is one of the latest ids (0: not known)."""
        if self._outcomes is None or not self._next_id - OUTCOMES_REMEMBERED < call_id <= self._next_id:
            return 0
        return self._outcomes[call_id % OUTCOMES_REMEMBERED]

    def _finish(self, call_id: int, outcome: int) -> None:
        pending = self._pending.pop(call_id, None)
        if pending is None:
            return
        if pending.timer is not None:
            pending.timer.cancel()
        self._remember(call_id, outcome)

    def resolve(self, result: NativeResult, /) -> Error | None:
        """Settle the call ``result.id`` answers.

        Args:
            result: A ``native_result`` frame from the client.

        Returns:
            ``None`` when a pending call was settled (with its value, or its typed error when
            the client reported one or the result had the wrong shape), and when the result
            answers a call the host stopped waiting for (cancelled by the app, timed out,
            aborted: dropped, logged at debug level); an ``error`` frame to send back when the
            result answers no call (``unknown_message``: an id never issued, a duplicate, an id
            older than the last ``OUTCOMES_REMEMBERED``) or is malformed (``malformed_frame``).

        """
        pending = self._pending.get(result.id)
        if pending is None:
            outcome = self._outcome(result.id)
            if outcome in _LATE_IS_EXPECTED:
                logger.debug(
                    "native_result %d dropped: its call was %s before the client answered",
                    result.id,
                    _HOW[outcome],
                )
                return None
            reason = f"its call already {_HOW[outcome]}" if outcome else "no such call was made"
            return Error(code="unknown_message", message=f"native_result {result.id} ignored: {reason}")
        where = {"capability": pending.capability, "method": pending.method}
        malformed = (result.ok and result.error is not None) or (not result.ok and result.error is None)
        if malformed:
            pending.future.set_exception(
                MalformedResultError("the client answered ok and error together, or neither", **where)
            )
            self._finish(result.id, _FAILED)
            return Error(code="malformed_frame", message=f"native_result {result.id}: ok and error disagree")
        if result.ok:
            pending.future.set_result(result.value)
        else:
            assert result.error is not None
            pending.future.set_exception(native_error(result.error.code, result.error.message, **where))
        self._finish(result.id, _ANSWERED)
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
        self._finish(call_id, _FAILED)

    def attached(self, epoch: int, /) -> None:
        """Send every call that was made while no connection was attached.

        Args:
            epoch: The epoch of the connection that just attached.

        """
        for pending in list(self._pending.values()):
            if pending.epoch is None and not pending.future.done():
                pending.epoch = self._send(pending.message, pending.frame)

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
                self._finish(call_id, _ABORTED)

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
            self._finish(call_id, _FAILED)
