"""FileUpload and the session host's upload store: limits, accept rule, the handler's phases."""

from __future__ import annotations

import asyncio
import doctest
import gc
from collections.abc import AsyncIterator
from typing import Any

import pytest

import tempest_core.host._uploads as uploads_module
from tempest_core import App
from tempest_core.errors import SessionError, WidgetError
from tempest_core.host import (
    UploadBudget,
    UploadedFile,
    UploadError,
    UploadLimits,
    UploadStore,
    accepts,
    upload_store,
)
from tempest_core.host._uploads import UploadCode
from tempest_core.nodes import Node
from tempest_core.testing import Pilot, run_test
from tempest_core.widgets import FileUpload
from tempestweb_contract.names import UPLOAD_ERROR, UPLOAD_FIELD, UPLOAD_PHASE

any_upload: Any = FileUpload
LIMITS = UploadLimits(max_bytes=10, accept=(".txt", "image/*"))


async def chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        await asyncio.sleep(0)
        yield part


async def test_store_spools_and_hands_over_once() -> None:
    store = UploadStore()
    stored = await store.receive(
        "file-0001", chunks(b"ab", b"cd"), limits=LIMITS, name="C:\\x\\a.txt", content_type="text/plain"
    )
    assert (stored.name, stored.size, stored.read()) == ("a.txt", 4, b"abcd")
    assert store.take("file-0001") is stored and store.take("file-0001") is None
    stored.close()
    assert stored.file.closed


async def test_store_refuses_over_size_and_keeps_nothing() -> None:
    store = UploadStore()
    with pytest.raises(UploadError) as caught:
        await store.receive(
            "file-0002", chunks(b"x" * 6, b"y" * 6), limits=LIMITS, name="a.txt", content_type=""
        )
    assert caught.value.code == "too_large" and len(store) == 0
    with pytest.raises(UploadError, match="too_large"):
        store.receive_bytes("file-0003", b"z" * 11, limits=LIMITS, name="a.txt", content_type="")
    exact = store.receive_bytes("file-0004", b"z" * 10, limits=LIMITS, name="a.txt", content_type="")
    assert exact.size == 10


async def test_store_spills_to_disk_past_the_memory_spool() -> None:
    store = UploadStore(spool_bytes=4)
    stored = await store.receive(
        "file-0005", chunks(b"12345678"), limits=UploadLimits(None, ()), name="b", content_type=""
    )
    assert stored.file._rolled  # type: ignore[attr-defined]  # SpooledTemporaryFile moved to disk
    assert stored.read() == b"12345678"


def test_store_bounds_pending_files_and_ids() -> None:
    store = UploadStore(max_pending=1)
    store.receive_bytes("file-0006", b"1", limits=LIMITS, name="a.txt", content_type="")
    with pytest.raises(UploadError) as caught:
        store.receive_bytes("file-0007", b"1", limits=LIMITS, name="a.txt", content_type="")
    assert caught.value.code == "too_many_uploads"
    with pytest.raises(UploadError) as bad_id:
        UploadStore().receive_bytes("../x", b"1", limits=LIMITS, name="a.txt", content_type="")
    assert bad_id.value.code == "not_found"
    with pytest.raises(UploadError) as refused:
        UploadStore().receive_bytes(
            "file-0008", b"1", limits=LIMITS, name="a.pdf", content_type="application/pdf"
        )
    assert refused.value.code == "not_accepted"


@pytest.mark.parametrize(
    ("accept", "name", "content_type", "ok"),
    [
        ((), "anything", "", True),
        ((".txt",), "A.TXT", "", True),
        ((".txt",), "a.txt.exe", "", False),
        (("image/*",), "x", "image/png", True),
        (("image/*",), "x", "imagex/png", False),
        (("text/csv",), "x", "TEXT/CSV", True),
        (("text/csv",), "x.csv", "text/plain", False),
    ],
)
def test_accepts(accept: tuple[str, ...], name: str, content_type: str, ok: bool) -> None:
    assert accepts(accept, name, content_type) is ok


def test_codes_match_the_contract() -> None:
    assert set(UploadCode.__args__) == set(UPLOAD_ERROR.values())  # type: ignore[attr-defined]


