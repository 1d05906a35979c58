"""Which network and which input the Visualize workspace looks at: the project's own network (with the
training run's weights, or untrained) or a pretrained one; a dataset sample, a bundled photo, or an
image file (opened or dropped on the panel)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from ...core.viz.samples import PHOTOS, bundled_image
from ...core.zoo.registry import ZOO
from .. import theme
from .image_view import sample_to_rgb, to_qimage
from .jobs import InputChoice, ModelChoice, ModelInfo

THUMB = 64
MODELS = (
    ("run", "This network — training run's weights"),
    ("untrained", "This network — untrained"),
    *(
        (f"zoo:{name}", f"{e.title} (ImageNet" + (f", {e.size_mb} MB download)" if e.url else ")"))
        for name, e in ZOO.items()
    ),
)
INPUTS = (("sample", "Dataset sample"), ("photo", "Bundled photo"), ("image", "Image file"))


class SourcePicker(QWidget):
    model_changed = Signal()
    input_changed = Signal()
    open_image_requested = Signal()
    weights_file_requested = Signal()
    download_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("viz_model")
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.setMinimumContentsLength(16)
        for key, title in MODELS:
            self.model_combo.addItem(title, key)
        form.addRow("Network", self.model_combo)
        zoo_row = QHBoxLayout()
        self.weights_button = QPushButton("Weights file…")
        self.weights_button.setToolTip("Use a weights file you already have (e.g. vgg16-397923af.pth)")
        self.download_button = QPushButton("Download")
        self.download_button.setToolTip("Download the pretrained weights once into Playground's cache")
        zoo_row.addWidget(self.weights_button)
        zoo_row.addWidget(self.download_button)
        zoo_row.addStretch(1)
        self.zoo_row = QWidget()
        self.zoo_row.setLayout(zoo_row)
        zoo_row.setContentsMargins(0, 0, 0, 0)
        form.addRow("", self.zoo_row)
        self.note = QLabel()
        self.note.setObjectName("viz_model_note")
        self.note.setWordWrap(True)
        form.addRow(self.note)

        self.input_combo = QComboBox()
        self.input_combo.setObjectName("viz_input")
        for key, title in INPUTS:
            self.input_combo.addItem(title, key)
        form.addRow("Input", self.input_combo)
        self.input_pages = QStackedWidget()
        self.sample_spin = QSpinBox()
        self.sample_spin.setObjectName("viz_sample")
        self.sample_spin.setPrefix("test sample ")
        self.photo_combo = QComboBox()
        self.photo_combo.setObjectName("viz_photo")
        for name in PHOTOS:
            self.photo_combo.addItem(name.capitalize(), name)
        file_page = QWidget()
        file_row = QHBoxLayout(file_page)
        file_row.setContentsMargins(0, 0, 0, 0)
        self.open_button = QPushButton("Open…")
        self.open_button.setToolTip("An image file (PNG, JPEG…); you can also drop one on this panel")
        self.file_label = QLabel("no file yet — or drop one here")
        file_row.addWidget(self.open_button)
        file_row.addWidget(self.file_label, 1)
        for page in (self.sample_spin, self.photo_combo, file_page):
            self.input_pages.addWidget(page)
        input_row = QHBoxLayout()
        input_row.setContentsMargins(0, 0, 0, 0)
        self.input_pages.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        input_row.addWidget(self.input_pages, 1, Qt.AlignmentFlag.AlignVCenter)
        self.thumb = QLabel()
        self.thumb.setFixedSize(THUMB, THUMB)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        input_row.addWidget(self.thumb)
        holder = QWidget()
        holder.setLayout(input_row)
        form.addRow("", holder)
        self.sample_caption = QLabel()
        form.addRow("", self.sample_caption)
        self.form = form

        self.info: ModelInfo | None = None
        self.weights_files: dict[str, str] = {}
        self.file_image: np.ndarray | None = None
        self.file_name = ""
        self._picked_input = False  # the user chose an input kind: keep it when the network changes
        self.model_combo.currentIndexChanged.connect(self._on_model)
        self.input_combo.currentIndexChanged.connect(self._on_input)
        self.sample_spin.valueChanged.connect(self._on_input)
        self.photo_combo.currentIndexChanged.connect(self._on_input)
        self.open_button.clicked.connect(self.open_image_requested)
        self.weights_button.clicked.connect(self.weights_file_requested)
        self.download_button.clicked.connect(self.download_requested)
        theme.notifier.theme_changed.connect(self._on_theme)
        self._on_theme(theme.current())
        self._show_zoo_row()
        self._on_input()

    # ------------------------------------------------------------------ choices
    def model_choice(self, download: bool = False) -> ModelChoice:
        key = self.model_combo.currentData()
        if key.startswith("zoo:"):
            name = key[4:]
            return ModelChoice("zoo", name, self.weights_files.get(name), download)
        return ModelChoice(key)

    def set_model_key(self, key: str) -> None:
        self.model_combo.setCurrentIndex(self.model_combo.findData(key))

    def input_choice(self) -> InputChoice:
        kind = self.input_combo.currentData()
        if kind == "sample":
            return InputChoice("sample", self.sample_spin.value())
        if kind == "photo":
            return InputChoice("photo", name=self.photo_combo.currentData())
        return InputChoice("image", name=self.file_name, image=self.file_image)

    def set_input_kind(self, kind: str) -> None:
        self.input_combo.setCurrentIndex(self.input_combo.findData(kind))

    def set_image(self, name: str, image: np.ndarray) -> None:
        """An image file opened or dropped: it becomes the input."""
        self.file_image, self.file_name = image, name
        self.file_label.setText(name)
        self.file_label.setToolTip(name)
        if self.input_combo.currentData() != "image":
            self.set_input_kind("image")  # emits input_changed
        else:
            self._on_input()

    def set_weights_file(self, path: str) -> None:
        choice = self.model_choice()
        if choice.zoo is not None:
            self.weights_files[choice.zoo] = path

    # ------------------------------------------------------------------ the model's facts
    def set_model(self, info: ModelInfo | None) -> None:
        self.info = info
        samples = info.samples if info is not None and info.kind == "graph" else None
        can_sample = samples is not None and len(samples) > 0
        item = self.input_combo.model().item(0)
        item.setEnabled(can_sample)
        item.setToolTip(
            ""
            if can_sample
            else "Test samples come from the project's image dataset: this network has "
            "none to offer. Pick a photo, an image file, or drop an image here."
        )
        if can_sample:
            self.sample_spin.setRange(0, len(samples) - 1)
        if self.input_combo.currentData() == "sample" and not can_sample and info is not None:
            self.set_input_kind("photo")
        elif (
            can_sample
            and info is not None
            and self.input_combo.currentData() == "photo"
            and info.kind == "graph"
            and not self._picked_input
        ):
            self.set_input_kind("sample")
        self.set_note(info.note if info is not None else "")
        self._on_input()

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    # ------------------------------------------------------------------ reactions
    def _show_zoo_row(self) -> None:
        choice = self.model_choice()
        entry = ZOO.get(choice.zoo or "")
        self.zoo_row.setVisible(entry is not None and entry.url is not None)

    def _on_model(self, _index: int) -> None:
        self._show_zoo_row()
        self.model_changed.emit()

    def _on_input(self, *_args) -> None:
        kind = self.input_combo.currentData()
        self.input_pages.setCurrentIndex([k for k, _ in INPUTS].index(kind))
        if self.sender() is self.input_combo:
            self._picked_input = True
        rgb, caption = None, ""
        if kind == "sample" and self.info is not None and self.info.samples is not None and len(self.info.samples):
            i = self.sample_spin.value()
            rgb = sample_to_rgb(self.info.samples[i])
            label = self.info.sample_labels[i] if i < len(self.info.sample_labels) else ""
            caption = f"labelled “{label}” · {len(self.info.samples)} test samples" if label else ""
        elif kind == "photo":
            rgb = bundled_image(self.photo_combo.currentData())
        elif kind == "image":
            rgb = self.file_image
        self.sample_caption.setText(caption)
        self.sample_caption.setVisible(bool(caption))
        if rgb is None:
            self.thumb.clear()
        else:
            self.thumb.setPixmap(
                QPixmap.fromImage(to_qimage(rgb)).scaled(
                    THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )
        self.input_changed.emit()

    def _on_theme(self, t: theme.Theme) -> None:
        self.note.setStyleSheet(f"color: {t.muted};")
        self.sample_caption.setStyleSheet(f"color: {t.muted};")
        self.file_label.setStyleSheet(f"color: {t.muted};")
