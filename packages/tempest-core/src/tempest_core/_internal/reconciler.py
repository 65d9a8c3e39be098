"""Tree diff: mount, patch, replace and unmount nodes; render components.

One :class:`Reconciler` per session. It owns the id counter (ids start at 1, never reused), the
op buffer of the render in progress, the listener table ``id -> element`` used at dispatch, the
set of dirty components and the components whose effects must run after the render commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal, Protocol

from tempest_core._internal.children import check_keys, diff_children, dynamic
from tempest_core._internal.frame import FRAME_SLOT
from tempest_core._internal.mounted import MComponent, MElement, Mounted, MTemplate, MText, dom_id
from tempest_core._internal.props import (
    diff_attrs,
    diff_events,
    diff_props,
    event_flags,
    with_style_class,
)
from tempest_core._internal.report import describe_function
from tempest_core.errors import TempestError, WidgetError
from tempest_core.nodes import Component, Element, EventBinding, KeyedChildren, Node, TemplateInstance, Text
from tempestweb_contract import (
    MAX_DEPTH,
    Create,
    DefineTemplate,
    ElementNode,
    Listen,
    NodeSpec,
    Op,
    Remove,
    RemoveAttrs,
    SetAttrs,
    SetProps,
    SetText,
    TemplateNode,
    TextNode,
    Unlisten,
)

if TYPE_CHECKING:
    from tempest_core._table_feed import RowFeed
    from tempest_core.router import Location

__all__ = ["MAX_RENDER_PASSES", "Reconciler", "SheetLike", "as_node"]

MAX_RENDER_PASSES = 100
"""Most re-render passes of one render before a state update loop is reported."""

_EMPTY: dict[str, Any] = {}
_REPORTED_PROPS = ("value", "checked")
"""Controlled properties whose DOM value an event reports (see ``report_dom_props``)."""


class SessionHooks(Protocol):
    """What the reconciler and the router hooks need from :class:`tempest_core.Session`."""

    subscribers: set[MComponent]

    @property
    def location(self) -> Location: ...

    def component_unmounted(self, c: MComponent, /) -> None: ...

    def push_location(self, path: str, replace: bool = False) -> None: ...

    @property
    def color_scheme(self) -> Literal["system", "light", "dark"]: ...

    def set_color_scheme(self, scheme: Literal["system", "light", "dark"], /) -> None: ...


class SheetLike(Protocol):
    """What the reconciler needs from :class:`tempest_core.style.StyleSheet`."""

    def class_for(self, style: Any, /) -> str: ...

    def take_new_rules(self) -> tuple[str, ...]: ...


def as_node(value: object, where: str) -> Node:
    """Check a render result: a vnode, or a ``str`` (becomes a text node)."""
    t = type(value)
    if (
        t is Element
        or t is TemplateInstance
        or t is Text
        or t is Component
        or isinstance(value, (Element, Text, Component, TemplateInstance))
    ):
        return value  # type: ignore[return-value]
    if isinstance(value, str):
        return Text(value)
    raise WidgetError(f"{where} must return a widget, an html element or a str, got {type(value).__name__}")


Superseded = tuple[Any, Any, int]
"""What a node's listeners were before a render: ``(element vnode, None, 0)``, or ``(template,
its values then, node offset)`` for a node of a template instance."""


class HookCarry(Protocol):
    """Hook state a hot reload carries into the components the new app mounts (host/_reload.py)."""

    def attach(self, c: MComponent, /) -> None:
        """Pair a component being mounted with the same component of the previous tree, if any."""

    def initial(self, c: MComponent, index: int, value: Any, /) -> Any:
        """Return the first value of ``c``'s hook ``index``: the carried one, or ``value``."""


