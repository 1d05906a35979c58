"""Dragging a new connection: a live line from the port under the mouse to the cursor.

The node under the cursor is asked, through ``graph.check_connect``, whether it would accept the edge; it is
ringed green or red, and a refusal shows its reason beside the cursor (the same sentence goes to the status bar
if the user lets go there). Dragging can start at an output port (then any part of the target node will do;
the nearest input port is used) or at an input port (then the node let go on is the source).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from ...core.graph import ConnectionRefused, Edge, GraphError
from .. import theme
from .edge_item import curve
from .node_item import IN, OUT, NodeItem


class MessageBubble(QGraphicsItem):
    """A short explanation floating next to the cursor."""

    MAX_W = 300.0

    def __init__(self) -> None:
        super().__init__()
        self.text = ""
        self._rect = QRectF()
        self.setZValue(10)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)

    def set_text(self, text: str) -> None:
        self.prepareGeometryChange()
        self.text = text
        fm = QFontMetricsF(QFont())
        bound = fm.boundingRect(QRectF(0, 0, self.MAX_W, 1000), int(Qt.TextFlag.TextWordWrap), text)
        self._rect = QRectF(0, 0, bound.width() + 16, bound.height() + 10)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-1, -1, 1, 1)

    def paint(self, p: QPainter, _o: QStyleOptionGraphicsItem, _w: QWidget | None = None) -> None:
        t = theme.current()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(t.color("error"), 1.5))
        p.setBrush(t.color("base"))
        p.drawRoundedRect(self._rect, 6, 6)
        p.setPen(t.color("text"))
        p.drawText(self._rect.adjusted(8, 5, -8, -5), int(Qt.TextFlag.TextWordWrap), self.text)


class ConnectionDrag:
    def __init__(self, scene, origin: NodeItem, side: str, index: int):
        self.scene = scene
        self.origin = origin
        self.side = side
        self.index = index
        self.edge: Edge | None = None
        self.reason: str | None = None
        self.target: NodeItem | None = None
        self.line = QGraphicsPathItem()
        self.line.setZValue(5)
        scene.addItem(self.line)
        self.bubble = MessageBubble()
        self.bubble.hide()
        scene.addItem(self.bubble)

    @property
    def start(self) -> QPointF:
        return self.origin.port_scene_pos(self.side, self.index)

    def move(self, pos: QPointF) -> None:
        target = self.scene.node_item_at(pos, exclude=self.origin)
        if target is not self.target and self.target is not None:
            self.target.set_drop_state(None)
        self.target = target
        self.edge, self.reason = self._candidate(target, pos)
        t = theme.current()
        end = pos
        if target is None:
            color = t.color("highlight")
        elif self.edge is not None:
            color = t.color("ok")
            end = target.port_scene_pos(IN, self.edge.port) if self.side == OUT else target.port_scene_pos(OUT)
        else:
            color = t.color("error")
        if target is not None:
            target.set_drop_state("ok" if self.edge is not None else "refused")
        a, b = (self.start, end) if self.side == OUT else (end, self.start)
        self.line.setPath(curve(a, b))
        pen = QPen(color, 2.2, Qt.PenStyle.DashLine)
        self.line.setPen(pen)
        if self.reason:
            self.bubble.set_text(self.reason)
            self.bubble.setPos(pos + QPointF(16, 16))
            self.bubble.show()
        else:
            self.bubble.hide()

    def _candidate(self, target: NodeItem | None, pos: QPointF) -> tuple[Edge | None, str | None]:
        if target is None:
            return None, None
        graph = self.scene.graph
        if self.side == OUT:
            port = target.nearest_input(pos) if target.n_inputs else 0
            edge = Edge(self.origin.node.id, target.node.id, port)
        else:
            edge = Edge(target.node.id, self.origin.node.id, self.index)
        try:
            graph.check_connect(edge.source, edge.target, edge.port)
        except ConnectionRefused as err:
            return None, str(err)
        except GraphError as err:
            return None, str(err)
        return edge, None

    def finish(self) -> tuple[Edge | None, str | None]:
        """Remove the temporary items; return the edge to make, or the reason it cannot be made."""
        self.cancel()
        return self.edge, self.reason

    def cancel(self) -> None:
        if self.target is not None:
            self.target.set_drop_state(None)
        for item in (self.line, self.bubble):
            if item.scene() is not None:
                self.scene.removeItem(item)
