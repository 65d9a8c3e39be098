"""Checkpoints of Mode B sessions: the app state encoded with msgspec or pydantic, in Redis.

A checkpoint holds what a worker needs to resume a session another worker served: the app
state, ``last_event_id`` (so a re-sent event is not handled twice), the location and ``seq``. A
state is *restorable* when msgspec (``msgspec.json``) or pydantic (``TypeAdapter``) encodes it
and decoding that as the state's own type gives an equal value (dataclasses, msgspec Structs,
pydantic models, ``TypedDict`` and builtins, nested); any other state is recorded as lost, and
a session whose worker dies with such a state restarts fresh with a notice (docs/deployment.md).
"""

from __future__ import annotations

import functools
import importlib
import logging
from typing import TYPE_CHECKING, Annotated, Any, Literal

import msgspec

from tempest_core.host import HostSession
from tempestweb_contract.constants import MAX_LOCATION_CHARS
from tempestweb_server.constants import CHECKPOINT_WRITE_ATTEMPTS

if TYPE_CHECKING:
    from tempestweb_server._cluster import Cluster

__all__ = ["CheckpointLost", "CheckpointRecord", "RedisCheckpointer", "decode_state", "encode_state"]

logger = logging.getLogger("tempestweb.server")

Codec = Literal["msgspec", "pydantic", "lost"]

_MAX_SAFE_INTEGER = 2**53 - 1  # JavaScript's Number.MAX_SAFE_INTEGER: the contract's integer bound


class CheckpointLost(Exception):
    """A checkpoint could not be made durable: this worker no longer serves the session."""


class CheckpointRecord(msgspec.Struct, array_like=True, frozen=True):
    """One session's checkpoint as stored in Redis (msgspec JSON, an array).

    Decoding checks what the wire contract would (a record another version wrote, or a
    corrupt one, is refused as a whole, never half restored): ``last_event_id`` and ``seq`` are
    in ``0..2**53 - 1`` (as ``Event.eid`` and ``Patch.seq``), ``path`` at most
    ``MAX_LOCATION_CHARS`` characters.

    Attributes:
        codec: How ``state`` was encoded; ``"lost"`` when it could not be.
        type: ``module:qualname`` of the state's type.
        state: The encoded state (JSON), empty when ``codec`` is ``"lost"``.
        last_event_id: Highest event id the state reflects.
        path: The session's location, ``pathname + search + hash``.
        seq: ``seq`` of the session's newest patch batch.

    """

    codec: Codec
    type: str
    state: msgspec.Raw
    last_event_id: Annotated[int, msgspec.Meta(ge=0, le=_MAX_SAFE_INTEGER)]
    path: Annotated[str, msgspec.Meta(max_length=MAX_LOCATION_CHARS)]
    seq: Annotated[int, msgspec.Meta(ge=0, le=_MAX_SAFE_INTEGER)]


_RECORD = msgspec.json.Decoder(CheckpointRecord)


def _type_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


@functools.lru_cache(maxsize=256)
def _msgspec_decoder(cls: Any) -> msgspec.json.Decoder[Any]:
    return msgspec.json.Decoder(cls)


