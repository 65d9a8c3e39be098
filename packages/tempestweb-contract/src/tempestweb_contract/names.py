"""Every shared word of the page and of the HTTP surface that is not a message tag.

Endpoint paths, element ids, ``data-tw-*`` attributes (hydration markers and the shell's
configuration), query keys and event payload field names are spelled here once. The hosts
(Mode B server, Mode A builder and runtime), ``tempest_core``'s prerender and the JS client all
use these values; the client imports them from the generated ``client/src/constants.js``.

Hydration markers (``docs/design.md``): every prerendered element carries
``data-tw="<node id>"`` (:data:`ATTR_NODE_ID`), elements with listeners carry
``data-tw-on="click:0 input:1"`` (:data:`ATTR_LISTENERS`, ``name:flags`` pairs), and every text
node is preceded by a ``<!--<node id>-->`` comment.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

__all__ = [
    "FORBIDDEN_ATTRIBUTES",
    "FORBIDDEN_TAGS",
    "IMAGE_URL_ATTRIBUTES",
    "SAFE_DATA_IMAGE_TYPES",
    "SAFE_URL_SCHEMES",
    "URL_ATTRIBUTES",
    "URL_LIST_ATTRIBUTES",
    "ATTR_BEHAVIOR",
    "ATTR_CAPABILITY",
    "ATTR_COLOR_SCHEME",
    "ATTR_ENDPOINT",
    "ATTR_FAILED",
    "ATTR_KEYS",
    "ATTR_LISTENERS",
    "ATTR_MODE",
    "ATTR_NODE_ID",
    "ATTR_PROPS",
    "ATTR_READY",
    "ATTR_SEQ",
    "ATTR_SESSION",
    "ATTR_STATUS",
    "ATTR_TEXT_ID",
    "ATTR_TOKEN",
    "ATTR_TRANSPORT",
    "ATTR_UI_STATE",
    "ATTR_UPLOAD",
    "ATTR_UPLOAD_MAX",
    "ATTR_UPLOAD_PICK",
    "BEHAVIOR",
    "BUILD_MANIFEST_FILE",
    "CLASS_BANNER",
    "CLASS_BOOT",
    "CLASS_LOADING",
    "CLASS_OVERLAY",
    "CLIENT_EARLY_FILE",
    "CLIENT_ENTRY_FILE",
    "CLIENT_PATH",
    "DESKTOP_PLUGINS_META",
    "DEV_BUILD_META",
    "DEV_EVENT",
    "DEV_EVENTS_PATH",
    "DOM_EVENT_DEV_UPDATE",
    "DOM_EVENT_DISMISS",
    "DOM_EVENT_EARLY_INPUT",
    "DOM_EVENT_ERROR",
    "DOM_EVENT_PAUSE",
    "DOM_EVENT_RESUME",
    "DOM_EVENT_STATUS",
    "ENDPOINT_PREFIX",
    "EVENT_FIELD",
    "EVENT_FIELDS",
    "EVENT_UPLOAD",
    "FORM_FIELD_PREFIX",
    "IPC_ANSWER_PATH",
    "IPC_CONNECT_PATH",
    "IPC_SEND_PATH",
    "NATIVE_PATH",
    "QUERY_FILE_NAME",
    "QUERY_NODE",
    "QUERY_SESSION",
    "QUERY_STREAM",
    "QUERY_TOKEN",
    "QUERY_UPLOAD",
    "ROOT_ELEMENT_ID",
    "SEND_PATH",
    "REHEARSAL_PATH",
    "RELOAD_FAILED_MESSAGE",
    "SSE_PATH",
    "STYLE_ELEMENT_ID",
    "TRANSPORTS",
    "UPLOAD_ERROR",
    "UPLOAD_FIELD",
    "UPLOAD_PATH",
    "UPLOAD_PHASE",
    "VIEW_SUBJECT",
    "WS_PATH",
]

# --- endpoints ----------------------------------------------------------------------------------

ENDPOINT_PREFIX: Final = "/_tw"
"""URL prefix of every host endpoint (client files, WebSocket, SSE, POST, dev events); never
routed to the app and never an asset path. The paths below are relative to it."""

CLIENT_PATH: Final = "/client"
"""Below :data:`ENDPOINT_PREFIX`: folder the JS client's ES modules are served from (Mode B)."""

