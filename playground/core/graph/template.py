"""Templates: a named sub-graph (layers, the connections between them, where the data comes in and goes out) that
is dropped onto the canvas as ordinary layers, put in one group so they move as one. A template is not a layer:
once dropped, each of its layers is seen, edited, trained and saved like any other.

:func:`place_template` decides everything an insertion does to a graph (the new layers' ids, names, positions and
group, the connections to make and to remove, the layers to shift right to make room) without changing it; the
editor turns that :class:`Placement` into one undoable command and :func:`apply_placement` applies it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import PlaygroundError
from .elements import Edge, Position
from .groups import groups
from .model import Graph

GAP = 190.0  # from one layer's left edge to the next one's, as the canvas lays cards out


class TemplateError(PlaygroundError, ValueError):
    """A template asked for with settings that cannot make a working sub-graph."""


@dataclass(frozen=True)
class TemplateNode:
    key: str  # the layer's part in the template; its name on the canvas is "<group>_<key>"
    type: str
    params: dict[str, Any]
    offset: Position  # from the template's origin


@dataclass(frozen=True)
class Template:
    title: str  # "Transformer block"
    group: str  # the stem of the group name ("block" → block1, block2, …)
    nodes: tuple[TemplateNode, ...]
    edges: tuple[tuple[str, str], ...]  # (source key, target key), each into the target's first port
    entries: tuple[str, ...]  # the keys of the layers the template's input feeds
    exit: str  # the key of the layer whose output is the template's output

    @property
    def width(self) -> float:
        return max(n.offset[0] for n in self.nodes) + GAP


@dataclass(frozen=True)
class PlacedNode:
    id: str
    name: str
    type: str
    params: dict[str, Any]
    position: Position


@dataclass
class Placement:
    """What inserting a template changes, in the order to apply it."""

    group: str
    nodes: list[PlacedNode]
    removed: list[Edge] = field(default_factory=list)  # the connections the template now sits in between
    added: list[Edge] = field(default_factory=list)
    moves: dict[str, tuple[Position, Position]] = field(default_factory=dict)  # node id → (old, new) position


def place_template(graph: Graph, template: Template, origin: Position, after: str | None = None) -> Placement:
    """Plan ``template`` at ``origin``; with ``after`` (a layer id) it follows that layer: it takes the layer's
    output, and what the layer fed before now takes the template's output; the layers downstream shift right."""
    group = _free_group(graph, template)
    if after is not None:
        x, y = graph.node(after).position
        origin = (x + GAP, y)
    ids: dict[str, str] = {}
    placed = []
    for t in template.nodes:
        ids[t.key] = _fresh_id(graph, set(ids.values()))
        position = (origin[0] + t.offset[0], origin[1] + t.offset[1])
        placed.append(PlacedNode(ids[t.key], f"{group}_{t.key}", t.type, dict(t.params), position))
    plan = Placement(group, placed)
    plan.added = [Edge(ids[s], ids[t]) for s, t in template.edges]
    if after is None:
        return plan
    plan.added = [Edge(after, ids[key]) for key in template.entries] + plan.added
    for edge in graph.out_edges(after):
        plan.removed.append(edge)
        plan.added.append(Edge(ids[template.exit], edge.target, edge.port))
    shifted = graph.downstream([e.target for e in plan.removed])
    for nid in shifted:
        old = graph.node(nid).position
        if old[0] >= origin[0] - GAP / 2:
            plan.moves[nid] = (old, (old[0] + template.width, old[1]))
    return plan


def apply_placement(graph: Graph, plan: Placement) -> list[str]:
    """Make the changes ``plan`` describes (no undo: the editor wraps them in a command); the new layers' ids."""
    for n in plan.nodes:
        graph.add_node(n.type, n.name, n.params, n.position, node_id=n.id, group=plan.group)
    for edge in plan.removed:
        graph.disconnect(edge)
    for edge in plan.added:
        graph.connect(edge.source, edge.target, edge.port)
    for nid, (_old, new) in plan.moves.items():
        graph.move(nid, new)
    return [n.id for n in plan.nodes]


def _free_group(graph: Graph, template: Template) -> str:
    """The first group name ("block1", "block2", …) not in use whose layer names are all free."""
    names = {n.name for n in graph.nodes}
    used = set(groups(graph))
    i = 1
    while f"{template.group}{i}" in used or any(f"{template.group}{i}_{t.key}" in names for t in template.nodes):
        i += 1
    return f"{template.group}{i}"


def _fresh_id(graph: Graph, taken: set[str]) -> str:
    node_id = graph.new_id()
    while node_id in taken:
        node_id = graph.new_id()
    return node_id
