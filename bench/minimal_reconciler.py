"""Anchor: a minimal, competent keyed reconciler in plain Python (tuples, dicts, lists).

Vnodes: ``(tag, key, attrs, children)`` tuples for elements, ``str`` for text. Mounted nodes are
lists ``[id, tag, key, attrs, children]`` (text: ``[id, None, None, text, None]``). Ops are tuples
shaped like the contract's: ``("create", parent, before, spec)``, ``("remove", id)``,
``("move", id, parent, before)``, ``("attrs", id, {...})``, ``("rmattrs", id, (...))``,
``("text", id, text)``. Keyed children: common prefix/suffix, key map, longest increasing
subsequence for moves (the ivi/Inferno/Vue 3 strategy), right to left so ``before`` is placed.
No components, no memoization, no events, no styles: it re-diffs every node it is given, with
an identity fast path.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

VNode = Any
MNode = list[Any]


class MinimalReconciler:
    """Mounts and diffs tuple trees under a root id 0, recording op tuples in ``ops``."""

    def __init__(self) -> None:
        self.next_id = 1
        self.ops: list[tuple[Any, ...]] = []
        self.root: MNode | None = None

    def render(self, vnode: VNode) -> list[tuple[Any, ...]]:
        self.ops = []
        if self.root is None:
            self.root, spec = self.mount(vnode)
            self.ops.append(("create", 0, None, spec))
        else:
            self.root = self.patch(self.root, vnode, 0)
        return self.ops

    def mount(self, v: VNode) -> tuple[MNode, tuple[Any, ...]]:
        nid = self.next_id
        self.next_id = nid + 1
        if type(v) is str:
            return [nid, None, None, v, None], ("t", nid, v)
        tag, key, attrs, children = v
        kids = []
        specs = []
        for c in children:
            m, s = self.mount(c)
            kids.append(m)
            specs.append(s)
        return [nid, tag, key, attrs, kids, v], ("e", nid, tag, attrs, tuple(specs))

    def patch(self, m: MNode, v: VNode, parent: int) -> MNode:
        if type(v) is str:
            if m[1] is None:
                if m[3] != v:
                    m[3] = v
                    self.ops.append(("text", m[0], v))
                return m
        elif m[1] == v[0]:
            if m[5] is v:
                return m
            nid = m[0]
            old_attrs = m[3]
            attrs = v[2]
            if old_attrs != attrs:
                changed = {k: val for k, val in attrs.items() if old_attrs.get(k) != val}
                if changed:
                    self.ops.append(("attrs", nid, changed))
                gone = tuple(k for k in old_attrs if k not in attrs)
                if gone:
                    self.ops.append(("rmattrs", nid, gone))
                m[3] = attrs
            m[5] = v
            m[4] = self.children(nid, m[4], v[3])
            return m
        new, spec = self.mount(v)
        self.ops.append(("create", parent, m[0], spec))
        self.ops.append(("remove", m[0]))
        return new

    def children(self, pid: int, old: list[MNode], new: tuple[VNode, ...]) -> list[MNode]:
        ops = self.ops
        if not new:
            for m in old:
                ops.append(("remove", m[0]))
            return []
        if not old:
            out = []
            for v in new:
                m, spec = self.mount(v)
                ops.append(("create", pid, None, spec))
                out.append(m)
            return out
        patch = self.patch
        i, oe, ne = 0, len(old) - 1, len(new) - 1
        while i <= oe and i <= ne and old[i][2] == _key(new[i]):
            old[i] = patch(old[i], new[i], pid)
            i += 1
        suffix = []
        while i <= oe and i <= ne and old[oe][2] == _key(new[ne]):
            suffix.append(patch(old[oe], new[ne], pid))
            oe -= 1
            ne -= 1
        suffix.reverse()
        head = old[:i]
        if i > oe:
            before = suffix[0][0] if suffix else None
            for j in range(i, ne + 1):
                m, spec = self.mount(new[j])
                ops.append(("create", pid, before, spec))
                head.append(m)
        elif i > ne:
            for j in range(i, oe + 1):
                ops.append(("remove", old[j][0]))
        else:
            index = {old[j][2]: j for j in range(i, oe + 1)}
            sources = []
            for j in range(i, ne + 1):
                sources.append(index.pop(_key(new[j]), -1))
            for j in index.values():
                ops.append(("remove", old[j][0]))
            keep = _lis(sources)
            mid: list[MNode] = [None] * len(sources)  # type: ignore[list-item]
            before = suffix[0][0] if suffix else None
            for k in range(len(sources) - 1, -1, -1):
                s = sources[k]
                if s < 0:
                    m, spec = self.mount(new[i + k])
                    ops.append(("create", pid, before, spec))
                else:
                    m = patch(old[s], new[i + k], pid)
                    if k not in keep:
                        ops.append(("move", m[0], pid, before))
                mid[k] = m
                before = m[0]
            head.extend(mid)
        head.extend(suffix)
        return head


def _key(v: VNode) -> Any:
    return None if type(v) is str else v[1]


def _lis(seq: list[int]) -> set[int]:
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(seq)
    for j, s in enumerate(seq):
        if s < 0:
            continue
        k = bisect_left(tails, s)
        if k:
            prev[j] = tail_idx[k - 1]
        if k == len(tails):
            tails.append(s)
            tail_idx.append(j)
        else:
            tails[k] = s
            tail_idx[k] = j
    out = set()
    j = tail_idx[-1] if tail_idx else -1
    while j >= 0:
        out.add(j)
        j = prev[j]
    return out
