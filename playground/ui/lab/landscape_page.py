"""The loss landscape page (Li et al. 2018): train the project's network here while recording its weights, then
draw the loss along the line from the initial to the trained weights, over a slice along two filter-normalized
random directions around the trained weights, and over the PCA plane of the training trajectory, the path drawn
on it. A 3D surface is added when pyqtgraph's OpenGL support is installed; contours otherwise.

The work runs on a worker thread (:func:`~playground.core.lab.landscape.landscape`) with a progress bar and a
Cancel button. For a network with skip connections, "without skips" computes the same network with them taken
out (004: skips make the landscape smoother).
"""

from __future__ import annotations

import dataclasses
import html
import threading
from collections.abc import Iterator

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.lab.landscape import Landscape, LandscapeOptions, LandscapeProgress, landscape
from ...core.lab.skips import without_skips
from .. import theme
from ..hint_stack import HintStack
from ..training.plotting import style_plot, style_view
from .contour_plot import ContourPlot, log_loss
from .worker import Cancelled, LabWorker

try:  # the 3D view needs PyOpenGL, which is optional
    import pyqtgraph.opengl as gl
except Exception:  # ImportError, or an OpenGL library that cannot load on this machine
    gl = None


def _follow(progress: Iterator[LandscapeProgress], report, cancel: threading.Event) -> LandscapeProgress | None:
    """Pass every progress item on to the worker's ``report`` (which stops the work once cancelled); the last.
    A run stopped while training ends the generator early: that is a cancellation too."""
    last = None
    for last in progress:
        report(last)
    if cancel.is_set():
        raise Cancelled
    return last


def _spin(low: float, high: float, value: float, tip: str, decimals: int = 0) -> QSpinBox | QDoubleSpinBox:
    box: QSpinBox | QDoubleSpinBox = QDoubleSpinBox() if decimals else QSpinBox()
    if isinstance(box, QDoubleSpinBox):
        box.setDecimals(decimals)
        box.setSingleStep(0.25)
    box.setRange(low, high)  # type: ignore[arg-type]
    box.setValue(value)  # type: ignore[arg-type]
    box.setToolTip(tip)
    return box


