"""The canvas widget: zoom with the wheel, pan with the middle button (or Space + drag), rubber-band selection,
fit-to-view, and layers dropped from the palette landing where they are dropped."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsView

from ...core.layout import MARGIN, fit_zoom, wrapped_positions
from .. import theme
from .palette import MIME_LAYER
from .scene import GraphScene
from .templates import MIME_TEMPLATE

MIN_ZOOM, MAX_ZOOM = 0.08, 3.0
# The lowest zoom at which every layer's name can be read: below LOW_DETAIL_ZOOM the cards show their name alone,
# in a large font (level of detail), which stays readable down to here.
READABLE_ZOOM = 0.3
DETAILED_ZOOM = 0.6  # from here the whole card reads (type, parameters, shape)
GRID = 24.0


class GraphView(QGraphicsView):
    zoom_changed = Signal(float)

    def __init__(self, scene: GraphScene, parent=None):
        super().__init__(scene, parent)
        self.graph_scene = scene
        self.setObjectName("canvas")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlags(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAcceptDrops(True)
        self._pan_from: QPointF | None = None
        self._space = False
        self._keep_framed = False  # re-frame on resize: set when a project opens, cleared when the user acts
        scene.document.graph_changed.connect(self.release_framing)
        theme.notifier.theme_changed.connect(self._on_theme_changed)
        scene.document.project_replaced.connect(self._on_project_replaced)

    # ------------------------------------------------------------------ zoom
    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, value: float) -> None:
        value = max(MIN_ZOOM, min(MAX_ZOOM, value))
        factor = value / self.zoom
        if not math.isclose(factor, 1.0):
            self.scale(factor, factor)
            self.resetCachedContent()
            self.zoom_changed.emit(self.zoom)

    def zoom_in(self) -> None:
        self._keep_framed = False
        self.set_zoom(self.zoom * 1.25)

    def zoom_out(self) -> None:
        self._keep_framed = False
        self.set_zoom(self.zoom / 1.25)

    def fit(self) -> None:
        """Show every layer, at most at 110 %."""
        items = self.graph_scene.node_items.values()
        if not items:
            self.set_zoom(1.0)
            self.centerOn(0, 0)
            return
        rect = QRectF()
        for item in items:
            rect = rect.united(item.sceneBoundingRect())
        mx, my = MARGIN
        rect = rect.adjusted(-mx, -my, mx, my)
        self.graph_scene.update_scene_rect()
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > 1.1:
            self.set_zoom(1.1)
        self.centerOn(rect.center())
        self.resetCachedContent()
        self.zoom_changed.emit(self.zoom)

    def show_start(self) -> None:
        """Frame a project just opened. A layout that would be too small to read when fitted (a long chain on one
        row) is laid out again in bands that fit the canvas; a network still too large to read is shown from its
        beginning (the Input) at a readable zoom. Until the user zooms, pans, clicks or edits, the canvas keeps it
        framed when its size changes (the window settling its panels after opening, or resized)."""
        self.fit()
        if self.isVisible() and self.zoom < DETAILED_ZOOM:
            positions = wrapped_positions(self.graph_scene.graph, self.graph_scene.viewport_size())
            if fit_zoom(positions, self.graph_scene.viewport_size()) > self.zoom * 1.2:
                self.graph_scene.place(positions)
        self._frame()
        self._keep_framed = True

    def _frame(self) -> None:
        self.fit()
        items = self.graph_scene.node_items.values()
        if not items or self.zoom >= READABLE_ZOOM:
            return
        self.set_zoom(READABLE_ZOOM)
        first = min(items, key=lambda i: (i.node.type != "Input", i.pos().x()))
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        anchor = first.sceneBoundingRect().center()
        self.centerOn(anchor.x() + visible.width() / 2 - 120, anchor.y())

    def release_framing(self, *_args) -> None:
        """The user took the view in hand: a later resize keeps their zoom and place."""
        self._keep_framed = False

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._keep_framed and self.graph_scene.node_items:
            self._frame()

    def wheelEvent(self, event: QWheelEvent) -> None:
        self._keep_framed = False
        delta = event.angleDelta().y() or event.angleDelta().x()
        if delta:
            self.set_zoom(self.zoom * math.pow(1.0015, delta))
        event.accept()

    # ------------------------------------------------------------------ panning
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            return
        super().keyReleaseEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._keep_framed = False
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (self._space and button == Qt.MouseButton.LeftButton):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            if self._space:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # ------------------------------------------------------------------ drops from the palette
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME_LAYER) or event.mimeData().hasFormat(MIME_TEMPLATE):
            event.acceptProposedAction()
        else:
            event.ignore()  # e.g. a project file: the main window opens it

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(MIME_LAYER) or event.mimeData().hasFormat(MIME_TEMPLATE):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        data = event.mimeData()
        if data.hasFormat(MIME_TEMPLATE):
            title = bytes(data.data(MIME_TEMPLATE).data()).decode("utf-8")
            self.graph_scene.add_template(title, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
            self.setFocus()
            return
        if not data.hasFormat(MIME_LAYER):
            event.ignore()
            return
        type_ = bytes(data.data(MIME_LAYER).data()).decode("utf-8")
        self.graph_scene.add_layer(type_, self.mapToScene(event.position().toPoint()))
        event.acceptProposedAction()
        self.setFocus()

    def add_layer_at_centre(self, type_: str) -> str | None:
        """Add a layer in the middle of what is visible (palette double-click or Enter)."""
        centre = self.mapToScene(self.viewport().rect().center())
        offset = 12.0 * (len(self.graph_scene.node_items) % 6)
        return self.graph_scene.add_layer(type_, centre + QPointF(offset, offset))

    def add_template_at_centre(self, title: str) -> list[str]:
        """Drop a template in the middle of what is visible (or after the one selected layer)."""
        return self.graph_scene.add_template(title, self.mapToScene(self.viewport().rect().center()))

    # ------------------------------------------------------------------ painting
    def _on_project_replaced(self, _project) -> None:
        self.viewport().update()

    def _on_theme_changed(self, _theme) -> None:
        self.resetCachedContent()
        self.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        t = theme.current()
        painter.fillRect(rect, t.color("canvas"))
        if self.zoom < 0.35:
            return
        painter.setPen(QPen(t.color("grid"), 0))
        left = math.floor(rect.left() / GRID) * GRID
        top = math.floor(rect.top() / GRID) * GRID
        lines = []
        x = left
        while x < rect.right():
            lines.append((QPointF(x, rect.top()), QPointF(x, rect.bottom())))
            x += GRID
        y = top
        while y < rect.bottom():
            lines.append((QPointF(rect.left(), y), QPointF(rect.right(), y)))
            y += GRID
        for a, b in lines:
            painter.drawLine(a, b)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        if self.graph_scene.node_items:
            return
        # The empty canvas says what to do first.
        t = theme.current()
        painter.save()
        painter.resetTransform()
        font = QFont()
        font.setPointSizeF(13)
        painter.setFont(font)
        painter.setPen(t.color("muted"))
        area = self.viewport().rect()
        painter.drawText(
            area,
            Qt.AlignmentFlag.AlignCenter,
            "Drag layers here from the palette on the left.\n"
            "Start with an Input, end with an Output,\n"
            "and connect them by dragging from a layer's right port to the next one's left port.",
        )
        painter.restore()