def test_docstring_examples() -> None:
    result = doctest.testmod(uploads_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# -- the FileUpload component ---------------------------------------------------------------------

received: list[UploadedFile] = []
errors: list[UploadError] = []


def view(_state: None) -> Node:
    return FileUpload(
        on_upload=received.append,
        on_error=errors.append,
        max_bytes=10,
        accept=[".txt"],
        multiple=True,
        id="zone",
    )


def payload(phase: str, **extra: object) -> dict[str, Any]:
    data = {
        UPLOAD_FIELD["ID"]: "file-0001",
        UPLOAD_FIELD["PHASE"]: phase,
        "name": "a.txt",
        "size": 4,
        "type": "text/plain",
    }
    return {**data, **extra}


async def fire(pilot: Pilot, phase: str, **extra: object) -> None:
    await pilot.fire("#zone", "tw-upload", payload(phase, **extra))


async def test_zone_markup() -> None:
    async with run_test(App(view=view)) as pilot:
        zone = pilot.one("#zone")
        assert zone.attrs["data-tw-upload"] == "" and zone.attrs["data-tw-upload-max"] == "10"
        assert zone.attrs["role"] == "group" and zone.attrs["aria-labelledby"] == "tw-upload-label"
        assert "tw-upload" in zone.events
        picker = pilot.one("input")
        assert (
            picker.attrs["type"] == "file" and picker.attrs["accept"] == ".txt" and "multiple" in picker.attrs
        )
        assert "data-tw-upload-pick" in pilot.one("button").attrs
        hint = "Drop files here or choose them · Up to 10 bytes per file · .txt"
        assert pilot.text("#tw-upload-hint") == hint


async def test_progress_done_and_the_file_closed_after_the_handler() -> None:
    received.clear()
    async with run_test(App(view=view)) as pilot:
        await fire(pilot, UPLOAD_PHASE["PROGRESS"], loaded=1)
        assert pilot.one("li").attrs["data-status"] == "uploading"
        assert pilot.one("progress").attrs == {
            "value": "1",
            "max": "4",
            "aria-label": "a.txt upload progress",
            "class": pilot.one("progress").attrs["class"],
        }
        assert "Uploading, 25%" in pilot.text("li")
        upload_store(pilot.session).receive_bytes(
            "file-0001", b"abcd", limits=UploadLimits(10, (".txt",)), name="a.txt", content_type="text/plain"
        )
        await fire(pilot, UPLOAD_PHASE["DONE"])
        assert pilot.one("li").attrs["data-status"] == "done"
        assert "Uploaded, 4 bytes" in pilot.text("li")
    assert [(f.name, f.size, f.content_type) for f in received] == [("a.txt", 4, "text/plain")]
    assert received[0].file.closed


async def test_async_handler_keeps_the_file_open_until_it_finishes() -> None:
    seen: list[bytes] = []

    async def on_upload(file: UploadedFile) -> None:
        await asyncio.sleep(0)
        seen.append(file.read())

    async with run_test(App(view=lambda _s: FileUpload(on_upload=on_upload, id="zone"))) as pilot:
        upload_store(pilot.session).receive_bytes(
            "file-0001", b"data", limits=UploadLimits(None, ()), name="a.txt", content_type=""
        )
        await fire(pilot, "done")
        await pilot.wait()
    assert seen == [b"data"]


async def test_error_phase_and_missing_bytes_reach_on_error() -> None:
    errors.clear()
    async with run_test(App(view=view)) as pilot:
        await fire(pilot, "error", code="too_large", message="the file is larger than 10 bytes")
        assert pilot.one("li").attrs["data-status"] == "error"
        assert "Failed: the file is larger than 10 bytes" in pilot.text("li")
        await pilot.fire("#zone", "tw-upload", {**payload("done"), "id": "file-0002"})
        assert "the file's bytes did not arrive" in pilot.text("ul")
        await pilot.fire("#zone", "tw-upload", {**payload("error", code="made_up"), "id": "file-0003"})
    assert [e.code for e in errors] == ["too_large", "upload_failed", "upload_failed"]


async def test_bad_payload_is_invalid_event_data() -> None:
    async with run_test(App(view=view), raise_errors=True) as pilot:
        with pytest.raises(SessionError) as caught:
            await pilot.fire("#zone", "tw-upload", payload("later"))
    assert caught.value.code == "invalid_event_data"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_bytes": -1}, "FileUpload(max_bytes=...): expected a non-negative int or None, got int (-1)"),
        ({"max_bytes": True}, "FileUpload(max_bytes=...): expected a non-negative int or None, got bool"),
        ({"accept": ".pdf"}, "FileUpload(accept=...): expected a sequence of str"),
        (
            {"accept": ["pdf"]},
            "FileUpload(accept=...): expected '.ext' or a MIME type such as 'image/*', got str ('pdf')",
        ),
        ({"on_upload": 3}, "FileUpload(on_upload=...): expected a callable, got int (3)"),
        ({"multiple": "yes"}, "FileUpload(multiple=...): expected bool"),
        ({"max_byte": 3}, "FileUpload(max_byte=...): unknown keyword argument; did you mean 'max_bytes'?"),
    ],
)
def test_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(WidgetError) as caught:
        any_upload(**kwargs)
    assert str(caught.value).startswith(message)


async def test_default_limit_is_50_mb_and_none_means_no_limit() -> None:
    async with run_test(App(view=lambda _s: FileUpload(id="zone"))) as pilot:
        assert pilot.one("#zone").attrs["data-tw-upload-max"] == "50000000"
        assert pilot.text("#tw-upload-hint") == "Drop files here or choose them · Up to 50.0 MB per file"
    async with run_test(App(view=lambda _s: FileUpload(id="zone", max_bytes=None))) as pilot:
        assert "data-tw-upload-max" not in pilot.one("#zone").attrs


