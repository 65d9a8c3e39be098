"""The session host: the session side of protocol v1, once, for every host.

A host adapter (Mode B's WebSocket and SSE, Mode A's Pyodide runtime, desktop IPC, the headless
pilot) only moves bytes: it gives a :class:`Connection` a :class:`FramePort`, feeds it every
inbound frame and tells it when the transport is gone. Handshake and versioning, ``seq``/ack,
the replay buffer and full resync, exactly-once events, ping/pong, error mapping and the pending
native calls live here (docs/design.md, "Session host"; docs/protocol.md).

Example:
    >>> import asyncio
    >>> from tempest_core import App, html
    >>> from tempestweb_contract import decode
    >>> class Port:
    ...     def __init__(self) -> None:
    ...         self.frames: list[bytes] = []
    ...     def send(self, frame: bytes) -> None:
    ...         self.frames.append(frame)
    ...     def close(self, code: int, reason: str) -> None:
    ...         pass
    >>> async def main() -> str:
    ...     port = Port()
    ...     table = SessionTable(App(view=lambda n: html.p(str(n)), state=1))
    ...     Connection(table, port, transport="doc").receive('{"type":"hello","v":1,"path":"/"}')
    ...     await table.close_all()
    ...     return type(decode(port.frames[0])).__name__
    >>> asyncio.run(main())
    'Init'

"""

from __future__ import annotations

from tempest_core.host._connection import (
    Connection,
    ConnectionState,
    FramePort,
    PortOverflow,
    SessionRefused,
    SessionRegistry,
    app_path,
)
from tempest_core.host._native import NativeCalls
from tempest_core.host._queue import ByteBudget, FrameQueue
from tempest_core.host._reload import CarriedState, Reloaded
from tempest_core.host._replay import ReplayBudget
from tempest_core.host._session import Checkpointer, HostSession, SessionPeer, clip
from tempest_core.host._table import ReloadReport, SessionTable
from tempest_core.host._types import (
    CoreSession,
    ErrorCallback,
    NavigateCallback,
    PatchCallback,
    SessionFactory,
)
from tempest_core.host._uploads import (
    MAX_PENDING_UPLOAD_BYTES,
    PENDING_UPLOADS,
    UploadBudget,
    UploadCode,
    UploadedFile,
    UploadError,
    UploadLimits,
    UploadStore,
    accepts,
    upload_store,
    upload_target,
)

__all__ = [
    "MAX_PENDING_UPLOAD_BYTES",
    "PENDING_UPLOADS",
    "ByteBudget",
    "CarriedState",
    "Checkpointer",
    "Connection",
    "ConnectionState",
    "CoreSession",
    "ErrorCallback",
    "FramePort",
    "FrameQueue",
    "HostSession",
    "NativeCalls",
    "NavigateCallback",
    "PatchCallback",
    "PortOverflow",
    "ReloadReport",
    "Reloaded",
    "ReplayBudget",
    "SessionPeer",
    "SessionFactory",
    "SessionRefused",
    "SessionRegistry",
    "SessionTable",
    "UploadBudget",
    "UploadCode",
    "UploadError",
    "UploadLimits",
    "UploadStore",
    "UploadedFile",
    "accepts",
    "app_path",
    "clip",
    "upload_store",
    "upload_target",
]


def __dir__() -> list[str]:
    return list(__all__)
