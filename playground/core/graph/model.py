"""The layer graph: nodes (layers) joined by edges (tensors), with an event for every change.

Views subscribe to ``graph.events`` (psygnal); edits go through the methods below, which check their
arguments and raise typed errors. Connections are checked as they are made (no cycles, one edge per
single-input port) unless ``strict=False``, which loading uses so that a broken file can still be opened
and its problems shown by validation.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
from collections.abc import Collection, Iterable, Iterator
from typing import Any

from ..layers import ParamError, UnknownLayerType, get_spec
from .elements import Edge, Node, Position
from .errors import (
    CycleError,
    DuplicateEdge,
    DuplicateId,
    DuplicateName,
    EdgeNotFound,
    GraphError,
    InvalidName,
    InvalidParam,
    NodeNotFound,
    PortNotFound,
    PortOccupied,
    SelfLoop,
)
from .events import GraphEvents
from .groups import checked_group
from .traversal import forward_order, nodes_on_cycles, reachable

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class Graph:
    def __init__(self) -> None:
        self.events = GraphEvents()
        self._nodes: dict[str, Node] = {}
        self._edges: list[Edge] = []
        # Indexes kept beside the lists so that lookups cost the degree of a node, not the size of the graph.
        self._in: dict[str, list[Edge]] = {}
        self._out: dict[str, list[Edge]] = {}
        self._edge_set: set[Edge] = set()
        self._names: dict[str, str] = {}  # name -> id
        self._ids = itertools.count(1)
        self._quiet = False

    # ----------------------------------------------------------------- reading
    @property
    def nodes(self) -> list[Node]:
        return list(self._nodes.values())

    @property
    def edges(self) -> list[Edge]:
        return list(self._edges)

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._nodes

    def node(self, node_id: str) -> Node:
        try:
            return self._nodes[node_id]
        except KeyError:
            raise NodeNotFound(f"There is no node with id '{node_id}'.", node_id) from None

    def by_name(self, name: str) -> Node:
        node_id = self._names.get(name)
        if node_id is not None and self._nodes[node_id].name == name:
            return self._nodes[node_id]
        for node in self._nodes.values():
            if node.name == name:
                return node
        raise NodeNotFound(f"There is no node named '{name}'.")

    def in_edges(self, node_id: str) -> list[Edge]:
        """Edges into ``node_id``, in the edge order (which is Concat's input order)."""
        return list(self._in.get(node_id, ()))

    def out_edges(self, node_id: str) -> list[Edge]:
        return list(self._out.get(node_id, ()))

    def predecessors(self, node_id: str) -> list[Node]:
        return [self._nodes[e.source] for e in self.in_edges(node_id)]

    def successors(self, node_id: str) -> list[Node]:
        return [self._nodes[e.target] for e in self.out_edges(node_id)]

    def node_index(self, node_id: str) -> int:
        """The node's place in the node order (which breaks ties in the topological order)."""
        for i, nid in enumerate(self._nodes):
            if nid == node_id:
                return i
        raise NodeNotFound(f"There is no node with id '{node_id}'.", node_id)

    def edge_index(self, edge: Edge) -> int:
        try:
            return self._edges.index(edge)
        except ValueError:
            raise EdgeNotFound(f"There is no connection {edge.source} → {edge.target}.") from None

    def nodes_of_type(self, type_: str) -> list[Node]:
        return [n for n in self._nodes.values() if n.type == type_]

    def topological_order(self, exclude: Collection[str] = ()) -> list[Node]:
        """Nodes so that every edge goes forward; raises :class:`CycleError` naming a node on a cycle.

        ``exclude`` leaves out a set of nodes closed under following edges (e.g. :meth:`downstream` of some)."""
        order, left = forward_order([nid for nid in self._nodes if nid not in exclude], self._successors())
        if left:
            stuck = self._nodes[left[0]]
            raise CycleError(f"{stuck.label()} is part of a cycle: a network must flow one way.", stuck.id)
        return [self._nodes[nid] for nid in order]

    def reaches(self, start: str, goal: str) -> bool:
        """True if a path of edges leads from ``start`` to ``goal``."""
        seen, todo = set(), [start]
        while todo:
            nid = todo.pop()
            if nid == goal:
                return True
            if nid in seen:
                continue
            seen.add(nid)
            todo.extend(e.target for e in self._out.get(nid, ()))
        return False

    def downstream(self, starts: Iterable[str]) -> set[str]:
        """Ids of ``starts`` and of every node reachable from them (linear in the graph size)."""
        return reachable(starts, self._successors())

    def cycle_nodes(self) -> set[str]:
        """Ids of the nodes that lie on some cycle (linear in the graph size)."""
        return nodes_on_cycles(self._nodes, self._successors())

    def _successors(self) -> dict[str, list[str]]:
        return {nid: [e.target for e in out] for nid, out in self._out.items()}

    # ----------------------------------------------------------------- naming
    def unique_name(self, base: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_]", "_", base.lower()) or "layer"
        if base[0].isdigit():
            base = "n" + base
        for i in itertools.count(1):
            name = f"{base}{i}"
            if name not in self._names:
                return name
        raise AssertionError("unreachable")

    def new_id(self) -> str:
        while True:
            nid = f"n{next(self._ids)}"
            if nid not in self._nodes:
                return nid

    # ----------------------------------------------------------------- editing
    def add_node(
        self,
        type_: str,
        name: str | None = None,
        params: dict[str, Any] | None = None,
        position: Position = (0.0, 0.0),
        node_id: str | None = None,
        group: str | None = None,
    ) -> Node:
        try:
            spec = get_spec(type_)
        except UnknownLayerType as err:
            raise GraphError(str(err)) from None
        name = name or self.unique_name(type_)
        self._check_name(name)
        if node_id is not None and node_id in self._nodes:
            raise DuplicateId(f"Another node already has id '{node_id}'.", node_id)
        node_id = node_id or self.new_id()
        try:
            resolved = spec.resolve_params(params)
        except ParamError as err:
            raise InvalidParam(f"{name} ({type_}): {err}", node_id, err.param) from None
        node = Node(node_id, name, type_, resolved, _finite_position(name, position), checked_group(name, group))
        self._nodes[node_id] = node
        self._names[name] = node_id
        if not self._quiet:
            self.events.node_added.emit(node)
            self.events.changed.emit()
        return node

    def insert_node(self, node: Node, index: int | None = None) -> Node:
        """Put back a node object (undo of a removal), at position ``index`` of the node order if given."""
        if node.id in self._nodes:
            raise DuplicateId(f"Another node already has id '{node.id}'.", node.id)
        self._check_name(node.name)
        if index is None or index >= len(self._nodes):
            self._nodes[node.id] = node
        else:
            items = list(self._nodes.items())
            items.insert(max(0, index), (node.id, node))
            self._nodes = dict(items)
        self._names[node.name] = node.id
        self.events.node_added.emit(node)
        self.events.changed.emit()
        return node

    def remove_node(self, node_id: str) -> Node:
        """Remove a node and every edge touching it (an ``edge_removed`` event for each)."""
        node = self.node(node_id)
        for edge in [*self._in.get(node_id, ()), *(e for e in self._out.get(node_id, ()) if e.target != node_id)]:
            self.disconnect(edge)
        del self._nodes[node_id]
        self._names.pop(node.name, None)
        self._in.pop(node_id, None)
        self._out.pop(node_id, None)
        self.events.node_removed.emit(node)
        self.events.changed.emit()
        return node

    def set_param(self, node_id: str, name: str, value: Any) -> None:
        node = self.node(node_id)
        spec = node.spec
        try:
            param = spec.param(name)
        except KeyError:
            raise InvalidParam(f"{node.label()} has no parameter '{name}'.", node_id, name) from None
        try:
            value = param.coerce(value)
        except ParamError as err:
            raise InvalidParam(f"{node.label()}: {err}", node_id, name) from None
        old = node.params.get(name)
        if old == value:
            return
        node.params[name] = value
        self.events.param_changed.emit(node, name, old, value)
        self.events.changed.emit()

    def rename(self, node_id: str, name: str) -> None:
        node = self.node(node_id)
        if name == node.name:
            return
        self._check_name(name)
        old, node.name = node.name, name
        self._names.pop(old, None)
        self._names[name] = node_id
        self.events.node_renamed.emit(node, old, name)
        self.events.changed.emit()

    def move(self, node_id: str, position: Position) -> None:
        node = self.node(node_id)
        node.position = _finite_position(node.name, position)
        self.events.node_moved.emit(node, node.position)

    def check_connect(self, source: str, target: str, port: int = 0) -> None:
        """Raise a :class:`ConnectionRefused` subclass with the reason if the edge cannot be made."""
        src, dst = self.node(source), self.node(target)
        if not src.spec.has_output:
            raise PortNotFound(f"{src.label()} has no output: it is the end of the network.", source)
        if not dst.spec.inputs:
            raise PortNotFound(f"{dst.label()} takes no input: data enters the network there.", target)
        if not 0 <= port < len(dst.spec.inputs):
            raise PortNotFound(f"{dst.label()} has no input port {port}.", target)
        if source == target:
            raise SelfLoop(f"{src.label()} cannot feed itself.", target)
        if Edge(source, target, port) in self._edge_set:
            raise DuplicateEdge(f"{src.name} is already connected to {dst.name}.", target)
        if not dst.spec.inputs[port].multi:
            taken = [e for e in self._in.get(target, ()) if e.port == port]
            if taken:
                other = self._nodes[taken[0].source]
                raise PortOccupied(
                    f"{dst.label()} already takes its input from {other.name}; it has one input. "
                    "To merge two branches use Add or Concat.",
                    target,
                )
        if self.reaches(target, source):
            raise CycleError(
                f"Connecting {src.name} → {dst.name} would make a cycle: {dst.name} already feeds {src.name}.",
                target,
            )

    def connect(
        self, source: str, target: str, port: int = 0, *, index: int | None = None, strict: bool = True
    ) -> Edge:
        """Add an edge. ``index`` places it in the edge order (which sets Concat's input order)."""
        if strict:
            self.check_connect(source, target, port)
        else:
            self.node(source)
            self.node(target)
        edge = Edge(source, target, port)
        if index is None:
            self._edges.append(edge)
            self._add_to_index(edge)
        else:
            self._edges.insert(index, edge)
            self._index_edges()
        if not self._quiet:
            self.events.edge_added.emit(edge)
            self.events.changed.emit()
        return edge

    @contextlib.contextmanager
    def building(self) -> Iterator[Graph]:
        """Add many nodes and edges (loading a file) with one ``changed`` event at the end instead of two per
        element; only for a graph nobody has seen yet, since views miss the element events."""
        self._quiet = True
        try:
            yield self
        finally:
            self._quiet = False
            self.events.changed.emit()

    def disconnect(self, edge: Edge) -> int:
        """Remove an edge; returns the index it had (to put it back in the same place on undo)."""
        index = self.edge_index(edge)
        del self._edges[index]
        self._in[edge.target].remove(edge)
        self._out[edge.source].remove(edge)
        if edge not in self._edges:
            self._edge_set.discard(edge)
        self.events.edge_removed.emit(edge)
        self.events.changed.emit()
        return index

    def clear(self) -> None:
        self._nodes.clear()
        self._edges.clear()
        self._index_edges()
        self._names.clear()
        self.events.cleared.emit()
        self.events.changed.emit()

    def _check_name(self, name: str) -> None:
        if not _NAME_RE.match(name):
            raise InvalidName(
                f"'{name}' is not a valid layer name: use letters, digits and _, not starting with a digit."
            )
        if name in self._names:
            raise DuplicateName(f"Another layer is already called '{name}'.")

    def _add_to_index(self, edge: Edge) -> None:
        self._in.setdefault(edge.target, []).append(edge)
        self._out.setdefault(edge.source, []).append(edge)
        self._edge_set.add(edge)

    def _index_edges(self) -> None:
        """Rebuild the edge indexes from the edge list (after an insertion in the middle of the order)."""
        self._in, self._out, self._edge_set = {}, {}, set()
        for edge in self._edges:
            self._add_to_index(edge)

    # ----------------------------------------------------------------- copying
    def copy(self) -> Graph:
        """An independent copy with the same ids (no subscribers)."""
        other = Graph()
        for n in self._nodes.values():
            other._nodes[n.id] = Node(n.id, n.name, n.type, _deep(n.params), n.position, n.group)
            other._names[n.name] = n.id
        other._edges = list(self._edges)
        other._index_edges()
        other._ids = itertools.count(len(self._nodes) + 1)
        return other

    def __iter__(self) -> Iterator[Node]:
        return iter(list(self._nodes.values()))

    @classmethod
    def chain(cls, layers: Iterable[tuple[str, dict[str, Any]]]) -> Graph:
        """A straight sequence of layers, each feeding the next: handy in tests and scripts."""
        graph = cls()
        previous: Node | None = None
        for i, (type_, params) in enumerate(layers):
            node = graph.add_node(type_, params=params, position=(i * 180.0, 0.0))
            if previous is not None:
                graph.connect(previous.id, node.id)
            previous = node
        return graph


def _finite_position(name: str, position: Position) -> Position:
    x, y = float(position[0]), float(position[1])
    if not (math.isfinite(x) and math.isfinite(y)):
        raise GraphError(f"{name}: a position on the canvas must be two finite numbers, not ({x}, {y}).")
    return (x, y)


def _deep(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, list) else v) for k, v in params.items()}


__all__ = ["Edge", "Graph", "GraphEvents", "Node", "Position"]
