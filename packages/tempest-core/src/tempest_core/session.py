"""``Session``: one running instance of an App (one browser tab in Mode B, the page in Mode A).

A session owns the app state, the mounted tree, the style sheet and the location. Input comes
from the host (:meth:`Session.dispatch`, :meth:`Session.navigate`); output leaves through the
callbacks ``on_patch(ops, ack)``, ``on_navigate(path, replace)`` and ``on_error(error)``.
Rendering is scheduled with ``loop.call_soon``: every state update of one tick coalesces into
one render (see docs/design.md).
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from types import CodeType, FunctionType
from typing import Any, Final

from tempest_core._internal.effects import EffectRunner
from tempest_core._internal.frame import CURRENT_SESSION
from tempest_core._internal.mounted import MComponent
from tempest_core._internal.reconciler import HookCarry, Reconciler, Superseded, as_node, superseded_binding
from tempest_core._internal.report import describe_function, format_detail, new_error_id, too_deep_to_update
from tempest_core._internal.serialize import spec_of, split_creates, to_html
from tempest_core._table_feed import RowFeed
from tempest_core.app import App
from tempest_core.errors import SessionError, TempestError
from tempest_core.events import parse_event
from tempest_core.nodes import Component, Element, EventBinding, Handler, Node, TemplateInstance, Text
from tempest_core.router import Location, parse_location
from tempest_core.style import StyleSheet
from tempest_core.theme import ColorScheme
from tempestweb_contract import ROOT_ID, AddStyles, Create, Event, Op, Rows, SetAttrs
from tempestweb_contract.constants import MAX_UNACKED_BATCHES
from tempestweb_contract.names import ATTR_COLOR_SCHEME, VIEW_SUBJECT

__all__ = ["MAX_FLUSH_ROUNDS", "Session"]

logger = logging.getLogger("tempest_core.session")

MAX_FLUSH_ROUNDS: Final = 1000
"""Most render rounds :meth:`Session.flush` runs before it gives up waiting for quiescence."""

_WANTS_EVENT: dict[int, tuple[CodeType, bool]] = {}
"""``2 * id(code) + bound`` -> (the code, kept alive so its id stays its own; the answer)."""


def _wants_event(handler: Handler) -> bool:
    """Whether ``handler`` takes the event model (one positional argument) or nothing."""
    code: CodeType | None
    if type(handler) is FunctionType:  # the common case, with no lookup that may fail
        code = handler.__code__
        bound = 0
    else:
        func = getattr(handler, "__func__", None)  # a bound method: its function takes self first
        if func is not None:
            code = getattr(func, "__code__", None)
            bound = 0 if getattr(handler, "__self__", None) is None else 1
        else:
            code = getattr(handler, "__code__", None)
            bound = 0
    if code is not None:
        key = 2 * id(code) + bound  # a code object's own hash digests its whole body
        found = _WANTS_EVENT.get(key)
        if found is None:
            found = _WANTS_EVENT[key] = (
                code,
                code.co_argcount - bound >= 1 or bool(code.co_flags & inspect.CO_VARARGS),
            )
        return found[1]
    try:
        params = inspect.signature(handler).parameters.values()
    except (TypeError, ValueError):
        return True
    kinds = (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL,
    )
    return any(p.kind in kinds for p in params)


class Session:
    """One running instance of an :class:`App`.

    Args:
        app: The application.
        path: Initial location (``pathname + search + hash``).
        on_patch: Called after each render that produced ops, with the ops and the highest
            event id dispatched so far (the patch's ``ack``).
        on_navigate: Called when app code navigates, with the path and ``replace``.
        on_error: Called with ``SessionError("handler_error")`` when user code raises (its
            ``error_id`` and ``detail`` set); the session keeps running. Each failure is logged
            once, with its traceback and that error id.

    Attributes:
        log_view_errors: Log a failure of the first view in :meth:`mount` (default). A host
            reloading many sessions sets it to ``False`` and logs each distinct failure once.
        stores: State of core features kept beside the tree, by feature name (the toasts of
            :func:`~tempest_core.notify`); it goes with the session, closed or not (a
            module-level ``WeakKeyDictionary`` would keep a session alive through any value
            that refers back to it).

    Raises:
        ValueError: ``path`` is not a same-document location.

    """

    log_view_errors: bool = True

    def __init__(
        self,
        app: App[Any],
        *,
        path: str = "/",
        on_patch: Callable[[tuple[Op, ...], int], None] | None = None,
        on_navigate: Callable[[str, bool], None] | None = None,
        on_error: Callable[[SessionError], None] | None = None,
    ) -> None:
        self.app = app
        self.on_patch = on_patch
        self.on_navigate = on_navigate
        self.on_error = on_error
        self.on_feeds: Callable[[], None] | None = None
        """Called after a render that gave a table's row feed something to send (``_table_feed``)."""
        self.last_event_id = 0
        self._editing: set[int] = set()
        """Ids of edit events (an ``input`` or ``change`` reporting ``value``/``checked``) whose
        ``async`` handler is still running: a patch acknowledges none of them (:meth:`acknowledged`)."""
        self.location: Location = parse_location(path)
        self.subscribers: set[MComponent] = set()
        self._sheet = StyleSheet()
        self.color_scheme: ColorScheme = app.color_scheme
        self._scheme_switched = False
        if app.theme is not None:
            self._sheet.extend(app.theme.stylesheet(app.color_scheme))
        if app.page_style is not None:
            self._sheet.add_global("body", app.page_style)
        self._rec = Reconciler(self._sheet, self._schedule, self)
        self._effects = EffectRunner(self, self._report)
        self._root = MComponent(self._render_root, {}, None, ROOT_ID, 0, self._rec)
        self._overlays: list[MComponent] = []  # roots after the view (add_overlay_root)
        self.stores: dict[str, object] = {}
        self._mounted = False
        self._closed = False
        self._scheduled = False
        self._inline = False  # inside dispatch_inline: a render is due before it returns
        self._run_effects = True
        self._superseded: dict[int, Superseded] | None = None  # by the render on_patch is given
        self._bindings_then: deque[tuple[int, dict[int, Superseded]]] | None = None  # made when needed
        """Per batch not yet acknowledged, ``(seq, listeners it superseded)`` (:meth:`batch_sent`)."""
        token = CURRENT_SESSION.set(self)
        try:
            self.state: Any = app.initial_state()
        finally:
            CURRENT_SESSION.reset(token)

    def _render_root(self) -> Node:
        out = self.app.view(self.state)
        t = type(out)
        if t is Element or t is Component or t is TemplateInstance or t is Text:
            return out
        # Checked here so an error names the app's view function, not this method (named only
        # when needed: describing it resolves its file's path).
        return as_node(out, f"the view function {describe_function(self.app.view)}")

    # -- lifecycle -----------------------------------------------------------------------------
    def mount(self) -> tuple[Op, ...]:
        """Render the first view.

        Returns:
            Ops that build the tree under ``ROOT_ID``: ``AddStyles`` for its rules (when any),
            then one ``Create`` (and one per overlay root the view added, after it).

        Raises:
            SessionError: ``handler_error`` when the view raises; ``session_expired`` after
                :meth:`close`.
            TempestError: ``mount`` was already called (use :meth:`resync`).

        """
        if self._closed:
            raise SessionError("session_expired", "the session is closed")
        if self._mounted:
            raise TempestError("Session.mount() was already called; use resync() to recreate the tree")
        collect = gc.isenabled()  # see _render_now
        if collect:
            gc.disable()
        token = CURRENT_SESSION.set(self)
        try:
            try:
                spec = self._rec.mount_root(self._root)
                self._mounted = True
                self._rec.ops.append(Create(ROOT_ID, None, spec))
                for overlay in self._overlays:  # added while the first view rendered
                    self._rec.ops.append(Create(ROOT_ID, None, self._rec.mount_root(overlay)))
                self._rec.render_dirty()
            except Exception as exc:
                if isinstance(exc, SessionError) and exc.error_id is not None:
                    raise  # reported already, under its id (dev serving an app that failed to load)
                error_id = new_error_id()
                if self.log_view_errors:
                    logger.error(
                        "tempestweb: the view of %r raised (error %s)", self.app, error_id, exc_info=exc
                    )
                raise SessionError(
                    "handler_error",
                    f"the view raised {type(exc).__name__}: {exc}",
                    error_id=error_id,
                    detail=format_detail(exc),
                ) from exc
            ops = tuple(self._rec.take_ops())
        finally:
            self._rec.carry = None  # what a hot reload carried is for the first view only
            CURRENT_SESSION.reset(token)
            if collect:
                gc.enable()
        self._after_render()
        return ops

    def carry_hooks(self, carry: HookCarry, /) -> None:
        """Start the first view's components from ``carry``'s hook state (a hot reload).

        Args:
            carry: What the previous version's components held
                (:class:`tempest_core.host._reload.ComponentStates`); used by :meth:`mount`
                only, then dropped.

        Raises:
            TempestError: The session is already mounted.

        """
        if self._mounted:
            raise TempestError("Session.carry_hooks() is for a session not mounted yet")
        self._rec.carry = carry
        carry.attach(self._root)

    @property
    def component_roots(self) -> tuple[MComponent, ...]:
        """The root component of the view, then each overlay root (:meth:`add_overlay_root`)."""
        return (self._root, *self._overlays)

    def resync(self) -> tuple[Op, ...]:
        """Return ops recreating the current tree from scratch (same ids, every style rule).

        Returns:
            ``AddStyles`` with every rule (when any), then one ``Create`` under ``ROOT_ID`` for
            the view and one for each overlay root (:meth:`add_overlay_root`), in order; a tree
            grown deeper than ``MAX_DEPTH`` by patches is created in parts
            (:func:`~tempest_core._internal.serialize.split_creates`).

        Raises:
            TempestError: The session was never mounted.

        """
        self._require_mounted("resync")
        ops: list[Op] = []
        if self._sheet.rules:
            ops.append(AddStyles(tuple(self._sheet.rules)))
        for root in (self._root, *self._overlays):
            assert root.child is not None
            ops.extend(split_creates(ROOT_ID, spec_of(root.child)))
        if self._scheme_switched:
            ops.append(SetAttrs(ROOT_ID, {ATTR_COLOR_SCHEME: self.color_scheme}))
        return tuple(ops)

    def render_html(self) -> str:
        """Return the current tree as hydratable HTML (markers in docs/design.md).

        Returns:
            The markup of the view, then of each overlay root; styles are in :attr:`styles`.

        Raises:
            TempestError: The session was never mounted.
            WidgetError: An attribute or tag name cannot be written as HTML.

        """
        child = self._require_mounted("render_html").child
        assert child is not None
        html = to_html(child)
        for overlay in self._overlays:
            assert overlay.child is not None
            html += to_html(overlay.child)
        return html

    @property
    def styles(self) -> tuple[str, ...]:
        """Every CSS rule emitted so far, in order."""
        return tuple(self._sheet.rules)

    def add_overlay_root(self, fn: Callable[[], Node], /) -> None:
        """Render ``fn`` as a root component after the view, under the mount element, from now on.

        For what a page needs once without a place in the app's view: the default Toaster that
        shows :func:`~tempest_core.notify` toasts when the view has none. Idempotent per ``fn``;
        a closed session ignores it. In a mounted session the root is rendered at once and its
        ``Create(ROOT_ID, None, ...)`` goes out with the next patch; before :meth:`mount` (a
        first view adding one) :meth:`mount` renders it after the view.

        Args:
            fn: A render function taking no argument (hooks allowed, as in a component).

        Raises:
            WidgetError: ``fn`` returns something that is not a widget (when rendered now).

        """
        if self._closed or any(o.fn is fn for o in self._overlays):
            return
        overlay = MComponent(fn, {}, None, ROOT_ID, 0, self._rec)
        if self._rec.carry is not None:
            self._rec.carry.attach(overlay)
        self._overlays.append(overlay)
        if self._mounted:
            self._rec.ops.append(Create(ROOT_ID, None, self._rec.mount_root(overlay)))
            self._schedule()

    def _require_mounted(self, api: str) -> MComponent:
        if not self._mounted:
            raise TempestError(f"Session.{api}() needs a mounted session: call mount() first")
        return self._root

    async def close(self) -> None:
        """Unmount the tree: run effect cleanups and cancel background tasks (idempotent)."""
        if self._closed:
            return
        self._closed = True
        tasks: list[asyncio.Task[Any]] = []
        if self._mounted:
            stack: list[Any] = [self._root, *self._overlays]
            while stack:
                m = stack.pop()
                if type(m) is MComponent:
                    tasks.extend(m.tasks or ())
                    if m.child is not None:
                        stack.append(m.child)
                else:
                    stack.extend(getattr(m, "children", ()))
            for root in (self._root, *self._overlays):
                self._rec.unmount(root)
        tasks.extend(self._effects.background)
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self.subscribers.clear()

    # -- state and rendering -------------------------------------------------------------------
    def set_state(self, fn: Callable[[Any], Any]) -> None:
        """Replace the app state with ``fn(state)`` and schedule a render of the root view.

        When ``fn`` returns ``None`` it mutated the state in place (``lambda s: setattr(s, "x",
        1)``): the state object stays and the render is scheduled all the same.
        """
        new = fn(self.state)
        if new is not None:
            self.state = new
        self._rec.mark_dirty(self._root)

    def set_color_scheme(self, scheme: ColorScheme) -> None:
        """Switch the colour scheme: the next patch sets it on the mount element (see App).

        Args:
            scheme: ``"system"``, ``"light"`` or ``"dark"`` (validated by the caller).

        """
        if scheme == self.color_scheme and (self._scheme_switched or scheme == self.app.color_scheme):
            return
        self.color_scheme = scheme
        self._scheme_switched = True
        self._rec.ops.append(SetAttrs(ROOT_ID, {ATTR_COLOR_SCHEME: scheme}))
        self._rec.mark_dirty(self._root)
        for c in list(self.subscribers):  # use_color_scheme() readers (and use_location ones)
            self._rec.mark_dirty(c)

    def _schedule(self) -> None:
        if self._scheduled or self._closed or not self._mounted:
            return
        if self._inline:
            self._scheduled = True  # dispatch_inline renders before it returns: no loop callback
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # rendered by the next flush()/dispatch()
        self._scheduled = True
        loop.call_soon(self._render_now)

    def _render_now(self) -> None:
        self._scheduled = False
        if self._closed or not self._mounted or not (self._rec.dirty or self._rec.ops):
            return
        # A render allocates a few objects per node and frees few: with the cyclic GC on, a
        # 10,000-row render runs dozens of collections that traverse the ever larger mounted tree
        # (the render of jsfb "create 10k" took 3-4x longer). The collector stays off for the
        # render, the frame's encoding (on_patch) and nothing else; it is not turned on if the
        # application had turned it off.
        collect = gc.isenabled()
        if collect:
            gc.disable()
        try:
            token = CURRENT_SESSION.set(self)
            try:
                try:
                    self._rec.render_dirty()
                except Exception as exc:
                    note = too_deep_to_update(exc) + "; the page still shows the last view that rendered"
                    self._report(exc, VIEW_SUBJECT, note)
                ops = self._rec.take_ops()
            finally:
                CURRENT_SESSION.reset(token)
            superseded = self._rec.take_superseded()
            if ops and self.on_patch is not None:
                self._superseded = superseded  # the host's batch_sent() keeps it with its seq
                try:
                    self.on_patch(tuple(ops), self.acknowledged())
                finally:
                    self._superseded = None
        finally:
            if collect:
                gc.enable()
        self._after_render()

    def _after_render(self) -> None:
        if self._rec.feeds_due:
            self._rec.feeds_due = False
            if self.on_feeds is not None:
                self.on_feeds()
        effects = self._rec.effects
        if effects:
            self._rec.effects = []
            if self._run_effects:
                self._effects.run(effects)
            else:
                for c in effects:
                    c.effects = []

    def component_unmounted(self, c: MComponent) -> None:
        """Reconciler callback: clean up the effects and subscriptions of ``c``."""
        self.subscribers.discard(c)
        self._effects.unmounted(c)

    async def flush(self) -> None:
        """Wait until every pending render ran (and async effects scheduled before it started)."""
        for _ in range(MAX_FLUSH_ROUNDS):
            self._effects.start_deferred()
            if self._rec.dirty or self._rec.ops:
                self._render_now()
            await asyncio.sleep(0)
            if not (self._rec.dirty or self._rec.ops):
                return

    def _report(self, exc: BaseException, what: str, note: str = "") -> None:
        """Log a failure of app code once (traceback, error id) and pass it to ``on_error``."""
        error_id = new_error_id()
        logger.error(
            "tempestweb: %s raised in a session of %r (error %s)", what, self.app, error_id, exc_info=exc
        )
        if self.on_error is not None:
            message = f"{what} raised {type(exc).__name__}: {exc}{note}"
            error = SessionError("handler_error", message, error_id=error_id, detail=format_detail(exc))
            self.on_error(error)

    # -- input ---------------------------------------------------------------------------------
    async def dispatch(self, event: Event) -> None:
        """Run the handler bound to ``(event.node, event.name)`` with the validated event.

        An event whose ``eid`` is not above :attr:`last_event_id` was already handled (a
        resuming client re-sends unacknowledged events) and is ignored.

        Args:
            event: The client's event frame.

        Raises:
            SessionError: ``unknown_handler`` when no such listener is in the current tree;
                ``invalid_event_data`` when the data does not validate; ``session_expired``
                after :meth:`close`. A handler that raises is reported through ``on_error``
                (``handler_error``) instead.

        """
        pending = self.dispatch_now(event)
        if pending is not None:
            await pending

    def dispatch_now(self, event: Event) -> Awaitable[None] | None:
        """Run the synchronous part of :meth:`dispatch` now; return the rest, if any, to await.

        Hosts use it to handle an event without a task when its handler is a plain function
        (the common case); an ``async`` handler's body runs when the returned awaitable is.

        Args:
            event: The client's event frame.

        Returns:
            ``None`` when the handler finished (or the event was a duplicate), else an
            awaitable that runs the rest of the handler and reports its errors.

        Raises:
            SessionError: As :meth:`dispatch`.

        """
        if self._closed:
            raise SessionError("session_expired", "the session is closed")
        if event.eid <= self.last_event_id:
            # A resuming client re-sends the events it sent just before its connection dropped
            # (it cannot know whether they arrived); each eid is handled exactly once.
            logger.debug("event %d already handled (at %d): ignored", event.eid, self.last_event_id)
            return None
        self.last_event_id = event.eid
        self._effects.start_deferred()
        binding = self._rec.binding(event.node, event.name)
        then = self._bindings_then
        if then and event.seen is not None and event.seen < then[-1][0]:
            binding = self._binding_seen(event, binding)
        if binding is None:
            raise SessionError(
                "unknown_handler", f"no {event.name!r} handler on node {event.node} in the current tree"
            )
        model = parse_event(event.name, event.data)
        if binding.keys is not None and getattr(model, "key", None) not in binding.keys:
            # The client sends a filtered listener only the keys of its filter (ATTR_KEYS): a
            # key outside it is not for this handler, whoever sent it.
            logger.debug("event %d: a key outside its %r listener's filter: ignored", event.eid, event.name)
            return None
        edit = "value" in event.data or "checked" in event.data  # the person edited a control
        if edit:
            self._rec.report_dom_props(event.node, event.data)
        handler = binding.handler
        token = CURRENT_SESSION.set(self)
        try:
            result = handler(model) if _wants_event(handler) else handler()
        except Exception as exc:
            self._report(exc, f"the {event.name!r} handler {getattr(handler, '__qualname__', handler)!r}")
            return None
        finally:
            CURRENT_SESSION.reset(token)
        if result is not None and inspect.isawaitable(result):  # a plain handler returns None
            if edit:  # from now: a render its synchronous part asked for acknowledges it not
                self._editing.add(event.eid)
            return self._finish_handler(result, event.name, handler, event.eid if edit else 0)
        return None

    def acknowledged(self) -> int:
        """Return the ``ack`` of the next patch: the last event handled, short of a running edit.

        An ``async`` handler of an edit (``on_input`` awaiting a look-up before it sets the
        state) renders the text it was given after the person typed more: acknowledging the
        events dispatched meanwhile would let the client write that older text over the newer
        (its controlled-input rule writes ``value`` only into a control whose last edit the
        patch acknowledges, docs/protocol.md), and the keys typed next would land in it. So a
        patch acknowledges events up to just before the oldest edit whose handler still runs;
        once it finishes, the next patch acknowledges them all.

        Returns:
            ``last_event_id``, or one less than the oldest running edit's ``eid``.

        """
        editing = self._editing
        return min(editing) - 1 if editing else self.last_event_id

    def _binding_seen(self, event: Event, current: EventBinding | None) -> EventBinding | None:
        """Return the binding ``event.node`` had in the DOM the client showed at ``event.seen``.

        The first batch after ``seen`` that removed the node's listeners or re-bound them knows
        what they were; with none, the current binding is that one.
        """
        seen, node = event.seen, event.node
        assert seen is not None
        for seq, superseded in self._bindings_then or ():
            if seq > seen:
                before = superseded.get(node)
                if before is not None:
                    return superseded_binding(before, event.name)
        return current

    # -- row feeds (tempest_core._table_feed) --------------------------------------------------
    def _row_feeds(self) -> list[RowFeed]:
        return list(self._rec.feeds.values())

    def row_feed_announcements(self) -> list[Rows]:
        """Return the ``rows`` messages a client needs before the next patch.

        A feed whose rows, order or layout changed starts a new version (an empty chunk of it);
        a selection change re-sends the positions it changed. Both must reach the client before
        the patch showing the change (``tempest_core._table_feed``).
        """
        rec = self._rec
        return [message for feed in self._row_feeds() for message in feed.announce(rec)]

    def row_feed_chunk(self) -> Rows | None:
        """Return the next chunk of rows of a table's feed, or ``None`` when all were sent."""
        rec = self._rec
        for feed in self._row_feeds():
            chunk = feed.chunk(rec)
            if chunk is not None:
                return chunk
        return None

    def row_feeds_restart(self) -> None:
        """Send every feed again from the start (a new connection: its client holds none)."""
        for feed in self._row_feeds():
            feed.restart()

    def batch_sent(self, seq: int, /) -> None:
        """Keep what the render being sent as batch ``seq`` took away from the client's listeners.

        Called by the host from ``on_patch`` once it numbered the batch. Until the client
        acknowledges ``seq`` (:meth:`batch_acknowledged`), an event it sends from a DOM that did
        not have this batch yet (``Event.seen`` below ``seq``) runs the handler its node had
        there: a click on a row that a sort (a patch on its way) moved or removed acts on the row
        the person clicked, not on the row the node shows now, and is not lost
        (``unknown_handler``). At most ``MAX_UNACKED_BATCHES`` batches are kept.

        Args:
            seq: The batch's ``seq``.

        """
        if self._superseded is not None:
            if self._bindings_then is None:
                self._bindings_then = deque(maxlen=MAX_UNACKED_BATCHES)
            self._bindings_then.append((seq, self._superseded))
            self._superseded = None

    def batch_acknowledged(self, seq: int, /) -> None:
        """Forget the superseded listeners of batches up to ``seq``: the client applied them.

        Every event the client sends after its acknowledgement comes from a DOM that has them.

        Args:
            seq: The acknowledged ``seq`` (a reset's: everything).

        """
        then = self._bindings_then
        while then and then[0][0] <= seq:
            then.popleft()

    def dispatch_inline(self, event: Event) -> Awaitable[None] | None:
        """Run :meth:`dispatch_now`, then the render of the update it made, before returning.

        The host's path for an event that is the session's next turn: a plain handler's update
        is rendered (and ``on_patch`` called) inside this call, with no loop callback scheduled
        for it. In Mode A the page calls into Python for each event, so the patch reaches the
        DOM before the browser paints its next frame (a virtual Table's rows in the frame that
        paints the scroll, as a JavaScript list rendering in its own listener would); in Mode B
        the writer is woken at once; in desktop the patch is in the IPC reply. When the handler
        is ``async`` (an awaitable is returned) or dispatch raises, a render its synchronous
        part asked for is scheduled on the loop as usual.

        Args:
            event: The client's event frame.

        Returns:
            As :meth:`dispatch_now`.

        Raises:
            SessionError: As :meth:`dispatch`.

        """
        self._inline = True
        try:
            rest = self.dispatch_now(event)
        except BaseException:
            self._inline = False
            self._reschedule()
            raise
        self._inline = False
        if rest is None:
            if self._scheduled:
                self._render_now()
        else:
            self._reschedule()
        return rest

    def _reschedule(self) -> None:
        """Turn a render marked due inside :meth:`dispatch_inline` into a loop callback."""
        if self._scheduled:
            self._scheduled = False
            self._schedule()

    async def _finish_handler(
        self, result: Awaitable[object], name: str, handler: Handler, edit: int
    ) -> None:  # ``edit``: the eid :meth:`acknowledged` holds back until this ends (0: none)
        token = CURRENT_SESSION.set(self)
        try:
            await result
        except Exception as exc:
            self._report(exc, f"the {name!r} handler {getattr(handler, '__qualname__', handler)!r}")
        finally:
            CURRENT_SESSION.reset(token)
            if edit:
                self._editing.discard(edit)

    def navigate(self, path: str) -> None:
        """Take a location change reported by the client (back/forward, hash change).

        Args:
            path: New ``pathname + search + hash``.

        Raises:
            SessionError: ``not_found`` when ``path`` is not a same-document location.

        """
        self._set_location(path)

    def push_location(self, path: str, replace: bool = False) -> None:
        """Navigate from app code: update the location, re-render, ask the host to push history.

        Args:
            path: ``pathname + search + hash``, or a bare ``#hash`` (keeps the path and query).
            replace: Replace the history entry instead of pushing one.

        Raises:
            SessionError: ``not_found`` when ``path`` is not a same-document location.

        """
        if isinstance(path, str) and path.startswith("#"):
            path = f"{self.location.path}{self.location.search}{path}"
        href = self._set_location(path)
        if self.on_navigate is not None:
            self.on_navigate(href, replace)

    def _set_location(self, path: str) -> str:
        try:
            loc = parse_location(path)
        except ValueError as exc:
            raise SessionError("not_found", str(exc)) from None
        if loc != self.location:
            self.location = loc
            for c in list(self.subscribers):
                self._rec.mark_dirty(c)
        return loc.href
