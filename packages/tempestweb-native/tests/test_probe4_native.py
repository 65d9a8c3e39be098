"""Fourth outside probe of ``tempestweb.native``: hostile values that reached past the typed errors.

- ``Retry-After: ²`` (a Latin-1 byte a server may send; ``str.isdigit`` accepts it) raised
  ``ValueError`` out of ``http.request``;
- a ``charset`` the server made up (or a bytes-to-bytes codec such as ``hex``) made
  ``Response.text()`` raise ``LookupError``;
- ``storage.put`` of NaN or an infinity reached the session's bridge, whose encoder writes them
  as ``null``: the value was silently replaced (the fake backend refused it, the real one did not);
- ``file.save`` with a CR or LF in the name went to the page, where WebKitGTK's download broke
  and took the desktop window's IPC with it; ``.`` and ``..`` are no file names either.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from tempestweb.native import file, http, storage
from tempestweb.native._retry import retry_after_s
from tempestweb.native.errors import InvalidArgumentError
from tempestweb.native.http import RetryOptions
from tempestweb.native.testing import FakeNative
from tempestweb_contract.native import CURRENT_BRIDGE


class _RecordingBridge:
    """A session bridge that records each call and answers ``None`` (as the page does for put)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []

    async def call(
        self, capability: str, method: str, args: Mapping[str, Any], /, *, timeout_s: float
    ) -> Any:
        self.calls.append((capability, method, dict(args)))
        return None


@pytest.fixture
def bridge() -> Iterator[_RecordingBridge]:
    recording = _RecordingBridge()
    token = CURRENT_BRIDGE.set(recording)
    try:
        yield recording
    finally:
        CURRENT_BRIDGE.reset(token)


@pytest.mark.parametrize("value", ["\u00b2", "\u00b9\u00b3", "\u0661", "1\u00b2"])
def test_retry_after_digits_are_ascii(value: str) -> None:
    assert retry_after_s({"retry-after": value}) is None
    assert retry_after_s({"retry-after": "12"}) == 12.0


async def test_a_superscript_retry_after_falls_back_to_the_backoff(fake: FakeNative) -> None:
    fake.set_result(
        "http", "fetch", http.fake_response(503, headers={"Retry-After": "\u00b2"}), http.fake_response(200)
    )
    response = await http.request("GET", "/busy", retry=RetryOptions(attempts=2, backoff=0.01))
    assert (response.status, response.attempts) == (200, 2)


@pytest.mark.parametrize("charset", ["bogus", "hex", "rot13", "zlib"])
def test_text_of_an_unknown_or_non_text_charset_is_utf8(charset: str) -> None:
    response = http.Response(
        status=200, headers={"content-type": f"text/plain; charset={charset}"}, content="héllo".encode()
    )
    assert response.text() == "héllo"
    with pytest.raises(LookupError):
        response.text("bogus")  # a codec the caller names is the caller's


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, {"a": [1, math.nan]}, "\ud800"])
async def test_storage_put_refuses_what_the_wire_cannot_carry(
    bridge: _RecordingBridge, value: object
) -> None:
    with pytest.raises(InvalidArgumentError, match="storage values are JSON values or bytes"):
        await storage.put("k", value)  # type: ignore[arg-type]
    assert bridge.calls == []  # nothing reached the page (NaN used to be stored as null)
    await storage.put("k", {"a": [1, 2.5]})
    assert bridge.calls == [("storage", "put", {"key": "k", "kind": "json", "value": {"a": [1, 2.5]}})]


@pytest.mark.parametrize("name", ["a\nb", "a\rb", "report\r\n.txt", "tab\there", "del\x7f", ".", ".."])
async def test_file_save_refuses_control_characters_and_dot_names(fake: FakeNative, name: str) -> None:
    with pytest.raises(InvalidArgumentError, match="bad file name"):
        await file.save(name, b"x")
    assert fake.calls_to("file") == []
    assert (await file.save("..notes.txt", b"x")).method == "download"  # dots inside a name are fine
