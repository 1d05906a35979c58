"""One editor widget per parameter kind, generated from a :class:`~playground.core.layers.Param`.

int → spin box with the parameter's range; float → a line edit that reads values like ``1e-5`` (a spin box
cannot show them); bool → check box; choice → combo box; ints → an editable combo box: type ``1, 28, 28`` or
pick a common sample shape; padding → an editable combo box offering 'same', 'valid' or a number; str → a line
edit; file and folder → a line edit with a "Choose…" button opening the system's file or folder picker.

An editor emits ``committed(value)`` when the user finishes an edit (Enter, focus out, a click), or
``invalid(message)`` when the text cannot be read. Range checks are the core's (``Param.coerce``); the
inspector turns a commit into an undoable command and shows the core's refusal if there is one.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ...core.layers import Param

INT_LIMIT = 2**31 - 1


def choice_help(param: Param, value: Any) -> str:
    """The part of a choice's help that explains ``value`` (help texts list them as ``value: meaning; …``)."""
    text = param.help
    match = re.search(r"(?:^|(?<=; )|(?<=: ))" + re.escape(str(value)) + ": ", text)
    if match is None:
        return text
    start = match.start()
    ends = [text.find(f"; {c}: ", start) for c in param.choices]
    end = min((e for e in ends if e > start), default=len(text))
    segment = text[start:end]
    prefix = text.split(":", 1)[0] if ":" in text[:start] else ""
    return f"{prefix} — {segment}" if prefix and prefix != value else segment


def format_float(value: float) -> str:
    return f"{value:.6g}"


def parse_ints(text: str) -> list[int]:
    parts = [p for p in re.split(r"[\s,×x*]+", text.strip()) if p]
    if not parts:
        raise ValueError("enter whole numbers separated by commas, e.g. 1, 28, 28")
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise ValueError(f"'{text}' is not a list of whole numbers (e.g. 1, 28, 28)") from None


class ParamEditor(QWidget):
    committed = Signal(object)
    invalid = Signal(str)

    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(parent)
        self.param = param
        self.value: Any = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setToolTip(param.help)

    def set_value(self, value: Any) -> None:
        self.value = value
        self._show(value)

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _commit(self, value: Any) -> None:
        if value != self.value:
            self.committed.emit(value)


class IntEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.spin = QSpinBox()
        self.spin.setRange(
            int(param.minimum) if param.minimum is not None else -INT_LIMIT,
            int(param.maximum) if param.maximum is not None else INT_LIMIT,
        )
        self.spin.setKeyboardTracking(False)  # commit on Enter / focus out / arrows, not on each digit
        self.spin.setAccelerated(True)
        self.spin.valueChanged.connect(self._commit)
        self.layout().addWidget(self.spin)

    def _show(self, value: Any) -> None:
        self.spin.blockSignals(True)
        self.spin.setValue(int(value))
        self.spin.blockSignals(False)


class FloatEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.edit = QLineEdit()
        lo = "" if param.minimum is None else f"from {format_float(param.minimum)}"
        hi = "" if param.maximum is None else f"to {format_float(param.maximum)}"
        self.edit.setPlaceholderText(" ".join(x for x in (lo, hi) if x) or "a number, e.g. 1e-5")
        self.edit.editingFinished.connect(self._read)
        self.layout().addWidget(self.edit)

    def _show(self, value: Any) -> None:
        self.edit.setText(format_float(float(value)))

    def _read(self) -> None:
        text = self.edit.text().strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            self.invalid.emit(f"{self.param.title}: '{text}' is not a number (write e.g. 0.5 or 1e-5).")
            self._show(self.value)
            return
        if format_float(value) != format_float(float(self.value)):
            self._commit(value)


class BoolEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.box = QCheckBox()
        self.box.toggled.connect(self._commit)
        self.layout().addWidget(self.box)

    def _show(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(bool(value))
        self.box.blockSignals(False)


class ChoiceEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.combo = QComboBox()
        for choice in param.choices:
            self.combo.addItem(str(choice), choice)
            self.combo.setItemData(self.combo.count() - 1, choice_help(param, choice), Qt.ItemDataRole.ToolTipRole)
        self.combo.activated.connect(lambda i: self._commit(self.combo.itemData(i)))
        self.layout().addWidget(self.combo)

    def _show(self, value: Any) -> None:
        self.combo.setCurrentIndex(max(0, self.combo.findData(value)))


# Offered in the list so that a sample shape can be picked with the mouse: the bundled datasets' shapes.
COMMON_SHAPES = ("2", "1, 8, 8", "1, 16, 16", "1, 28, 28", "1, 32, 32", "3, 32, 32")


class IntsEditor(ParamEditor):
    """A list of whole numbers typed as ``1, 28, 28``, or picked from common sample shapes."""

    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if param.name == "shape":
            self.combo.addItems(COMMON_SHAPES)
        self.edit = self.combo.lineEdit()
        self.edit.setValidator(QRegularExpressionValidator(r"[-0-9 ,×x*]*"))
        self.edit.setPlaceholderText("e.g. 1, 28, 28")
        self.edit.editingFinished.connect(self._read)
        self.combo.textActivated.connect(lambda _text: self._read())
        self.layout().addWidget(self.combo)

    def _show(self, value: Any) -> None:
        self.combo.blockSignals(True)
        self.edit.setText(", ".join(str(v) for v in value))
        self.combo.blockSignals(False)

    def _read(self) -> None:
        try:
            value = parse_ints(self.edit.text())
        except ValueError as err:
            self.invalid.emit(f"{self.param.title}: {err}")
            self._show(self.value)
            return
        self._commit(value)


class PaddingEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItems(["same", "valid", "0", "1", "2", "3"])
        self.combo.lineEdit().editingFinished.connect(lambda: self._read(self.combo.currentText()))
        self.combo.textActivated.connect(self._read)
        self.layout().addWidget(self.combo)

    def _show(self, value: Any) -> None:
        self.combo.blockSignals(True)
        self.combo.setEditText(str(value))
        self.combo.blockSignals(False)

    def _read(self, text: str) -> None:
        text = text.strip().lower()
        if text in ("same", "valid"):
            value: Any = text
        else:
            try:
                value = int(text)
            except ValueError:
                self.invalid.emit(f"{self.param.title}: write 'same', 'valid' or a whole number, not '{text}'.")
                self._show(self.value)
                return
        self._commit(value)


class StrEditor(ParamEditor):
    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.edit = QLineEdit()
        self.edit.editingFinished.connect(lambda: self._commit(self.edit.text()))
        self.layout().addWidget(self.edit)

    def _show(self, value: Any) -> None:
        self.edit.setText(str(value))


class PathEditor(StrEditor):
    """A path typed in, or chosen with the system's picker (a file for kind "file", a folder for "folder")."""

    def __init__(self, param: Param, parent: QWidget | None = None):
        super().__init__(param, parent)
        self.edit.setPlaceholderText("no file chosen" if param.kind == "file" else "no folder chosen")
        self.choose = QPushButton("Choose…")
        self.choose.setToolTip(f"Pick the {param.kind} with the system's dialog")
        self.choose.clicked.connect(self._pick)
        self.layout().addWidget(self.choose)

    def _pick(self) -> None:
        start = self.edit.text().strip()
        if self.param.kind == "folder":
            path = QFileDialog.getExistingDirectory(self, self.param.title, start)
        else:
            patterns = " ".join(self.param.patterns) or "*"
            path, _ = QFileDialog.getOpenFileName(self, self.param.title, start, f"{self.param.title} ({patterns})")
        if path:
            self.edit.setText(path)
            self._commit(path)


EDITORS: dict[str, type[ParamEditor]] = {
    "int": IntEditor,
    "float": FloatEditor,
    "bool": BoolEditor,
    "choice": ChoiceEditor,
    "ints": IntsEditor,
    "padding": PaddingEditor,
    "str": StrEditor,
    "file": PathEditor,
    "folder": PathEditor,
}


def editor_for(param: Param, parent: QWidget | None = None) -> ParamEditor:
    return EDITORS[param.kind](param, parent)
