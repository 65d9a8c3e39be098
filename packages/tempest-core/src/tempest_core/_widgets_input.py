"""Typed-value inputs: DatePicker and FileUpload (private).

DatePicker is the native ``<input type="date">`` (https://html.spec.whatwg.org/#date-state-(type=date)):
the browser supplies the localised field, the keyboard behaviour (arrows step a segment, typing
fills it) and the calendar popup, and the value on the wire is ``YYYY-MM-DD``
(https://html.spec.whatwg.org/#valid-date-string). Python sees only :class:`datetime.date`.
It listens to ``input``, which every engine fires each time the value changes; ``change`` fires
then in Chromium but only when focus leaves the field in WebKit (desktop on Linux and macOS,
Safari), where an app listening to it would not see a date until the person tabbed away.
"""

from __future__ import annotations

import datetime
import inspect
import re
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Final, Literal, cast

from tempest_core._html_build import describe
from tempest_core._internal.frame import CURRENT_SESSION
from tempest_core._theme_rules import filled
from tempest_core._widgets_base import (
    FOCUS_RING,
    check_callback,
    check_common,
    check_keywords,
    check_type,
    label_for,
    merge_styles,
)
from tempest_core._widgets_errors import error_id, error_text, field_box, invalid_attrs
from tempest_core.components import component
from tempest_core.errors import WidgetError
from tempest_core.events import InputEvent, UploadEvent
from tempest_core.hooks import use_state
from tempest_core.host._uploads import UploadCode, UploadedFile, UploadError, UploadLimits, upload_store
from tempest_core.html import Child, html
from tempest_core.nodes import Element, Node
from tempest_core.style import Style
from tempestweb_contract.names import ATTR_UPLOAD, ATTR_UPLOAD_MAX, ATTR_UPLOAD_PICK, EVENT_UPLOAD

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "DatePicker", "FileUpload", "parse_date"]

_ACCEPT_TOKEN_RE: Final = re.compile(
    r"^(\.[A-Za-z0-9][A-Za-z0-9._+-]*|[a-z0-9.+-]+/(\*|[a-z0-9.+-]+))$", re.IGNORECASE
)

INPUT_STYLE: Final = Style(
    font_family="inherit",
    font_size="var(--tw-text-md)",
    color="var(--tw-color-text)",
    background_color="var(--tw-color-surface)",
    border="1px solid var(--tw-color-border)",
    border_radius="var(--tw-radius-md)",
    padding="var(--tw-space-1) var(--tw-space-2)",
    color_scheme="light dark",
    focus_visible=FOCUS_RING,
    disabled=Style(opacity=0.6),
)
"""The input's look (theme tokens); ``color-scheme`` lets the browser draw a dark picker in dark mode."""


def parse_date(text: str | None, /) -> datetime.date | None:
    """Return the date of an ``<input type=date>`` value, or None for an empty or invalid one.

    Args:
        text: ``YYYY-MM-DD`` as the browser sends it; ``""`` when the field is cleared or
            incomplete. Years past 9999, which the browser allows, are not representable by
            :class:`datetime.date` and give None too.

    Returns:
        The date, or None.

    Example:
        >>> parse_date("2026-12-02"), parse_date(""), parse_date("275760-09-13")
        (datetime.date(2026, 12, 2), None, None)

    """
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _check_date(arg: str, value: object) -> None:
    if value is not None and (not isinstance(value, datetime.date) or isinstance(value, datetime.datetime)):
        raise WidgetError(f"DatePicker({arg}=...): expected datetime.date or None, got {describe(value)}")


def _on_date(fn: Callable[[datetime.date | None], object] | None) -> Callable[[InputEvent], object] | None:
    if fn is None:
        return None

    def on_input(event: InputEvent) -> object:
        return fn(parse_date(event.value))

    return on_input


