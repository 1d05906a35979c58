"""Every edit of the graph as a small QUndoCommand that only calls the core :class:`Graph` API.

A command's ``apply()`` makes the change and ``revert()`` takes it back. :meth:`Document.push` calls
``apply()`` first and keeps the command only if the graph accepted it (a :class:`GraphError` becomes a
status-bar message); Qt's ``redo()``/``undo()`` then call ``apply()``/``revert()``. Compound edits nest child
commands (``parent=`` adds to ``parent.children``): delete = disconnect each edge + remove each node; their
``apply`` is all-or-nothing, so a refused child undoes the ones before it.

Edges removed by a command go back at the index they had (``graph.connect(..., index=i)``), so the order of a
Concat's inputs survives undo. Redo and undo restore a state the graph already held, so they reconnect with
``strict=False`` (a file opened with a problem edge must come back exactly as it was).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtGui import QUndoCommand

from ...core.graph import Edge, Graph, GraphError, Node, set_group

Position = tuple[float, float]


class GraphCommand(QUndoCommand):
    def __init__(self, graph: Graph, text: str, parent: GraphCommand | None = None):
        # Children are kept in a Python list, not handed to Qt as QUndoCommand children: Qt would delete them
        # with their parent while Python still owns them.
        super().__init__(text)
        self.graph = graph
        self.children: list[GraphCommand] = []
        self._skip_redo = False
        self._report: Callable[[str], None] | None = None
        if parent is not None:
            parent.children.append(self)

    # The edit itself; compound commands apply their children in order, all or nothing.
    def apply(self) -> None:
        done: list[GraphCommand] = []
        try:
            for child in self.children:
                child.apply()
                done.append(child)
        except GraphError:
            for child in reversed(done):
                child.revert()
            raise

    def revert(self) -> None:
        for child in reversed(self.children):
            child.revert()

    # Qt entry points.
    def skip_next_redo(self) -> None:
        """The edit was already applied by :meth:`Document.push`; QUndoStack.push calls redo() once more."""
        self._skip_redo = True

    def set_reporter(self, report: Callable[[str], None]) -> None:
        self._report = report

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guarded(self.apply)

    def undo(self) -> None:
        self._guarded(self.revert)

    def _guarded(self, action: Callable[[], None]) -> None:
        # An exception must never escape into Qt's event loop; say what went wrong instead.
        try:
            action()
        except GraphError as err:
            if self._report is not None:
                self._report(f"Could not {self.text().lower()}: {err}")


class AddNode(GraphCommand):
    def __init__(
        self,
        graph: Graph,
        type_: str,
        position: Position,
        params: Mapping[str, Any] | None = None,
        name: str | None = None,
        node_id: str | None = None,
        parent: GraphCommand | None = None,
        group: str | None = None,
    ):
        super().__init__(graph, f"Add {type_}", parent)
        self.group = group
        self.type = type_
        self.position = position
        self.params = dict(params) if params else None
        self.name = name
        self.node_id = node_id
        self.node: Node | None = None

    def apply(self) -> None:
        if self.node is None:
            self.node = self.graph.add_node(
                self.type, self.name, self.params, self.position, node_id=self.node_id, group=self.group
            )
            self.node_id, self.name = self.node.id, self.node.name
        else:
            self.graph.insert_node(self.node)

    def revert(self) -> None:
        assert self.node_id is not None
        self.graph.remove_node(self.node_id)


class _RemoveBareNode(GraphCommand):
    """Remove a node whose edges are already gone (its parent command removed them first)."""

    def __init__(self, graph: Graph, node_id: str, parent: GraphCommand):
        super().__init__(graph, "Remove layer", parent)
        self.node_id = node_id
        self.node: Node | None = None
        self.index = -1

    def apply(self) -> None:
        self.index = self.graph.node_index(self.node_id)
        self.node = self.graph.remove_node(self.node_id)

    def revert(self) -> None:
        assert self.node is not None
        self.graph.insert_node(self.node, self.index)  # same place in the order: ties in the flow order hold


class Connect(GraphCommand):
    def __init__(self, graph: Graph, source: str, target: str, port: int = 0, parent: GraphCommand | None = None):
        super().__init__(graph, "Connect", parent)
        self.edge = Edge(source, target, port)
        self.index: int | None = None
        names = [graph.node(n).name if n in graph else n for n in (source, target)]
        self.setText(f"Connect {names[0]} → {names[1]}")

    def apply(self) -> None:
        if self.index is None:
            self.graph.connect(self.edge.source, self.edge.target, self.edge.port)
            self.index = self.graph.edge_index(self.edge)
        else:
            self.graph.connect(self.edge.source, self.edge.target, self.edge.port, index=self.index, strict=False)

    def revert(self) -> None:
        self.graph.disconnect(self.edge)


class Disconnect(GraphCommand):
    def __init__(self, graph: Graph, edge: Edge, parent: GraphCommand | None = None):
        super().__init__(graph, "Disconnect", parent)
        self.edge = edge
        self.index = -1

    def apply(self) -> None:
        self.index = self.graph.disconnect(self.edge)

    def revert(self) -> None:
        self.graph.connect(self.edge.source, self.edge.target, self.edge.port, index=self.index, strict=False)


class DeleteItems(GraphCommand):
    """Delete layers (with every edge touching them) and edges, as one undoable step."""

    def __init__(self, graph: Graph, node_ids: Iterable[str], edges: Iterable[Edge] = ()):
        node_ids = [n for n in dict.fromkeys(node_ids) if n in graph]
        doomed = set(node_ids)
        chosen = set(edges)
        # Graph order, so a Concat losing one input keeps the others in the same relative order on undo.
        all_edges = [e for e in graph.edges if e in chosen or e.source in doomed or e.target in doomed]
        if len(node_ids) == 1 and not chosen:
            text = f"Delete {graph.node(node_ids[0]).name}"
        elif node_ids:
            text = f"Delete {len(node_ids)} layers"
        else:
            text = "Delete connection" if len(all_edges) == 1 else f"Delete {len(all_edges)} connections"
        super().__init__(graph, text)
        for edge in all_edges:
            Disconnect(graph, edge, parent=self)
        for node_id in node_ids:
            _RemoveBareNode(graph, node_id, parent=self)


class SetParam(GraphCommand):
    def __init__(self, graph: Graph, node_id: str, name: str, value: Any, parent: GraphCommand | None = None):
        node = graph.node(node_id)
        super().__init__(graph, f"Set {node.name}.{name}", parent)
        self.node_id, self.name, self.value = node_id, name, value
        self.old = node.params.get(name)

    def apply(self) -> None:
        self.old = self.graph.node(self.node_id).params.get(self.name)
        self.graph.set_param(self.node_id, self.name, self.value)

    def revert(self) -> None:
        self.graph.set_param(self.node_id, self.name, self.old)


class Rename(GraphCommand):
    def __init__(self, graph: Graph, node_id: str, name: str, parent: GraphCommand | None = None):
        node = graph.node(node_id)
        super().__init__(graph, f"Rename {node.name} to {name}", parent)
        self.node_id, self.name, self.old = node_id, name, node.name

    def apply(self) -> None:
        self.graph.rename(self.node_id, self.name)

    def revert(self) -> None:
        self.graph.rename(self.node_id, self.old)


class MoveNodes(GraphCommand):
    """Move layers; ``moves`` maps node id → (old position, new position)."""

    def __init__(self, graph: Graph, moves: Mapping[str, tuple[Position, Position]], text: str = ""):
        super().__init__(graph, text or (f"Move {len(moves)} layers" if len(moves) > 1 else "Move layer"))
        self.moves = dict(moves)

    def apply(self) -> None:
        for node_id in self.moves:
            self.graph.node(node_id)  # refuse before moving anything
        for node_id, (_old, new) in self.moves.items():
            self.graph.move(node_id, new)

    def revert(self) -> None:
        for node_id, (old, _new) in self.moves.items():
            self.graph.move(node_id, old)


def layout_command(graph: Graph, positions: Mapping[str, Position]) -> MoveNodes:
    moves = {
        nid: (graph.node(nid).position, (float(p[0]), float(p[1])))
        for nid, p in positions.items()
        if nid in graph and tuple(graph.node(nid).position) != (float(p[0]), float(p[1]))
    }
    return MoveNodes(graph, moves, "Auto-layout")


class SetGroup(GraphCommand):
    """Put layers in one group (or, with None, take them out of theirs: ungroup)."""

    def __init__(self, graph: Graph, node_ids: Iterable[str], group: str | None, text: str):
        super().__init__(graph, text)
        self.group = group
        self.old = {nid: graph.node(nid).group for nid in node_ids}

    def apply(self) -> None:
        for node_id in self.old:
            self.graph.node(node_id)  # refuse before changing anything
        for node_id in self.old:
            set_group(self.graph, node_id, self.group)

    def revert(self) -> None:
        for node_id, group in self.old.items():
            set_group(self.graph, node_id, group)


class Compound(GraphCommand):
    """A named group of child commands (e.g. paste = add layers + connect them)."""

    def __init__(self, graph: Graph, text: str):
        super().__init__(graph, text)