class LandscapePage(QWidget):
    def __init__(self, window=None):
        super().__init__()
        self.window_ = window
        self.worker = LabWorker(self)
        self.worker.progress.connect(lambda job, p: self._on_progress(p) if job == self._job else None)
        self.worker.done.connect(lambda job, p: self._on_done(p) if job == self._job else None)
        self.worker.failed.connect(lambda job, m: self._failed(m) if job == self._job else None)
        self._job = 0
        self.result: Landscape | None = None

        self.epochs = _spin(1, 1000, 30, "Epochs of the training run made here (its weights are recorded)")
        self.epochs.setPrefix("epochs ")
        self.grid = _spin(5, 51, 21, "Points per side of each 2D slice (the loss is measured grid² times)")
        self.grid.setPrefix("grid ")
        self.span = _spin(0.25, 5, 1, "α and β run from −span to span (1 = each filter moved by its own norm)", 2)
        self.span.setPrefix("span ")
        self.batch = _spin(8, 4096, 256, "Training samples the loss is measured on (the same batch everywhere)")
        self.batch.setPrefix("batch ")
        self.no_skips = QCheckBox("without skip connections")
        self.no_skips.setToolTip("Take every Add layer's shortcut out first: the plain network of the same depth")
        self.compute_button = QPushButton("Compute")
        self.compute_button.setObjectName("landscape_compute")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("landscape_cancel")
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.status = QLabel("Compute trains the network on the canvas, then measures its loss around the result.")
        self.status.setObjectName("landscape_status")
        self.status.setWordWrap(True)

        self.line = pg.PlotWidget()
        self.line.setObjectName("landscape_line")
        self.line.setMenuEnabled(False)
        self.line.setLabel("bottom", "t: (1 − t)·initial + t·trained")
        self.line.setLabel("left", "loss")
        self.line.setTitle("1D interpolation")
        self.line_curve = self.line.plot()
        self.random = ContourPlot("α (filter-normalized)", "β (filter-normalized)", "random plane, log₁₀")
        self.random.setObjectName("landscape_random")
        self.pca = ContourPlot("PCA 1", "PCA 2", "path on PCA plane")
        self.pca.setObjectName("landscape_pca")
        self.surface3d = None
        if gl is not None:
            self.surface3d = gl.GLViewWidget()
            self.surface_item = gl.GLSurfacePlotItem(shader="heightColor", computeNormals=False)
            self.surface3d.addItem(self.surface_item)

        controls = QHBoxLayout()  # the settings on one row, the run on the next: the page fits a narrow dock
        for w in (self.epochs, self.grid, self.span, self.batch, self.no_skips):
            controls.addWidget(w)
        controls.addStretch(1)
        run = QHBoxLayout()
        run.addWidget(self.compute_button)
        run.addWidget(self.cancel_button)
        run.addWidget(self.progress, 1)
        plots = QSplitter(Qt.Orientation.Horizontal)
        for w in (self.line, self.random, self.pca, self.surface3d):
            if w is not None:
                w.setMinimumWidth(160)  # three plots share a dock of ~700 px
                plots.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addLayout(run)
        layout.addWidget(self.status)
        self.plots = HintStack(
            plots,
            "Compute draws the loss here: along the line from the initial to the trained weights, over a random "
            "plane through the trained weights, and over the plane of the path training took.",
        )
        layout.addWidget(self.plots, 1)

        self.compute_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        theme.notifier.theme_changed.connect(self.apply_theme)
        if window is not None:
            window.document.project_replaced.connect(self._on_project)
            self._on_project(window.document.project)
        self.apply_theme()

    def _on_project(self, project) -> None:
        has_skips = bool(project.graph.nodes_of_type("Add"))
        self.no_skips.setEnabled(has_skips)
        if not has_skips:
            self.no_skips.setChecked(False)
        self.epochs.setValue(min(project.training.epochs, 100))

    # ------------------------------------------------------------------ the work
    def start(self) -> None:
        if self.window_ is None:
            return
        self.cancel()
        project = self.window_.document.project.copy()
        if self.no_skips.isChecked():
            try:
                project = dataclasses.replace(project, graph=without_skips(project.graph))
            except ValueError as err:
                self._failed(str(err))
                return
        options = LandscapeOptions(
            grid=int(self.grid.value()),
            span=float(self.span.value()),
            batch=int(self.batch.value()),
            epochs=int(self.epochs.value()),
        )
        self.result = None
        self.compute_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setValue(0)
        self.status.setText("Training the network and recording its weights…")
        self._job = self.worker.submit(
            lambda cancel, report: _follow(landscape(project, options, cancel=cancel), report, cancel)
        )

    @property
    def running(self) -> bool:
        return self.cancel_button.isEnabled()

    def cancel(self) -> None:
        if self.running:
            self.worker.cancel()
            self._job = -1  # whatever it still sends is ignored
            self.status.setText("Cancelled.")
        self.compute_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _on_progress(self, p: LandscapeProgress) -> None:
        self.progress.setMaximum(max(1, p.total))
        self.progress.setValue(p.done)
        self.progress.setFormat(f"{p.stage} %v / %m")

    def _on_done(self, p: LandscapeProgress | None) -> None:
        self.compute_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if p is None or p.result is None:
            return
        self._on_progress(p)
        self.show_result(p.result)

    def _failed(self, message: str) -> None:
        self.compute_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.status.setText(theme.error_html(message))

    # ------------------------------------------------------------------ drawing
    def show_result(self, r: Landscape) -> None:
        self.result = r
        self.plots.show_content()
        self.line_curve.setData(r.line_t, r.line_loss)
        self.line.setLogMode(y=bool(np.all(r.line_loss[np.isfinite(r.line_loss)] > 0)))
        self.random.show_surface(r.alphas, r.alphas, r.surface)
        if len(r.trajectory):
            self.pca.show_surface(r.pca_x, r.pca_y, r.pca_surface)
            self.pca.show_path(r.trajectory)
            self.pca.setLabel("bottom", f"PCA 1 · {r.explained[0]:.0%}")
            self.pca.setLabel("left", f"PCA 2 · {r.explained[1]:.0%}")
        else:
            self.pca.clear_surface()
        if self.surface3d is not None:
            z = log_loss(r.surface)
            self.surface_item.setData(x=r.alphas * 10, y=r.alphas * 10, z=(z - z.min()) * 3)
        centre = len(r.alphas) // 2
        corners = r.surface[[0, 0, -1, -1], [0, -1, 0, -1]]
        at_centre = np.unravel_index(np.nanargmin(r.surface), r.surface.shape) == (centre, centre)
        self.status.setText(
            f"Weights {html.escape(r.source)}; loss on {r.batch} training samples. At the trained weights "
            f"{r.trained_loss:.4g} (★), at the random slice's corners {np.nanmean(corners):.4g} on average; "
            f"the slice's lowest point is {'the trained weights' if at_centre else 'elsewhere'}."
        )
        self.apply_theme()

    def apply_theme(self, *_args) -> None:
        style_view(self.line)
        style_plot(self.line.getPlotItem())
        self.line_curve.setPen(pg.mkPen("#3b8be0", width=2))

    def shutdown(self) -> None:
        self.worker.shutdown()