async def test_store_files_count_against_the_process_budget_in_memory_then_on_disk() -> None:
    # Issue 13: a client opening pages and uploading files it never hands to the handler held
    # 32 MiB of memory per page (20 pages: 46 -> 671 MiB) until each session expired.
    budget = UploadBudget(limit=30, memory_limit=8)
    first, second = UploadStore(spool_bytes=4, budget=budget), UploadStore(spool_bytes=4, budget=budget)
    any_file = UploadLimits(None, ())
    a = await first.receive("file-0101", chunks(b"x" * 10), limits=any_file, name="a", content_type="")
    b = second.receive_bytes("file-0102", b"y" * 10, limits=any_file, name="b", content_type="")
    assert (budget.used, budget.in_memory) == (20, 8)  # two files reserved the memory share
    c = second.receive_bytes("file-0103", b"z" * 5, limits=any_file, name="c", content_type="")
    assert not hasattr(c.file, "_rolled") and c.read() == b"z" * 5  # memory share taken: on disk
    assert (budget.used, budget.in_memory) == (25, 8)
    with pytest.raises(UploadError) as caught:  # 25 + 6 > 30, across sessions
        await first.receive(
            "file-0104", chunks(b"1" * 3, b"2" * 3), limits=any_file, name="d", content_type=""
        )
    assert caught.value.code == "too_many_uploads" and "try again" in caught.value.message
    assert (budget.used, budget.in_memory, len(first)) == (25, 8, 1)  # what the refusal read went back
    assert first.take("file-0101") is a  # handed to the handler: it leaves the budget
    assert (budget.used, budget.in_memory) == (15, 4)
    second.close()  # a session closing gives its files back
    assert (budget.used, budget.in_memory) == (0, 0) and b.file.closed
    third = UploadStore(spool_bytes=4, budget=budget)
    third.receive_bytes("file-0105", b"w" * 7, limits=any_file, name="e", content_type="")
    assert budget.used == 7
    del third  # dropped without close(): its files still go back
    gc.collect()
    assert (budget.used, budget.in_memory) == (0, 0)


async def test_files_count_against_the_store_from_their_first_byte() -> None:
    """Issue 13: the store checked an id and its bound only once a file was whole, so two files
    with one id arriving at once were both kept (the second replacing the first, whose bytes
    stayed counted in the process's budget for good), and files arriving at once passed
    ``max_pending``."""
    budget = UploadBudget(limit=1_000)
    store = UploadStore(max_pending=2, budget=budget)
    release = asyncio.Event()

    async def slow(*parts: bytes) -> AsyncIterator[bytes]:
        for part in parts:
            yield part
            await release.wait()

    first = asyncio.create_task(
        store.receive("file-0100", slow(b"ab", b"cd"), limits=LIMITS, name="a.txt", content_type="")
    )
    await asyncio.sleep(0)
    with pytest.raises(UploadError, match="already waiting or arriving") as same_id:
        await store.receive("file-0100", chunks(b"x"), limits=LIMITS, name="a.txt", content_type="")
    assert same_id.value.code == "too_many_uploads"
    second = asyncio.create_task(
        store.receive("file-0101", slow(b"ef"), limits=LIMITS, name="a.txt", content_type="")
    )
    await asyncio.sleep(0)
    with pytest.raises(UploadError, match="at most 2 files may arrive or wait") as full:
        store.receive_bytes("file-0102", b"1", limits=LIMITS, name="a.txt", content_type="")
    assert full.value.code == "too_many_uploads"
    release.set()
    assert (await first).read() == b"abcd" and (await second).read() == b"ef"
    assert len(store) == 2 and budget.used == 6
    store.close()
    assert budget.used == 0


async def test_a_file_arriving_when_its_session_closes_is_discarded() -> None:
    budget = UploadBudget(limit=1_000)
    store = UploadStore(budget=budget)
    release = asyncio.Event()

    async def slow() -> AsyncIterator[bytes]:
        yield b"ab"
        await release.wait()
        yield b"cd"

    arriving = asyncio.create_task(
        store.receive("file-0200", slow(), limits=LIMITS, name="a.txt", content_type="")
    )
    await asyncio.sleep(0)
    assert budget.used == 2
    store.close()  # the session closed (evicted, expired) while the file arrived
    release.set()
    with pytest.raises(UploadError, match="the session closed while the file arrived") as caught:
        await arriving
    assert caught.value.code == "not_found" and len(store) == 0 and budget.used == 0
    with pytest.raises(UploadError, match="the session closed"):
        store.receive_bytes("file-0201", b"1", limits=LIMITS, name="a.txt", content_type="")