@check_keywords
def DatePicker(
    *,
    value: datetime.date | None = None,
    on_change: Callable[[datetime.date | None], object] | None = None,
    min: datetime.date | None = None,
    max: datetime.date | None = None,
    label: str | None = None,
    error: str | None = None,
    name: str | None = None,
    disabled: bool = False,
    required: bool = False,
    aria_label: str | None = None,
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Element:
    """Build a controlled date field: the native ``<input type="date">``.

    Args:
        value: The date shown, or None for an empty field.
        on_change: Called with the new :class:`datetime.date`, or None when the field is
            cleared or incomplete, each time its value changes: a date picked, typed (each
            segment typed changes it) or stepped with the arrows (DOM ``input``,
            https://html.spec.whatwg.org/#event-input, fired at once in every engine; DOM
            ``change`` waits for focus to leave the field in WebKit).
        min: Earliest date offered (``min`` attribute); the picker greys out earlier dates, but
            a typed date outside the range still arrives (the field is ``:invalid``): check it.
        max: Latest date offered (``max`` attribute).
        label: Visible label wrapping the input.
        error: Validation message after the field (``aria-invalid``/``aria-describedby``; see
            :func:`~tempest_core.widgets.TextField`).
        name: Form field name (``SubmitEvent.fields`` holds ``YYYY-MM-DD``).
        disabled: Boolean attribute.
        required: Boolean attribute (constraint validation).
        aria_label: Accessible name when there is no visible label.
        key: Identity among keyed siblings.
        style: A Style laid over the default input style.
        class_: Extra class names.
        id: The ``id`` attribute.

    Returns:
        The ``<input>``, the ``<label>`` wrapping it, or with ``error`` a ``<div>`` holding
        those and the message.

    Raises:
        WidgetError: On an argument of the wrong type (a ``datetime.datetime`` is not a date
            here), ``min`` after ``max``, or an ``error`` on a field with neither ``id`` nor ``name``.

    Example:
        >>> import datetime
        >>> DatePicker(value=datetime.date(2026, 12, 2), min=datetime.date(2026, 1, 1)).attrs
        {'type': 'date', 'min': '2026-01-01'}

    """
    for arg, date in (("value", value), ("min", min), ("max", max)):
        _check_date(arg, date)
    if min is not None and max is not None and min > max:
        raise WidgetError(f"DatePicker(min=...): {min.isoformat()} is after max {max.isoformat()}")
    check_callback("DatePicker", "on_change", on_change)
    for arg, flag in (("disabled", disabled), ("required", required)):
        check_type("DatePicker", arg, flag, bool, "bool")
    for arg, text in (("name", name), ("aria_label", aria_label)):
        if text is not None:
            check_type("DatePicker", arg, text, str, "str")
    label = label_for("DatePicker", label)
    error = error_text("DatePicker", error)
    check_common("DatePicker", key, style, class_, id)
    message_id = None if error is None else error_id("DatePicker", id=id, name=name)
    wrapped = label is not None or error is not None
    control = html.input(
        type="date",
        value=value.isoformat() if value is not None else "",
        min=min.isoformat() if min is not None else None,
        max=max.isoformat() if max is not None else None,
        name=name,
        disabled=disabled,
        required=required,
        aria_label=aria_label,
        on_input=_on_date(on_change),
        key=None if wrapped else key,
        style=INPUT_STYLE if wrapped else merge_styles(INPUT_STYLE, style),
        class_=None if wrapped else class_,
        id=id,
        attrs=invalid_attrs(error, message_id) or None,
    )
    return field_box(
        control, label=label, error=error, message_id=message_id, key=key, style=style, class_=class_
    )


# --- FileUpload ---------------------------------------------------------------------------------

FileStatus = Literal["uploading", "done", "error"]
"""Where one file of a FileUpload is: bytes on their way, handed to ``on_upload``, or refused."""
DEFAULT_MAX_UPLOAD_BYTES: Final = 50_000_000
"""FileUpload's default largest file, in bytes (50 MB): pass ``max_bytes=None`` for no limit."""
MAX_FILES_SHOWN: Final = 20
"""Files a FileUpload lists (the newest); older entries are dropped from the list."""
_UPLOAD_CODES: Final = frozenset(UploadCode.__args__)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class _FileState:
    name: str
    size: int
    loaded: int
    status: FileStatus
    message: str = ""


_Files = tuple[tuple[str, _FileState], ...]


class _UploadHandler:
    """The drop zone's ``tw-upload`` handler; the host reads ``upload_limits`` from it."""

    __slots__ = ("on_error", "on_upload", "set_files", "upload_limits")

    def __init__(
        self,
        limits: UploadLimits,
        on_upload: Callable[[UploadedFile], object] | None,
        on_error: Callable[[UploadError], object] | None,
        set_files: Callable[[Callable[[_Files], _Files]], None],
    ) -> None:
        self.upload_limits = limits
        self.on_upload = on_upload
        self.on_error = on_error
        self.set_files = set_files

    def _show(self, upload_id: str, state: _FileState) -> None:
        def update(files: _Files) -> _Files:
            kept = tuple(item for item in files if item[0] != upload_id)
            return (*kept, (upload_id, state))[-MAX_FILES_SHOWN:]

        self.set_files(update)

    def __call__(self, data: UploadEvent) -> object:
        if data.phase == "progress":
            self._show(data.id, _FileState(data.name, data.size, min(data.loaded, data.size), "uploading"))
            return None
        if data.phase == "error":
            code = cast(UploadCode, data.code) if data.code in _UPLOAD_CODES else "upload_failed"
            message = data.message or "the upload failed"
            self._show(data.id, _FileState(data.name, data.size, 0, "error", message))
            return self.on_error(UploadError(code, message)) if self.on_error is not None else None
        uploaded = upload_store(CURRENT_SESSION.get()).take(data.id)
        if uploaded is None:
            message = "the file's bytes did not arrive"
            self._show(data.id, _FileState(data.name, data.size, 0, "error", message))
            return self.on_error(UploadError("upload_failed", message)) if self.on_error is not None else None
        self._show(data.id, _FileState(uploaded.name, uploaded.size, uploaded.size, "done"))
        if self.on_upload is None:
            uploaded.close()
            return None
        try:
            result = self.on_upload(uploaded)
        except BaseException:
            uploaded.close()
            raise
        if not inspect.isawaitable(result):
            uploaded.close()
            return result
        return _close_after(result, uploaded)


async def _close_after(result: Awaitable[object], uploaded: UploadedFile) -> object:
    try:
        return await result
    finally:
        uploaded.close()


def _size_text(size: int) -> str:
    """``1.5 MB``-style size (decimal units, as browsers and file managers show sizes)."""
    value = float(size)
    for unit in ("bytes", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    raise AssertionError("unreachable")  # pragma: no cover


_ZONE_STYLE: Final = Style(
    display="flex",
    flex_direction="column",
    gap="var(--tw-space-2)",
    padding="var(--tw-space-4)",
    color="var(--tw-color-text)",
    background_color="var(--tw-color-surface)",
    border="2px dashed var(--tw-color-border)",
    border_radius="var(--tw-radius-lg)",
    focus_within=Style(border_color="var(--tw-color-focus)"),
)
_PICK_STYLE: Final = Style(
    align_self="flex-start",
    font_family="inherit",
    font_size="var(--tw-text-md)",
    padding="var(--tw-space-2) var(--tw-space-4)",
    color="var(--tw-color-on-primary)",
    # Canvas in forced colors, its border then painted (_theme_rules.FORCED_PROPERTIES).
    background_color=filled("color-primary"),
    border="1px solid transparent",
    border_radius="var(--tw-radius-md)",
    hover=Style(background_color=filled("color-primary-hover")),
    focus_visible=FOCUS_RING,
    disabled=Style(opacity=0.6),
)
_LABEL_STYLE: Final = Style(font_weight=500)
_HINT_STYLE: Final = Style(margin=0, color="var(--tw-color-text-muted)", font_size="var(--tw-text-sm)")
_LIST_STYLE: Final = Style(
    list_style="none", margin=0, padding=0, display="flex", flex_direction="column", gap="var(--tw-space-2)"
)
_ITEM_STYLE: Final = Style(display="flex", flex_wrap="wrap", align_items="center", gap="var(--tw-space-2)")
_PROGRESS_STYLE: Final = Style(grow=1, min_width=120, accent_color="var(--tw-color-primary)")
_STATUS_STYLES: Final[dict[FileStatus, Style]] = {
    "uploading": Style(color="var(--tw-color-text-muted)", font_size="var(--tw-text-sm)"),
    "done": Style(color="var(--tw-color-success)", font_size="var(--tw-text-sm)"),
    "error": Style(color="var(--tw-color-danger)", font_size="var(--tw-text-sm)"),
}


def _file_item(upload_id: str, state: _FileState) -> Element:
    status: Child
    if state.status == "uploading":
        # The percentage is shown but not part of the live region's text: it changed with every
        # progress event (up to ten a second), and a screen reader queued each one ("Uploading,
        # 3%", "Uploading, 6%"...) while the file travelled. The list announces the file, then
        # its outcome; the <progress> beside it holds the value for whoever asks.
        percent = 100 * state.loaded // state.size if state.size else 0
        status = ["Uploading", html.span(f", {percent}%", aria_hidden="true")]
    elif state.status == "done":
        status = f"Uploaded, {_size_text(state.size)}"
    else:
        status = f"Failed: {state.message}"
    return html.li(
        html.span(state.name),
        html.progress(
            value=state.size if state.status == "done" else state.loaded,
            max=max(state.size, 1),
            aria_label=f"{state.name} upload progress",
            style=_PROGRESS_STYLE,
        )
        if state.status != "error"
        else None,
        html.span(status, style=_STATUS_STYLES[state.status]),
        key=upload_id,
        data_status=state.status,
        style=_ITEM_STYLE,
    )


@component
def _file_upload(
    *,
    limits: UploadLimits,
    on_upload: Callable[[UploadedFile], object] | None,
    on_error: Callable[[UploadError], object] | None,
    multiple: bool,
    label: str,
    button_label: str,
    disabled: bool,
    input_id: str,
    style: Style | None,
    class_: str | None,
    id: str | None,
) -> Node:
    files, set_files = use_state(cast(_Files, ()))
    handler = _UploadHandler(limits, on_upload, on_error, set_files)
    hints = ["Drop files here or choose them"]
    if limits.max_bytes is not None:
        hints.append(f"Up to {_size_text(limits.max_bytes)} per file")
    if limits.accept:
        hints.append(", ".join(limits.accept))
    hint_id = f"{input_id}-hint"
    return html.div(
        html.span(label, id=f"{input_id}-label", style=_LABEL_STYLE),
        html.p(" · ".join(hints), id=hint_id, style=_HINT_STYLE),
        html.input(
            type="file",
            id=input_id,
            multiple=multiple,
            accept=",".join(limits.accept) or None,
            disabled=disabled,
            hidden=True,
            tabindex=-1,
            aria_hidden="true",
        ),
        html.button(
            button_label,
            type="button",
            disabled=disabled,
            aria_describedby=hint_id,
            attrs={ATTR_UPLOAD_PICK: ""},
            style=_PICK_STYLE,
        ),
        html.ul(
            *(_file_item(upload_id, state) for upload_id, state in files),
            aria_live="polite",
            style=_LIST_STYLE,
        )
        if files
        else html.ul(aria_live="polite", style=_LIST_STYLE),
        role="group",
        aria_labelledby=f"{input_id}-label",
        attrs={
            ATTR_UPLOAD: "",
            **({ATTR_UPLOAD_MAX: str(limits.max_bytes)} if limits.max_bytes is not None else {}),
        },
        on={EVENT_UPLOAD: handler},
        style=merge_styles(_ZONE_STYLE, style),
        class_=class_,
        id=id,
    )


@check_keywords
def FileUpload(
    *,
    on_upload: Callable[[UploadedFile], object] | None = None,
    on_error: Callable[[UploadError], object] | None = None,
    multiple: bool = False,
    accept: Sequence[str] = (),
    max_bytes: int | None = DEFAULT_MAX_UPLOAD_BYTES,
    label: str = "Upload files",
    button_label: str = "Choose files",
    disabled: bool = False,
    input_id: str = "tw-upload",
    key: Hashable | None = None,
    style: Style | None = None,
    class_: str | None = None,
    id: str | None = None,
) -> Node:
    """Build a file drop zone with a picker button and per-file progress.

    Files come from the button (the native picker of an ``<input type="file">``) or are dropped
    on the zone (HTML drag and drop, https://html.spec.whatwg.org/multipage/dnd.html). Each file
    travels alone: in Mode B the page POSTs its bytes to ``/_tw/upload`` (progress from
    ``XMLHttpRequest`` upload events, https://xhr.spec.whatwg.org/#the-upload-attribute), streamed
    into a size-bounded spooled file; in Mode A the page reads the ``File`` and hands its bytes to
    Python in the page. Progress, completion and errors are listed in the zone (an ``aria-live``
    list). In a desktop window no IPC path carries file bytes yet: each file fails with
    ``not_supported``.

    Args:
        on_upload: Called once per file with an :class:`~tempest_core.host.UploadedFile`
            (``name``, ``size`` in bytes, ``content_type``, ``file``/``read()``); the file is
            closed when the handler returns (an ``async`` handler: when it finishes).
        on_error: Called with an :class:`~tempest_core.host.UploadError` for each refused or
            failed file (``code``: ``too_large``, ``not_accepted``, ``upload_failed``,
            ``not_supported``, ``too_many_uploads``...); the list shows the message either way.
        multiple: Allow choosing several files at once (drops may always carry several).
        accept: File types accepted, as ``accept`` tokens (``".pdf"``, ``"image/*"``,
            ``"text/csv"``); empty: any. Checked in the page and again on the bytes' arrival.
        max_bytes: Largest file, in bytes (default :data:`DEFAULT_MAX_UPLOAD_BYTES`, 50 MB);
            None: no limit (the host then spools any size to disk). A larger file is refused
            before it is sent and, if sent anyway, discarded as soon as its bytes pass the limit.
        label: Visible name of the zone (its ``role="group"`` is labelled by it).
        button_label: Text of the picker button.
        disabled: Disable the picker button (drops are ignored too).
        input_id: ``id`` of the file input (and prefix of the label and hint ids); unique in the page.
        key: Identity among keyed siblings.
        style: A Style laid over the zone's style.
        class_: Extra class names.
        id: The zone's ``id``.

    Returns:
        A component rendering the zone ``<div role="group">``.

    Raises:
        WidgetError: On an argument of the wrong type, a negative ``max_bytes`` or an
            ``accept`` token that is neither ``.ext`` nor a MIME type.

    """
    check_callback("FileUpload", "on_upload", on_upload)
    check_callback("FileUpload", "on_error", on_error)
    for arg, flag in (("multiple", multiple), ("disabled", disabled)):
        check_type("FileUpload", arg, flag, bool, "bool")
    for arg, text in (("label", label), ("button_label", button_label), ("input_id", input_id)):
        check_type("FileUpload", arg, text, str, "str")
    if max_bytes is not None and (
        isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 0
    ):
        raise WidgetError(
            f"FileUpload(max_bytes=...): expected a non-negative int or None, got {describe(max_bytes)}"
        )
    if isinstance(accept, str) or not isinstance(accept, Sequence):
        raise WidgetError(
            "FileUpload(accept=...): expected a sequence of str such as ['.pdf', 'image/*'], "
            f"got {describe(accept)}"
        )
    for token in accept:
        if not isinstance(token, str) or not _ACCEPT_TOKEN_RE.match(token):
            raise WidgetError(
                "FileUpload(accept=...): expected '.ext' or a MIME type such as 'image/*', "
                f"got {describe(token)}"
            )
    check_common("FileUpload", key, style, class_, id)
    return _file_upload(
        key=key,
        limits=UploadLimits(max_bytes=max_bytes, accept=tuple(accept)),
        on_upload=on_upload,
        on_error=on_error,
        multiple=multiple,
        label=label,
        button_label=button_label,
        disabled=disabled,
        input_id=input_id,
        style=style,
        class_=class_,
        id=id,
    )
