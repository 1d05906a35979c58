"""Templates on the canvas: the palette's templates, and the one undoable command that drops one.

The core plans the insertion (:func:`~playground.core.graph.template.place_template`: ids, names, positions, the
connections to make and to remove); here that plan becomes a :class:`Compound` of the usual commands (add each layer
in the template's group, disconnect, connect, move what made room), so one Ctrl+Z removes the whole block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...core.graph import Graph
from ...core.graph.elements import Position
from ...core.graph.template import Placement, Template, TemplateError, place_template
from ...core.graph.transformer_block import HELP, TITLE, default_heads, transformer_block
from ...core.layers import fmt_shape
from .commands import AddNode, Compound, Connect, Disconnect, MoveNodes

if TYPE_CHECKING:
    from .scene import GraphScene

MIME_TEMPLATE = "application/x-playground-template"
DEFAULT_D_MODEL = 32  # the features per step of a block dropped with nothing to follow


@dataclass(frozen=True)
class TemplateEntry:
    title: str
    help: str
    build: Callable[[int], Template]  # the template for d_model features per step


TEMPLATES: dict[str, TemplateEntry] = {
    TITLE: TemplateEntry(TITLE, HELP, lambda d: transformer_block(d_model=d, heads=default_heads(d))),
}


def placement_command(graph: Graph, plan: Placement, title: str) -> Compound:
    """Everything ``plan`` does, as one undoable step."""
    command = Compound(graph, f"Add {title} ({plan.group})")
    for n in plan.nodes:
        AddNode(graph, n.type, n.position, n.params, n.name, n.id, group=plan.group, parent=command)
    for edge in plan.removed:
        Disconnect(graph, edge, parent=command)
    for edge in plan.added:
        Connect(graph, edge.source, edge.target, edge.port, parent=command)
    if plan.moves:
        command.children.append(MoveNodes(graph, plan.moves, "Make room"))
    return command


def _anchor(scene: GraphScene) -> str | None:
    """The layer a template should follow: the one selected layer, or the last layer of the one selected group."""
    ids = scene.selected_node_ids()
    graph = scene.graph
    if len(ids) == 1:
        return ids[0]
    chosen = {graph.node(n).group for n in ids}
    if ids and len(chosen) == 1 and None not in chosen:
        inside = set(ids)
        last = [n for n in ids if not any(e.target in inside for e in graph.out_edges(n))]
        return last[0] if len(last) == 1 else None
    return None


def drop_template(scene: GraphScene, title: str, origin: Position) -> list[str]:
    """Drop template ``title`` with its first layer at ``origin`` or, when a layer giving T×D is selected, wired
    right after it with d_model = D; one undoable step. The new layers' ids (none if refused)."""
    entry = TEMPLATES.get(title)
    if entry is None:
        scene.document.message.emit(f"There is no template called '{title}'.")
        return []
    graph = scene.graph
    after, d_model, note = _anchor(scene), DEFAULT_D_MODEL, ""
    if after is not None:
        shape = scene.document.report.shape(after)
        if shape is not None and len(shape) == 2:
            d_model = shape[1]
        else:
            given = fmt_shape(shape) if shape is not None else "no shape yet"
            note = (
                f" It is not connected: {graph.node(after).name} gives {given}, not time × features; connect a "
                "T×D sequence into its attention and its first Add."
            )
            after = None
    elif title == TITLE:
        note = " Connect a T×D sequence (e.g. an Embedding) into its attention and its first Add."
    try:
        plan = place_template(graph, entry.build(d_model), origin, after)
    except TemplateError as err:
        scene.document.message.emit(str(err))
        return []
    if not scene.document.push(placement_command(graph, plan, title)):
        return []
    ids = [n.id for n in plan.nodes]
    scene.select_nodes(ids)
    scene.update_scene_rect()
    where = f" after {graph.node(after).name}" if after is not None else ""
    scene.document.message.emit(f"{title} added as {plan.group}{where} (d_model = {d_model}).{note}")
    return ids