@functools.lru_cache(maxsize=256)
def _adapter(cls: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def encode_state(state: object, /) -> tuple[Codec, bytes]:
    """Encode ``state`` so that :func:`decode_state` gives back an equal value.

    msgspec is tried first, then pydantic; each encoding is decoded again as ``type(state)`` and
    compared with ``state``, so a value that would come back different (a ``list`` of
    dataclasses decodes as a ``list`` of ``dict``) is never taken for a checkpoint.

    Args:
        state: A session's app state.

    Returns:
        ``(codec, JSON bytes)``, or ``("lost", b"null")`` when neither library round-trips it.

    Example:
        >>> encode_state(3)
        ('msgspec', b'3')

    """
    cls: Any = type(state)
    try:
        data = msgspec.json.encode(state)
        if _msgspec_decoder(cls).decode(data) == state:
            return "msgspec", data
    except (TypeError, ValueError, msgspec.MsgspecError):
        pass
    try:
        adapter = _adapter(cls)
        data = adapter.dump_json(state)
        if adapter.validate_json(data) == state:
            return "pydantic", bytes(data)
    except Exception:  # pydantic's schema, serialization and validation errors alike
        logger.debug("state of type %s is not encodable by pydantic", _type_name(cls), exc_info=True)
    return "lost", b"null"


def _resolve(name: str, like: type) -> type | None:
    if _type_name(like) == name:
        return like
    module_name, _, qualname = name.partition(":")
    try:
        target: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            target = getattr(target, part)
    except (ImportError, AttributeError, ValueError):
        return None
    return target if isinstance(target, type) else None


def decode_state(record: CheckpointRecord, /, *, like: type) -> tuple[bool, Any]:
    """Decode a checkpoint's state.

    Args:
        record: The checkpoint.
        like: The type of a fresh session's initial state (the usual state type; other types
            are looked up by the name the checkpoint records).

    Returns:
        ``(True, state)``, or ``(False, None)`` when the state was lost or cannot be decoded.

    """
    if record.codec == "lost":
        return False, None
    cls = _resolve(record.type, like)
    if cls is None:
        return False, None
    try:
        if record.codec == "msgspec":
            return True, _msgspec_decoder(cls).decode(record.state)
        return True, _adapter(cls).validate_json(bytes(record.state))
    except Exception as exc:  # a state type changed between deploys, or a corrupt record
        logger.warning("checkpoint state of type %s cannot be decoded: %s", record.type, exc)
        return False, None


def read_record(data: bytes, /) -> CheckpointRecord | None:
    """Decode a stored checkpoint; ``None`` when it is corrupt.

    Args:
        data: The bytes stored by :class:`RedisCheckpointer`.

    Returns:
        The record; ``None`` for bytes that are not one, a value out of range, or JSON nested
        past msgspec's depth (its ``RecursionError``).

    """
    try:
        return _RECORD.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return None


class RedisCheckpointer:
    """The :class:`tempest_core.host.Checkpointer` of a worker: snapshots written to Redis.

    Args:
        cluster: The worker's cluster membership (Redis, ownership).

    """

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self._warned: set[str] = set()

    def snapshot(self, session: HostSession, /) -> bytes:
        """Encode the session's state, ``last_event_id``, path and ``seq`` now.

        Args:
            session: The session, right after a render.

        Returns:
            A :class:`CheckpointRecord` as JSON.

        """
        state = session.core.state
        codec, data = encode_state(state)
        name = _type_name(type(state))
        if codec == "lost" and name not in self._warned:
            self._warned.add(name)
            logger.warning(
                "app state of type %s cannot be checkpointed (neither msgspec nor pydantic round-trips "
                "it): its sessions restart fresh if their worker stops",
                name,
            )
        record = CheckpointRecord(
            codec=codec,
            type=name,
            state=msgspec.Raw(data),
            last_event_id=session.core.last_event_id,
            path=session.path,
            seq=session.seq,
        )
        return msgspec.json.encode(record)

    async def write(self, session: HostSession, snapshot: bytes, /) -> None:
        """Store ``snapshot`` as the session's checkpoint if this worker still owns the session.

        Args:
            session: The session.
            snapshot: From :meth:`snapshot`.

        Raises:
            CheckpointLost: Another worker took the session over, or Redis stayed unreachable;
                the session has been handed back (its client reconnects and resumes from the
                last durable checkpoint wherever it lands).

        """
        if not await self.cluster.store(session.id, snapshot):
            self.cluster.evict(session)
            raise CheckpointLost(
                f"another worker took session {session.id[:8]} over, or Redis failed "
                f"{CHECKPOINT_WRITE_ATTEMPTS} times"
            )