WS_PATH: Final = "/ws"
"""Below :data:`ENDPOINT_PREFIX`: the WebSocket transport (RFC 6455)."""

SSE_PATH: Final = "/sse"
"""Below :data:`ENDPOINT_PREFIX`: the Server-Sent Events stream of the SSE + POST transport."""

SEND_PATH: Final = "/send"
"""Below :data:`ENDPOINT_PREFIX`: the POST endpoint of the SSE + POST transport."""

REHEARSAL_PATH: Final = "/rehearsal"
"""Below :data:`ENDPOINT_PREFIX`: the host's recording of the idle-time rehearsal (Mode B; GET,
JSON ``{v, init, actions, answers}``), which the client replays in an inert document once the
page is idle so that a person's first scroll, keystroke and click run compiled code."""

DEV_EVENTS_PATH: Final = "/dev/events"
"""Below :data:`ENDPOINT_PREFIX`: the dev server's reload event stream (``tempestweb dev``)."""

DEV_EVENT: Final = MappingProxyType(
    {"HELLO": "hello", "RELOAD": "reload", "UPDATE": "update", "STYLESHEETS": "stylesheets"}
)
"""Event names of the dev event stream (:data:`DEV_EVENTS_PATH`, Server-Sent Events;
:mod:`tempestweb_contract.dev`): ``hello`` (data: the build the server runs, on every
(re)connect), ``reload`` (data: the new build; the page reloads), ``update`` (data: the new
build; only the app's Python changed, applied in place where the page can) and ``stylesheets``
(data: JSON ``{"build": id, "paths": ["static/app.css"]}``, the linked stylesheets whose files
changed, as paths relative to the site root; the page loads them again without reloading)."""

IPC_CONNECT_PATH: Final = "/connect"
"""Below :data:`ENDPOINT_PREFIX`: the desktop IPC command opening a connection (``pyInvoke``
body ``{channel}``, answer ``{connection}``; server frames then arrive on that channel)."""

IPC_SEND_PATH: Final = "/send"
"""Below :data:`ENDPOINT_PREFIX`: the desktop IPC command carrying a batch of client frames
(``<connection id>\n<bytes received>[\n<frame>]*``), one call in flight at a time."""

IPC_ANSWER_PATH: Final = "/answer"
"""Below :data:`ENDPOINT_PREFIX`: the desktop IPC command by which the page answers a host's
``eval_js`` request (``{id, ok, value | name, message}``)."""

NATIVE_PATH: Final = "/native"
"""Below :data:`ENDPOINT_PREFIX`: the capability modules Mode B serves (``/_tw/native/<root>/<file>``)."""

UPLOAD_PATH: Final = "/upload"
"""Below :data:`ENDPOINT_PREFIX`: Mode B's POST endpoint receiving one file of a FileUpload, its
bytes as the body (``Content-Type``: the file's type), with the query keys
:data:`QUERY_SESSION`, :data:`QUERY_TOKEN`, :data:`QUERY_NODE`, :data:`QUERY_UPLOAD` and
:data:`QUERY_FILE_NAME`. Answers 200 ``{"id", "size"}`` or an error status with ``{"code",
"message"}`` (a :data:`UPLOAD_ERROR` code)."""

QUERY_SESSION: Final = "session"
"""Query key carrying the session id on SSE and POST requests."""

QUERY_TOKEN: Final = "token"
"""Query key carrying the session-bound token on SSE and POST requests."""

QUERY_STREAM: Final = "stream"
"""Query key carrying the id of one SSE stream on its ``GET`` and on every ``POST`` of it.

The JS client draws a new one for each stream it opens (16 hex digits from
``crypto.getRandomValues``), so a host can refuse a ``POST`` left over from an earlier stream of
the same session (a request the network held across a reconnect) instead of taking it for the
next stream's first frame (docs/protocol.md, "The SSE + POST transport")."""

QUERY_NODE: Final = "node"
"""Query key of an upload: the node id of the FileUpload's drop zone (its handler and limits)."""

QUERY_UPLOAD: Final = "upload"
"""Query key of an upload: the id the client gave the file (:data:`UPLOAD_FIELD` ``ID``)."""

QUERY_FILE_NAME: Final = "name"
"""Query key of an upload: the file's name as the browser gives it (``File.name``)."""

CLIENT_ENTRY_FILE: Final = "boot.js"
"""File name of the JS client's auto-booting entry module (mounts :data:`ROOT_ELEMENT_ID`)."""

