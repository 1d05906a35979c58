"""The decision boundary of a network on 2D data, with the training points drawn over it.

Orange and blue are the two classes, as in TensorFlow Playground; the paler the colour, the less sure
the network is, and the line marks where it switches. Pick a layer on the canvas to see one of its
units instead: its output over the whole input plane (what that hidden neuron has learned to detect).
For a 2D regression set the map is the predicted value.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from ...core.training.input_plane import Grid, MapImage
from .. import theme
from ..training.contour_lines import ContourLines
from ..training.plotting import (
    BLUE,
    CLASS_COLOURS,
    ORANGE,
    Panel,
    SpacedAxis,
    diverging_lut,
    plot_colours,
    style_plot,
    style_view,
)
from ..training.worker import RunInfo, TrainingUpdate

NOT_2D = (
    "The decision boundary is drawn for datasets with two inputs (spiral, circle, xor, gaussians, plane, "
    "multi-Gaussian). Choose one of them in the Training panel to watch the boundary form."
)


SMOOTHING = 4  # the probe's grid is drawn this many times finer, interpolated (no blocky cells)
PALE = 0.55  # how much of a full colour the background gets at full confidence: the points stay visible


def _class_colours(n: int) -> list[str]:
    return [ORANGE, BLUE] if n == 2 else [CLASS_COLOURS[i % len(CLASS_COLOURS)] for i in range(n)]


def smooth(values: np.ndarray, factor: int = SMOOTHING) -> np.ndarray:
    """``values`` sampled on a regular grid, resampled ``factor`` times finer by bilinear interpolation.
    The first and last samples stay where they were: (n - 1)·factor + 1 samples per axis."""
    if factor <= 1 or min(values.shape[:2]) < 2:
        return values
    rows, cols = values.shape[:2]
    r = np.linspace(0, rows - 1, (rows - 1) * factor + 1)
    c = np.linspace(0, cols - 1, (cols - 1) * factor + 1)
    r0 = np.minimum(r.astype(int), rows - 2)
    c0 = np.minimum(c.astype(int), cols - 2)
    fr = (r - r0).reshape(-1, 1, *([1] * (values.ndim - 2)))
    fc = (c - c0).reshape(1, -1, *([1] * (values.ndim - 2)))
    top = values[r0][:, c0] * (1 - fc) + values[r0][:, c0 + 1] * fc
    bottom = values[r0 + 1][:, c0] * (1 - fc) + values[r0 + 1][:, c0 + 1] * fc
    return (top * (1 - fr) + bottom * fr).astype(np.float32)


def pale(lut: np.ndarray, t: theme.Theme | None = None, amount: float = PALE) -> np.ndarray:
    """``lut`` mixed with the plot's neutral colour: the data points drawn over it keep their contrast."""
    neutral = np.array(QColor(plot_colours(t)["neutral"]).getRgb()[:3], np.float64)
    return np.clip(neutral + (lut[:, :3].astype(np.float64) - neutral) * amount, 0, 255).astype(np.uint8)


def plane_rect(grid: Grid, samples: int) -> QRectF:
    """The rectangle an image of ``samples``×``samples`` pixels covers so that each pixel's centre sits on
    its grid point (the first on (x0, y0), the last on (x1, y1)); the contour lines use the same convention."""
    dx = (grid.x1 - grid.x0) / max(samples - 1, 1)
    dy = (grid.y1 - grid.y0) / max(samples - 1, 1)
    return QRectF(grid.x0 - dx / 2, grid.y0 - dy / 2, grid.x1 - grid.x0 + dx, grid.y1 - grid.y0 + dy)


