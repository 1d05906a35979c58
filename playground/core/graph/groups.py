"""Groups of layers: layers that share a group name (the sub-graph a template dropped, e.g. one Transformer block)
are selected and moved as one on the canvas. A group is nothing but that shared name on each member
(``Node.group``), so removing a layer and putting it back (undo) keeps its membership, and a file keeps it with the
layer. Taking a layer out of its group changes nothing in the network."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import GraphError

if TYPE_CHECKING:
    from .model import Graph

_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def checked_group(layer: str, group: str | None) -> str | None:
    """``group`` if it is a valid group name (or None); a :class:`GraphError` naming ``layer`` otherwise."""
    if group is not None and (not isinstance(group, str) or not _NAME_RE.match(group)):
        raise GraphError(
            f"{layer}: {group!r} is not a valid group name: use letters, digits and _, not starting with a digit."
        )
    return group


def set_group(graph: Graph, node_id: str, group: str | None) -> None:
    """Put a layer in ``group`` (None: in none). Like a move, this changes no computation: no ``changed`` event."""
    node = graph.node(node_id)
    old, node.group = node.group, checked_group(node.name, group)
    if old != node.group:
        graph.events.group_changed.emit(node, old, node.group)


def group_members(graph: Graph, group: str) -> list[str]:
    """Ids of the layers in ``group``, in the node order."""
    return [n.id for n in graph.nodes if n.group == group]


def groups(graph: Graph) -> list[str]:
    """Every group some layer belongs to, in the order of their first members."""
    return list(dict.fromkeys(n.group for n in graph.nodes if n.group is not None))