CLIENT_EARLY_FILE: Final = "early.js"
"""File name of the JS client's early-input script: a classic script in the page's ``<head>``
that records what a person does on the prerendered view before the client module has mounted
(clicks, keys, typed text), so the client replays it at mount (issue 12)."""

BUILD_MANIFEST_FILE: Final = "tw-build.json"
"""Mode A: the build manifest ``bootstrap.js`` reads (wheels, app files, entry point)."""

TRANSPORTS: Final = ("auto", "ws", "sse", "ipc")
"""Values of :data:`ATTR_TRANSPORT`: WebSocket falling back to SSE + POST, only one of them, or
PyTauri IPC in a desktop window."""

# --- the page -------------------------------------------------------------------------------------

ROOT_ELEMENT_ID: Final = "tw-root"
"""``id`` of the element the app is mounted into (node id 0)."""

STYLE_ELEMENT_ID: Final = "tw-styles"
"""``id`` of the ``<style>`` element holding the generated style rules."""

ATTR_NODE_ID: Final = "data-tw"
"""Hydration marker: the node id of a prerendered element."""

ATTR_LISTENERS: Final = "data-tw-on"
"""Hydration marker: the listeners of a prerendered element, ``"name:flags"`` separated by spaces."""

ATTR_PROPS: Final = "data-tw-props"
"""Hydration marker: the DOM properties of a prerendered element that have no attribute form
(``indeterminate``), a JSON object; the client sets them when it hydrates the element."""

ATTR_TEXT_ID: Final = "data-tw-text"
"""Hydration marker on a prerendered element whose content the HTML parser reads as text (raw
text: ``<style>``, ``<noscript>``...; escapable raw text: ``<textarea>``, ``<title>``), where a
``<!--id-->`` comment would be text too: the node id of its one text child. ``"-"`` when its
children cannot be written so that the parser gives them back (several nodes, elements, a text
the parser would change, a ``<template>``'s content): they are left out and the client mounts
the page afresh instead of hydrating it."""

ATTR_KEYS: Final = "data-tw-keys"
"""Key filter of an element's key listeners: a JSON object, DOM event name (``keydown``,
``keyup``) -> the ``KeyboardEvent.key`` values (https://w3c.github.io/uievents-key/) that event
is delivered for, e.g. ``{"keydown":["Enter","Escape"]}``. Other keys are not sent, and the
listener's flags (``preventDefault``, ``stopPropagation``) do not apply to them: the event goes on
to the element's ancestors as if the element did not listen. Written by the element builders
from ``handler(fn, keys=...)``; read by the client and by ``tempest_core.testing``'s pilot."""

ATTR_ENDPOINT: Final = "data-tw-endpoint"
"""Root attribute: the endpoint prefix the client connects to (default :data:`ENDPOINT_PREFIX`)."""

ATTR_SESSION: Final = "data-tw-session"
"""Root attribute: the id of the session the prerendered view belongs to (Mode B)."""

ATTR_TOKEN: Final = "data-tw-token"
"""Root attribute: the session-bound token (Mode B)."""

ATTR_TRANSPORT: Final = "data-tw-transport"
"""Root attribute: the client transport, one of :data:`TRANSPORTS`."""

ATTR_SEQ: Final = "data-tw-seq"
"""Root attribute: ``seq`` of the prerendered view (default 0)."""

ATTR_MODE: Final = "data-tw-mode"
"""Root attribute: ``"wasm"`` on a Mode A page."""

ATTR_STATUS: Final = "data-tw-status"
"""Root attribute the client maintains: its connection status."""

ATTR_READY: Final = "data-tw-ready"
"""Mode A: set on ``<html>`` once the app is interactive."""

ATTR_FAILED: Final = "data-tw-failed"
"""Mode A: set on ``<html>`` when the boot failed."""

ATTR_CAPABILITY: Final = "data-tw-capability"
"""Attribute of a ``<link rel="modulepreload">`` in ``<head>`` naming the capability the module provides."""

ATTR_COLOR_SCHEME: Final = "data-tw-color-scheme"
"""Root attribute a session sets when its app switches colour scheme at runtime
(``"system"``, ``"light"`` or ``"dark"``); the theme's token rules select it with ``:root:has(...)``."""

DEV_BUILD_META: Final = "tw-dev-build"
"""Mode A dev builds: ``name`` of the ``<meta>`` holding the build id."""

