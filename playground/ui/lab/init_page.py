"""The initialization explorer page: a deep MLP at step 0 under the chosen scheme and activation.

Above, the spread (standard deviation) of every layer's activations under each of the four schemes, on a log
axis: the collapse of N(0, 0.01) is a line falling a decade per layer. Below, the histograms of the chosen
scheme's activations and weight gradients, one ridge per layer (first layer at the bottom), on edges shared by
all layers. "Apply to the project" gives every weighted layer of the project this scheme, as one undoable edit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.lab.init_explorer import ACTIVATIONS, SCHEMES, Exploration, explore, scheme_edits
from .. import theme
from ..editor.commands import GraphCommand, SetParam
from ..training.plotting import plot_colours, style_plot, style_view
from .legend import legend_below
from .worker import LabWorker

SCHEME_COLOURS = {"normal": "#e05d5d", "xavier": "#3b8be0", "he": "#3fb37f", "orthogonal": "#b46ad6"}
COMPARE_SAMPLES = 128  # enough for a standard deviation; the chosen scheme's histograms use more
HIST_SAMPLES = 256


def explore_all(settings: dict[str, Any], cancel, report) -> dict[str, Exploration]:
    """Every scheme under the chosen activation (runs on the worker thread)."""
    out: dict[str, Exploration] = {}
    for key in SCHEMES:
        samples = HIST_SAMPLES if key == settings["scheme"] else COMPARE_SAMPLES
        out[key] = explore(key, settings["activation"], settings["depth"], settings["width"], settings["std"], samples)
        report(len(out))
    return out


class InitPage(QWidget):
    def __init__(self, window=None):
        super().__init__()
        self.window_ = window
        self.depth = QSpinBox()
        self.depth.setRange(1, 50)
        self.depth.setValue(10)
        self.depth.setPrefix("depth ")
        self.width_ = QSpinBox()
        self.width_.setRange(2, 512)
        self.width_.setValue(100)
        self.width_.setPrefix("width ")
        self.scheme = QComboBox()
        self.scheme.setObjectName("init_scheme")
        for s in SCHEMES.values():
            self.scheme.addItem(s.title, s.key)
            self.scheme.setItemData(self.scheme.count() - 1, s.help, Qt.ItemDataRole.ToolTipRole)
        self.std = QDoubleSpinBox()
        self.std.setRange(1e-4, 10.0)
        self.std.setDecimals(4)
        self.std.setValue(0.01)
        self.std.setPrefix("σ ")
        self.activation = QComboBox()
        self.activation.setObjectName("init_activation")
        for name in ACTIVATIONS:
            self.activation.addItem(name, name)
        self.apply_button = QPushButton("Apply to the project")
        self.apply_button.setObjectName("init_apply")
        self.apply_button.setToolTip("Give every weighted layer of the project this initialization (undoable)")
        for spin in (self.depth, self.width_, self.std):
            spin.setKeyboardTracking(False)
        self.verdict = QLabel()
        self.verdict.setObjectName("init_verdict")
        self.verdict.setWordWrap(True)

        self.spread = pg.PlotWidget()
        self.spread.setObjectName("init_spread")
        self.spread.setMenuEnabled(False)
        self.spread.setLogMode(y=True)
        self.spread.setLabel("bottom", "layer")
        self.spread.setLabel("left", "std of activations")
        legend_below(self.spread, columns=4)
        self.spread_lines = {
            key: self.spread.plot(name=s.title, symbol="o", symbolSize=5) for key, s in SCHEMES.items()
        }
        self.ridges = {what: self._ridge_plot(what) for what in ("activations", "gradients")}
        self.ridge_items: dict[str, list[pg.PlotDataItem]] = {"activations": [], "gradients": []}

        controls = QHBoxLayout()
        for w in (self.depth, self.width_, self.scheme, self.std, self.activation):
            controls.addWidget(w)
        controls.addStretch(1)
        controls.addWidget(self.apply_button)
        below = QSplitter(Qt.Orientation.Horizontal)
        below.addWidget(self.ridges["activations"])
        below.addWidget(self.ridges["gradients"])
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.spread)
        plots.addWidget(below)
        plots.setSizes([220, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.verdict)
        layout.addWidget(plots, 1)

        self.results: dict[str, Exploration] = {}
        self.shown_settings: dict[str, Any] = {}
        self._pending: dict[int, dict[str, Any]] = {}
        self.worker = LabWorker(self)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.recompute)
        for signal in (
            self.depth.valueChanged,
            self.width_.valueChanged,
            self.std.valueChanged,
            self.scheme.currentIndexChanged,
            self.activation.currentIndexChanged,
        ):
            signal.connect(self._debounce.start)
        self.scheme.currentIndexChanged.connect(lambda _i: self.std.setEnabled(self.scheme.currentData() == "normal"))
        self.apply_button.clicked.connect(self.apply_to_project)
        theme.notifier.theme_changed.connect(self.apply_theme)
        self.apply_theme()
        self.recompute()

    def _ridge_plot(self, what: str) -> pg.PlotWidget:
        plot = pg.PlotWidget()
        plot.setObjectName(f"init_{what}")
        plot.setMenuEnabled(False)
        plot.setTitle(f"{what} per layer" if what == "activations" else "weight gradients per layer")
        plot.setLabel("left", "layer")
        return plot

    # ------------------------------------------------------------------ computing
    def settings(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme.currentData(),
            "activation": self.activation.currentData(),
            "depth": self.depth.value(),
            "width": self.width_.value(),
            "std": self.std.value(),
        }

    def recompute(self) -> None:
        settings = self.settings()
        self.verdict.setText("Computing…")
        job = self.worker.submit(lambda cancel, report: explore_all(settings, cancel, report))
        self._pending[job] = settings

    def _on_done(self, job: int, results: dict[str, Exploration]) -> None:
        settings = self._pending.pop(job, None)
        if job != self.worker.current or settings is None:
            return
        self.results, self.shown_settings = results, settings
        self.draw()

    @property
    def ready(self) -> bool:
        """The pictures show the settings the controls show (no computation pending)."""
        return bool(self.results) and self.shown_settings == self.settings() and not self._debounce.isActive()

    def _on_failed(self, job: int, message: str) -> None:
        self._pending.pop(job, None)
        if job == self.worker.current:
            self.verdict.setText(message)

    @property
    def chosen(self) -> Exploration | None:
        """The exploration of the scheme chosen when the pictures were computed."""
        return self.results.get(self.shown_settings.get("scheme", ""))

    def draw(self) -> None:
        chosen = self.chosen
        if chosen is None:
            return
        for key, line in self.spread_lines.items():
            stds = self.results[key].activation_stds
            layers = np.arange(1, len(stds) + 1)
            line.setData(layers, np.maximum(stds, 1e-30))
            line.setPen(pg.mkPen(SCHEME_COLOURS[key], width=3 if key == chosen.scheme.key else 1))
            line.setSymbolBrush(pg.mkBrush(SCHEME_COLOURS[key]))
        for what in self.ridges:
            self._draw_ridges(what, chosen)
        stds = chosen.activation_stds
        ratio = stds[-1] / stds[0] if stds[0] > 0 else 0.0
        state = "collapsed: the last layers pass (almost) nothing on" if ratio < 0.01 else "kept"
        if ratio > 100:
            state = "exploding"
        self.verdict.setText(
            f"{chosen.scheme.title} with {chosen.activation}: the last layer's activations spread "
            f"{ratio:.2g} × as much as the first's — {state}. ({chosen.scheme.title}: {chosen.scheme.help}.)"
        )

    def _draw_ridges(self, what: str, e: Exploration) -> None:
        plot = self.ridges[what]
        for item in self.ridge_items[what]:
            plot.removeItem(item)
        skip = what == "activations" and e.activation == "relu"  # half of a ReLU's outputs are exactly 0
        counts, edges = e.histograms(what, skip_zeros=skip)
        colour = QColor(SCHEME_COLOURS[e.scheme.key])
        fill = QColor(colour)
        fill.setAlpha(90)
        items = []
        for layer, row in enumerate(counts):
            height = 0.9 * row / max(int(row.max()), 1)
            base = float(layer)
            item = pg.PlotDataItem(
                edges,
                base + height,
                stepMode="center",
                fillLevel=base,
                brush=pg.mkBrush(fill),
                pen=pg.mkPen(colour, width=1),
            )
            plot.addItem(item)
            items.append(item)
        self.ridge_items[what] = items
        plot.getAxis("left").setTicks([[(i + 0.4, str(i + 1)) for i in range(len(counts))]])
        title = "activations per layer" if what == "activations" else "weight gradients per layer"
        if skip:
            zeros = np.mean([layer.zero_fraction for layer in e.layers])
            title += f" (the {zeros:.0%} exactly 0 left out)"
        plot.setTitle(title)
        plot.setYRange(0, len(counts), padding=0.02)
        plot.setXRange(float(edges[0]), float(edges[-1]), padding=0.02)

    # ------------------------------------------------------------------ the project
    def apply_to_project(self) -> bool:
        """Every layer of the project that has an ``init`` parameter gets this scheme, in one undoable edit."""
        window = self.window_
        if window is None:
            return False
        document = window.document
        scheme = SCHEMES[self.scheme.currentData()]
        edits = scheme_edits(document.graph, scheme, self.std.value())
        if not edits:
            window.show_message("The project has no layer with weights to initialize.")
            return False
        layers = len({node_id for node_id, _, _ in edits})
        command = GraphCommand(document.graph, f"Initialize {layers} layers: {scheme.title}")
        for node_id, param, value in edits:
            SetParam(document.graph, node_id, param, value, parent=command)
        if not document.push(command):
            return False
        override = document.project.training.init
        note = (
            f" The training settings' weight init ({override}) still overrides each layer's: set it to per_layer."
            if override != "per_layer"
            else ""
        )
        window.show_message(f"{layers} layers now start from {scheme.title} ({scheme.init}).{note}")
        return True

    def apply_theme(self, _theme=None) -> None:
        c = plot_colours(theme.current())
        for plot in (self.spread, *self.ridges.values()):
            style_view(plot)
            style_plot(plot.getPlotItem())
            plot.getPlotItem().showGrid(x=False, y=True, alpha=0.15)
        self.verdict.setStyleSheet(f"color: {c['foreground']};")
        self.draw()

    def shutdown(self) -> None:
        self.worker.shutdown()
