"""A layer on the canvas: a card with its name, type, key parameters, output shape, parameter count and ports.

A problem is written on the card in full, over as many lines as it needs (up to PROBLEM_LINES); the card grows to
hold them, and to hold what other items put below its rows (the units' heat maps, unit_strip.py).

The item shows what the core says (``Node`` for name/type/params, ``NodeInfo`` from shape inference for shape,
count and problems); it computes nothing. Painting is cached per item (``DeviceCoordinateCache``) and the
cache is only invalidated when what the card shows changes, so large graphs pan and zoom smoothly.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ...core.graph import Node
from ...core.layers import fmt_shape
from ...core.shapes import NodeInfo
from .. import theme
from .card_text import card_fonts, wrap_lines
from .icons import paint_glyph

NODE_W = 164.0
HEADER_H = 26.0
NODE_H = 76.0
PORT_R = 6.0
PORT_HIT = 11.0
LOW_DETAIL_ZOOM = 0.55  # below this zoom the cards are drawn without their small text, the name alone and large
OVERVIEW_NAME_PX = 12  # the name's font size on screen at such zooms
ROWS_BOTTOM = HEADER_H + 25  # where the second row (output shape, or the problem) starts
PROBLEM_LINES = 6  # a longer problem is elided on the card (the tooltip and the inspector give it whole)

IN, OUT = "in", "out"


def format_count(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M params"
    if n >= 10_000:
        return f"{n / 1000:.0f}k params"
    if n >= 1000:
        return f"{n / 1000:.1f}k params"
    return f"{n} param{'s' if n != 1 else ''}"


class NodeItem(QGraphicsItem):
    def __init__(self, node: Node):
        super().__init__()
        self.node = node
        self.info: NodeInfo | None = None
        self.edges: list = []  # EdgeItems touching this node (kept by the scene)
        self._signature: tuple | None = None
        # While a connection is dragged over this node: "ok", "refused" or None.
        self.drop_state: str | None = None
        self._problem_lines: list[str] = []  # the problem as drawn on the card, wrapped to its width
        self._extra_h = 0.0  # room asked for below the card's rows (set_extra_height)
        self.moved: Callable[[NodeItem], None] | None = None  # told when the card moves (its group's frame follows)
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)  # a cross cursor over a port says "drag from here to connect"
        self.setZValue(1)
        self.setPos(QPointF(*node.position))
        self.refresh()

    # ------------------------------------------------------------------ geometry
    def boundingRect(self) -> QRectF:
        return QRectF(-PORT_R - 3, -6, NODE_W + 2 * PORT_R + 6, self.height + 10)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, NODE_W, self.height), 7, 7)
        for i in range(self.n_inputs):
            path.addEllipse(self.port_pos(IN, i), PORT_R + 2, PORT_R + 2)
        if self.node.spec.has_output:
            path.addEllipse(self.port_pos(OUT, 0), PORT_R + 2, PORT_R + 2)
        return path

    @property
    def rows_height(self) -> float:
        """Down to the end of the card's rows: the fixed ones and the problem's extra lines."""
        extra_lines = max(len(self._problem_lines) - 1, 0)
        return NODE_H + extra_lines * QFontMetricsF(card_fonts()[1]).height()

    @property
    def height(self) -> float:
        return self.rows_height + self._extra_h

    def set_extra_height(self, height: float) -> None:
        """Grow the card by ``height`` below its rows, where a child item draws (the ports stay where they are)."""
        if height != self._extra_h:
            self.prepareGeometryChange()
            self._extra_h = height
            self.update()

    @property
    def n_inputs(self) -> int:
        return len(self.node.spec.inputs)

    def port_pos(self, side: str, index: int = 0) -> QPointF:
        """A port's centre in item coordinates (inputs on the left edge, the output on the right)."""
        body_mid = HEADER_H + (NODE_H - HEADER_H) / 2
        if side == OUT:
            return QPointF(NODE_W, body_mid)
        n = max(1, self.n_inputs)
        step = (NODE_H - HEADER_H) / (n + 1)
        return QPointF(0.0, HEADER_H + step * (index + 1)) if n > 1 else QPointF(0.0, body_mid)

    def port_scene_pos(self, side: str, index: int = 0) -> QPointF:
        return self.mapToScene(self.port_pos(side, index))

    def port_at(self, scene_pos: QPointF) -> tuple[str, int] | None:
        """Which port (side, index) is under ``scene_pos``, if any."""
        local = self.mapFromScene(scene_pos)
        if self.node.spec.has_output and _dist(local, self.port_pos(OUT)) <= PORT_HIT:
            return (OUT, 0)
        for i in range(self.n_inputs):
            if _dist(local, self.port_pos(IN, i)) <= PORT_HIT:
                return (IN, i)
        return None

    def nearest_input(self, scene_pos: QPointF) -> int:
        local = self.mapFromScene(scene_pos)
        return min(range(self.n_inputs), key=lambda i: _dist(local, self.port_pos(IN, i)))

    # ------------------------------------------------------------------ content
    def set_info(self, info: NodeInfo | None) -> None:
        self.info = info
        self.refresh()

    def problems(self) -> list[str]:
        return [p.message for p in self.info.problems] if self.info else []

    @property
    def problem_lines(self) -> list[str]:
        """The problem as the card writes it, line by line (empty while the card shows the output shape)."""
        return list(self._problem_lines)

    @property
    def has_error(self) -> bool:
        return bool(self.info and not self.info.ok)

    @property
    def has_warning(self) -> bool:
        return bool(self.info and any(p.severity == "warning" for p in self.info.problems))

    def refresh(self) -> None:
        """Repaint if anything the card shows changed (name, parameters, shape, count, problems)."""
        info = self.info
        signature = (
            self.node.name,
            tuple((k, str(v)) for k, v in self.node.params.items()),
            info.shape if info else None,
            info.params if info else None,
            tuple((p.severity, p.message) for p in info.problems) if info else (),
        )
        if signature == self._signature:
            return
        self._signature = signature
        self.prepareGeometryChange()  # a problem written over more lines makes the card taller
        self._problem_lines = self._wrap_problem()
        self.setToolTip(self._tooltip())
        self.update()

    def _wrap_problem(self) -> list[str]:
        """The first problem, wrapped to the card, when the card shows it instead of the output shape."""
        if not self.has_error or (self.info is not None and self.info.shape is not None):
            return []
        metrics = QFontMetricsF(card_fonts()[1])
        return wrap_lines(_short(self.problems()[0]), metrics, NODE_W - 24, PROBLEM_LINES)

    def set_drop_state(self, state: str | None) -> None:
        if state != self.drop_state:
            self.drop_state = state
            self.update()

    def _tooltip(self) -> str:
        spec = self.node.spec
        lines = [f"<b>{html.escape(self.node.name)}</b> ({spec.type})", html.escape(spec.help)]
        if self.info is not None:
            lines.append(f"Output: <b>{fmt_shape(self.info.shape)}</b> · {format_count(self.info.params)}")
        t = theme.current()
        for p in self.info.problems if self.info else []:
            color = t.error if p.severity == "error" else t.warning
            lines.append(f"<span style='color:{color}'>● {html.escape(p.message)}</span>")
        return "<br>".join(lines)

    # ------------------------------------------------------------------ painting
    def paint(self, p: QPainter, option: QStyleOptionGraphicsItem, _widget: QWidget | None = None) -> None:
        zoom = option.levelOfDetailFromTransform(p.worldTransform())
        if zoom < LOW_DETAIL_ZOOM:
            self._paint_overview(p, zoom)
            return
        t = theme.current()
        spec = self.node.spec
        title_font, body_font, mono_font = card_fonts()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        body = QRectF(0, 0, NODE_W, self.height)
        cat = t.category(spec.category)

        if self.drop_state is not None:
            p.setPen(QPen(t.color("ok" if self.drop_state == "ok" else "error"), 3.0))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(body.adjusted(-4, -4, 4, 4), 10, 10)
        elif self.isSelected():
            p.setPen(QPen(t.color("selection"), 2.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(body.adjusted(-3.5, -3.5, 3.5, 3.5), 9, 9)

        border = (
            t.color("error") if self.has_error else t.color("warning") if self.has_warning else t.color("node_border")
        )
        p.setPen(QPen(border, 2.0 if (self.has_error or self.has_warning) else 1.0))
        p.setBrush(t.color("node_body"))
        p.drawRoundedRect(body, 7, 7)

        header = QPainterPath()
        header.addRoundedRect(QRectF(0.5, 0.5, NODE_W - 1, HEADER_H), 6.5, 6.5)
        clip = QPainterPath()
        clip.addRect(QRectF(0, 0, NODE_W, HEADER_H))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(cat)
        p.drawPath(header.intersected(clip).united(_rect_path(QRectF(0.5, HEADER_H - 8, NODE_W - 1, 8))))

        white = QColor("#ffffff")
        paint_glyph(p, QRectF(7, 4, 18, 18), spec, white)
        p.setFont(title_font)
        p.setPen(white)
        name_rect = QRectF(30, 0, NODE_W - 40 - (16 if self.has_error else 0), HEADER_H)
        p.drawText(
            name_rect,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            QFontMetricsF(title_font).elidedText(self.node.name, Qt.TextElideMode.ElideRight, name_rect.width()),
        )
        if self.has_error or self.has_warning:
            badge = t.color("error") if self.has_error else t.color("warning")
            centre = QPointF(NODE_W - 14, HEADER_H / 2)
            p.setBrush(badge)
            p.setPen(QPen(white, 1.5))
            p.drawEllipse(centre, 8, 8)
            p.setFont(title_font)
            p.drawText(QRectF(centre.x() - 8, centre.y() - 8, 16, 16), Qt.AlignmentFlag.AlignCenter, "!")

        # Row 1: type and key parameters.
        p.setFont(body_font)
        fm = QFontMetricsF(body_font)
        row1 = QRectF(12, HEADER_H + 5, NODE_W - 24, 18)
        p.setPen(t.color("node_text"))
        type_w = fm.horizontalAdvance(spec.type) + 8
        p.drawText(row1, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, spec.type)
        summary = (
            spec.describe(self.node.params).replace("kernel=", "k=").replace("stride=", "s=").replace("padding=", "p=")
        )
        p.setPen(t.color("node_muted"))
        p.drawText(
            row1.adjusted(type_w, 0, 0, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(summary, Qt.TextElideMode.ElideRight, row1.width() - type_w),
        )

        # Row 2: output shape and parameter count (or the problem, in short).
        row2 = QRectF(12, ROWS_BOTTOM, NODE_W - 24, 18)
        info = self.info
        if info is not None and info.shape is not None:
            p.setFont(mono_font)
            p.setPen(t.color("node_text"))
            p.drawText(row2, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, "→ " + fmt_shape(info.shape))
            p.setFont(body_font)
            p.setPen(t.color("node_muted"))
            p.drawText(row2, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, format_count(info.params))
        elif self._problem_lines:
            p.setPen(t.color("error"))
            for i, line in enumerate(self._problem_lines):
                p.drawText(
                    row2.translated(0, i * fm.height()),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    line,
                )
        else:
            p.setPen(t.color("node_muted"))
            p.drawText(row2, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, "→ ?")

        # Ports: a dot for one input, a bar for a port that takes many (Add, Concat).
        p.setPen(QPen(t.color("node_body"), 1.5))
        p.setBrush(t.color("port"))
        for i, port in enumerate(spec.inputs):
            c = self.port_pos(IN, i)
            if port.multi:
                p.drawRoundedRect(QRectF(c.x() - PORT_R * 0.8, c.y() - PORT_R * 2, PORT_R * 1.6, PORT_R * 4), 4, 4)
            else:
                p.drawEllipse(c, PORT_R, PORT_R)
        if spec.has_output:
            p.drawEllipse(self.port_pos(OUT), PORT_R, PORT_R)

    def _paint_overview(self, p: QPainter, zoom: float) -> None:
        """Zoomed far out the card's small text cannot be read: a coloured card with the problem border, and
        the layer's name alone in a font large enough to read at this zoom (level of detail)."""
        t = theme.current()
        border = (
            t.color("error")
            if self.has_error
            else t.color("warning")
            if self.has_warning
            else (t.color("selection") if self.isSelected() else t.color("node_border"))
        )
        p.setPen(QPen(border, 6.0 if (self.has_error or self.has_warning or self.isSelected()) else 1.0))
        p.setBrush(t.color("node_body"))
        p.drawRect(QRectF(0, 0, NODE_W, self.height))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(t.category(self.node.spec.category))
        p.drawRect(QRectF(0, 0, NODE_W, HEADER_H + 10))
        p.setFont(overview_font(self.node.name, zoom))
        p.setPen(t.color("node_text"))
        p.drawText(
            QRectF(4, 2, NODE_W - 8, NODE_H - 4),
            int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWrapAnywhere),
            self.node.name,
        )

    def hoverMoveEvent(self, event) -> None:
        if self.port_at(event.scenePos()) is not None:
            self.setCursor(Qt.CursorShape.CrossCursor)
        else:
            self.unsetCursor()
        super().hoverMoveEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.unsetCursor()
        super().hoverLeaveEvent(event)

    # ------------------------------------------------------------------ movement
    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.adjust()
            if self.moved is not None:
                self.moved(self)
        return super().itemChange(change, value)


def overview_font(name: str, zoom: float) -> QFont:
    """The font of a card's name zoomed far out: OVERVIEW_NAME_PX on screen, as long as two lines fit on the
    card; smaller if that puts the whole name on one line and it still reads (9 px or more on screen)."""
    font = QFont()
    font.setBold(True)
    size = min(OVERVIEW_NAME_PX / max(zoom, 0.05), NODE_H / 2.3)
    font.setPixelSize(max(int(size), 1))
    width = QFontMetricsF(font).horizontalAdvance(name)
    one_line = size * (NODE_W - 10) / max(width, 1.0)
    if width > NODE_W - 10 and one_line * zoom >= 9:
        font.setPixelSize(max(int(one_line), 1))
    return font


def name_height_on_screen(name: str, zoom: float) -> float:
    """How tall, in pixels, a card's name is drawn at ``zoom`` (what decides whether it can be read)."""
    font = card_fonts()[0] if zoom >= LOW_DETAIL_ZOOM else overview_font(name, zoom)
    return QFontMetricsF(font).height() * zoom


def _short(message: str) -> str:
    """The problem without the leading 'name (Type): ' the card already shows."""
    head, sep, rest = message.partition("): ")
    return rest if sep and "(" in head else message


def _rect_path(rect: QRectF) -> QPainterPath:
    path = QPainterPath()
    path.addRect(rect)
    return path


def _dist(a: QPointF, b: QPointF) -> float:
    d = a - b
    return (d.x() ** 2 + d.y() ** 2) ** 0.5
