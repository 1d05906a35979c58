"""Hidden states and gates over time (000 'LSTMs', 'GRUs'; 001 §6.2): a units × time heat map of one recurrent
layer reading one training sample, and one unit's value coloured onto the tokens it read (LSTMVis's idea: pick a
unit and see where in the text it fires).

h_t and the candidate lie in (−1, 1) and the cell state c_t anywhere: orange below zero, blue above. The gates are
shares between 0 (closed: the LSTM's forget gate at 0 wipes c_{t−1}) and 1 (open: it is carried on unchanged).
A click on the heat map picks the unit; so do the arrow keys in the Unit box.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QSpinBox, QTextBrowser, QWidget

from ...core.generation.sequence_probe import SequenceSnapshot
from ...core.viz.recurrent import RecurrentTrace, unit_firing
from .. import theme
from ..training.plotting import Panel, diverging_lut, heat_lut, style_plot, style_view

MIN_WIDTH = 200
HINT = (
    "Press Train (F5): the hidden state h_t of each unit of the recurrent layer at each step of a training "
    "sample appears here, with the gates, and where in the input the unit you pick fires."
)
# each quantity: (its name in the caption, in the Show box, whether it is a gate: a share from 0 to 1)
TITLES = {
    "hidden": ("hidden state h_t", "h_t", False),
    "forget": ("forget gate f_t", "forget f_t", True),
    "input": ("input gate i_t", "input i_t", True),
    "output": ("output gate o_t", "output o_t", True),
    "update": ("update gate z_t", "update z_t", True),
    "reset": ("reset gate r_t", "reset r_t", True),
    "candidate": ("candidate", "candidate", False),
    "cell": ("cell state c_t", "cell c_t", False),
}
MAX_TOKENS = 400  # tokens coloured under the heat map
FIRING_LINES = 4.5  # the height of the coloured input, in lines of text


def quantities(trace: RecurrentTrace) -> list[str]:
    """The quantities a trace has: h_t, its gates in the course's order, and an LSTM's cell state."""
    out = ["hidden", *[g for g in TITLES if g in trace.gates]]
    return [*out, "cell"] if trace.cell_state is not None else out


def values_of(trace: RecurrentTrace, quantity: str) -> np.ndarray:
    if quantity == "hidden":
        return trace.hidden
    if quantity == "cell" and trace.cell_state is not None:
        return trace.cell_state
    return trace.gates[quantity]


class HiddenStatesPanel(Panel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(HINT, parent)
        # a fixed minimum: what its rows of controls would ask for, added to the docks beside it, would keep the
        # window from getting narrower than the screen (the rows are squeezed instead)
        self.setMinimumWidth(MIN_WIDTH)
        self.problem: str | None = None
        self.snap: SequenceSnapshot | None = None
        row = QHBoxLayout()
        self.layer_box = QComboBox()
        self.layer_box.setAccessibleName("Recurrent layer")
        self.layer_box.setToolTip("The recurrent layer (and, stacked or bidirectional, which of its parts)")
        self.quantity_box = QComboBox()
        self.quantity_box.setAccessibleName("Quantity over time")
        self.quantity_box.setToolTip("The hidden state, one of the gates, or the LSTM's cell state")
        self.unit_box = QSpinBox()
        self.unit_box.setAccessibleName("Unit")
        self.unit_box.setToolTip("The unit whose value is coloured onto the input below (or click the heat map)")
        self.layer_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for text, widget in (("Layer", self.layer_box), ("Show", self.quantity_box), ("Unit", self.unit_box)):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget, 1 if widget is self.quantity_box else 0)
        self.content_layout.addLayout(row)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.content_layout.addWidget(self.caption)
        self.view = pg.PlotWidget()
        self.plot = self.view.getPlotItem()
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.invertY(True)
        self.plot.setLabel("bottom", "time step t")
        self.plot.setLabel("left", "unit")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.marker = pg.InfiniteLine(angle=0, movable=False)
        self.plot.addItem(self.marker)
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.content_layout.addWidget(self.view, 1)
        # the input, one token per coloured box: a long one wraps and scrolls inside a few lines of the panel
        # instead of asking the window for room
        self.firing = QTextBrowser()
        self.firing.setObjectName("unit_firing")
        self.firing.setAccessibleName("The picked unit along the input")
        self.firing.setFrameShape(QFrame.Shape.NoFrame)
        self.firing.setFixedHeight(int(self.firing.fontMetrics().lineSpacing() * FIRING_LINES) + 8)
        self.content_layout.addWidget(self.firing)
        self.strongest = QLabel()
        self.strongest.setWordWrap(True)
        self.content_layout.addWidget(self.strongest)
        self.layer_box.currentIndexChanged.connect(self._on_layer)
        self.quantity_box.currentIndexChanged.connect(lambda _i: self.changed())
        self.unit_box.valueChanged.connect(self._on_unit)
        self.apply_theme(theme.current())

    # ------------------------------------------------------------------ what the feed says
    def set_problem(self, problem: str | None) -> None:
        """Why the network cannot show hidden states (None: it can)."""
        self.problem = problem
        if problem is not None:
            self.snap = None
            self.show_hint(problem)
        elif self.snap is None:
            self.show_hint()

    def reset(self) -> None:
        """A new run: nothing measured yet."""
        self.snap = None
        self.set_problem(self.problem)

    def show_snapshot(self, snap: SequenceSnapshot) -> None:
        if "recurrent" in snap.problems:
            self.snap = None
            self.show_hint(snap.problems["recurrent"])
            return
        if not snap.traces:
            return
        self.snap = snap
        labels = [t.label for t in snap.traces]
        if labels != [self.layer_box.itemText(i) for i in range(self.layer_box.count())]:
            self.layer_box.blockSignals(True)
            self.layer_box.clear()
            self.layer_box.addItems(labels)
            self.layer_box.blockSignals(False)
            self._fill_quantities()
        self.changed()

    # ------------------------------------------------------------------ choices
    @property
    def trace(self) -> RecurrentTrace | None:
        if self.snap is None or not self.snap.traces:
            return None
        return self.snap.traces[max(self.layer_box.currentIndex(), 0)]

    @property
    def quantity(self) -> str:
        return str(self.quantity_box.currentData() or "hidden")

    def _fill_quantities(self) -> None:
        trace = self.trace
        if trace is None:
            return
        kept = self.quantity
        self.quantity_box.blockSignals(True)
        self.quantity_box.clear()
        for q in quantities(trace):
            self.quantity_box.addItem(TITLES[q][1], q)
            self.quantity_box.setItemData(self.quantity_box.count() - 1, TITLES[q][0], Qt.ItemDataRole.ToolTipRole)
        index = self.quantity_box.findData(kept)
        self.quantity_box.setCurrentIndex(max(index, 0))
        self.quantity_box.blockSignals(False)
        self.unit_box.setRange(0, trace.hidden.shape[0] - 1)

    def _on_layer(self, _index: int) -> None:
        self._fill_quantities()
        self.changed()

    def _on_unit(self, _unit: int) -> None:
        self.changed()

    def _on_click(self, event) -> None:
        trace = self.trace
        if trace is None or event.button() != Qt.MouseButton.LeftButton:
            return
        point: QPointF = self.plot.getViewBox().mapSceneToView(event.scenePos())
        unit = int(np.floor(point.y()))
        if 0 <= unit < trace.hidden.shape[0] and 0 <= point.x() < trace.hidden.shape[1]:
            self.unit_box.setValue(unit)

    # ------------------------------------------------------------------ drawing
    def render(self) -> None:
        trace, snap = self.trace, self.snap
        if trace is None or snap is None:
            return
        self.show_content()
        quantity = self.quantity
        values = values_of(trace, quantity)
        units, steps = values.shape
        gate = TITLES[quantity][2]
        if gate:
            lut, levels = heat_lut(), (0.0, 1.0)
        else:
            top = 1.0 if quantity != "cell" else max(float(np.max(np.abs(values))), 1e-6)
            lut, levels = diverging_lut(), (-top, top)
        self.image.setImage(np.ascontiguousarray(values, np.float32), levels=levels, lut=lut, autoLevels=False)
        self.image.setRect(0, 0, steps, units)
        self.plot.setRange(xRange=(0, steps), yRange=(0, units), padding=0)
        unit = min(self.unit_box.value(), units - 1)
        self.marker.setPos(unit + 0.5)
        name = TITLES[quantity][0]
        self.caption.setText(
            f"Step {snap.step:,} · {trace.cell} {trace.label}: {name} of {units} units over {steps} steps"
            + (" (0 closed … 1 open)." if gate else " (orange < 0 < blue).")
        )
        self._render_firing(trace, quantity, unit, levels)

    def _render_firing(self, trace: RecurrentTrace, quantity: str, unit: int, levels: tuple[float, float]) -> None:
        assert self.snap is not None
        tokens = self.snap.tokens[: trace.hidden.shape[1]]
        of = "hidden" if quantity in ("hidden", "cell") else quantity
        firing = unit_firing(trace, unit, tokens, of=of) if quantity != "cell" else None
        values = firing.values if firing is not None else values_of(trace, "cell")[unit]
        lut = heat_lut() if TITLES[quantity][2] else diverging_lut()
        t = theme.current()
        spans = []
        for token, value in list(zip(tokens, values))[:MAX_TOKENS]:
            share = (float(value) - levels[0]) / (levels[1] - levels[0])
            r, g, b = lut[int(np.clip(share, 0, 1) * (len(lut) - 1))][:3]
            ink = "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"
            shown = html.escape(token if len(token) <= 6 else token[:5] + "…")
            spans.append(
                f'<span style="background-color: rgb({r},{g},{b}); color: {ink}; font-family: monospace;">'
                f"{shown.replace(' ', '&nbsp;')}</span>"
            )
        joiner = "\u200b" if all(len(tok) == 1 for tok in tokens) else " "  # characters may wrap between any two
        self.firing.setHtml(
            f'<span style="color: {t.muted};">Unit {unit} along the input:</span><br>' + joiner.join(spans)
        )
        steps = np.argsort(-np.abs(values), kind="stable")[:5]
        self.strongest.setText(
            "Strongest at: " + ", ".join(f"t={int(s) + 1} {tokens[int(s)]!r} ({values[int(s)]:+.2f})" for s in steps)
        )

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.view, t)
        style_plot(self.plot, t)
        self.marker.setPen(pg.mkPen(QColor(t.selection), width=1.5))
        self.strongest.setStyleSheet(f"color: {t.muted};")