DESKTOP_PLUGINS_META: Final = "tw-desktop-plugins"
"""Desktop pages: ``name`` of the ``<meta>`` listing the Tauri plugins enabled in ``[desktop]
plugins``, space-separated (``clipboard-manager dialog``). Capability modules use a plugin's
OS-native version only when it is listed (``window.__TAURI__`` has every plugin's JS API)."""

# --- what the client shows in the page (outside the root; docs/client.md "In the page") ----------

CLASS_LOADING: Final = "tw-loading"
"""Class the client puts on an element while an event it sent is in flight (until the patch or
the ``pong`` acknowledging the event arrives), as LiveView's ``phx-click-loading``."""

CLASS_BANNER: Final = "tw-banner"
"""Class of the connection status banner the client puts after the root (restyle it with this
class and the ``--tw-banner-*`` custom properties)."""

CLASS_OVERLAY: Final = "tw-overlay"
"""Class of the error overlay the client shows for a failure of app code."""

CLASS_BOOT: Final = "tw-boot"
"""Class of Mode A's boot progress indicator."""

ATTR_UI_STATE: Final = "data-state"
"""Attribute of the banner (and the boot indicator) naming what it shows, e.g. ``reconnecting``."""

DOM_EVENT_STATUS: Final = "tempestweb:status"
"""Cancelable ``CustomEvent`` dispatched on the root when the connection status changes
(``detail``: ``state``, ``retryInMs``, ``pending``); ``preventDefault()`` hides the built-in
banner for that change, so an app can show its own."""

DOM_EVENT_ERROR: Final = "tempestweb:error"
"""Cancelable ``CustomEvent`` dispatched on the root for every error (``detail``: ``code``,
``message``, ``id``, ``detail``); ``preventDefault()`` keeps the built-in overlay closed."""

RELOAD_FAILED_MESSAGE: Final = "reload failed, the page keeps the previous version"
"""How the message of an ``error`` frame saying that a hot reload failed begins (the save does not
import, or the new view raises; the page keeps the version it shows). The client's error overlay
forgets those errors once a later reload succeeds (an ``init{reset: true}`` on an open session,
which only a hot reload sends): they no longer hold, unlike the app's other errors."""

VIEW_SUBJECT: Final = "the view"
"""What a failure of the app's view is reported as: an ``error`` frame whose message begins
``"the view raised "`` (``"the view raised ZeroDivisionError: ...; the page still shows the last
view that rendered"``). The client's error overlay forgets those errors too once a later reload
succeeds: the new code rendered, so the page no longer shows an old view."""

DOM_EVENT_DEV_UPDATE: Final = "tempestweb:dev-update"
"""Cancelable ``CustomEvent`` the dev reload script (``client/src/dev.js``) dispatches on
``document`` when the dev server announces an ``update`` (only the app's Python changed;
``detail``: ``build``). A page that applies it in place (Mode A's ``bootstrap.js``: new app files
into Pyodide, then the runtime's hot reload) calls ``preventDefault()``; otherwise the page
reloads."""

DOM_EVENT_EARLY_INPUT: Final = "tempestweb:early-input"
"""``CustomEvent`` the client dispatches on ``document`` when it mounts; the early-input script
(:data:`CLIENT_EARLY_FILE`) answers through ``detail.take(records)`` with what it recorded and
stops recording."""

# --- the client's keyboard behaviour layer (client/src/behaviors.js; docs/components.md) ----------

ATTR_BEHAVIOR: Final = "data-tw-behavior"
"""Attribute naming the keyboard behaviour the client gives an element (a :data:`BEHAVIOR`
value): focus moves, focus traps, roving focus and Escape, done in the page without a round
trip. The state the element shows (open, selected) stays in Python."""

