"""The gradient through time (000 'Vanishing Gradient Problem'; 001 §6.1.3): ‖∂L/∂h_t‖ against t, log scale.

Going back one step multiplies the gradient by one more Jacobian ∂h_{t+1}/∂h_t; in a plain tanh RNN the product
shrinks geometrically, so the first steps get almost nothing and the network cannot learn what they should carry
(the straight falling line on the log scale). An LSTM's cell state carries it back scaled only by the forget gate.
The dashed line is the same measurement at the first snapshot of the run, for comparison.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from ...core.generation.sequence_probe import SequenceSnapshot
from ...core.viz.through_time import GradientThroughTime
from .. import theme
from ..training.plotting import TRAIN, Panel, SpacedAxis, style_plot, style_view

HINT = (
    "Press Train (F5): the size of the gradient reaching the hidden state at each step, ‖∂L/∂h_t‖, appears "
    "here: a line falling towards the first steps is the vanishing gradient."
)
VANISHES = 1e-2  # ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ below this: the first steps get a hundredth of the last one's gradient
EXPLODES = 100.0  # above this: the gradient grows on its way back


def verdict(g: GradientThroughTime) -> str:
    """What the ratio ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ says, in a sentence."""
    ratio = g.ratio
    head = f"‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ = {ratio:.1e} ({g.cell} {g.layer}, loss {g.loss:.3g}). "
    if ratio == 0:
        return head + "No gradient reaches the last step at all."
    if ratio < VANISHES:
        advice = "" if g.cell != "RNN" else " An LSTM or GRU carries it further."
        return head + f"The first steps get {1 / ratio:.0e} times less gradient than the last: it vanishes.{advice}"
    if ratio > EXPLODES:
        return head + "The gradient grows on its way back: it explodes. Clip the gradient norm."
    return head + "The gradient reaches the first steps about as strongly as the last."


class ThroughTimePanel(Panel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(HINT, parent)
        self.problem: str | None = None
        self.current: GradientThroughTime | None = None
        self.first: GradientThroughTime | None = None
        self.step = 0
        self.first_step = 0
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.content_layout.addWidget(self.caption)
        self.view = pg.PlotWidget(axisItems={"left": SpacedAxis("left")})
        self.plot = self.view.getPlotItem()
        self.plot.hideButtons()
        self.plot.setLogMode(y=True)
        self.plot.setLabel("left", "‖∂L/∂h_t‖")
        self.plot.setLabel("bottom", "time step t")
        self.plot.addLegend(offset=(10, 10), labelTextSize="8pt")  # top left: the lines rise to the right
        self.first_curve = self.plot.plot([], [], name="first snapshot")
        self.curve = self.plot.plot([], [], name="now", symbol="o", symbolSize=4)
        self.content_layout.addWidget(self.view, 1)
        self.apply_theme(theme.current())

    def set_problem(self, problem: str | None) -> None:
        self.problem = problem
        if problem is not None:
            self.current = self.first = None
            self.show_hint(problem)
        elif self.current is None:
            self.show_hint()

    def reset(self) -> None:
        self.current = self.first = None
        self.set_problem(self.problem)

    def show_snapshot(self, snap: SequenceSnapshot) -> None:
        if "through_time" in snap.problems:
            self.show_hint(snap.problems["through_time"])
            return
        if snap.gradient is None:
            return
        self.current, self.step = snap.gradient, snap.step
        if self.first is None or self.first.layer != snap.gradient.layer:
            self.first, self.first_step = snap.gradient, snap.step
        self.changed()

    def render(self) -> None:
        g = self.current
        if g is None:
            return
        self.show_content()
        t = np.arange(1, len(g.norms) + 1)
        floor = 1e-30  # zero norms sit on the floor of the log scale instead of vanishing from it
        self.curve.setData(t, np.maximum(g.norms, floor))
        if self.first is not None and self.first is not g:
            self.first_curve.setData(t, np.maximum(self.first.norms, floor))
            self.plot.legend.items[0][1].setText(f"step {self.first_step:,}")
        else:
            self.first_curve.setData([], [])
        self.plot.legend.items[1][1].setText(f"step {self.step:,}")
        self.caption.setText(verdict(g))

    def apply_theme(self, t: theme.Theme) -> None:
        style_view(self.view, t)
        style_plot(self.plot, t)
        self.curve.setPen(pg.mkPen(TRAIN, width=2))
        self.curve.setSymbolBrush(pg.mkBrush(TRAIN))
        self.curve.setSymbolPen(pg.mkPen(TRAIN))
        self.first_curve.setPen(pg.mkPen(t.muted, width=1.5, style=Qt.PenStyle.DashLine))
