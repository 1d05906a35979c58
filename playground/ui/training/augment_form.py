"""The augmentation settings and a live preview: a few training images, each beside random augmented copies.

The form shows itself only for image datasets. Every edit emits ``edited(DatasetConfig)``, the dataset
settings with the new augmentation (the training area turns it into an undoable edit), and redraws the
preview; "Draw again" redraws it with new random changes. The preview uses the core's
:func:`~playground.core.data.augment.augment`, the very function training batches go through.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from ...core.config import AugmentationConfig, DatasetConfig
from ...core.data import Dataset
from ...core.data.augment import PARAMS, augment
from ...core.layers import Param, ParamError
from .. import theme
from ..panels.misclassified import to_pixmap
from ..panels.param_editors import ParamEditor, editor_for

ORIGINALS = 4  # rows of the preview: an original, then COPIES augmented copies of it
COPIES = 3
CELL = 44


class AugmentationForm(QGroupBox):
    edited = Signal(object)  # the DatasetConfig with the new augmentation
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Augmentation", parent)
        layout = QVBoxLayout(self)
        self.note = QLabel(
            "Random changes to the training images, new for every batch; validation and test images are never changed."
        )
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        self.editors: dict[str, ParamEditor] = {}
        for p in PARAMS:
            editor = editor_for(p)
            editor.committed.connect(lambda value, p=p: self._on_edit(p, value))
            editor.invalid.connect(self.invalid)
            label = QLabel(p.title)
            label.setToolTip(p.help)
            form.addRow(label, editor)
            self.editors[p.name] = editor
        layout.addLayout(form)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.grid = QLabel()
        self.grid.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.grid.setObjectName("augmentation_preview")
        layout.addWidget(self.grid)
        self.again = QPushButton("Draw again")
        self.again.setToolTip("Show new random changes of the same images")
        self.again.clicked.connect(self.redraw)
        layout.addWidget(self.again, 0, Qt.AlignmentFlag.AlignLeft)
        self.dataset = DatasetConfig()
        self.config = AugmentationConfig()
        self.samples: np.ndarray | None = None
        self.draws = 0
        self.setVisible(False)
        theme.notifier.theme_changed.connect(self._on_theme)
        self._on_theme(theme.current())

    def load(self, dataset: DatasetConfig) -> None:
        self.dataset = dataset
        self.config = config = dataset.augmentation
        for name, editor in self.editors.items():
            editor.set_value(getattr(config, name))
        self.redraw()

    def show_samples(self, result: tuple[Any, Dataset | None, str]) -> None:
        """The dataset preview's result: image datasets show the form with a few of their images."""
        _config, data, _error = result
        images = data is not None and data.x.ndim == 4
        self.setVisible(images)
        self.samples = data.inputs(slice(0, ORIGINALS)) if images and data is not None else None
        self.redraw()

    def _on_edit(self, p: Param, value: Any) -> None:
        try:
            config = AugmentationConfig.model_validate({**self.config.model_dump(), p.name: p.coerce(value)})
        except (ParamError, ValueError) as err:
            self.invalid.emit(f"Augmentation · {p.title}: {str(err).splitlines()[-1]}")
            self.load(self.dataset)
            return
        if config != self.config:
            self.config = config
            self.redraw()
            self.edited.emit(self.dataset.model_copy(update={"augmentation": config}))

    def redraw(self) -> None:
        if self.samples is None:
            self.grid.clear()
            return
        self.draws += 1
        rng = np.random.default_rng(self.draws)
        copies = [augment(self.samples, self.config, rng) for _ in range(COPIES)]
        self.grid.setPixmap(preview_grid(self.samples, copies))
        active = self.config.active
        self.caption.setText(
            "Left: the image; right: what training may see instead."
            if active
            else "Augmentation is off: training sees the images as they are."
        )
        self.again.setEnabled(active)

    def _on_theme(self, t: theme.Theme) -> None:
        self.note.setStyleSheet(f"color: {t.muted};")
        self.caption.setStyleSheet(f"color: {t.muted}; font-size: 9pt;")


def preview_grid(originals: np.ndarray, copies: list[np.ndarray]) -> QPixmap:
    """One row per original: the original, a gap, then its augmented copies, all on the originals' scale."""
    lo, hi = float(originals.min()), float(originals.max())
    columns = 1 + len(copies)
    canvas = QPixmap(columns * CELL + CELL // 4, len(originals) * CELL)
    canvas.fill(Qt.GlobalColor.transparent)
    painter = QPainter(canvas)
    for row, image in enumerate(originals):
        cells = [image, *(c[row] for c in copies)]
        for col, cell in enumerate(cells):
            x = col * CELL + (CELL // 4 if col else 0)
            picture = to_pixmap(cell, CELL - 2, levels=(lo, hi), smooth=True)
            if picture is not None:
                painter.drawPixmap(x + 1, row * CELL + 1, picture)
    painter.end()
    return canvas
