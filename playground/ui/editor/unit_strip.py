"""The units of a layer as small heat maps inside its card on the canvas, as TensorFlow Playground shows neurons.

A :class:`UnitStrip` is a child of a :class:`~.node_item.NodeItem`: a grid of thumbnails below the card's rows,
one per unit (the first ``UNIT_MAP_LIMIT``; a wider layer says how many more it has), each the unit's output
over the input plane. The card grows to hold it. Hovering a thumbnail shows it enlarged (:mod:`.unit_popup`).
The images come ready-made from :mod:`.neuron_maps`; this item only lays them out and draws them.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from .. import theme
from .node_item import NODE_W, NodeItem
from .unit_popup import UnitPopup, popup_for

COLUMNS = 4
CELL = 30.0
GAP = 4.0
MORE_H = 15.0  # the "+N more" line
PAD_BOTTOM = 8.0
LEFT = (NODE_W - (COLUMNS * CELL + (COLUMNS - 1) * GAP)) / 2


class UnitStrip(QGraphicsItem):
    """The heat maps of a card's units; ``images[i]`` is unit i over the input plane (y up), ``labels[i]`` its
    name in the enlarged view, ``total`` the layer's number of units."""

    def __init__(self, card: NodeItem):
        super().__init__(card)
        self.card = card
        self.images: list[QImage] = []
        self.labels: list[str] = []
        self.ranges: list[tuple[float, float]] = []
        self.total = 0
        self.hovered: int | None = None
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    # ------------------------------------------------------------------ content
    def set_units(self, images: list[QImage], labels: list[str], ranges: list[tuple[float, float]], total: int) -> None:
        grew = len(images) != len(self.images) or (total > len(images)) != (self.total > len(self.images))
        if grew:
            self.prepareGeometryChange()
        self.images, self.labels, self.ranges, self.total = images, labels, ranges, total
        self.setPos(0.0, self.card.rows_height - 4)
        self.card.set_extra_height(self.height() - 4)
        self.update()
        popup = self._popup(create=False)
        if popup is not None and popup.strip is self and self.hovered is not None:
            self._show_enlarged(self.hovered)

    def detach(self) -> None:
        """Leave the card (the maps were switched off, or no longer match the layer)."""
        popup = self._popup(create=False)
        if popup is not None and popup.strip is self:
            popup.hide_for(self)
        self.card.set_extra_height(0.0)
        scene = self.scene()
        if scene is not None:
            scene.removeItem(self)

    @property
    def more(self) -> int:
        return max(self.total - len(self.images), 0)

    # ------------------------------------------------------------------ geometry
    def height(self) -> float:
        rows = math.ceil(len(self.images) / COLUMNS)
        return rows * (CELL + GAP) + (MORE_H if self.more else 0.0) + PAD_BOTTOM

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, NODE_W, self.height())

    def cell_rect(self, index: int) -> QRectF:
        row, column = divmod(index, COLUMNS)
        return QRectF(LEFT + column * (CELL + GAP), GAP + row * (CELL + GAP), CELL, CELL)

    def unit_at(self, pos: QPointF) -> int | None:
        """The unit whose thumbnail is under ``pos`` (item coordinates)."""
        for i in range(len(self.images)):
            if self.cell_rect(i).contains(pos):
                return i
        return None

    # ------------------------------------------------------------------ painting
    def paint(self, p: QPainter, _option: QStyleOptionGraphicsItem, _widget: QWidget | None = None) -> None:
        t = theme.current()
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        frame = QPen(t.color("node_border"), 1.0)
        for i, image in enumerate(self.images):
            cell = self.cell_rect(i)
            p.drawImage(cell, image)
            p.setPen(QPen(t.color("selection"), 2.0) if i == self.hovered else frame)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(cell)
        if self.more:
            font = QFont()
            font.setPointSizeF(8.0)
            p.setFont(font)
            p.setPen(t.color("node_muted"))
            rows = math.ceil(len(self.images) / COLUMNS)
            line = QRectF(LEFT, GAP + rows * (CELL + GAP) - 2, NODE_W - 2 * LEFT, MORE_H)
            p.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"+{self.more} more")

    # ------------------------------------------------------------------ hover: the enlarged unit
    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        unit = self.unit_at(event.pos())
        if unit != self.hovered:
            self.hovered = unit
            self.update()
            if unit is None:
                popup = self._popup(create=False)
                if popup is not None:
                    popup.hide_for(self)
            else:
                self._show_enlarged(unit)
        super().hoverMoveEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self.hovered = None
        self.update()
        popup = self._popup(create=False)
        if popup is not None:
            popup.hide_for(self)
        super().hoverLeaveEvent(event)

    def _show_enlarged(self, unit: int) -> None:
        popup = self._popup(create=True)
        if popup is None or unit >= len(self.images):
            return
        popup.show_unit(self, unit, self.mapRectToScene(self.cell_rect(unit)))

    def _popup(self, create: bool) -> UnitPopup | None:
        scene = self.scene()
        return popup_for(scene, create) if scene is not None else None
