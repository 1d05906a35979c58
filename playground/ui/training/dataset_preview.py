"""The dataset preview: the split sizes, then three tabs — the samples (a grid of images, or a scatter of two
chosen features coloured by class), the class balance as bars, and each feature's statistics with a histogram.
Everything shown is computed by core/data/summary.py; this file only draws it.

While a dataset loads, the preview says so ("Loading Spiral…") in place of the tabs: no empty axes, no blank
feature pickers, and no plots of the dataset chosen before."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.data import Dataset
from ...core.data.summary import class_counts, feature_stats, features, histogram, scatter_values, split_sizes
from .. import theme
from ..panels.misclassified import to_pixmap
from .plotting import BLUE, CLASS_COLOURS, ORANGE, diverging_lut, style_plot, style_view

PREVIEW_IMAGES = 16
PLOT_HEIGHT = 170
MESSAGE_HEIGHT = 90


def pixels_pixmap(sample: np.ndarray, size: int) -> QPixmap | None:
    """A (C, H, W) uint8 image as it is (no contrast stretch: a dark photo stays dark)."""
    if sample.dtype != np.uint8 or sample.shape[0] not in (1, 3):
        return to_pixmap(sample, size)
    img = np.ascontiguousarray(np.moveaxis(sample, 0, -1))
    h, w = img.shape[:2]
    fmt = QImage.Format.Format_Grayscale8 if img.shape[2] == 1 else QImage.Format.Format_RGB888
    qimg = QImage(img.data, w, h, img.shape[2] * w, fmt)
    return QPixmap.fromImage(qimg.copy()).scaled(
        size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def mosaic(images: np.ndarray, columns: int = 8, cell: int = 40) -> QPixmap:
    """Up to 16 (C, H, W) images side by side."""
    rows = (len(images) + columns - 1) // columns
    canvas = QPixmap(columns * cell, max(rows, 1) * cell)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    for i, img in enumerate(images):
        pm = pixels_pixmap(img, cell - 2)
        if pm is not None:
            painter.drawPixmap((i % columns) * cell + 1, (i // columns) * cell + 1, pm)
    painter.end()
    return canvas


def _plot(height: int = PLOT_HEIGHT) -> pg.PlotWidget:
    view = pg.PlotWidget()
    view.setFixedHeight(height)
    view.getPlotItem().hideButtons()
    view.setMouseEnabled(x=False, y=False)
    return view


def _fmt(value: float) -> str:
    return "–" if not math.isfinite(value) else f"{value:.4g}"


LABELLED_BARS = 12  # more classes (a character vocabulary) get no counts written over their bars, fewer names


class DatasetPreview(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()  # the message while loading, or the dataset's tabs
        outer.addWidget(self.pages)
        self.message = QLabel()
        self.message.setObjectName("dataset_preview_message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setFixedHeight(MESSAGE_HEIGHT)
        self.waiting = QWidget()  # the message at the top, where the tabs will be
        waiting = QVBoxLayout(self.waiting)
        waiting.setContentsMargins(0, 8, 0, 0)
        waiting.addWidget(self.message)
        waiting.addStretch(1)
        self.pages.addWidget(self.waiting)
        self.body = QWidget()
        self.pages.addWidget(self.body)
        layout = QVBoxLayout(self.body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splits = QLabel()
        layout.addWidget(self.splits)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)
        self._build_samples()
        self._build_classes()
        self._build_features()
        self.data: Dataset | None = None
        theme.notifier.theme_changed.connect(self._on_theme)
        self._on_theme(theme.current())

    # ------------------------------------------------------------------ building
    def _build_samples(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        self.axes_row = QWidget()
        row = QHBoxLayout(self.axes_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.x_feature, self.y_feature = QComboBox(), QComboBox()
        for label, combo in (("x:", self.x_feature), ("y:", self.y_feature)):
            combo.setToolTip("The feature on this axis of the scatter plot")
            combo.activated.connect(self._draw_scatter)
            row.addWidget(QLabel(label))
            row.addWidget(combo, 1)
        layout.addWidget(self.axes_row)
        self.samples = QStackedWidget()
        self.scatter_view = _plot()
        self.scatter = pg.ScatterPlotItem(size=4, pen=None)
        self.scatter_view.addItem(self.scatter)
        self.images = QLabel()
        self.images.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.samples.addWidget(self.scatter_view)
        self.samples.addWidget(self.images)
        layout.addWidget(self.samples)
        layout.addStretch(1)
        self.tabs.addTab(page, "Samples")

    def _build_classes(self) -> None:
        self.balance_view = _plot()
        self.balance_view.getPlotItem().setLabel("left", "samples")
        self.balance = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.balance_view.addItem(self.balance)
        self.balance_texts: list[pg.TextItem] = []
        self.tabs.addTab(self.balance_view, "Class balance")

    def _build_features(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        self.histogram_feature = QComboBox()
        self.histogram_feature.setToolTip("The feature whose values the histogram counts")
        self.histogram_feature.activated.connect(self._draw_histogram)
        layout.addWidget(self.histogram_feature)
        self.histogram_view = _plot(130)
        self.histogram_view.getPlotItem().setLabel("left", "count")
        self.histogram = pg.PlotDataItem(stepMode="center", fillLevel=0, brush=pg.mkBrush(BLUE), pen=pg.mkPen(BLUE))
        self.histogram_view.addItem(self.histogram)
        layout.addWidget(self.histogram_view)
        self.stats = QTableWidget(0, 6)
        self.stats.setHorizontalHeaderLabels(["feature", "mean", "std", "min", "max", "missing"])
        self.stats.verticalHeader().setVisible(False)
        header = self.stats.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name takes what the numbers leave
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.stats.verticalHeader().setDefaultSectionSize(20)
        self.stats.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.stats.setFixedHeight(150)
        layout.addWidget(self.stats)
        layout.addStretch(1)
        self.tabs.addTab(page, "Features")

    # ------------------------------------------------------------------ showing a dataset
    @property
    def loading(self) -> bool:
        return self.pages.currentWidget() is self.waiting

    def show_loading(self, title: str) -> None:
        """Say that ``title`` (the dataset's name as the picker shows it) is loading, in place of the tabs."""
        self.data = None
        self.message.setText(f"Loading {title}…")
        self.pages.setCurrentWidget(self.waiting)

    def show_data(self, data: Dataset, val_fraction: float, test_fraction: float) -> None:
        self.data = data
        self.pages.setCurrentWidget(self.body)
        train, val, test = split_sizes(len(data), val_fraction, test_fraction)
        self.splits.setText(f"Split: {train:,} training · {val:,} validation · {test:,} test")
        names, _values = features(data)
        # token ids with a class per time step (reverse, text) are no table: no one class colours a sample
        tabular = len(data.sample_shape) == 1 and not (data.task == "classification" and np.ndim(data.y) > 1)
        self.axes_row.setVisible(tabular and len(names) > 2)
        for combo, chosen in ((self.x_feature, 0), (self.y_feature, 1)):
            combo.clear()
            combo.addItems(names)
            combo.setCurrentIndex(min(chosen, len(names) - 1))
        if tabular and len(names) >= 2:
            self.samples.setCurrentWidget(self.scatter_view)
            self._draw_scatter()
        elif data.x.ndim == 4:
            self.samples.setCurrentWidget(self.images)
            self.images.setPixmap(mosaic(np.asarray(data.x[:PREVIEW_IMAGES])))
        self.tabs.setTabVisible(0, (tabular and len(names) >= 2) or data.x.ndim == 4)
        self._draw_balance(data)
        self.histogram_feature.clear()
        self.histogram_feature.addItems(names)
        self.tabs.setTabVisible(2, bool(names))
        if names:
            self._draw_histogram()
            self._fill_stats(data)

    def _draw_scatter(self) -> None:
        data = self.data
        if data is None or len(data.sample_shape) != 1:
            return
        a, b, rows = scatter_values(data, self.x_feature.currentIndex(), self.y_feature.currentIndex())
        if data.task == "regression":
            v = np.asarray(data.y, np.float64).reshape(len(data), -1)[rows, 0]
            spread = float(np.abs(v - v.mean()).max()) or 1.0
            lut = diverging_lut()
            brushes = [
                pg.mkBrush(*c) for c in lut[((np.clip((v - v.mean()) / spread, -1, 1) + 1) / 2 * 255).astype(int)]
            ]
        else:
            palette = [pg.mkBrush(c) for c in ([ORANGE, BLUE] if data.num_classes == 2 else CLASS_COLOURS)]
            classes = np.asarray(data.y).reshape(len(data), -1)[rows, 0]  # a class per time step: the first one's
            brushes = [palette[int(c) % len(palette)] for c in classes]
        self.scatter.setData(a, b, brush=brushes)
        plot = self.scatter_view.getPlotItem()
        plot.setAspectLocked(data.sample_shape == (2,))
        plot.setLabel("bottom", self.x_feature.currentText() if data.feature_names else "")
        plot.setLabel("left", self.y_feature.currentText() if data.feature_names else "")
        plot.autoRange()

    def _draw_balance(self, data: Dataset) -> None:
        counts = class_counts(data)
        plot = self.balance_view.getPlotItem()
        for item in self.balance_texts:
            plot.removeItem(item)
        self.balance_texts = []
        self.tabs.setTabVisible(1, len(counts) > 0)
        if not len(counts):
            return
        colours = [CLASS_COLOURS[i % len(CLASS_COLOURS)] for i in range(len(counts))]
        self.balance.setOpts(x=np.arange(len(counts)), height=counts, brushes=[pg.mkBrush(c) for c in colours])
        for i, count in enumerate(counts if len(counts) <= LABELLED_BARS else ()):  # past that, the bars alone
            text = pg.TextItem(f"{int(count):,}", anchor=(0.5, 1.0), color=theme.current().text)
            text.setPos(i, float(count))
            plot.addItem(text)
            self.balance_texts.append(text)
        every = -(-len(counts) // LABELLED_BARS)
        plot.getAxis("bottom").setTicks([[(i, n[:10]) for i, n in enumerate(data.class_names) if i % every == 0]])
        plot.setXRange(-0.6, len(counts) - 0.4, padding=0)
        plot.setYRange(0, float(counts.max()) * 1.2 or 1, padding=0)

    def _draw_histogram(self) -> None:
        if self.data is None or self.histogram_feature.currentIndex() < 0:
            return
        counts, edges = histogram(self.data, self.histogram_feature.currentIndex())
        self.histogram.setData(edges, counts) if len(counts) else self.histogram.setData([], [])
        self.histogram_view.getPlotItem().setLabel("bottom", self.histogram_feature.currentText())
        self.histogram_view.getPlotItem().autoRange()

    def _fill_stats(self, data: Dataset) -> None:
        rows = feature_stats(data)
        self.stats.setRowCount(len(rows))
        for r, s in enumerate(rows):
            cells = [s.name, _fmt(s.mean), _fmt(s.std), _fmt(s.minimum), _fmt(s.maximum), str(s.missing)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.stats.setItem(r, c, item)

    def _on_theme(self, t: theme.Theme) -> None:
        for view in (self.scatter_view, self.balance_view, self.histogram_view):
            style_view(view, t)
            style_plot(view.getPlotItem(), t)
        self.splits.setStyleSheet(f"color: {t.muted};")
        self.message.setStyleSheet(f"color: {t.muted}; border: 1px dashed {t.muted}; border-radius: 6px;")
        for item in self.balance_texts:
            item.setColor(pg.mkColor(t.text))
