"""Key-value storage in the browser's IndexedDB, in every mode (Mode B too: the data stays on the device).

Values are JSON values or bytes; they survive reloads and restarts (origin-scoped, subject
to the browser's storage quota and eviction policy: see ``navigator.storage.persist()``).

Example:
    >>> import asyncio
    >>> from tempestweb.native import storage
    >>> from tempestweb.native.testing import fake_native
    >>> async def main() -> tuple[object, list[str]]:
    ...     with fake_native():
    ...         await storage.put("greeting", "hello")
    ...         return await storage.get("greeting"), await storage.list()
    >>> asyncio.run(main())
    ('hello', ['greeting'])

"""

from __future__ import annotations

import builtins
import json as _json
from typing import Literal, Union

from pydantic import TypeAdapter, ValidationError

from tempestweb.native._wire import B64Bytes, JSONValue, WireModel, b64encode, unsafe_integer
from tempestweb.native.constants import MAX_SAFE_INTEGER, MAX_STORAGE_KEY_CHARS, STORAGE_TIMEOUT_S
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.plugins import Capability, register

__all__ = ["StorageValue", "delete", "get", "list", "put"]

CAPABILITY = register(Capability("storage"))
"""The ``storage`` capability handle (``client/native/storage.js``)."""

StorageValue = Union[JSONValue, bytes]
"""What can be stored: a JSON value (``None``, bool, int, float, str, lists, str-keyed dicts) or bytes."""

_JSON: TypeAdapter[JSONValue] = TypeAdapter(JSONValue)


class _Stored(WireModel):
    """The wire form of one stored value."""

    found: bool
    kind: Literal["json", "bytes"] = "json"
    json_value: JSONValue = None
    bytes_value: B64Bytes = b""


def _key(key: str, method: str) -> str:
    if not isinstance(key, str) or not key or len(key) > MAX_STORAGE_KEY_CHARS:
        raise InvalidArgumentError(
            f"a key is a non-empty str of at most {MAX_STORAGE_KEY_CHARS} characters, got {key!r}",
            capability="storage",
            method=method,
        )
    return key


async def put(key: str, value: StorageValue, /, *, timeout_s: float = STORAGE_TIMEOUT_S) -> None:
    """Store ``value`` under ``key``, replacing any previous value (``IDBObjectStore.put``).

    Args:
        key: Non-empty string, at most ``MAX_STORAGE_KEY_CHARS`` characters.
        value: A JSON value or bytes.
        timeout_s: Seconds the call may take.

    Raises:
        InvalidArgumentError: Bad key, or a value that is neither JSON nor bytes (a set, NaN, an
            integer beyond ``±MAX_SAFE_INTEGER``...).
        QuotaExceededError: The origin's storage quota is full, or the value is over what one
            native call carries (``MAX_CALL_ARGS_BYTES`` of JSON: about 4.5 MiB of bytes).
        NotSupportedError: No IndexedDB (e.g. some private browsing modes).
        NoSessionError: Called outside a session.

    """
    _key(key, "put")
    if isinstance(value, (bytes, bytearray, memoryview)):
        args: dict[str, object] = {"key": key, "kind": "bytes", "value": b64encode(bytes(value))}
    else:
        try:
            checked = _JSON.validate_python(value, strict=True)
            # Rejects NaN and infinities (pydantic's and the wire codec's encoders would write
            # them as null) and lone surrogates (no UTF-8 for them).
            _json.dumps(checked, allow_nan=False, ensure_ascii=False).encode()
        except (ValidationError, ValueError, RecursionError) as exc:
            raise InvalidArgumentError(
                f"storage values are JSON values or bytes: {exc}", capability="storage", method="put"
            ) from None
        unsafe = unsafe_integer(checked)
        if unsafe is not None:
            raise InvalidArgumentError(
                f"storage values are JSON values or bytes: the integer {unsafe} is beyond "
                f"JavaScript's safe range ±{MAX_SAFE_INTEGER} (the page would round it); store it as a str",
                capability="storage",
                method="put",
            )
        args = {"key": key, "kind": "json", "value": checked}
    # Bytes travel as base64 and JSON values were checked above with storage's own message:
    # the general check of Capability.call would only walk the value again.
    await CAPABILITY._checked_call("put", args, result=type(None), timeout_s=timeout_s)


async def get(
    key: str, /, default: StorageValue = None, *, timeout_s: float = STORAGE_TIMEOUT_S
) -> StorageValue:
    """Return the value stored under ``key``.

    Args:
        key: The key.
        default: Returned when nothing is stored under ``key``.
        timeout_s: Seconds the call may take.

    Returns:
        The stored JSON value or bytes, or ``default``.

    Raises:
        InvalidArgumentError: Bad key.
        NotSupportedError: No IndexedDB.
        MalformedResultError: The page answered something else.
        NoSessionError: Called outside a session.

    """
    stored = await CAPABILITY.call("get", {"key": _key(key, "get")}, result=_Stored, timeout_s=timeout_s)
    if not stored.found:
        return default
    return stored.bytes_value if stored.kind == "bytes" else stored.json_value


async def list(*, prefix: str = "", timeout_s: float = STORAGE_TIMEOUT_S) -> builtins.list[str]:
    """Return the stored keys, sorted (``IDBObjectStore.getAllKeys``).

    Args:
        prefix: Only keys starting with it.
        timeout_s: Seconds the call may take.

    Returns:
        The keys in ascending code-unit order.

    Raises:
        NotSupportedError: No IndexedDB.
        NoSessionError: Called outside a session.

    """
    keys = await CAPABILITY.call("list", {"prefix": prefix}, result=builtins.list[str], timeout_s=timeout_s)
    return sorted(keys)


async def delete(key: str, /, *, timeout_s: float = STORAGE_TIMEOUT_S) -> None:
    """Remove ``key`` (nothing happens when it is absent).

    Raises:
        InvalidArgumentError: Bad key.
        NotSupportedError: No IndexedDB.
        NoSessionError: Called outside a session.

    """
    await CAPABILITY.call("delete", {"key": _key(key, "delete")}, result=type(None), timeout_s=timeout_s)


def __dir__() -> builtins.list[str]:
    return builtins.list(__all__)
