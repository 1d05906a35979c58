"""Dataset picker: which dataset (grouped as the registry groups them), its options, the validation / test split,
and a preview of the data (dataset_preview.py). The preview loads on a background thread; a table with missing
values comes back as one question (drop those rows or impute them), answered in the dataset's options."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from ...core.config import DatasetConfig
from ...core.data import DATASETS, NO_DATASET, Dataset
from ...core.data.table_dataset import MissingValuesError
from ...core.layers import Param, ParamError
from .. import theme
from ..panels.param_editors import ParamEditor, editor_for
from .dataset_preview import DatasetPreview

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
# The order of the picker's groups; a group not listed here (a new one) comes after them.
GROUP_ORDER = ("Built-in", "Classic", "Image folder", "Table", "Text")


def grouped_datasets() -> list[tuple[str, list[str]]]:
    """(group, dataset names) in the picker's order, from each registry entry's group."""
    groups: dict[str, list[str]] = {}
    for info in DATASETS.values():
        groups.setdefault(info.group, []).append(info.name)
    rank = {g: i for i, g in enumerate(GROUP_ORDER)}
    return sorted(groups.items(), key=lambda item: rank.get(item[0], len(rank)))


def describe(data: Dataset) -> str:
    kind = {
        "classification": f"{data.num_classes} classes",
        "regression": "regression",
        "segmentation": f"segmentation, {data.num_classes} classes",
    }[data.task]
    shape = data.sample_shape
    if len(shape) == 1 and data.task == "classification" and data.y.ndim == 2:  # a class per time step
        what, kind = f"{len(data):,} sequences · {shape[0]} steps", f"{data.num_classes} classes at each step"
    elif len(shape) == 1:
        what = f"{len(data):,} {'points' if shape == (2,) else 'samples'} · {shape[0]} inputs"
    elif len(shape) == 2:
        what = f"{len(data):,} sequences · {shape[0]}×{shape[1]} (time × features)"
    else:
        what = f"{len(data):,} images · {'×'.join(str(s) for s in shape)}"
    return f"{what} · {kind}" + (f"\n{data.description}" if data.description else "")


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
        self._fill_combo()
        self.combo.activated.connect(self._on_dataset)
        layout.addWidget(self.combo)
        self.help = QLabel()
        self.help.setWordWrap(True)
        layout.addWidget(self.help)
        self.options = QWidget()
        self.options_form = QFormLayout(self.options)
        self.options_form.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.options)
        self.preview = DatasetPreview()
        self.summary = QLabel()  # what was loaded (and what was skipped), above its preview
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview)
        self.config = DatasetConfig()
        self.editors: dict[str, ParamEditor] = {}
        self._loading = False
        self._wanted: DatasetConfig | None = None
        self.preview_loads = 0
        self.question: QMessageBox | None = None  # the missing-values question while it is open
        theme.notifier.theme_changed.connect(self._on_theme)
        self._on_theme(theme.current())

    def _fill_combo(self) -> None:
        """A bold, unselectable header per group, its datasets indented below it."""
        model = self.combo.model()
        assert isinstance(model, QStandardItemModel)
        bold = QFont(self.combo.font())
        bold.setBold(True)
        for group, names in grouped_datasets():
            self.combo.addItem(group)
            header = model.item(self.combo.count() - 1)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            header.setFont(bold)
            for name in names:
                info = DATASETS[name]
                self.combo.addItem("   " + info.title, info.name)
                self.combo.setItemData(self.combo.count() - 1, info.help, Qt.ItemDataRole.ToolTipRole)

    # ------------------------------------------------------------------ showing a config
    def load(self, config: DatasetConfig) -> None:
        rebuild = config.name != self.config.name or not self.editors
        # the same data (only the augmentation differs, or nothing): the preview stays as it is
        same_data = not rebuild and config.model_copy(update={"augmentation": self.config.augmentation}) == self.config
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
        if not same_data:
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
            self._show_summary("")
            self.preview.setVisible(False)
            return
        self._wanted = config
        if self._loading:
            return  # the running load starts the next one when it finishes
        self._start_preview(config)

    def _start_preview(self, config: DatasetConfig) -> None:
        self._show_summary("")
        info = DATASETS.get(config.name)
        self.preview.setVisible(True)
        self.preview.show_loading(info.title if info else config.name)  # not the last dataset's plots, nor empty ones
        self._loading = True
        self.preview_requested.emit(config)

    def _show_summary(self, text: str, failed: bool = False) -> None:
        """What was loaded; or, in the error colour, why nothing could be."""
        self.summary.setText(text)
        self.summary.setProperty("failed", failed)
        self._on_theme(theme.current())

    def show_preview(self, result: tuple[DatasetConfig, Dataset | None, Exception | str]) -> None:
        config, data, error = result
        self._loading = False
        self.preview_loads += 1
        if self._wanted is not None and self._wanted != config:
            self._start_preview(self._wanted)  # settings changed while loading
            return
        if data is None:
            self._show_summary(str(error), failed=True)
            self.preview.setVisible(False)
            if isinstance(error, MissingValuesError) and self.question is None:
                self.ask_missing_values(config, error)
            return
        self.preview.setVisible(True)
        self._show_summary(describe(data))
        self.preview.show_data(data, config.val_fraction, config.test_fraction)

    def ask_missing_values(self, config: DatasetConfig, error: MissingValuesError) -> None:
        """One question: drop the incomplete rows or impute them; the answer becomes the 'missing' option."""
        box = QMessageBox(
            QMessageBox.Icon.Question, "Missing values", str(error).split(". Choose")[0] + ".", parent=self
        )
        box.setInformativeText(
            f"Drop rows keeps the {error.rows_kept} complete rows of {error.rows}. Impute fills a missing number "
            "with the training split's mean and gives a missing category its own value."
        )
        answers = {
            box.addButton("Drop rows", QMessageBox.ButtonRole.AcceptRole): "drop rows",
            box.addButton("Impute", QMessageBox.ButtonRole.AcceptRole): "impute",
        }
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self._answer(config, answers.get(button)))
        self.question = box
        box.open()

    def _answer(self, config: DatasetConfig, missing: str | None) -> None:
        self.question = None
        if missing is not None:
            self._emit({**config.model_dump(), "params": {**config.params, "missing": missing}})

    def _on_theme(self, t: theme.Theme) -> None:
        self.help.setStyleSheet(f"color: {t.muted};")
        self.summary.setStyleSheet(f"color: {t.error if self.summary.property('failed') else t.muted};")
