"""Dataset picker: which dataset, its options, the validation / test split, and a preview of the data
(a scatter plot for 2D sets, a grid of images otherwise). The preview loads on a background thread."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from ...core.config import DatasetConfig
from ...core.data import DATASETS, NO_DATASET, Dataset
from ...core.layers import Param, ParamError
from .. import theme
from ..panels.misclassified import to_pixmap
from ..panels.param_editors import ParamEditor, editor_for
from .plotting import BLUE, CLASS_COLOURS, ORANGE, diverging_lut, style_plot, style_view

SPLIT = (
    Param(
        "val_fraction",
        "float",
        0.2,
        "Share of the data kept for validation (tuning, the doctor's gap check)",
        minimum=0.0,
        maximum=0.9,
        label="Validation share",
    ),
    Param(
        "test_fraction",
        "float",
        0.2,
        "Share kept for the final test, evaluated only when you ask",
        minimum=0.0,
        maximum=0.9,
        label="Test share",
    ),
    Param(
        "seed",
        "int",
        0,
        "Seed of the data generation and of the split",
        minimum=0,
        maximum=2**31 - 1,
        label="Data seed",
    ),
)
PREVIEW_IMAGES = 16


def describe(data: Dataset) -> str:
    kind = {
        "classification": f"{data.num_classes} classes",
        "regression": "regression",
        "segmentation": f"segmentation, {data.num_classes} classes",
    }[data.task]
    shape = data.sample_shape
    if len(shape) == 1:
        what = f"{len(data):,} {'points' if shape == (2,) else 'samples'} · {shape[0]} inputs"
    else:
        what = f"{len(data):,} images · {'×'.join(str(s) for s in shape)}"
    return f"{what} · {kind}" + (f"\n{data.description}" if data.description else "")


def mosaic(images: np.ndarray, columns: int = 8, cell: int = 40) -> QPixmap:
    """Up to 16 (C, H, W) images side by side."""
    rows = (len(images) + columns - 1) // columns
    canvas = QPixmap(columns * cell, max(rows, 1) * cell)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    for i, img in enumerate(images):
        pm = to_pixmap(img, cell - 2)
        if pm is not None:
            painter.drawPixmap((i % columns) * cell + 1, (i // columns) * cell + 1, pm)
    painter.end()
    return canvas


class DatasetForm(QWidget):
    """Emits ``preview_requested(config)``; whoever loads datasets off the GUI thread answers with
    :meth:`show_preview` (the training worker does, between steps if a run is going on)."""

    edited = Signal(object)  # a new DatasetConfig
    invalid = Signal(str)
    preview_requested = Signal(object)  # DatasetConfig

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        for info in DATASETS.values():
            self.combo.addItem(info.title, info.name)
            self.combo.setItemData(self.combo.count() - 1, info.help, Qt.ItemDataRole.ToolTipRole)
        self.combo.activated.connect(self._on_dataset)
        layout.addWidget(self.combo)
        self.help = QLabel()
        self.help.setWordWrap(True)
        layout.addWidget(self.help)
        self.options = QWidget()
        self.options_form = QFormLayout(self.options)
        self.options_form.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.options)
        self.preview = QStackedWidget()
        self.scatter_view = pg.PlotWidget()
        self.scatter_view.setFixedHeight(170)
        self.scatter_view.getPlotItem().hideAxis("left")
        self.scatter_view.getPlotItem().hideAxis("bottom")
        self.scatter_view.getPlotItem().setAspectLocked(True)
        self.scatter_view.getPlotItem().hideButtons()
        self.scatter_view.setMouseEnabled(x=False, y=False)
        self.scatter = pg.ScatterPlotItem(size=4, pen=None)
        self.scatter_view.addItem(self.scatter)
        self.images = QLabel()
        self.images.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.addWidget(self.scatter_view)
        self.preview.addWidget(self.images)
        layout.addWidget(self.preview)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.config = DatasetConfig()
        self.editors: dict[str, ParamEditor] = {}
        self._loading = False
        self._wanted: DatasetConfig | None = None
        self.preview_loads = 0
        theme.notifier.theme_changed.connect(self._on_theme)
        self._on_theme(theme.current())

    # ------------------------------------------------------------------ showing a config
    def load(self, config: DatasetConfig) -> None:
        rebuild = config.name != self.config.name or not self.editors
        self.config = config
        index = self.combo.findData(config.name)
        if config.name == NO_DATASET and index < 0:
            self.combo.addItem("(none: inspection only)", NO_DATASET)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)
        if rebuild:
            self._build_options()
        for name, editor in self.editors.items():
            if name in ("val_fraction", "test_fraction", "seed"):
                editor.set_value(getattr(config, name))
            else:
                info = DATASETS.get(config.name)
                resolved = info.resolve(config.params) if info else {}
                editor.set_value(resolved.get(name))
        self.refresh_preview()

    def _build_options(self) -> None:
        while self.options_form.rowCount():
            self.options_form.removeRow(0)
        self.editors = {}
        info = DATASETS.get(self.config.name)
        self.help.setText(info.help if info else "This project has no dataset: choose one to train it.")
        params = (*(info.params if info else ()), *SPLIT)
        for p in params:
            editor = editor_for(p)
            editor.committed.connect(lambda value, p=p: self._on_option(p, value))
            editor.invalid.connect(self.invalid)
            label = QLabel(p.title)
            label.setToolTip(p.help)
            self.options_form.addRow(label, editor)
            self.editors[p.name] = editor

    # ------------------------------------------------------------------ edits
    def _on_dataset(self, index: int) -> None:
        name = self.combo.itemData(index)
        if name != self.config.name:
            self._emit({**self.config.model_dump(), "name": name, "params": {}})

    def _on_option(self, p: Param, value: Any) -> None:
        try:
            value = p.coerce(value)
        except ParamError as err:
            self.invalid.emit(f"{p.title}: {err}")
            self.load(self.config)
            return
        if p.name in ("val_fraction", "test_fraction", "seed"):
            data = {**self.config.model_dump(), p.name: value}
        else:
            data = {**self.config.model_dump(), "params": {**self.config.params, p.name: value}}
        self._emit(data)

    def _emit(self, data: Any) -> None:
        try:
            config = DatasetConfig.model_validate(data)
        except ValueError as err:
            message = str(err).splitlines()[-1] if str(err) else "invalid value"
            self.invalid.emit(f"Dataset: {message}")
            self.load(self.config)
            return
        self.edited.emit(config)

    # ------------------------------------------------------------------ preview
    def refresh_preview(self) -> None:
        config = self.config
        if config.name not in DATASETS:
            self.summary.setText("")
            self.preview.setVisible(False)
            return
        self._wanted = config
        if self._loading:
            return  # the running load starts the next one when it finishes
        self._start_preview(config)

    def _start_preview(self, config: DatasetConfig) -> None:
        self.summary.setText("Loading the preview…")
        self._loading = True
        self.preview_requested.emit(config)

    def show_preview(self, result: tuple[DatasetConfig, Dataset | None, str]) -> None:
        config, data, error = result
        self._loading = False
        self.preview_loads += 1
        if self._wanted is not None and self._wanted != config:
            self._start_preview(self._wanted)  # settings changed while loading
            return
        if data is None:
            self.summary.setText(error)
            self.preview.setVisible(False)
            return
        self.preview.setVisible(True)
        self.summary.setText(describe(data))
        if data.sample_shape == (2,):
            self.preview.setCurrentWidget(self.scatter_view)
            if data.task == "regression":
                v = np.clip(data.y.reshape(len(data), -1)[:, 0], -1, 1)
                lut = diverging_lut()
                brushes = [pg.mkBrush(*c) for c in lut[((v + 1) / 2 * 255).astype(int)]]
            else:
                palette = [pg.mkBrush(c) for c in ([ORANGE, BLUE] if data.num_classes == 2 else CLASS_COLOURS)]
                brushes = [palette[int(c) % len(palette)] for c in data.y]
            self.scatter.setData(data.x[:, 0], data.x[:, 1], brush=brushes)
        elif data.x.ndim == 4:
            self.preview.setCurrentWidget(self.images)
            self.images.setPixmap(mosaic(data.x[:PREVIEW_IMAGES]))
        else:
            self.preview.setVisible(False)

    def _on_theme(self, t: theme.Theme) -> None:
        style_view(self.scatter_view, t)
        style_plot(self.scatter_view.getPlotItem(), t)
        self.help.setStyleSheet(f"color: {t.muted};")
        self.summary.setStyleSheet(f"color: {t.muted};")
