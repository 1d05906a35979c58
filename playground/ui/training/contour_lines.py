"""Contour lines over an image: where its values cross one or more levels, drawn as one path.

A child of the :class:`pyqtgraph.ImageItem` showing the values, so it is drawn in the image's pixel coordinates
and follows the image's rect onto the axes. The segments come from :func:`playground.core.viz.contour.
contour_segments` (array operations, about 2 ms for a 256×256 map); pyqtgraph's own isocurve joins its segments in
Python and took over 100 ms per live update of the decision boundary, all of it on the interface's thread.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPainterPath, QPen

from ...core.viz.contour import contour_segments


class ContourLines(pg.GraphicsObject):
    """``axis_order`` says how the parent image reads its array: "row-major" (rows are y) or "col-major"."""

    def __init__(self, pen: QPen | str | None = None, axis_order: str = "row-major"):
        super().__init__()
        self.axis_order = axis_order
        self.pen = pg.mkPen(pen if pen is not None else "w")
        self.path = QPainterPath()
        self.segments = np.zeros((0, 2, 2))  # (n, 2, 2) as (x, y) in the image's pixel coordinates

    def set_data(self, values: np.ndarray | None, levels: float | Iterable[float] = ()) -> None:
        """Lines where ``values`` crosses each of ``levels`` (none for None)."""
        self.prepareGeometryChange()
        pieces = []
        if values is not None:
            for level in np.atleast_1d(np.asarray(levels, np.float64)):
                pieces.append(contour_segments(values, float(level)))
        segments = np.concatenate(pieces) if pieces else np.zeros((0, 2, 2))
        # the array's (first, second) index becomes (x, y) as the image draws it
        self.segments = segments[..., ::-1] if self.axis_order == "row-major" else segments
        flat = self.segments.reshape(-1, 2)
        self.path = pg.arrayToQPath(flat[:, 0], flat[:, 1], connect="pairs") if len(flat) else QPainterPath()
        self.update()

    def setPen(self, *args, **kwargs) -> None:
        self.pen = pg.mkPen(*args, **kwargs)
        self.update()

    def points(self) -> np.ndarray:
        """The segments' end points as (2n, 2), in the parent image's pixel coordinates."""
        return self.segments.reshape(-1, 2)

    def boundingRect(self) -> QRectF:
        return self.path.boundingRect()

    def paint(self, painter: QPainter, *_args) -> None:
        painter.setPen(self.pen)
        painter.drawPath(self.path)
