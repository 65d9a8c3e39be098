"""Children diff: keyed children with minimal moves, unkeyed children by position.

Rules (documented in the README):

- Common prefix and suffix (same key, ``None`` == ``None``) are patched in place.
- In the remaining middle, keyed new children are matched to old children by key; unkeyed new
  children take the unused unkeyed old children in order. A match whose kind differs (another
  tag, namespace, component function or node kind) is no match: the old node is removed and a
  new one created.
- Matched nodes on the longest increasing subsequence of old positions stay; every other
  matched node gets one ``Move``. Moves and creates are emitted right to left, so ``before`` is
  always a sibling already in its final place. Removals come first.
- A duplicate key among siblings raises :class:`~tempest_core.errors.WidgetError`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tempest_core._internal.mounted import MComponent, MElement, Mounted, MTemplate, MText, dom_id
from tempest_core.errors import WidgetError
from tempest_core.nodes import Component, Element, Node, TemplateInstance, Text
from tempestweb_contract import Create, Move, Remove, SetText

if TYPE_CHECKING:
    from tempest_core._internal.reconciler import Reconciler

__all__ = ["check_keys", "diff_children", "dynamic", "lis_mask", "same_kind"]


def same_kind(m: Mounted, v: Node) -> bool:
    tm = type(m)
    if tm is MElement:
        return type(v) is Element and v.tag == m.tag and v.ns == m.ns  # type: ignore[union-attr]
    if tm is MText:
        return type(v) is Text
    if tm is MTemplate:
        return type(v) is TemplateInstance and v.template is m.template  # type: ignore[union-attr]
    return type(v) is Component and v.fn is m.fn  # type: ignore[union-attr]


def check_keys(nodes: Sequence[Node], tag: str) -> None:
    keys = [k for k in [v.key for v in nodes] if k is not None]
    if len(keys) > 1 and len(set(keys)) != len(keys):
        seen: set[object] = set()
        for k in keys:
            if k in seen:
                raise WidgetError(
                    f"duplicate key {k!r} among the children of <{tag}>: keys must be unique among siblings"
                )
            seen.add(k)


def lis_mask(seq: Sequence[int]) -> list[bool]:
    """Mark the positions of one longest strictly increasing subsequence (negative items ignored)."""
    tail_vals: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(seq)
    for j, s in enumerate(seq):
        if s < 0:
            continue
        k = bisect_left(tail_vals, s)
        if k:
            prev[j] = tail_idx[k - 1]
        if k == len(tail_vals):
            tail_vals.append(s)
            tail_idx.append(j)
        else:
            tail_vals[k] = s
            tail_idx[k] = j
    mask = [False] * len(seq)
    j = tail_idx[-1] if tail_idx else -1
    while j >= 0:
        mask[j] = True
        j = prev[j]
    return mask


def dynamic(m: Mounted) -> bool:
    """Whether unmounting ``m`` has work to do (listeners, components): see ``MElement.dyn``."""
    tm = type(m)
    return (
        tm is MComponent
        or (tm is MElement and m.dyn)  # type: ignore[union-attr]
        or (tm is MTemplate and bool(m.template.listen_offsets))  # type: ignore[union-attr]
    )


def _remove(rec: Reconciler, m: Mounted) -> None:
    rec.ops.append(Remove(dom_id(m)))
    rec.unmount(m)


def diff_children(
    rec: Reconciler, parent: MElement, old: list[Mounted], new: tuple[Node, ...]
) -> list[Mounted]:
    """Patch ``old`` (mounted children of ``parent``) into ``new``; return the new mounted list."""
    ops = rec.ops
    pid = parent.id
    ol = len(old)
    nl = len(new)
    if not nl:
        append = ops.append
        unmount = rec.unmount
        for m in old:
            c = m
            while type(c) is MComponent:
                c = c.child  # type: ignore[assignment]
            append(Remove(c.id))  # type: ignore[union-attr]
            if type(m) is not MText:
                unmount(m)
        return []
    mount = rec.mount
    if not ol:
        if nl > 1:
            check_keys(new, parent.tag)
        result: list[Mounted] = []
        for v in new:
            m, spec = mount(v, pid)
            ops.append(Create(pid, None, spec))
            result.append(m)
            if not parent.dyn and dynamic(m):
                parent.dyn = True
        return result

    patch = rec.patch
    i = 0
    # Common prefix. ``zip`` stops at the shorter list; ``old[i]`` is replaced in place (zip
    # has read it already). One loop iteration per unchanged memoized row: the hot path of a
    # re-render over a long keyed list (jsfb ``select``: 1,000 rows, two of them changed).
    for m, v in zip(old, new, strict=False):
        tm = type(m)
        if tm is MElement:
            if m.vnode is v:  # type: ignore[union-attr]  # a hoisted element patched in last time: as is
                i += 1
                continue
            # the same element rebuilt (a container with new children): ``rec.patch``, inline
            if type(v) is Element and m.key == v.key and m.tag == v.tag and m.ns == v.ns:  # type: ignore[union-attr]
                rec.patch_element(m, v)  # type: ignore[arg-type]
                i += 1
                continue
        elif tm is MText and type(v) is Text:  # a text node keeps its place (no key): ``rec.patch``, inline
            if m.text != v.text:  # type: ignore[union-attr]
                m.text = v.text  # type: ignore[union-attr]
                ops.append(SetText(m.id, v.text))  # type: ignore[union-attr]
            i += 1
            continue
        if type(v) is Component and tm is MComponent:
            if m.key != v.key:
                break
            # memoized component with equal props and clean state: skip without a call
            if m.fn is v.fn and not m.dirty:  # type: ignore[union-attr]
                props = v.props
                if props is m.props or props == m.props:  # type: ignore[union-attr]
                    i += 1
                    continue
        elif m.key != v.key:
            break
        old[i] = patch(m, v, pid)
        i += 1
    if i == ol == nl:
        # Same length, no key changed: every child was patched in place (no move, no create).
        if not parent.dyn:
            for m in old:
                if dynamic(m):
                    parent.dyn = True
                    break
        return old
    oe = ol - 1
    ne = nl - 1
    prefix = old[:i]
    suffix: list[Mounted] = []
    while i <= oe and i <= ne:
        m = old[oe]
        v = new[ne]
        if m.key != v.key:
            break
        oe -= 1
        ne -= 1
        # the memoized-component skip of the prefix loop (jsfb "remove one": ~1,000 rows here)
        if type(v) is Component and type(m) is MComponent and m.fn is v.fn and not m.dirty:
            props = v.props
            if props is m.props or props == m.props:
                suffix.append(m)
                continue
        suffix.append(patch(m, v, pid))
    suffix.reverse()
    if i > oe:
        if i <= ne:
            check_keys(new, parent.tag)
            before = dom_id(suffix[0]) if suffix else None
            for j in range(i, ne + 1):
                m, spec = mount(new[j], pid)
                ops.append(Create(pid, before, spec))
                prefix.append(m)
    elif i > ne:
        for j in range(i, oe + 1):
            _remove(rec, old[j])
    else:
        check_keys(new, parent.tag)
        prefix.extend(_diff_middle(rec, pid, old[i : oe + 1], new[i : ne + 1], suffix))
    if suffix:
        prefix.extend(suffix)
    if not parent.dyn:
        for m in prefix:
            if dynamic(m):
                parent.dyn = True
                break
    return prefix


def _diff_middle(
    rec: Reconciler, pid: int, old_mid: list[Mounted], new_mid: tuple[Node, ...], suffix: list[Mounted]
) -> list[Mounted]:
    ops = rec.ops
    keymap: dict[object, int] = {}
    unkeyed: list[int] = []
    for idx, m in enumerate(old_mid):
        k = m.key
        if k is None:
            unkeyed.append(idx)
        else:
            keymap[k] = idx
    n = len(new_mid)
    sources = [-1] * n
    used = [False] * len(old_mid)
    u = 0
    last = -1
    moved = False
    for j, v in enumerate(new_mid):
        k = v.key
        if k is None:
            if u >= len(unkeyed):
                continue
            idx = unkeyed[u]
            u += 1
        else:
            found = keymap.get(k)
            if found is None:
                continue
            idx = found
        m = old_mid[idx]
        # same_kind(), with its most common cases (a row of the same component or template) inline
        tv = type(v)
        if (
            (tv is Component and type(m) is MComponent and m.fn is v.fn)  # type: ignore[union-attr]
            or (tv is TemplateInstance and type(m) is MTemplate and m.template is v.template)  # type: ignore[union-attr]
            or same_kind(m, v)
        ):
            sources[j] = idx
            used[idx] = True
            if idx < last:
                moved = True
            last = idx
    for idx, m in enumerate(old_mid):
        if not used[idx]:
            _remove(rec, m)
    # Matched nodes in their old order (a window scrolled, rows added or removed around the kept
    # ones) all stay: no longest increasing subsequence to find, no move.
    in_lis = lis_mask(sources) if moved else None
    out: list[Mounted] = [None] * n  # type: ignore[list-item]
    before = dom_id(suffix[0]) if suffix else None
    patch = rec.patch
    mount = rec.mount
    for j in range(n - 1, -1, -1):
        s = sources[j]
        if s < 0:
            m, spec = mount(new_mid[j], pid)
            ops.append(Create(pid, before, spec))
        else:
            m = old_mid[s]
            v = new_mid[j]
            if type(v) is TemplateInstance:
                # patch()'s unchanged-instance case inline (a kept row of a virtual table)
                if v.values is not m.values:  # type: ignore[union-attr]
                    m = patch(m, v, pid)
            # the memoized-component skip of the prefix loop (jsfb "swap": ~1,000 rows here)
            elif not (
                type(v) is Component
                and type(m) is MComponent
                and m.fn is v.fn
                and not m.dirty
                and (v.props is m.props or v.props == m.props)
            ):
                m = patch(m, v, pid)
            if in_lis is not None and not in_lis[j]:
                ops.append(Move(dom_id(m), pid, before))
        out[j] = m
        before = m.id if type(m) is not MComponent else dom_id(m)  # type: ignore[union-attr]
    return out
