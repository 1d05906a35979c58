"""Walks over a directed graph given as successor lists, in time linear in the graph size.

:func:`reachable` follows edges forward from a set of nodes; :func:`forward_order` sorts nodes topologically.
:func:`nodes_on_cycles` is Tarjan's strongly connected components, written with an explicit stack so that a
chain of any length cannot exhaust Python's recursion limit. A node is on a cycle when its component has more
than one node, or when it feeds itself.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence


def forward_order(nodes: Sequence[str], successors: Mapping[str, Sequence[str]]) -> tuple[list[str], list[str]]:
    """``nodes`` ordered so that every edge between them goes forward (Kahn's algorithm), and the nodes left
    over because a cycle feeds them, in the order given. Edges into nodes outside ``nodes`` are ignored."""
    indegree = dict.fromkeys(nodes, 0)
    for targets in successors.values():
        for target in targets:
            if target in indegree:
                indegree[target] += 1
    ready = deque(nid for nid, d in indegree.items() if d == 0)
    order: list[str] = []
    while ready:
        nid = ready.popleft()
        order.append(nid)
        for target in successors.get(nid, ()):
            if target in indegree:
                indegree[target] -= 1
                if indegree[target] == 0:
                    ready.append(target)
    return order, [nid for nid, d in indegree.items() if d > 0]


def nodes_on_cycles(nodes: Iterable[str], successors: Mapping[str, Sequence[str]]) -> set[str]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: set[str] = set()
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            nid, i = work.pop()
            if i == 0:
                index[nid] = low[nid] = len(index)
                stack.append(nid)
                on_stack.add(nid)
            out = successors.get(nid, ())
            if i < len(out):
                work.append((nid, i + 1))
                nxt = out[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[nid] = min(low[nid], index[nxt])
                continue
            if work:  # the node below on the work stack is the one that discovered this one
                parent = work[-1][0]
                low[parent] = min(low[parent], low[nid])
            if low[nid] == index[nid]:
                component = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    component.append(top)
                    if top == nid:
                        break
                if len(component) > 1 or nid in out:
                    found.update(component)
    return found


def reachable(starts: Iterable[str], successors: Mapping[str, Sequence[str]]) -> set[str]:
    """``starts`` and every node a path of edges leads to from them."""
    seen: set[str] = set()
    todo = list(starts)
    while todo:
        nid = todo.pop()
        if nid in seen:
            continue
        seen.add(nid)
        todo.extend(successors.get(nid, ()))
    return seen