class Reconciler:
    """Mounts vnodes, diffs them against the mounted tree and records ops."""

    __slots__ = (
        "carry",
        "depth",
        "dirty",
        "effects",
        "feeds",
        "feeds_due",
        "listeners",
        "nesting",
        "next_id",
        "on_dirty",
        "ops",
        "reported",
        "session",
        "sheet",
        "superseded",
        "templates",
        "wire",
        "wired",
    )

    def __init__(self, sheet: SheetLike, on_dirty: Callable[[], None], session: SessionHooks) -> None:
        self.next_id = 1
        self.ops: list[Op] = []
        self.sheet = sheet
        self.on_dirty = on_dirty
        self.session = session
        self.listeners: dict[int, MElement | MTemplate] = {}
        self.dirty: set[MComponent] = set()
        self.effects: list[MComponent] = []
        self.depth = 0
        self.nesting = 0
        """Elements with children open in the subtree :meth:`mount` is building (its ``Create``'s depth)."""
        self.reported: dict[int, dict[str, Any]] = {}
        self.templates: dict[Any, Any] = {}
        """Statics of the styled templates mounted in this session (see ``Template.statics_for``)."""
        self.wire: dict[Any, DefineTemplate] = {}
        """Wire definition of each template mounted in this session (``Template.define``)."""
        self.wired: set[int] = set()
        """Numbers of the templates whose definition is in :attr:`ops` (every batch carries its own)."""
        self.feeds: dict[MComponent, RowFeed] = {}
        """Row feeds of the virtual tables mounted in this session, by body (``_table_feed``);
        a body's feed is dropped when it unmounts."""
        self.feeds_due = False
        """A render gave a row feed something to send (the session calls its ``on_feeds``)."""
        self.carry: HookCarry | None = None
        """While a hot reload mounts the new app: the hook state of the previous tree's components."""
        self.superseded: dict[int, Superseded] = {}
        """Listeners this render removed or may have re-bound, by node id: what they were before
        it (:func:`superseded_binding`). The host keeps them with the batch they went out in,
        so an event from a DOM that had not applied that batch yet runs the handler the person
        saw (``Event.seen``, ``Session.batch_sent``)."""

    def report_dom_props(self, nid: int, data: Mapping[str, object]) -> None:
        """Record the ``value``/``checked`` the client reported for controlled element ``nid``.

        The user typed into the DOM, so it no longer shows what was last rendered. The next
        patch of that element compares the new render against these reported values (not only
        against the previous render), so "type c, then Enter clears the field" in one tick still
        sends ``value=""`` although both renders had ``""``.
        """
        el = self.listeners.get(nid)
        if el is None:
            return
        t = type(el)
        props = el.template.props_at(el.values, nid - el.id) if t is MTemplate else el.vnode.props  # type: ignore[union-attr]
        seen = {name: data[name] for name in _REPORTED_PROPS if name in data and name in props}
        if seen:
            self.reported.setdefault(nid, {}).update(seen)

    def take_superseded(self) -> dict[int, Superseded] | None:
        """Return the listeners superseded since the last call (``None``: none) and reset."""
        superseded = self.superseded
        if not superseded:
            return None
        self.superseded = {}
        return superseded

    def binding(self, nid: int, name: str) -> EventBinding | None:
        """Return the current handler binding of event ``name`` on node ``nid`` (``None``: none)."""
        el = self.listeners.get(nid)
        if el is None:
            return None
        if type(el) is MTemplate:
            return el.template.binding_at(el.values, nid - el.id, name)  # type: ignore[no-any-return]
        return el.vnode.events.get(name)  # type: ignore[union-attr]

    # -- state ---------------------------------------------------------------------------------
    def mark_dirty(self, comp: MComponent) -> None:
        """Schedule ``comp`` for re-render (its own state changed)."""
        if comp.alive and not comp.dirty:
            comp.dirty = True
            self.dirty.add(comp)
            self.on_dirty()

    def take_ops(self) -> list[Op]:
        """Return the ops recorded so far (prefixed with ``AddStyles`` for new rules) and reset."""
        ops = self.ops
        self.ops = []
        if self.wired:
            self.wired = set()
        rules = self.sheet.take_new_rules()
        if rules:
            from tempestweb_contract import AddStyles

            ops.insert(0, AddStyles(rules))
        return ops

    def render_dirty(self) -> None:
        """Re-render dirty components, parents first, until none is dirty."""
        passes = 0
        dirty = self.dirty
        if len(dirty) == 1:  # the common case (a click's one state update): no sort, no new set
            passes = 1
            c = dirty.pop()
            if c.alive and c.dirty:
                self.rerender(c)
        while self.dirty:
            passes += 1
            if passes > MAX_RENDER_PASSES:
                self.dirty.clear()
                raise TempestError(
                    f"state updates during render did not settle after {MAX_RENDER_PASSES} passes"
                )
            comps = sorted(self.dirty, key=_depth) if len(self.dirty) > 1 else list(self.dirty)
            self.dirty = set()
            for c in comps:
                if c.alive and c.dirty:
                    self.rerender(c)

    # -- components ----------------------------------------------------------------------------
    def render(self, c: MComponent) -> Node:
        """Call the component's function with its hook frame active."""
        c.dirty = False
        c.hook_index = 0
        slot = FRAME_SLOT
        prev = slot.frame
        slot.frame = c
        try:
            out = c.fn(**c.props)
        finally:
            slot.frame = prev
        if c.effects:
            self.effects.append(c)
        t = type(out)
        if t is Element or t is TemplateInstance or t is Component or t is Text:
            return out
        return as_node(out, f"component {describe_function(c.fn)}")

    def rerender(self, c: MComponent) -> None:
        """Re-render ``c`` alone (its state changed) and patch its subtree."""
        saved = self.depth
        self.depth = c.depth
        try:
            v = self.render(c)
            assert c.child is not None
            c.child = self.patch(c.child, v, c.parent_id)
        finally:
            self.depth = saved

    def mount_root(self, c: MComponent) -> NodeSpec:
        """Mount the root component under its parent id; return the node spec to create."""
        saved = self.depth
        self.depth = c.depth
        try:
            v = self.render(c)
            m, spec = self.mount(v, c.parent_id)
        finally:
            self.depth = saved
        c.child = m
        return spec

    # -- mount ---------------------------------------------------------------------------------
    def mount(self, v: Node, parent_id: int) -> tuple[Mounted, NodeSpec]:
        """Create mounted nodes for ``v`` and the node spec of its ``Create`` op."""
        t = type(v)
        if t is Element:
            nid = self.next_id
            self.next_id = nid + 1
            attrs = v.attrs if v.style is None else self.styled(v)  # type: ignore[union-attr, arg-type]
            events = v.events  # type: ignore[union-attr]
            kids = v.children  # type: ignore[union-attr]
            dyn = bool(events)
            mkids: list[Mounted] = []
            if kids:
                # The contract bounds the depth of one created subtree (MAX_DEPTH): a client
                # refuses a deeper one and asks for a resync, which would only send it again.
                nesting = self.nesting + 1
                if nesting > MAX_DEPTH:
                    raise WidgetError(
                        f"the view nests elements more than {MAX_DEPTH} deep in one update (at a "
                        f"<{v.tag}>); a created subtree may be at most {MAX_DEPTH} deep (MAX_DEPTH, "  # type: ignore[union-attr]
                        "docs/protocol.md): render the deeper levels later, or flatten them"
                    )
                self.nesting = nesting
                keys: list[object] | None = None
                specs: list[NodeSpec] = []
                mount = self.mount
                add_m = mkids.append
                add_s = specs.append
                try:
                    for c in kids:
                        if type(c) is Text:
                            cid = self.next_id
                            self.next_id = cid + 1
                            text = c.text
                            add_m(MText(cid, text))
                            add_s(TextNode(cid, text))
                            continue
                        try:
                            k = c.key
                        except AttributeError:
                            k = None  # not a node: mount() below raises the WidgetError
                        if k is not None:
                            if keys is None:
                                keys = [k]
                            else:
                                keys.append(k)
                        m, s = mount(c, nid)
                        add_m(m)
                        add_s(s)
                        if not dyn:
                            tm = type(m)
                            if (
                                tm is MComponent
                                or (tm is MElement and m.dyn)  # type: ignore[union-attr]
                                or (tm is MTemplate and m.template.listen_offsets)  # type: ignore[union-attr]
                            ):
                                dyn = True
                finally:
                    self.nesting = nesting - 1
                if keys is not None and len(keys) > 1 and len(set(keys)) != len(keys):
                    check_keys(kids, v.tag)  # type: ignore[union-attr]
                child_specs: tuple[NodeSpec, ...] = tuple(specs)
            else:
                child_specs = ()
            spec = ElementNode(
                nid,
                v.tag,  # type: ignore[union-attr]
                attrs,
                v.props,  # type: ignore[union-attr, arg-type]
                event_flags(events) if events else _EMPTY,
                child_specs,
                v.ns,  # type: ignore[union-attr]
            )
            el = MElement(nid, v.tag, v.ns, v.key, v, attrs, mkids, dyn)  # type: ignore[union-attr, arg-type]
            if events:
                self.listeners[nid] = el
            return el, spec
        if t is TemplateInstance:
            return self.mount_template(v)  # type: ignore[arg-type]
        if t is Text:
            nid = self.next_id
            self.next_id = nid + 1
            text = v.text  # type: ignore[union-attr]
            return MText(nid, text), TextNode(nid, text)
        if t is Component or isinstance(v, Component):
            saved = self.depth
            c = MComponent(v.fn, v.props, v.key, parent_id, saved + 1, self)  # type: ignore[union-attr]
            if self.carry is not None:
                self.carry.attach(c)
            self.depth = saved + 1
            try:
                child, spec2 = self.mount(self.render(c), parent_id)
            finally:
                self.depth = saved
            c.child = child
            return c, spec2
        if isinstance(v, (Element, Text)):
            raise WidgetError(f"subclasses of {type(v).__mro__[1].__name__} are not supported: {v!r}")
        raise WidgetError(f"expected a widget, an html element or a text node, got {type(v).__name__}: {v!r}")

    def statics(self, tpl: Any) -> Any:
        """Return the statics of template ``tpl`` in this session (its nodes' style classes
        registered in the session's sheet the first time; ``Template.statics_for``)."""
        if not tpl.styled:
            return tpl.plain_statics
        statics = self.templates.get(tpl)
        if statics is None:
            statics = self.templates[tpl] = tpl.statics_for(self.sheet.class_for)
        return statics

    def mount_template(self, v: TemplateInstance) -> tuple[MTemplate, NodeSpec]:
        """Mount a template instance: one record, ids ``nid`` ... ``nid + size - 1``, one spec."""
        tpl = v.template
        nid = self.next_id
        self.next_id = nid + tpl.size
        statics = self.templates.get(tpl) if tpl.styled else tpl.plain_statics
        if statics is None:  # the first instance of a styled template in this session
            statics = self.statics(tpl)
        values = v.values
        definition = self.wire.get(tpl)
        if definition is None:
            definition = self.wire[tpl] = tpl.define(statics)
        number = definition.template
        if number not in self.wired:  # the batch carries the definition before its first instance
            self.wired.add(number)
            self.ops.append(definition)
        slots = tpl.slots(values, statics)
        spec = TemplateNode(nid, number, slots)
        m = MTemplate(nid, tpl, values, v.key, statics, slots)
        offsets = tpl.listen_offsets
        if offsets:
            listeners = self.listeners
            for off in offsets:
                listeners[nid + off] = m
        return m, spec

    def styled(self, v: Element) -> dict[str, str]:
        """Return ``v.attrs`` with the generated style class appended to ``class``."""
        return with_style_class(v.attrs, self.sheet.class_for(v.style))

    # -- patch ---------------------------------------------------------------------------------
    def patch(self, m: Mounted, v: Node, parent_id: int) -> Mounted:
        """Patch mounted ``m`` into ``v``; return the mounted node now at that place."""
        t = type(v)
        tm = type(m)
        if t is Component:
            if tm is MComponent and m.fn is v.fn:  # type: ignore[union-attr]
                if m.dirty or not (v.props is m.props or v.props == m.props):  # type: ignore[union-attr]
                    m.props = v.props  # type: ignore[union-attr]
                    m.key = v.key  # type: ignore[misc]
                    saved = self.depth
                    self.depth = m.depth  # type: ignore[union-attr]
                    try:
                        nv = self.render(m)  # type: ignore[arg-type]
                        m.child = self.patch(m.child, nv, parent_id)  # type: ignore[union-attr, arg-type]
                    finally:
                        self.depth = saved
                return m
        elif t is Element:
            if tm is MElement and m.tag == v.tag and m.ns == v.ns:  # type: ignore[union-attr]
                if m.vnode is not v:  # type: ignore[union-attr]
                    self.patch_element(m, v)  # type: ignore[arg-type]
                return m
        elif t is TemplateInstance:
            if tm is MTemplate and m.template is v.template:  # type: ignore[union-attr]
                if m.values is not v.values:  # type: ignore[union-attr]
                    self.patch_template(m, v)  # type: ignore[arg-type]
                return m
        elif t is Text and tm is MText:
            if m.text != v.text:  # type: ignore[union-attr]
                m.text = v.text  # type: ignore[union-attr]
                self.ops.append(SetText(m.id, v.text))  # type: ignore[union-attr]
            return m
        old_id = dom_id(m)
        new, spec = self.mount(v, parent_id)
        self.ops.append(Create(parent_id, old_id, spec))
        self.ops.append(Remove(old_id))
        self.unmount(m)
        return new

    def patch_element(self, m: MElement, v: Element) -> None:
        """Diff attributes, properties, listeners and children of one element."""
        old = m.vnode
        ops = self.ops
        nid = m.id
        style = v.style
        if style is None:
            attrs = v.attrs
        elif style is old.style and (v.attrs is old.attrs or v.attrs == old.attrs):
            # Same style, same user attributes (a widget builds a new but equal dict on every
            # render): the effective attributes are those sent last time; no merge, no diff.
            attrs = m.attrs
        else:
            attrs = self.styled(v)
        if attrs is not m.attrs:
            diff_attrs(nid, m.attrs, attrs, ops)
            m.attrs = attrs
        # A select's properties go after its children: its value selects among its options as
        # they are then (a fresh create sets it last too).
        select = v.tag == "select" and v.ns is None
        if not select:
            if v.props is not old.props:
                diff_props(nid, old.props, v.props, ops)
            if self.reported:
                self.fix_reported(nid, v.props, old.props)
        ev = v.events
        if ev is not old.events and (ev or old.events):
            if old.events and nid not in self.superseded:
                self.superseded[nid] = (old, None, 0)
            diff_events(nid, old.events, ev, ops)
            if ev:
                self.listeners[nid] = m
                m.dyn = True
            else:
                self.listeners.pop(nid, None)
        m.vnode = v
        kids = v.children
        before = len(ops) if select else 0
        if kids is not old.children and (kids or m.children):
            if type(kids) is KeyedChildren and kids.changed is not None and kids.prev is old.children:
                # Same keys at the same positions as the children last patched in: only the
                # positions the hook rebuilt can differ (``use_keyed_children``).
                mkids = m.children
                patch = self.patch
                for j in kids.changed:
                    c = patch(mkids[j], kids[j], nid)
                    mkids[j] = c
                    if not m.dyn and dynamic(c):
                        m.dyn = True
            else:
                m.children = diff_children(self, m, m.children, kids)
        if select:
            self.patch_select_props(nid, old.props, v.props, len(ops) > before)

    def patch_select_props(self, nid: int, old: dict[str, Any], new: dict[str, Any], options: bool) -> None:
        """Diff a select's properties, after its children's ops (``options``: there were some).

        An option created, removed or given a ``selected`` property changes which option is
        selected whatever the select's ``value`` said: a value that did not change is sent again
        after such ops, so the select shows it as a fresh create of the tree does.
        """
        ops = self.ops
        start = len(ops)
        if new is not old:
            diff_props(nid, old, new, ops)
        if self.reported:
            self.fix_reported(nid, new, old)
        value = new.get("value")
        sent = any(type(op) is SetProps and "value" in op.props for op in ops[start:])
        if options and value is not None and not sent:
            ops.append(SetProps(nid, {"value": value}))

    def fix_reported(self, nid: int, new_props: dict[str, Any], old_props: dict[str, Any]) -> None:
        """Send the controlled properties of ``nid`` whose value the client reported (an event's
        ``value``/``checked``) and the render did not change: the DOM shows what was reported."""
        seen = self.reported.pop(nid, None)
        if seen is not None:
            fix = {
                name: new_props[name]
                for name, shown in seen.items()
                if name in new_props and new_props[name] != shown and old_props.get(name) == new_props[name]
            }
            if fix:
                self.ops.append(SetProps(nid, fix))

    def patch_template(self, m: MTemplate, v: TemplateInstance) -> None:
        """Emit ops for the slots whose value changed; the static markup is never diffed.

        The new values go through the template's generated ``slots`` (what a mount sends), and
        each slot is compared with what the client was last sent there.
        """
        tpl = m.template
        old = m.values
        new = v.values
        m.values = new
        if tpl.listen_offsets and new is not old:
            superseded = self.superseded
            for off in tpl.listen_offsets:
                if m.id + off not in superseded:
                    superseded[m.id + off] = (tpl, old, off)
        m.key = v.key
        before_slots = m.slots
        slots = m.slots = tpl.slots(new, m.statics)
        base = m.id
        ops = self.ops
        if slots != before_slots:
            spec = tpl.slot_spec
            for k, after in enumerate(slots):
                if after == before_slots[k]:  # the same rule as the tuples' comparison above
                    continue
                off, kind, name = spec[k]
                nid = base + off
                if kind == "text":
                    ops.append(SetText(nid, after))
                elif kind == "attr":
                    if after is None:
                        ops.append(RemoveAttrs(nid, (name,)))
                    else:
                        ops.append(SetAttrs(nid, {name: after}))
                elif kind == "prop":
                    ops.append(SetProps(nid, {name: after}))
                elif after is None:
                    ops.append(Unlisten(nid, (name,)))
                else:
                    ops.append(Listen(nid, {name: after}))
        if self.reported and tpl.prop_offsets:
            for off in tpl.prop_offsets:
                if base + off in self.reported:
                    self.fix_reported(base + off, tpl.props_at(new, off), tpl.props_at(old, off))

    # -- unmount -------------------------------------------------------------------------------
    def unmount(self, m: Mounted) -> None:
        """Forget ``m`` and its subtree: listeners, component state, effects (cleanups run)."""
        t = type(m)
        if t is MElement:
            if m.dyn:  # type: ignore[union-attr]
                if m.vnode.events:  # type: ignore[union-attr]
                    self.listeners.pop(m.id, None)  # type: ignore[union-attr]
                    self.superseded.setdefault(m.id, (m.vnode, None, 0))  # type: ignore[union-attr]
                unmount = self.unmount
                for c in m.children:  # type: ignore[union-attr]
                    tc = type(c)
                    if (tc is MElement and c.dyn) or tc is MComponent or tc is MTemplate:  # type: ignore[union-attr]
                        unmount(c)
        elif t is MComponent:
            self.unmount_component(m)  # type: ignore[arg-type]
        elif t is MTemplate:
            offsets = m.template.listen_offsets  # type: ignore[union-attr]
            if offsets:
                base = m.id  # type: ignore[union-attr]
                listeners = self.listeners
                superseded = self.superseded
                for off in offsets:
                    listeners.pop(base + off, None)
                    superseded.setdefault(base + off, (m.template, m.values, off))  # type: ignore[union-attr]

    def unmount_component(self, c: MComponent) -> None:
        """Mark ``c`` dead, run its effect cleanups, cancel its tasks and unmount its child."""
        c.alive = False
        if self.feeds:
            self.feeds.pop(c, None)  # a table body's row feed goes with it
        if c.dirty:
            c.dirty = False
            self.dirty.discard(c)
        if c.hooks or c.tasks or c.subscribed:
            self.session.component_unmounted(c)
        if c.child is not None:
            self.unmount(c.child)


def superseded_binding(before: Superseded, name: str) -> EventBinding | None:
    """Return the binding of event ``name`` a node had, from :attr:`Reconciler.superseded`."""
    source, values, offset = before
    if values is None:
        return source.events.get(name)  # type: ignore[no-any-return]
    return source.binding_at(values, offset, name)  # type: ignore[no-any-return]


def _depth(c: MComponent) -> int:
    return c.depth