BEHAVIOR: Final = MappingProxyType(
    {
        "DIALOG": "dialog",
        "FORM": "form",
        "MENU": "menu",
        "MENU_BUTTON": "menubutton",
        "TABS": "tabs",
        "TOAST": "toast",
        "TOASTER": "toaster",
        "TOOLTIP": "tooltip",
    }
)
"""Values of :data:`ATTR_BEHAVIOR`: ``dialog`` (a modal dialog's container: focus moves in when
it appears, Tab/Shift+Tab cycle inside, Escape sends :data:`DOM_EVENT_DISMISS`, focus returns
to the opener when it goes), ``form`` (a Form: after the person submits it, the first patch
that marks a control inside it ``aria-invalid="true"`` moves focus to the first such control),
``menu`` (a ``role=menu``: the first or last ``menuitem`` takes
focus when it appears, arrows/Home/End move, Enter/Space activate, Escape, Tab and a click
outside send :data:`DOM_EVENT_DISMISS`, focus returns to its button), ``menubutton`` (ArrowDown
or ArrowUp clicks the button and asks for the first or last item), ``tabs`` (a ``role=tablist``:
arrows/Home/End move focus along the tabs and click the focused one, automatic activation)
``toaster`` (a region of toasts: :data:`DOM_EVENT_PAUSE` when the pointer enters it or focus
moves into it, :data:`DOM_EVENT_RESUME` when both have left), ``toast`` (one toast: Escape while
focus is inside it sends :data:`DOM_EVENT_DISMISS`) and ``tooltip`` (Escape hides the
``role=tooltip`` until the pointer or focus leaves)."""

DOM_EVENT_DISMISS: Final = "tempestweb:dismiss"
"""Bubbling ``CustomEvent`` (no payload) the behaviour layer dispatches on a dialog or menu the
user dismissed (Escape, a click outside a menu; Escape inside a toast); widgets listen to it like
any DOM event."""

DOM_EVENT_PAUSE: Final = "tempestweb:pause"
"""Bubbling ``CustomEvent`` (no payload) the behaviour layer dispatches on a ``toaster`` element
when the person starts to interact with it: the pointer entered it or focus moved into it, while
neither was there (one per transition, never one per pointer move). Its toasts' timers stop
(WCAG 2.2.1 Timing Adjustable)."""

DOM_EVENT_RESUME: Final = "tempestweb:resume"
"""Bubbling ``CustomEvent`` (no payload) dispatched on a ``toaster`` element when the pointer has
left it and focus is outside it again, after a :data:`DOM_EVENT_PAUSE`; the timers go on with the
time they had left."""

# --- file uploads (tempest_core FileUpload, client/src/upload.js; docs/components.md) -------------

ATTR_UPLOAD: Final = "data-tw-upload"
"""Attribute marking a FileUpload's drop zone: the client handles file drops on it and the
``change`` of the ``<input type=file>`` inside it."""

ATTR_UPLOAD_MAX: Final = "data-tw-upload-max"
"""Attribute of the drop zone: the largest file accepted, in bytes (absent: no limit). The client
refuses a larger file before sending it; the host enforces the same limit on the bytes."""

ATTR_UPLOAD_PICK: Final = "data-tw-upload-pick"
"""Attribute of the button inside a drop zone that opens the file picker."""

EVENT_UPLOAD: Final = "tw-upload"
"""Bubbling ``CustomEvent`` the client dispatches on a drop zone for every step of one file,
its ``detail`` (the :data:`UPLOAD_FIELD` keys) being the event payload the FileUpload's handler
receives."""

UPLOAD_FIELD: Final = MappingProxyType(
    {
        "ID": "id",
        "PHASE": "phase",
        "NAME": "name",
        "SIZE": "size",
        "TYPE": "type",
        "LOADED": "loaded",
        "CODE": "code",
        "MESSAGE": "message",
    }
)
"""Payload keys of :data:`EVENT_UPLOAD`: ``id`` (the client's id of the file), ``phase`` (an
:data:`UPLOAD_PHASE` value), ``name``, ``size`` (bytes) and ``type`` (MIME type) of the file,
``loaded`` (bytes sent so far), ``code`` and ``message`` (of an ``error``)."""

UPLOAD_PHASE: Final = MappingProxyType({"PROGRESS": "progress", "DONE": "done", "ERROR": "error"})
"""Values of the ``phase`` payload key: ``progress`` (sent when a file starts and then at most
every ``UPLOAD_PROGRESS_INTERVAL_MS``), ``done`` (the bytes are in the session's upload store
under ``id``) and ``error`` (``code`` and ``message`` say why; nothing was kept)."""

UPLOAD_ERROR: Final = MappingProxyType(
    {
        "TOO_LARGE": "too_large",
        "NOT_ACCEPTED": "not_accepted",
        "FAILED": "upload_failed",
        "NOT_SUPPORTED": "not_supported",
        "UNAUTHORIZED": "unauthorized",
        "NOT_FOUND": "not_found",
        "TOO_MANY": "too_many_uploads",
    }
)
"""Error codes of an upload: over the size limit, a type outside ``accept``, a network or server
failure, no path for the bytes in this mode (desktop), a bad session token, no FileUpload at that
node (or no such session), too many files waiting for their handler."""

