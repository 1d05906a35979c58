"""The method picker and its form: layer, unit and class chosen from lists the loaded network fills, and
each method's parameters as widgets with their defaults and ranges."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.viz.catalogue import Method
from ...core.viz.methods import METHODS, STYLE_DEFAULT, find_method
from ...core.viz.samples import STYLES
from .. import theme
from .jobs import ModelInfo
from .param_form import ParamForm

PREDICTED = "Predicted class"
WHOLE = {"optional": "Whole layer", "none": ""}
STYLE_FILE = "Image file…"


def _layer_text(info: ModelInfo, name: str) -> str:
    layer = info.layer(name)
    if layer is None:
        return name
    shape = "×".join(str(s) for s in layer.shape)
    return f"{name}  ({layer.type}, {shape})"


class MethodControls(QWidget):
    changed = Signal()  # the method, layer, unit or class changed
    style_file_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        self.method_combo = QComboBox()
        self.method_combo.setObjectName("viz_method")
        for m in METHODS:
            self.method_combo.addItem(m.title, m.key)
        self.help = QLabel()
        self.help.setWordWrap(True)
        self.layer_combo = QComboBox()
        self.layer_combo.setObjectName("viz_layer")
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.layer_combo.setMinimumContentsLength(12)
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("viz_unit")
        self.class_combo = QComboBox()
        self.class_combo.setObjectName("viz_class")
        self.class_combo.setEditable(True)
        self.class_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.class_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.class_combo.setMinimumContentsLength(12)
        completer = QCompleter(self.class_combo.model(), self.class_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.class_combo.setCompleter(completer)
        self.class_combo.setToolTip("Type part of a name to search the list")
        self.class_combo.lineEdit().editingFinished.connect(self._snap_class_text)
        self.style_combo = QComboBox()
        self.style_combo.setObjectName("viz_style")
        for name in STYLES:
            self.style_combo.addItem(name.capitalize(), name)
        self.style_combo.addItem(STYLE_FILE, None)
        self.style_combo.setCurrentIndex(self.style_combo.findData(STYLE_DEFAULT))
        self.style_combo.activated.connect(self._on_style)
        self.form.addRow("Method", self.method_combo)
        self.form.addRow(self.help)
        self.form.addRow("Layer", self.layer_combo)
        self.form.addRow("Unit", self.unit_combo)
        self.form.addRow("Class", self.class_combo)
        self.form.addRow("Style image", self.style_combo)
        self.pages = QStackedWidget()
        self.param_forms: dict[str, ParamForm] = {}
        for m in METHODS:
            page = ParamForm(m)
            self.param_forms[m.key] = page
            self.pages.addWidget(page)
        layout.addWidget(self.pages)
        self.info: ModelInfo | None = None
        self._picked_layer: str | None = None  # a layer the user chose: other methods keep it when they can
        self._picked_unit: int | None = None  # likewise a unit (not the first one a method must have)
        self._styles: dict[str, np.ndarray] = {}
        self.method_combo.currentIndexChanged.connect(self._on_method)
        self.layer_combo.currentIndexChanged.connect(self._on_layer)
        self.layer_combo.activated.connect(lambda i: setattr(self, "_picked_layer", self.layer_combo.itemData(i)))
        self.unit_combo.activated.connect(lambda i: setattr(self, "_picked_unit", self.unit_combo.itemData(i)))
        self.unit_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.class_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        theme.notifier.theme_changed.connect(self._on_theme)
        self._on_theme(theme.current())
        self._on_method()

    # ------------------------------------------------------------------ state
    @property
    def method(self) -> Method:
        return find_method(self.method_combo.currentData())

    def set_method(self, key: str) -> None:
        self.method_combo.setCurrentIndex(self.method_combo.findData(key))

    def pick(self, combo: QComboBox, data: object) -> None:
        """Choose the entry holding ``data`` as a user would (the layer is then kept across methods)."""
        index = combo.findData(data)
        if index < 0:
            raise ValueError(f"{data!r} is not in the list")
        combo.setCurrentIndex(index)
        combo.activated.emit(index)

    def layer(self) -> str | None:
        return self.layer_combo.currentData() if self.method.layers else None

    def channel(self) -> int | None:
        return self.unit_combo.currentData() if self.method.unit != "none" else None

    def target(self) -> int | None:
        return self.class_combo.currentData() if self.method.target else None

    def params(self) -> dict[str, Any]:
        return self.param_forms[self.method.key].values()

    def style(self) -> str | np.ndarray | None:
        """The style image: a bundled one's name, or an image opened from a file."""
        if not self.method.style:
            return None
        key = self.style_combo.currentData()
        return self._styles.get(key[5:], key) if isinstance(key, str) and key.startswith("file:") else key

    def set_style_image(self, name: str, image: np.ndarray) -> None:
        self._styles[name] = image
        key = f"file:{name}"
        if self.style_combo.findData(key) < 0:
            self.style_combo.insertItem(self.style_combo.count() - 1, name, key)
        self.style_combo.setCurrentIndex(self.style_combo.findData(key))

    # ------------------------------------------------------------------ the model's lists
    def set_model(self, info: ModelInfo | None) -> None:
        """Fill the lists from a freshly loaded network (keeping the picks it still has)."""
        self.info = info
        self._picked_layer = self._picked_unit = None
        old_class = self.class_combo.currentData()
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        self.class_combo.addItem(PREDICTED, None)
        for i, name in enumerate(info.class_names if info else []):
            self.class_combo.addItem(name, i)
        index = self.class_combo.findData(old_class) if old_class is not None else 0
        self.class_combo.setCurrentIndex(max(0, index))
        self.class_combo.blockSignals(False)
        self._fill_layers()
        for form in self.param_forms.values():
            form.show_for(info)

    def _layer_names(self) -> list[str]:
        info, m = self.info, self.method
        if info is None or m.layers is None:
            return []
        if m.layers == "conv":
            return info.conv_layers
        if m.layers == "spatial":
            return info.spatial_layers
        return [layer.name for layer in info.layers if layer.channels > 0 and layer.type != "Output"]

    def _default_layer(self) -> str | None:
        return self.info.method_layers.get(self.method.key) if self.info is not None else None

    def _fill_layers(self, keep: str | None = None) -> None:
        info = self.info
        self.layer_combo.blockSignals(True)
        self.layer_combo.clear()
        names = self._layer_names()
        for name in names:
            self.layer_combo.addItem(_layer_text(info, name) if info else name, name)
        wanted = keep if keep in names else self._default_layer()
        self.layer_combo.setCurrentIndex(max(0, self.layer_combo.findData(wanted)))
        self.layer_combo.blockSignals(False)
        self._fill_units()

    def _fill_units(self) -> None:
        info, m = self.info, self.method
        old = self._picked_unit
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        layer = info.layer(self.layer_combo.currentData() or "") if info else None
        if m.unit == "optional":
            self.unit_combo.addItem("— (the class)" if m.target else WHOLE["optional"], None)
        if layer is not None and m.unit != "none":
            for c in range(layer.channels):
                self.unit_combo.addItem(f"unit {c}" if layer.spatial is False else f"channel {c}", c)
        index = self.unit_combo.findData(old) if old is not None else 0
        self.unit_combo.setCurrentIndex(max(0, index))
        self.unit_combo.blockSignals(False)

    # ------------------------------------------------------------------ reactions
    def _on_method(self, _index: int = 0) -> None:
        m = self.method
        self.help.setText(m.help)
        self.form.setRowVisible(self.layer_combo, m.layers is not None)
        self.form.labelForField(self.layer_combo).setText(m.layer_title)
        self.form.setRowVisible(self.unit_combo, m.unit != "none")
        self.form.setRowVisible(self.class_combo, m.target is not None)
        if m.target:
            self.form.labelForField(self.class_combo).setText(m.target)
        self.form.setRowVisible(self.style_combo, m.style)
        self.pages.setCurrentWidget(self.param_forms[m.key])
        self.pages.setVisible(bool(m.params))
        self._fill_layers(self._picked_layer if m.layer_default == "default" else None)
        self.changed.emit()

    def _on_layer(self, _index: int) -> None:
        self._fill_units()
        self.changed.emit()

    def _on_style(self, index: int) -> None:
        if self.style_combo.itemData(index) is None:
            self.style_combo.setCurrentIndex(0)
            self.style_file_requested.emit()

    def _snap_class_text(self) -> None:
        """Typed text that names no class goes back to the current pick: a class is always one of the list."""
        i = self.class_combo.findText(self.class_combo.currentText(), Qt.MatchFlag.MatchFixedString)
        if i >= 0:
            self.class_combo.setCurrentIndex(i)
        else:
            self.class_combo.setEditText(self.class_combo.itemText(self.class_combo.currentIndex()))

    def _on_theme(self, t: theme.Theme) -> None:
        self.help.setStyleSheet(f"color: {t.muted};")
