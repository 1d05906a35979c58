"""The canvas model-view glue: one item per node and per edge, kept in step with the core graph's events.

The scene subscribes to ``graph.events`` (psygnal) and mirrors each event onto its items; it never changes
the graph itself. User gestures (drop a layer, drag a connection, move, delete, paste) become commands pushed
on the :class:`~playground.ui.document.Document`, whose graph then emits the events that update the items.
Shapes, parameter counts and problems come from the document's shape report.

Signals for other parts of the window:

* ``node_selected(node_id | None)`` — exactly one layer is selected (its id), or not (None).
* ``selection_ids_changed(list[str])`` — every selected layer id; when the selection is the group of the card just
  clicked (group_keeper.py), that card alone, so the inspector shows the layer the user pointed at.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QGuiApplication, QTransform
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneMouseEvent, QMenu

from ...core.graph import Edge, Graph, Node
from ...core.layers import fmt_shape
from ...core.layout import Position, wrapped_positions
from ...core.project import Project
from ...core.shapes import ShapeReport
from .. import theme
from ..document import Document
from .clipboard import MIME_NODES, copy_selection, paste_command, put_on_clipboard
from .commands import AddNode, Connect, DeleteItems, MoveNodes, layout_command
from .connect_drag import ConnectionDrag
from .edge_item import EdgeItem
from .group_keeper import GroupKeeper
from .node_item import NODE_H, NODE_W, NodeItem
from .templates import drop_template

PASTE_STEP = 30.0
DEFAULT_VIEWPORT = (1000.0, 600.0)


class GraphScene(QGraphicsScene):
    node_selected = Signal(object)
    selection_ids_changed = Signal(list)

    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.document = document
        self.graph: Graph = document.graph
        self.node_items: dict[str, NodeItem] = {}
        self.edge_items: dict[Edge, list[EdgeItem]] = {}
        self._drag: ConnectionDrag | None = None
        self._last_single: str | None = None
        self._paste_count = 0
        self.groups = GroupKeeper(self)
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        document.project_replaced.connect(self._on_project_replaced)
        document.report_changed.connect(self.apply_report)
        self.selectionChanged.connect(self._on_selection_changed)
        theme.notifier.theme_changed.connect(self._on_theme_changed)
        self._subscribe(self.graph)
        self._rebuild()

    # ------------------------------------------------------------------ model → items
    def _subscribe(self, graph: Graph) -> None:
        ev = graph.events
        ev.node_added.connect(self._on_node_added)
        ev.node_removed.connect(self._on_node_removed)
        ev.edge_added.connect(self._on_edge_added)
        ev.edge_removed.connect(self._on_edge_removed)
        ev.param_changed.connect(self._on_node_changed)
        ev.node_renamed.connect(self._on_node_changed)
        ev.node_moved.connect(self._on_node_moved)
        ev.group_changed.connect(self._on_group_changed)
        ev.cleared.connect(self._rebuild)

    def _unsubscribe(self, graph: Graph) -> None:
        ev = graph.events
        for signal, slot in (
            (ev.node_added, self._on_node_added),
            (ev.node_removed, self._on_node_removed),
            (ev.edge_added, self._on_edge_added),
            (ev.edge_removed, self._on_edge_removed),
            (ev.param_changed, self._on_node_changed),
            (ev.node_renamed, self._on_node_changed),
            (ev.node_moved, self._on_node_moved),
            (ev.group_changed, self._on_group_changed),
            (ev.cleared, self._rebuild),
        ):
            signal.disconnect(slot)

    def _on_project_replaced(self, project: Project) -> None:
        self._unsubscribe(self.graph)
        self.graph = project.graph
        self._subscribe(self.graph)
        self._paste_count = 0
        self._rebuild()

    def _rebuild(self) -> None:
        self._cancel_drag()
        self.clear()
        self.node_items.clear()
        self.edge_items.clear()
        self.groups.frames.clear()  # clear() deleted them: the cards added next must not fit a deleted frame
        for node in self.graph.nodes:
            self._on_node_added(node)
        for edge in self.graph.edges:
            self._on_edge_added(edge)
        self.groups.rebuild()
        self.apply_report(self.document.report)
        self.update_scene_rect()

    def _on_node_added(self, node: Node) -> None:
        item = NodeItem(node)
        item.moved = self.groups.card_moved
        self.node_items[node.id] = item
        self.addItem(item)
        self.groups.refresh(node.group)
        if len(self.node_items) == 1:
            self.update()  # the empty canvas's hint (drawn by the view) goes away everywhere, not just under the card

    def _on_node_removed(self, node: Node) -> None:
        item = self.node_items.pop(node.id, None)
        if item is None:
            return
        for edge in list(item.edges):  # normally none left: the graph removed them first
            self._remove_edge_item(edge)
        self.removeItem(item)
        self.groups.refresh(node.group)
        if not self.node_items:
            self.update()  # the hint comes back

    def _on_edge_added(self, edge: Edge) -> None:
        source, target = self.node_items.get(edge.source), self.node_items.get(edge.target)
        if source is None or target is None:
            return
        item = EdgeItem(edge, source, target)
        self.edge_items.setdefault(edge, []).append(item)
        self.addItem(item)

    def _on_edge_removed(self, edge: Edge) -> None:
        items = self.edge_items.get(edge)
        if items:
            self._remove_edge_item(items[-1])

    def _remove_edge_item(self, item: EdgeItem) -> None:
        items = self.edge_items.get(item.edge, [])
        if item in items:
            items.remove(item)
        if not items:
            self.edge_items.pop(item.edge, None)
        item.detach()
        self.removeItem(item)

    def _on_node_changed(self, node: Node, *_args) -> None:
        item = self.node_items.get(node.id)
        if item is not None:
            item.refresh()

    def _on_node_moved(self, node: Node, position) -> None:
        item = self.node_items.get(node.id)
        if item is not None and (item.pos().x(), item.pos().y()) != tuple(position):
            item.setPos(QPointF(*position))

    def _on_group_changed(self, _node: Node, old: str | None, new: str | None) -> None:
        self.groups.refresh(old)
        self.groups.refresh(new)

    def apply_report(self, report: ShapeReport) -> None:
        """Show shapes, counts and problems on the cards and shapes on the edges."""
        for node_id, item in self.node_items.items():
            item.set_info(report.nodes.get(node_id))
        concat_inputs: dict[str, list[Edge]] = {}
        for edge in self.graph.edges:
            if self.graph.node(edge.target).type == "Concat":
                concat_inputs.setdefault(edge.target, []).append(edge)
        for edge, items in self.edge_items.items():
            info = report.nodes.get(edge.source)
            label = fmt_shape(info.shape) if info is not None and info.shape is not None else ""
            order = concat_inputs.get(edge.target)
            if order and label:
                label = f"#{order.index(edge) + 1}  {label}"
            for item in items:
                item.set_label(label)
        self.groups.refit_all()  # a card grown by a problem's lines

    def _on_theme_changed(self, _theme) -> None:
        for item in self.items():
            item.update()

    def update_scene_rect(self) -> None:
        rect = self.itemsBoundingRect().adjusted(-1200, -900, 1200, 900)
        self.setSceneRect(rect.united(QRectF(-1200, -900, 2400, 1800)))

    # ------------------------------------------------------------------ queries
    def node_item_at(self, pos: QPointF, exclude: NodeItem | None = None) -> NodeItem | None:
        area = QRectF(pos.x() - 8, pos.y() - 8, 16, 16)
        for item in self.items(
            area, Qt.ItemSelectionMode.IntersectsItemShape, Qt.SortOrder.DescendingOrder, QTransform()
        ):
            if isinstance(item, NodeItem) and item is not exclude:
                return item
        return None

    def selected_node_ids(self) -> list[str]:
        return [i.node.id for i in self.selectedItems() if isinstance(i, NodeItem)]

    def selected_edges(self) -> list[Edge]:
        return [i.edge for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def select_nodes(self, node_ids: list[str]) -> None:
        self.clearSelection()
        for nid in node_ids:
            if nid in self.node_items:
                self.node_items[nid].setSelected(True)

    def _on_selection_changed(self) -> None:
        if self.groups.expanding:
            return
        self.groups.expand_selection()
        ids = self.groups.shown(self.selected_node_ids())
        self.selection_ids_changed.emit(ids)
        single = ids[0] if len(ids) == 1 else None
        if single != self._last_single:
            self._last_single = single
            self.node_selected.emit(single)

    # ------------------------------------------------------------------ edits
    def add_layer(self, type_: str, centre: QPointF) -> str | None:
        """Add a layer whose card is centred on ``centre``; returns its id (None if refused)."""
        command = AddNode(self.graph, type_, (round(centre.x() - NODE_W / 2), round(centre.y() - NODE_H / 2)))
        if not self.document.push(command):
            return None
        self.select_nodes([command.node_id])
        return command.node_id

    def add_template(self, title: str, centre: QPointF) -> list[str]:
        """Drop the template ``title`` centred on ``centre`` (after the one selected layer, if any); its ids."""
        return drop_template(self, title, (centre.x() - NODE_W / 2, centre.y() - NODE_H / 2))

    def connect_nodes(self, source: str, target: str, port: int = 0) -> bool:
        return self.document.push(Connect(self.graph, source, target, port))

    def delete_selection(self) -> bool:
        nodes, edges = self.selected_node_ids(), self.selected_edges()
        if not nodes and not edges:
            return False
        return self.document.push(DeleteItems(self.graph, nodes, edges))

    def select_all(self) -> None:
        for item in self.node_items.values():
            item.setSelected(True)

    def copy(self) -> bool:
        data = copy_selection(self.graph, self.selected_node_ids())
        if data is None:
            return False
        put_on_clipboard(data)
        self._paste_count = 0
        return True

    def cut(self) -> bool:
        return self.copy() and self.delete_selection()

    def paste(self) -> bool:
        self._paste_count += 1
        step = PASTE_STEP * self._paste_count
        command = paste_command(self.graph, QGuiApplication.clipboard().mimeData(), (step, step))
        if command is None or not self.document.push(command):
            return False
        self.select_nodes([c.node_id for c in command.children if isinstance(c, AddNode)])
        self.groups.reveal_selection()  # a group pasted below the network may be out of sight
        return True

    def auto_layout(self) -> bool:
        """Lay the network out from inputs to outputs, in bands that fit the canvas showing it."""
        command = layout_command(self.graph, wrapped_positions(self.graph, self.viewport_size()))
        if not command.moves:
            return False
        ok = self.document.push(command)
        self.update_scene_rect()
        return ok

    def viewport_size(self) -> tuple[float, float]:
        """The size in pixels of the canvas that shows this scene (a usual one if there is none)."""
        views = self.views()
        if not views:
            return DEFAULT_VIEWPORT
        size = views[0].viewport().size()
        return (float(size.width()), float(size.height()))

    def place(self, positions: dict[str, Position]) -> None:
        """Move layers as part of opening a project (not an edit: nothing to undo, nothing unsaved)."""
        for nid, pos in positions.items():
            if nid in self.graph:
                self.graph.move(nid, pos)
        self.update_scene_rect()

    # ------------------------------------------------------------------ mouse
    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.node_item_at(event.scenePos())
            port = item.port_at(event.scenePos()) if item is not None else None
            if item is not None and port is not None:
                self._drag = ConnectionDrag(self, item, *port)
                self._drag.move(event.scenePos())
                event.accept()
                return
            refocused = self.groups.pressed(item)
            super().mousePressEvent(event)
            if refocused:
                self._on_selection_changed()  # another card of an already selected group: the inspector follows
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag is not None:
            self._drag.move(event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._drag is not None:
            drag, self._drag = self._drag, None
            drag.move(event.scenePos())
            edge, reason = drag.finish()
            if edge is not None:
                self.connect_nodes(edge.source, edge.target, edge.port)
            elif reason:
                self.document.message.emit(reason)
            event.accept()
            return
        super().mouseReleaseEvent(event)
        self.commit_moves()

    def contextMenuEvent(self, event) -> None:
        """Right-click: what can be done with the layer or connection under the mouse, or with the canvas."""
        item = self.itemAt(event.scenePos(), QTransform())
        while item is not None and not isinstance(item, NodeItem | EdgeItem) and item.parentItem() is not None:
            item = item.parentItem()  # a part of a card (its neuron maps) stands for the card
        menu = QMenu()
        if isinstance(item, NodeItem | EdgeItem):
            if not item.isSelected():
                self.clearSelection()
                item.setSelected(True)
            if isinstance(item, NodeItem):
                menu.addAction("Copy", self.copy)
                menu.addAction("Cut", self.cut)
                self.groups.add_menu_entries(menu, item)
            menu.addAction("Delete", self.delete_selection)
        else:
            clipboard = QGuiApplication.clipboard().mimeData()
            menu.addAction("Paste", self.paste).setEnabled(clipboard is not None and clipboard.hasFormat(MIME_NODES))
            menu.addAction("Select all", self.select_all)
            menu.addAction("Auto-layout", self.auto_layout)
        menu.exec(event.screenPos())
        event.accept()

    def commit_moves(self) -> None:
        """After a drag of cards, record where they ended up as one undoable move."""
        moves = {}
        for node_id, item in self.node_items.items():
            node = self.graph.node(node_id)
            new = (round(item.pos().x(), 2), round(item.pos().y(), 2))
            if tuple(node.position) != new:
                moves[node_id] = (tuple(node.position), new)
        if moves:
            self.document.push(MoveNodes(self.graph, moves))
            self.update_scene_rect()

    def _cancel_drag(self) -> None:
        if self._drag is not None:
            self._drag.cancel()
            self._drag = None

    # ------------------------------------------------------------------ checks
    def consistency_problems(self) -> list[str]:
        """Differences between the graph and the items (empty when the canvas shows the model exactly)."""
        out = []
        if set(self.node_items) != {n.id for n in self.graph.nodes}:
            out.append(f"nodes differ: scene {sorted(self.node_items)} vs graph {sorted(n.id for n in self.graph)}")
        for node in self.graph.nodes:
            item = self.node_items.get(node.id)
            if item is None:
                continue
            if item.node is not node:
                out.append(f"{node.name}: item shows another node object")
            if (round(item.pos().x(), 2), round(item.pos().y(), 2)) != tuple(round(v, 2) for v in node.position):
                out.append(f"{node.name}: item at {item.pos().toTuple()} but node at {node.position}")
        scene_edges = sorted((e.source, e.target, e.port) for e, items in self.edge_items.items() for _ in items)
        graph_edges = sorted((e.source, e.target, e.port) for e in self.graph.edges)
        if scene_edges != graph_edges:
            out.append(f"edges differ: scene {scene_edges} vs graph {graph_edges}")
        counted = sum(1 for i in self.items() if isinstance(i, EdgeItem))
        if counted != len(graph_edges):
            out.append(f"{counted} edge items in the scene for {len(graph_edges)} edges")
        if sum(1 for i in self.items() if isinstance(i, NodeItem)) != len(self.graph):
            out.append("stray node items in the scene")
        return out
