"""The optimizer race page: the function's contours with each optimizer's path drawn step by step, the loss
against the step beside them, the start point picked by clicking the contour plot, play / pause / reset.

The race itself is computed by the core (:func:`~playground.core.lab.race.race`) on the Lab's worker thread:
a change of setting shows the whole race once computed, Play reveals it a few steps per frame.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from ...core.lab.expression import ExpressionError
from ...core.lab.race import Trajectory, race
from ...core.lab.surfaces import Surface
from .. import theme
from ..training.contour_lines import ContourLines
from ..training.plotting import plot_colours, style_plot, style_view
from .legend import legend_below
from .race_controls import RaceControls
from .worker import LabWorker

FRAME_MS = 33
FRAMES = 150  # a whole race takes about five seconds to play
COLOURS = {
    "gd": "#e05d5d",
    "momentum": "#3b8be0",
    "nesterov": "#7a86d6",
    "rmsprop": "#3fb37f",
    "adagrad": "#c9922a",
    "adam": "#b46ad6",
    "adamw": "#e377c2",
    "newton": "#17becf",
}
CONTOUR_LEVELS = 18
LOG_FLOOR = 1e-12


def contour_values(surface: Surface, z: np.ndarray) -> np.ndarray:
    """What the contours are drawn of: f, or log10 of its height above the lowest point for functions whose
    values span many decades (Rosenbrock's valley would otherwise be one flat colour)."""
    finite = np.isfinite(z)
    if not finite.any():  # defined nowhere in the window: a flat picture (the race says why)
        return np.zeros_like(z)
    filled = np.where(finite, z, z[finite].max())
    if not surface.log_contours:
        return filled
    height = filled - filled.min()
    return np.log10(height + 1e-3 * max(float(height.max()), 1e-12))


class RacePage(QWidget):
    def __init__(self, window=None):
        super().__init__()
        self.window_ = window
        self.controls = RaceControls()
        self.play_button = QPushButton("Play")
        self.play_button.setObjectName("race_play")
        self.play_button.setCheckable(True)
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("race_reset")
        self.status = QLabel("Click the contour plot to choose where the optimizers start.")
        self.status.setObjectName("race_status")

        self.map = pg.PlotWidget()
        self.map.setObjectName("race_map")
        self.map.setMenuEnabled(False)
        self.map.setAspectLocked(False)
        self.map.setLabel("bottom", "x")
        self.map.setLabel("left", "y")
        self.image = pg.ImageItem()
        self.map.addItem(self.image)
        self.contours = ContourLines(axis_order="col-major")
        self.contours.setParentItem(self.image)
        self.minimum = pg.ScatterPlotItem(symbol="star", size=16)
        self.start_marker = pg.ScatterPlotItem(symbol="o", size=9)
        self.map.addItem(self.minimum)
        self.map.addItem(self.start_marker)
        self.loss = pg.PlotWidget()
        self.loss.setObjectName("race_loss")
        self.loss.setMenuEnabled(False)
        self.loss.setLabel("bottom", "step")
        legend_below(self.loss, columns=2)
        self.paths: dict[str, tuple[pg.PlotDataItem, pg.ScatterPlotItem, pg.PlotDataItem]] = {}

        buttons = QHBoxLayout()
        buttons.addWidget(self.play_button)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.status, 1)
        plots = QSplitter(Qt.Orientation.Horizontal)
        plots.addWidget(self.map)
        plots.addWidget(self.loss)
        plots.setSizes([420, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(buttons)
        layout.addWidget(plots, 1)
        layout.addWidget(self.controls)

        self.worker = LabWorker(self)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self.computing = False
        self._job = 0
        self._play_when_done = False
        self.surface: Surface | None = None
        self.log_loss = False
        self.floor = LOG_FLOOR
        self.start: tuple[float, float] | None = None
        self.trajectories: list[Trajectory] = []
        self.frame = 0
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.advance)
        self.play_button.toggled.connect(self._on_play)
        self.reset_button.clicked.connect(self.reset)
        self.controls.changed.connect(self.recompute)
        self.map.scene().sigMouseClicked.connect(self._on_click)
        theme.notifier.theme_changed.connect(self.apply_theme)
        self.apply_theme()
        self.recompute()

    # ------------------------------------------------------------------ the race
    def recompute(self) -> None:
        """Run the race again with the current settings (on the Lab's worker thread) and show it."""
        try:
            surface = self.controls.surface()
            racers = self.controls.racers()
        except (ExpressionError, ValueError) as err:
            self._show_failure(str(err))
            return
        if surface is not self.surface:
            if self.surface is None or surface.key != "custom" or surface != self.surface:
                self.start = None  # a new function: its own start point
            self._draw_surface(surface)
        start = self.start or surface.start
        steps = self.controls.steps.value()
        self.controls.note.setText(f"f(x, y) = {surface.formula}" + (f" — {surface.note}" if surface.note else ""))
        self.start_marker.setData([start[0]], [start[1]])
        self.computing = True
        self._job = self.worker.submit(lambda _cancel, _report: race(surface, start, racers, steps))

    def _on_done(self, job: int, trajectories: list[Trajectory]) -> None:
        if job != self._job:
            return
        self.computing = False
        self.controls.show_error("")
        self.trajectories = trajectories
        replay = self._play_when_done or self.play_button.isChecked()
        self._play_when_done = False
        self.frame = 0 if replay else self.total_steps  # the result at once; Play replays it
        self._draw_paths()
        self.show_frame()
        if replay:
            self.play()

    def _on_failed(self, job: int, message: str) -> None:
        if job == self._job:
            self._show_failure(message)

    def _show_failure(self, message: str) -> None:
        self.computing = False
        self._play_when_done = False
        self.controls.show_error(message)
        self.trajectories = []
        self._draw_paths()

    @property
    def ready(self) -> bool:
        """No race is being computed: what is drawn is what the controls say."""
        return not self.computing

    def reset(self) -> None:
        self.play_button.setChecked(False)
        self.frame = 0
        self.show_frame()

    def play(self) -> None:
        self.play_button.setChecked(True)

    def finish(self) -> None:
        """Show every step at once (and stop playing)."""
        self.play_button.setChecked(False)
        self.frame = self.total_steps
        self.show_frame()

    @property
    def total_steps(self) -> int:
        return max((len(t.points) - 1 for t in self.trajectories), default=0)

    def advance(self) -> None:
        self.frame = min(self.total_steps, self.frame + max(1, self.total_steps // FRAMES))
        self.show_frame()
        if self.frame >= self.total_steps:
            self.play_button.setChecked(False)

    def _on_play(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if playing:
            if self.frame >= self.total_steps:
                self.frame = 0
            self.timer.start()
        else:
            self.timer.stop()

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.surface is None:
            return
        view = self.map.getPlotItem().vb
        if not view.sceneBoundingRect().contains(event.scenePos()):
            return
        point = view.mapSceneToView(event.scenePos())
        self.set_start(point.x(), point.y())

    def set_start(self, x: float, y: float) -> None:
        """Start the optimizers from (x, y) and play the race from there."""
        self.start = (float(x), float(y))
        self._play_when_done = True
        self.recompute()

    # ------------------------------------------------------------------ drawing
    def _draw_surface(self, surface: Surface) -> None:
        self.surface = surface
        z = surface.grid(160)[2]
        values = contour_values(surface, z)
        self.image.setImage(values, autoLevels=False, levels=(float(values.min()), float(values.max())))
        (x0, x1), (y0, y1) = surface.x_range, surface.y_range
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        top = float(np.percentile(values, 97))
        self.contours.set_data(values, np.linspace(float(values.min()), top, CONTOUR_LEVELS + 2)[1:-1])
        if surface.minimum is not None:
            self.minimum.setData([surface.minimum[0]], [surface.minimum[1]])
        else:
            self.minimum.setData([], [])
        self.map.setRange(xRange=surface.x_range, yRange=surface.y_range, padding=0)
        self.apply_theme()

    def _draw_paths(self) -> None:
        for line, head, curve in self.paths.values():
            self.map.removeItem(line)
            self.map.removeItem(head)
            self.loss.removeItem(curve)
        self.paths = {}
        # a log axis when f cannot go below 0; values under LOG_FLOOR × f(start) (an exact 0: Newton's on a
        # quadratic) are drawn at that floor, 12 decades down
        self.log_loss = bool(self.trajectories) and all((t.losses >= 0).all() for t in self.trajectories)
        self.floor = LOG_FLOOR * max((float(t.losses[0]) for t in self.trajectories), default=1.0) or LOG_FLOOR
        self.loss.setLogMode(y=self.log_loss)
        self.loss.setTitle("f(x, y) at each step" + (", log scale" if self.log_loss else ""))
        for t in self.trajectories:
            colour = QColor(COLOURS[t.racer.kind])
            line = pg.PlotDataItem(pen=pg.mkPen(colour, width=2))
            head = pg.ScatterPlotItem(size=10, brush=pg.mkBrush(colour))
            name = t.racer.title + (f" ({t.stopped})" if t.stopped else "")
            curve = self.loss.plot(pen=pg.mkPen(colour, width=2), name=name)
            self.map.addItem(line)
            self.map.addItem(head)
            self.paths[t.racer.kind] = (line, head, curve)

    def show_frame(self) -> None:
        for t in self.trajectories:
            line, head, curve = self.paths[t.racer.kind]
            n = min(self.frame, len(t.points) - 1) + 1
            line.setData(t.points[:n, 0], t.points[:n, 1])
            head.setData([t.points[n - 1, 0]], [t.points[n - 1, 1]])
            losses = np.maximum(t.losses[:n], self.floor) if self.log_loss else t.losses[:n]
            curve.setData(np.arange(n), losses)
        if self.trajectories:
            self.status.setText(f"step {min(self.frame, self.total_steps)} of {self.total_steps}")

    def apply_theme(self, _theme=None) -> None:
        t = theme.current()
        c = plot_colours(t)
        for widget in (self.map, self.loss):
            style_view(widget)
            style_plot(widget.getPlotItem())
        light = t.name == "light"
        low, high = (QColor("#fdfdfd"), QColor("#9fb8d8")) if light else (QColor("#1b2330"), QColor("#53627a"))
        self.image.setLookupTable(pg.ColorMap([0.0, 1.0], [low, high]).getLookupTable(0.0, 1.0, 256))
        line = QColor(c["muted"])
        line.setAlpha(150 if light else 200)
        self.contours.setPen(line, width=1)
        marker = QColor(c["foreground"])
        self.minimum.setBrush(pg.mkBrush(QColor("#f2c14e")))
        self.minimum.setPen(pg.mkPen(marker))
        self.start_marker.setBrush(pg.mkBrush(marker))
        self.start_marker.setPen(pg.mkPen(marker))
        for _line, head, _curve in self.paths.values():
            head.setPen(pg.mkPen(marker))

    def shutdown(self) -> None:
        self.timer.stop()
        self.worker.shutdown()
