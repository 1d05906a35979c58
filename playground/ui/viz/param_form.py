"""A method's parameters as a form, made from the catalogue (:mod:`playground.core.viz.methods`): one widget
per parameter with the catalogue's default, range and help; nothing here has defaults of its own."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QSpinBox, QWidget

from ...core.viz.catalogue import Method, Param
from .jobs import ModelInfo


def make_widget(p: Param) -> QWidget:
    """The widget for ``p``, showing its default. Numbers are shown times ``form_scale``; a parameter that
    may be left to the method (``auto``) shows "auto" at the bottom of its range."""
    if p.kind == "bool":
        box = QCheckBox()
        box.setChecked(bool(p.default))
        return box
    if p.kind == "choice":
        combo = QComboBox()
        for value, title in p.choices:
            combo.addItem(title, value)
        combo.setCurrentIndex(max(0, combo.findData(p.default)))
        return combo
    if p.kind == "int":
        spin = QSpinBox()
        spin.setRange(int(p.minimum), int(p.maximum))
        spin.setSingleStep(int(p.step))
        if p.zero and p.minimum == 0:
            spin.setSpecialValueText(p.zero)
        spin.setValue(int(p.default))
        return spin
    dspin = QDoubleSpinBox()
    dspin.setDecimals(p.decimals)
    low = 0.0 if p.auto else p.minimum * p.form_scale
    dspin.setRange(low, p.maximum * p.form_scale)
    dspin.setSingleStep(p.step)
    if p.auto:
        dspin.setSpecialValueText("auto")
    dspin.setValue(low if p.default is None else p.default * p.form_scale)
    return dspin


def widget_value(p: Param, widget: QWidget) -> Any:
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QSpinBox):
        return widget.value()
    assert isinstance(widget, QDoubleSpinBox)
    if p.auto and widget.value() == widget.minimum():
        return None
    return widget.value() / p.form_scale


class ParamForm(QWidget):
    """The parameters of one method."""

    def __init__(self, method: Method, parent: QWidget | None = None):
        super().__init__(parent)
        self.method = method
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.widgets: dict[str, QWidget] = {}
        for p in method.params:
            widget = make_widget(p)
            widget.setObjectName(f"viz_{method.key}_{p.key}")
            tip = p.help + (f" Auto: {p.auto}." if p.auto else "")
            if tip:
                widget.setToolTip(tip)
            self.widgets[p.key] = widget
            self.form.addRow(p.title, widget)

    def values(self) -> dict[str, Any]:
        return {p.key: widget_value(p, self.widgets[p.key]) for p in self.method.params}

    def show_for(self, info: ModelInfo | None) -> None:
        """Hide what does not apply (image size and octaves for fixed-size networks, NumPy for pretrained
        ones)."""
        any_size = info is not None and info.fixed_size is None
        for p in self.method.params:
            self.form.setRowVisible(self.widgets[p.key], any_size or not p.any_size)
            if p.key == "backend":
                w = self.widgets[p.key]
                w.setEnabled(info is None or info.kind == "graph")
                if info is not None and info.kind != "graph":
                    assert isinstance(w, QComboBox)
                    w.setCurrentIndex(0)
