"""``tempestweb.native.notification`` against the fake backend: arguments, results, typed errors."""

from __future__ import annotations

from typing import Any

import pytest

from tempestweb.native import notification
from tempestweb.native.errors import (
    InvalidArgumentError,
    MalformedResultError,
    NativeNotFoundError,
    NotSupportedError,
    PermissionDeniedError,
)
from tempestweb.native.notification import NotificationHandle
from tempestweb.native.testing import FakeNative


async def test_the_permission_flow_of_a_quiet_browser(fake: FakeNative) -> None:
    assert await notification.permission() == "default"
    with pytest.raises(PermissionDeniedError, match="'default'"):
        await notification.show("too early")
    assert await notification.request_permission() == "granted"
    assert await notification.permission() == "granted"
    handle = await notification.show("Saved", body="3 files", tag="save", silent=True)
    assert isinstance(handle, NotificationHandle)
    assert (handle.title, handle.tag) == ("Saved", "save")
    assert fake.notifications == [
        {
            "title": "Saved",
            "body": "3 files",
            "icon": None,
            "badge": None,
            "tag": "save",
            "lang": None,
            "dir": "auto",
            "silent": True,
            "require_interaction": False,
            "renotify": False,
        }
    ]
    await handle.close()
    assert fake.calls_to("notification", "close")[0].args == {"id": handle.id}


async def test_a_refusal_stays_denied(fake: FakeNative) -> None:
    fake.notification_permission = "denied"
    assert await notification.request_permission() == "denied"
    with pytest.raises(PermissionDeniedError) as info:
        await notification.show("x")
    assert (info.value.capability, info.value.method) == ("notification", "show")
    assert fake.notifications == []


async def test_deny_and_not_supported_are_typed(fake: FakeNative) -> None:
    fake.deny("notification", "show")
    fake.notification_permission = "granted"
    with pytest.raises(PermissionDeniedError):
        await notification.show("x")
    fake.fail("notification", code="not_supported", message="no Notifications API")
    with pytest.raises(NotSupportedError):
        await notification.permission()


async def test_no_handle_when_the_page_holds_no_object(fake: FakeNative) -> None:
    fake.set_result(
        "notification", "show", {"id": None, "via": "plugin"}, {"id": None, "via": "service_worker"}
    )
    assert await notification.show("desktop") is None
    assert await notification.show("android") is None


@pytest.mark.parametrize(
    "kwargs",
    [
        {"title": 3},
        {"title": "t", "body": b"bytes"},
        {"title": "t", "icon": 1},
        {"title": "t", "dir": "up"},
        {"title": "t", "renotify": True},
        {"title": "t", "renotify": True, "tag": ""},
    ],
)
async def test_bad_arguments_never_reach_the_page(fake: FakeNative, kwargs: dict[str, Any]) -> None:
    fake.notification_permission = "granted"
    title = kwargs.pop("title")
    with pytest.raises(InvalidArgumentError):
        await notification.show(title, **kwargs)
    assert fake.calls == []


async def test_renotify_with_a_tag_is_sent(fake: FakeNative) -> None:
    fake.notification_permission = "granted"
    await notification.show("t", tag="chat", renotify=True, require_interaction=True, dir="rtl", lang="ar")
    sent = fake.notifications[0]
    assert (sent["renotify"], sent["require_interaction"], sent["dir"], sent["lang"]) == (
        True,
        True,
        "rtl",
        "ar",
    )


@pytest.mark.parametrize(
    "answer",
    [{"permission": "maybe"}, {"permission": None}, "granted", {}],
)
async def test_malformed_permissions(fake: FakeNative, answer: object) -> None:
    fake.set_result("notification", "permission", answer)
    with pytest.raises(MalformedResultError):
        await notification.permission()


@pytest.mark.parametrize("answer", [{"id": 1, "via": "page"}, {"id": "n1", "via": "fax"}, None])
async def test_malformed_show_answers(fake: FakeNative, answer: object) -> None:
    fake.notification_permission = "granted"
    fake.set_result("notification", "show", answer)
    with pytest.raises(MalformedResultError):
        await notification.show("x")


async def test_events_in_order_and_missed_ones_counted(fake: FakeNative) -> None:
    fake.notification_permission = "granted"
    fake.set_result(
        "notification",
        "next_event",
        {"event": "show", "missed": 0},
        {"event": "click", "missed": 2},
        {"event": None, "missed": 0},
    )
    handle = await notification.show("x")
    assert handle is not None
    assert await handle.next_event(wait_s=1) == "show"
    assert await handle.next_event(wait_s=1) == "click"
    assert handle.missed_events == 2
    assert await handle.next_event(wait_s=0.5) is None
    waits = [call.args["wait_ms"] for call in fake.calls_to("notification", "next_event")]
    assert waits == [1000, 1000, 500]
    assert all(call.args["id"] == handle.id for call in fake.calls_to("notification", "next_event"))


async def test_a_long_wait_is_several_page_calls(fake: FakeNative, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notification, "WAIT_SLICE_S", 2.0)
    fake.notification_permission = "granted"
    fake.set_result("notification", "next_event", {"event": None}, {"event": None}, {"event": "close"})
    handle = await notification.show("x")
    assert handle is not None
    assert await handle.next_event(wait_s=5) == "close"
    waits = [call.args["wait_ms"] for call in fake.calls_to("notification", "next_event")]
    assert waits == [2000, 2000, 1000]


async def test_next_event_of_a_forgotten_notification_and_bad_waits(fake: FakeNative) -> None:
    fake.notification_permission = "granted"
    handle = await notification.show("x")
    assert handle is not None
    with pytest.raises(InvalidArgumentError):
        await handle.next_event(wait_s=0)
    with pytest.raises(InvalidArgumentError):
        await handle.next_event(wait_s=float("nan"))
    fake.fail("notification", "next_event", code="not_found", message="no notification n1 is followed")
    with pytest.raises(NativeNotFoundError):
        await handle.next_event()


async def test_the_handle_calls_the_bridge_that_showed_it(fake: FakeNative) -> None:
    fake.notification_permission = "granted"
    handle = await notification.show("x")
    assert handle is not None
    other = FakeNative()
    with other.installed():
        await handle.close()  # still the first page's notification
    assert len(fake.calls_to("notification", "close")) == 1
    assert other.calls == []
    assert "NotificationHandle(id=" in repr(handle)
