"""Props diff: attributes, DOM properties and event listeners of one element.

Each function appends the ops that turn the old values into the new ones and appends nothing
when they are equal. Identity of dicts is checked first: a vnode built from a hoisted constant
costs one ``is`` test.
"""

from __future__ import annotations

from tempest_core.nodes import EventBinding
from tempestweb_contract import Listen, Op, RemoveAttrs, Scalar, SetAttrs, SetProps, Unlisten

__all__ = ["diff_attrs", "diff_events", "diff_props", "event_flags", "join_class", "with_style_class"]


def join_class(user: str | None, generated: str) -> str:
    """Return the ``class`` value of user class names followed by a generated style class."""
    return f"{user} {generated}" if user else generated


def with_style_class(attrs: dict[str, str], generated: str) -> dict[str, str]:
    """Return a copy of ``attrs`` whose ``class`` ends with the generated style class.

    A ``class`` the user set keeps its position; otherwise ``class`` is added last.
    """
    merged = dict(attrs)
    merged["class"] = join_class(merged.get("class"), generated)
    return merged


def diff_attrs(node_id: int, old: dict[str, str], new: dict[str, str], ops: list[Op]) -> None:
    if old is new or old == new:
        return
    changed = {k: v for k, v in new.items() if old.get(k) != v}
    if changed:
        ops.append(SetAttrs(node_id, changed))
    removed = tuple(k for k in old if k not in new)
    if removed:
        ops.append(RemoveAttrs(node_id, removed))


def diff_props(node_id: int, old: dict[str, Scalar], new: dict[str, Scalar], ops: list[Op]) -> None:
    if old is new:
        return
    changed: dict[str, Scalar] = {}
    for k, v in new.items():
        if k not in old or old[k] != v or type(old[k]) is not type(v):
            changed[k] = v
    for k in old:
        if k not in new:
            changed[k] = None
    if changed:
        ops.append(SetProps(node_id, changed))


def event_flags(events: dict[str, EventBinding]) -> dict[str, int]:
    if len(events) == 1:
        for name, b in events.items():
            return {name: b.flags}
    return {name: b.flags for name, b in events.items()}


def diff_events(
    node_id: int, old: dict[str, EventBinding], new: dict[str, EventBinding], ops: list[Op]
) -> None:
    if old is new or (not old and not new):
        return
    listen: dict[str, int] = {}
    for name, binding in new.items():
        prev = old.get(name)
        if prev is None or prev.flags != binding.flags:
            listen[name] = binding.flags
    if listen:
        ops.append(Listen(node_id, listen))
    removed = tuple(name for name in old if name not in new)
    if removed:
        ops.append(Unlisten(node_id, removed))
