"""The units of a layer as small heat maps inside its card on the canvas, as TensorFlow Playground shows neurons.

A :class:`UnitStrip` is a child of a :class:`~.node_item.NodeItem`: a grid of thumbnails below the card's rows,
one per unit (at most ``CELLS``; a wider layer's last cell says how many more it has), each the unit's output
over the input plane. The card grows to hold it, by at most ``ROOM`` so that a chain wrapped into bands keeps its
connections clear (they run back halfway between the bands): the thumbnails are as large as that allows, 30 px
for a few units, 15 px for sixteen. Hovering a thumbnail shows it enlarged (:mod:`.unit_popup`).
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

CELLS = 16  # thumbnails on a card at most (the last one says "+N more" when the layer has more units)
ROOM = 36.0  # the height the thumbnails may take below the card's rows
WIDTH = NODE_W - 28  # and the width
GAP = 2.0
LARGEST, SMALLEST = 30, 12  # cell sizes tried, largest first
PAD_BOTTOM = 6.0


def cell_grid(count: int) -> tuple[float, int]:
    """(cell size, columns) of the largest square cells that lay ``count`` thumbnails out within WIDTH × ROOM, the
    rows as even as they can be (eight units: two rows of four, not seven and one)."""
    size = SMALLEST
    for size in range(LARGEST, SMALLEST - 1, -1):
        columns = max(int((WIDTH + GAP) // (size + GAP)), 1)
        if -(-count // columns) * (size + GAP) <= ROOM:
            break
    columns = max(int((WIDTH + GAP) // (size + GAP)), 1)
    rows = -(-max(count, 1) // columns)
    return float(size), -(-max(count, 1) // rows)


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
        self.cell, self.columns = cell_grid(1)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    # ------------------------------------------------------------------ content
    def set_units(self, images: list[QImage], labels: list[str], ranges: list[tuple[float, float]], total: int) -> None:
        """Show these units' maps; ``total`` is the layer's number of units (beyond CELLS, the last cell counts
        the ones not shown)."""
        shown = min(len(images), CELLS - 1 if total > CELLS else CELLS)
        if shown != len(self.images) or total != self.total:
            self.prepareGeometryChange()
        self.images, self.labels, self.ranges, self.total = images[:shown], labels[:shown], ranges[:shown], total
        self.cell, self.columns = cell_grid(shown + (1 if self.more else 0))
        self.setToolTip(f"{total} units: the first {shown} are drawn here" if self.more else "")
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
        rows = math.ceil((len(self.images) + (1 if self.more else 0)) / self.columns)
        return GAP + rows * (self.cell + GAP) + PAD_BOTTOM

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, NODE_W, self.height())

    def cell_rect(self, index: int) -> QRectF:
        row, column = divmod(index, self.columns)
        used = min(self.columns, len(self.images) + (1 if self.more else 0))
        left = (NODE_W - (used * self.cell + (used - 1) * GAP)) / 2  # the grid centred on the card
        return QRectF(left + column * (self.cell + GAP), GAP + row * (self.cell + GAP), self.cell, self.cell)

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
            cell = self.cell_rect(len(self.images))
            font = QFont()
            font.setPixelSize(max(int(self.cell * 0.42), 6))
            p.setFont(font)
            p.setPen(t.color("node_muted"))
            p.drawText(cell, Qt.AlignmentFlag.AlignCenter, f"+{self.more}")

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
