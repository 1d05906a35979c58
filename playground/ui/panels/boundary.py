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
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from ...core.training.probes import MapImage
from .. import theme
from ..training.plotting import BLUE, CLASS_COLOURS, ORANGE, Panel, diverging_lut, style_plot, style_view
from ..workers import RunInfo, TrainingUpdate

NOT_2D = (
    "The decision boundary is drawn for datasets with two inputs (spiral, circle, xor, gaussians, plane, "
    "multi-Gaussian). Choose one of them in the Training panel to watch the boundary form."
)


def _class_colours(n: int) -> list[str]:
    return [ORANGE, BLUE] if n == 2 else [CLASS_COLOURS[i % len(CLASS_COLOURS)] for i in range(n)]


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
        self.output_button = QPushButton("Show output")
        self.output_button.setToolTip("Back to the network's decision boundary")
        self.output_button.clicked.connect(lambda: self.show_node(None))
        bar.addWidget(self.title, 1)
        bar.addWidget(self.unit_box)
        bar.addWidget(self.output_button)
        self.content_layout.addLayout(bar)

        self.plot_widget = pg.PlotWidget()
        self.plot = self.plot_widget.getPlotItem()
        self.plot.setAspectLocked(True)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.contour = pg.IsocurveItem(level=0.5, pen=pg.mkPen("#ffffff", width=1.5))
        self.contour.setParentItem(self.image)
        self.points = pg.ScatterPlotItem(size=6, pxMode=True)
        self.plot.addItem(self.points)
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
        x, y = info.train_x, info.train_y
        if info.task == "regression":
            values = np.clip(np.asarray(y, np.float64).reshape(len(x), -1)[:, 0], -1, 1)
            lut = diverging_lut()
            colours = lut[np.clip(((values + 1) / 2 * 255).astype(int), 0, 255)]
            brushes = [pg.mkBrush(*c) for c in colours]
        else:
            palette = [pg.mkBrush(c) for c in _class_colours(max(len(info.class_names), 2))]
            brushes = [palette[int(c) % len(palette)] for c in y]
        outline = pg.mkPen("#ffffff" if theme.current().name == "dark" else "#1d2127", width=0.8)
        self.points.setData(x[:, 0], x[:, 1], brush=brushes, pen=outline)
        lo, hi = x.min(axis=0).astype(float), x.max(axis=0).astype(float)  # float32 trips pyqtgraph's range checks
        pad = (hi - lo) * 0.1
        self.plot.setRange(
            xRange=(float(lo[0] - pad[0]), float(hi[0] + pad[0])),
            yRange=(float(lo[1] - pad[1]), float(hi[1] + pad[1])),
            padding=0,
        )
        self.show_content()
        self.changed()

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
        g = shown.grid
        if shown.kind == "probability":
            self.image.setImage(shown.values, levels=(0.0, 1.0), lut=diverging_lut())
            self.contour.setData(shown.values)
            self.contour.setLevel(0.5)
            self.contour.setVisible(True)
        elif shown.kind == "classes":
            colours = np.array([QColor(c).getRgb()[:3] for c in _class_colours(shown.values.shape[-1])], np.float32)
            rgb = np.clip(shown.values @ colours, 0, 255).astype(np.uint8)
            self.image.setImage(rgb, levels=(0, 255), lut=None)
            self.contour.setVisible(False)
        else:
            v = shown.values
            finite = v[np.isfinite(v)]
            m = float(np.max(np.abs(finite))) if finite.size else 1.0
            m = 1.0 if shown is self._decision else max(m, 1e-6)
            self.image.setImage(v, levels=(-m, m), lut=diverging_lut())
            self.contour.setVisible(False)
        self.image.setRect(QRectF(g.x0, g.y0, g.x1 - g.x0, g.y1 - g.y0))
        # the isocurve is drawn in image pixels; its parent (the image) maps them onto the plane

    def current_image(self) -> np.ndarray | None:
        """The array on screen (for tests and exports)."""
        return None if self.image.image is None else np.array(self.image.image)

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.plot_widget, t)
        style_plot(self.plot, t)
        self.contour.setPen(pg.mkPen("#ffffff" if t.name == "dark" else "#1d2127", width=1.5))