# --- event payloads -------------------------------------------------------------------------------

FORM_FIELD_PREFIX: Final = "form."
"""Prefix of a ``submit`` payload key: ``form.<field name>`` -> the field's value."""

EVENT_FIELDS: Final = MappingProxyType(
    {
        "click": ("button", "alt", "ctrl", "shift", "meta"),
        "input": ("value", "checked"),
        "change": ("value", "checked", "values"),
        "key": ("key", "code", "alt", "ctrl", "shift", "meta", "repeat", "value"),
        "focus": ("value",),
        "scroll": ("scroll_top", "scroll_left", "client_height", "client_width"),
    }
)
"""Payload keys per event kind (``docs/design.md`` "Events"): ``click`` for mouse events
(``click``, ``dblclick``, ``mousedown``...), ``key`` for ``keydown``/``keyup``, ``focus`` for
``focus``/``blur``, ``scroll`` for ``scroll`` (the scrolled element's ``scrollTop``,
``scrollLeft``, ``clientHeight`` and ``clientWidth`` in CSS px, sent at most once per animation
frame per element); ``submit`` sends :data:`FORM_FIELD_PREFIX` keys instead. The event models of
``tempest_core.events`` have exactly these fields."""

EVENT_FIELD: Final = MappingProxyType(
    {name.upper(): name for names in EVENT_FIELDS.values() for name in names}
)
"""Every payload key, by its upper-case name (``EVENT_FIELD["VALUE"] == "value"``)."""


# -- What the page never gets: one policy for the html builders (Python) and the client (JS) ------

URL_ATTRIBUTES: Final = (
    "href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "cite", "background",
    "longdesc", "manifest", "ping", "codebase", "data", "icon", "lowsrc", "dynsrc", "usemap", "archive",
    "classid", "imagesrcset",
)  # fmt: skip
"""Attributes (lower case; names match in any case) whose value is a URL the browser may load or
navigate to: ``tempest_core.html`` refuses an unsafe one when the element is built (a prerendered
page is parsed before the client runs), the client before any ``setAttribute``."""

IMAGE_URL_ATTRIBUTES: Final = ("src", "poster", "srcset", "imagesrcset", "lowsrc")
"""URL attributes where ``data:image/<SAFE_DATA_IMAGE_TYPES>;...`` is allowed as well."""

URL_LIST_ATTRIBUTES: Final = ("srcset", "imagesrcset", "ping", "archive")
"""URL attributes holding a list (split on whitespace and commas): every token is checked."""

SAFE_URL_SCHEMES: Final = ("http", "https", "mailto", "tel")
"""Schemes a URL attribute may use; a URL without a scheme (relative, a fragment) is allowed.
The scheme is read as the WHATWG URL parser reads it: leading and trailing C0 controls and spaces
stripped, tabs and newlines removed (https://url.spec.whatwg.org/#concept-basic-url-parser)."""

SAFE_DATA_IMAGE_TYPES: Final = ("png", "gif", "jpeg", "jpg", "webp", "avif", "bmp", "x-icon")
"""Raster ``image/`` subtypes of the ``data:`` URLs allowed in :data:`IMAGE_URL_ATTRIBUTES`
(``image/svg+xml`` can carry script)."""

FORBIDDEN_ATTRIBUTES: Final = (
    "srcdoc", "is", "http-equiv", ATTR_NODE_ID, ATTR_LISTENERS, ATTR_PROPS, ATTR_TEXT_ID,
)  # fmt: skip
"""Attributes never set, whatever their value, besides every name starting with ``on`` (event
handler content attributes): ``srcdoc`` carries markup, ``is`` upgrades a custom element,
``http-equiv`` makes a ``<meta>`` act when it is inserted (a ``refresh`` navigates the page to its
unchecked ``content`` URL; HTML, "Pragma directives"), which no element inside the app's root
needs, and the hydration markers are the prerender's own (an app's copy would come first in the
markup, and the parser keeps the first of two)."""

FORBIDDEN_TAGS: Final = ("script", "object", "embed", "base")
"""Elements never created: ``tempest_core.html`` has no builder for them (a call raises
``WidgetError``) and the client refuses a ``create`` of one."""
