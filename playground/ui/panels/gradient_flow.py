"""Gradient flow: the size of each layer's gradient, input side on the left.

In a healthy network the bars are of similar height. Bars that shrink towards the input mean the
gradient vanishes on its way back; huge bars mean it explodes (course notes 004: "if the maximum
singular value of each layer's Jacobian is less than 1, the gradient converges to 0 with more layers; if
greater than 1, it explodes"). Red bars are the ones the training doctor would flag.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from ...core.training.network_checks import EXPLODE_NORM, VANISH_RATIO
from .. import theme
from ..training.plotting import TRAIN, Panel, SpacedAxis, spaced_axes, style_plot, style_view
from ..training.worker import RunInfo, TrainingUpdate

FLOOR = -12.0  # log₁₀ of the smallest norm drawn (zero gradients sit on the floor)
BAD = "#e0454f"
CHAR_PX = 7  # about one character of the axis font
LEGEND_COLUMNS = 3
LEGEND_COLUMN_PX = 120  # a legend entry: the line's sample and a name of up to 12 characters


def abbreviate(name: str, chars: int) -> str:
    """``name`` in at most ``chars`` characters, its start and end kept ("conv1_relu" → "con…elu")."""
    if len(name) <= chars:
        return name
    if chars <= 2:
        return name[:chars]
    head = (chars - 1 + 1) // 2
    return name[:head] + "…" + name[len(name) - (chars - 1 - head) :]


def _fit_text(label: pg.TextItem, name: str, pixels: float) -> None:
    """``name`` on ``label``, shortened until it is at most ``pixels`` long."""
    for chars in range(len(name), 2, -1):
        label.setText(abbreviate(name, chars))
        if label.textItem.boundingRect().width() <= pixels:
            return


def _log(v: float) -> float:
    return max(FLOOR, math.log10(v)) if v > 0 and math.isfinite(v) else FLOOR


class GradientFlowPanel(Panel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Press Train (F5): the gradient norm of every layer appears here, so vanishing or exploding "
            "gradients show at a glance.",
            parent,
        )
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.content_layout.addWidget(self.caption)
        self.view = pg.GraphicsLayoutWidget()
        self.content_layout.addWidget(self.view, 1)
        self.bar_plot = self.view.addPlot(row=0, col=0, axisItems={"left": SpacedAxis("left")})
        self.bar_plot.setLabel("left", "log₁₀ ‖g‖")
        self.bar_plot.hideButtons()
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.6, y0=FLOOR)
        self.bar_plot.addItem(self.bars)
        self.time_plot = self.view.addPlot(row=1, col=0, axisItems=spaced_axes())
        self.time_plot.setLogMode(y=True)
        self.time_plot.setLabel("left", "‖g‖ over time")
        self.time_plot.setLabel("bottom", "step")
        # the legend has a row of its own under the plot: it never covers a line
        self.legend = pg.LegendItem(colCount=LEGEND_COLUMNS, verSpacing=-6, labelTextSize="8pt")
        self.view.addItem(self.legend, row=2, col=0)
        self.time_plot.legend = self.legend  # named lines list themselves there
        self.time_plot.hideButtons()
        self.layers: list[str] = []
        self.bar_names: list[pg.TextItem] = []  # written upwards over the bars when names do not fit under them
        self._labelled: tuple[bool, int, tuple[str, ...]] = (False, 0, ())
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.series: dict[str, tuple[list[float], list[float]]] = {}
        self.latest: dict[str, float] = {}
        self.apply_theme(theme.current())

    def _label_bars(self) -> None:
        """Every bar labelled: under it when every name fits there, otherwise written upwards over the bars
        (shortened to the plot's height if need be); the full names in the tooltip."""
        box = self.bar_plot.getViewBox()
        room = box.width() / max(len(self.layers), 1)
        chars = max(int(room / CHAR_PX) - 1, 2)
        upright = bool(self.layers) and chars < max(len(n) for n in self.layers)
        tall = int(box.height())
        key = (upright, tall if upright else chars, tuple(self.layers))
        if key != self._labelled:
            self._labelled = key
            axis = self.bar_plot.getAxis("bottom")
            if upright:
                axis.setTicks([[(i, "") for i in range(len(self.layers))]])
            else:
                axis.setTicks([[(i, abbreviate(name, chars)) for i, name in enumerate(self.layers)]])
            for label, name in zip(self.bar_names, self.layers):
                _fit_text(label, name, tall)
                label.setVisible(upright)
            self.bar_plot.setToolTip("Layers, input side first: " + ", ".join(self.layers))
        self._place_bar_names()

    def _place_bar_names(self) -> None:
        bottom = self.bar_plot.getViewBox().viewRange()[1][0]
        for i, label in enumerate(self.bar_names):
            label.setPos(i, bottom)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # as many legend columns as fit: a legend wider than the panel would widen the plots past its edge
        columns = max(1, min(LEGEND_COLUMNS, int(self.width() / LEGEND_COLUMN_PX)))
        if columns != self.legend.columnCount:
            self.legend.setColumnCount(columns)
            # the plots were laid out for the old legend already: lay them out again in the view's width
            self.view.setRange(QRectF(0, 0, self.view.width(), self.view.height()), padding=0, disableAutoPixel=False)
        self._label_bars()
        QTimer.singleShot(0, self._label_bars)  # once the plot has its new size

    def reset(self, info: RunInfo | None) -> None:
        self.layers = list(info.layers) if info else []
        for label in self.bar_names:
            self.bar_plot.removeItem(label)
        colour = theme.current().text
        self.bar_names = [pg.TextItem(name, color=colour, angle=90, anchor=(0, 0.5)) for name in self.layers]
        for label in self.bar_names:
            label.setZValue(10)
            self.bar_plot.addItem(label)
        self._labelled = (False, 0, ())
        self.time_plot.clear()
        if self.time_plot.legend is not None:
            self.time_plot.legend.clear()
        self.curves = {}
        self.series = {name: ([], []) for name in self.layers}
        self.latest = {}
        n = max(len(self.layers), 1)
        for i, name in enumerate(self.layers):
            # input side light, output side dark: depth reads from the colour
            shade = pg.mkColor(TRAIN).lighter(int(170 - 90 * i / max(n - 1, 1)))
            self.curves[name] = self.time_plot.plot([], [], pen=pg.mkPen(shade, width=2), name=abbreviate(name, 12))
        self._label_bars()
        self.bars.setOpts(x=[], height=[])
        if info is None:
            self.show_hint()
        elif not self.layers:
            self.show_hint("This network has no layer with weights (Dense or convolution), so no gradient to show.")
        else:
            self.changed()

    def apply(self, update: TrainingUpdate) -> None:
        probe = update.probe
        if probe is None or not probe.grad_norms:
            return
        if probe.step == 0:
            return  # before the first step there are no gradients yet
        for name, value in probe.grad_norms.items():
            if name in self.series and math.isfinite(value) and value > 0:
                steps, values = self.series[name]
                if steps and steps[-1] == probe.step:
                    values[-1] = value
                else:
                    steps.append(probe.step)
                    values.append(value)
        self.latest = dict(probe.grad_norms)
        self.changed()

    def render(self) -> None:
        if not self.layers:
            return
        self._label_bars()
        if not self.latest:
            self.show_content()
            self.caption.setText("No gradients yet: they appear after the first training step.")
            return
        self.show_content()
        values = [self.latest.get(n, 0.0) for n in self.layers]
        finite = [v for v in values if math.isfinite(v) and v > 0]
        top = max(finite, default=0.0)
        brushes = []
        flagged = []
        for name, v in zip(self.layers, values):
            bad = (top > 0 and 0 < v < VANISH_RATIO * top) or v >= EXPLODE_NORM or not math.isfinite(v)
            brushes.append(pg.mkBrush(BAD if bad else TRAIN))
            if bad:
                flagged.append(name)
        heights = [_log(v) - FLOOR for v in values]
        self.bars.setOpts(x=np.arange(len(values)), height=heights, y0=FLOOR, brushes=brushes)
        self.bar_plot.setYRange(
            FLOOR if min(heights, default=0) < 1 else min(_log(v) for v in values) - 1,
            max(_log(v) for v in values) + 0.5,
            padding=0,
        )
        self._place_bar_names()
        for name, (steps, series) in self.series.items():
            if steps:
                self.curves[name].setData(steps, series)
        ratio = (min(finite) / top) if finite and top > 0 else 1.0
        self.caption.setText(
            f"Smallest / largest layer gradient: {ratio:.1e}."
            + (f" Flagged: {', '.join(flagged)}." if flagged else " All layers receive a usable gradient.")
        )

    def apply_theme(self, t: theme.Theme) -> None:
        for label in self.bar_names:
            label.setColor(t.text)
        style_view(self.view, t)
        style_plot(self.bar_plot, t)
        style_plot(self.time_plot, t)