class BoundaryPanel(Panel):
    unit_selected = Signal(object, int)  # node name or None (the network output), unit index

    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Press Train (F5) on a 2D dataset such as the spiral to watch the decision boundary form. "
            "Then pick a layer on the canvas to see what each of its units has learned.",
            parent,
        )
        bar = QHBoxLayout()
        self.title = QLabel("Network output")
        self.unit_box = QSpinBox()
        self.unit_box.setPrefix("unit ")
        self.unit_box.setToolTip("Which unit of the selected layer to show over the input plane")
        self.unit_box.valueChanged.connect(self._on_unit)
        self.output_button = QPushButton("Output")
        self.output_button.setToolTip("Back to the network's decision boundary")
        self.output_button.clicked.connect(lambda: self.show_node(None))
        self.test_box = QCheckBox("Test data")
        self.test_box.setToolTip("Draw the held-out test points too (squares), beside the training points (circles)")
        self.test_box.toggled.connect(self._show_test)
        self.title.setWordWrap(True)
        # the title on a line of its own: beside the controls it would be squeezed into a column of words
        self.content_layout.addWidget(self.title)
        bar.addWidget(self.unit_box)
        bar.addWidget(self.output_button)
        bar.addStretch(1)
        bar.addWidget(self.test_box)
        self.content_layout.addLayout(bar)

        self.plot_widget = pg.PlotWidget(axisItems={"left": SpacedAxis("left"), "bottom": SpacedAxis("bottom")})
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setAspectLocked(True)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        # the image is row-major (y down the rows): the contour must read it the same way
        self.contour = ContourLines(pg.mkPen("#ffffff", width=1.5), axis_order="row-major")
        self.contour.setParentItem(self.image)
        self.points = pg.ScatterPlotItem(size=7, pxMode=True)
        self.plot.addItem(self.points)
        self.test_points = pg.ScatterPlotItem(size=7, pxMode=True, symbol="s")
        self.test_points.setVisible(False)
        self.plot.addItem(self.test_points)
        self.content_layout.addWidget(self.plot_widget, 1)

        self.info: RunInfo | None = None
        self.node: str | None = None
        self.units = 0
        self._decision: MapImage | None = None
        self._unit: MapImage | None = None
        self._set_unit_controls()
        self.apply_theme(theme.current())

    # ------------------------------------------------------------------ inputs
    def reset(self, info: RunInfo | None) -> None:
        self.info = info
        self._decision = self._unit = None
        if info is None:
            self.show_hint()
            return
        if not info.is_2d or info.train_x is None:
            self.show_hint(NOT_2D)
            return
        x = info.train_x
        self.points.setData(x[:, 0], x[:, 1], brush=self._brushes(info.train_y), pen=self._outline())
        if info.test_x is not None and len(info.test_x):
            t = info.test_x
            self.test_points.setData(t[:, 0], t[:, 1], brush=self._brushes(info.test_y), pen=self._outline(1.4))
        else:
            self.test_points.clear()
        self.test_points.setVisible(self.test_box.isChecked())
        lo, hi = x.min(axis=0).astype(float), x.max(axis=0).astype(float)  # float32 trips pyqtgraph's range checks
        pad = (hi - lo) * 0.1
        self.plot.setRange(
            xRange=(float(lo[0] - pad[0]), float(hi[0] + pad[0])),
            yRange=(float(lo[1] - pad[1]), float(hi[1] + pad[1])),
            padding=0,
        )
        self.show_content()
        self.changed()

    def _brushes(self, y: np.ndarray | None) -> list:
        """Each point filled with its class colour (or its target value on the map's scale)."""
        assert self.info is not None and y is not None
        if self.info.task == "regression":
            values = np.clip(np.asarray(y, np.float64).reshape(len(y), -1)[:, 0], -1, 1)
            colours = diverging_lut()[np.clip(((values + 1) / 2 * 255).astype(int), 0, 255)]
            return [pg.mkBrush(*c) for c in colours]
        palette = [pg.mkBrush(c) for c in _class_colours(max(len(self.info.class_names), 2))]
        return [palette[int(c) % len(palette)] for c in np.asarray(y).reshape(-1)]

    @staticmethod
    def _outline(width: float = 0.8) -> pg.QtGui.QPen:
        return pg.mkPen("#ffffff" if theme.current().name == "dark" else "#1d2127", width=width)

    def _show_test(self, on: bool) -> None:
        self.test_points.setVisible(on)

    def apply(self, update: TrainingUpdate) -> None:
        probe = update.probe
        if probe is None or self.info is None or not self.info.is_2d:
            return
        if probe.decision is not None:
            self._decision = probe.decision
        self._unit = probe.unit if self.node is not None else None
        self.changed()

    def show_node(self, node: str | None, units: int = 0) -> None:
        """Show unit 0 of ``node`` (None, or a layer without a flat output: the network output)."""
        if node is not None and units <= 0:
            node = None
        self.node, self.units = node, units if node is not None else 0
        self._unit = None
        self._set_unit_controls()
        self.unit_selected.emit(self.node, self.unit_box.value() if self.node else 0)
        self.changed()

    def set_units(self, units: int) -> None:
        """The shown layer now has ``units`` units (its size was edited): the picker follows, keeping the unit
        picked if it still exists; a layer left without a flat output gives the network output back."""
        if self.node is None or units == self.units:
            return
        if units <= 0:
            self.show_node(None)
            return
        self.units = units
        value = min(self.unit_box.value(), units - 1)
        self.unit_box.blockSignals(True)
        self.unit_box.setRange(0, units - 1)
        self.unit_box.setValue(value)
        self.unit_box.setSuffix(f" of {units}")
        self.unit_box.blockSignals(False)
        self.unit_selected.emit(self.node, value)

    def _on_unit(self, value: int) -> None:
        if self.node is not None:
            self.unit_selected.emit(self.node, value)

    def _set_unit_controls(self) -> None:
        on = self.node is not None
        self.unit_box.blockSignals(True)
        self.unit_box.setRange(0, max(self.units - 1, 0))
        self.unit_box.setValue(0)
        self.unit_box.blockSignals(False)
        self.unit_box.setVisible(on)
        self.output_button.setVisible(on)
        self.unit_box.setSuffix(f" of {self.units}" if on else "")

    # ------------------------------------------------------------------ drawing
    def render(self) -> None:
        if self.info is None or not self.info.is_2d:
            return
        shown = self._unit if self.node is not None and self._unit is not None else self._decision
        if self.node is not None:
            self.title.setText(
                f"<b>{self.node}</b> · what unit {self.unit_box.value()} responds to"
                if self._unit is not None
                else f"<b>{self.node}</b> · waiting for the next probe…"
            )
        else:
            self.title.setText(
                "<b>Network output</b> · orange vs blue, paler = less sure"
                if self.info.task != "regression"
                else "<b>Predicted value</b> over the input plane"
            )
        if shown is None:
            return
        values = smooth(shown.values)
        lut = pale(diverging_lut())
        if shown.kind == "probability":
            self.image.setImage(values, levels=(0.0, 1.0), lut=lut)
            self.contour.set_data(values, 0.5)
            self.contour.setVisible(True)
        elif shown.kind == "classes":
            colours = np.array([QColor(c).getRgb()[:3] for c in _class_colours(values.shape[-1])], np.float32)
            rgb = np.clip(values @ colours, 0, 255)
            neutral = np.array(QColor(plot_colours()["neutral"]).getRgb()[:3], np.float32)
            rgb = (neutral + (rgb - neutral) * PALE).astype(np.uint8)
            self.image.setImage(rgb, levels=(0, 255), lut=None)
            self.contour.setVisible(False)
        else:
            finite = values[np.isfinite(values)]
            m = float(np.max(np.abs(finite))) if finite.size else 1.0
            m = 1.0 if shown is self._decision else max(m, 1e-6)
            self.image.setImage(values, levels=(-m, m), lut=lut)
            self.contour.set_data(values, 0.0)  # where the prediction or the unit changes sign
            self.contour.setVisible(True)
        # pixel centres on the grid points; the contour (in image pixels) follows its parent, the image
        self.image.setRect(plane_rect(shown.grid, values.shape[0]))

    def contour_points(self) -> np.ndarray:
        """The drawn 50 % line as (n, 2) points on the input plane (empty if none is drawn)."""
        if not self.contour.isVisible():
            return np.zeros((0, 2))
        pts = [self.image.mapToParent(float(x), float(y)) for x, y in self.contour.points()]
        return np.array([(p.x(), p.y()) for p in pts], np.float64).reshape(-1, 2)

    def current_image(self) -> np.ndarray | None:
        """The array on screen (for tests and exports)."""
        return None if self.image.image is None else np.array(self.image.image)

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.plot_widget, t)
        style_plot(self.plot, t)
        self.contour.setPen(pg.mkPen("#ffffff" if t.name == "dark" else "#1d2127", width=1.5))
        self.points.setPen(self._outline())
        self.test_points.setPen(self._outline(1.4))
