"""The race's settings: which function, which optimizers with their learning rates and other settings, how many
steps. It only reads the widgets into core objects (:class:`Surface`, :class:`Racer`); the page runs the race."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.lab.race import KINDS, Racer
from ...core.lab.surfaces import SURFACES, Surface, custom_surface
from .. import theme

CUSTOM = "custom"
CHECKED = ("gd", "momentum", "rmsprop", "adam", "newton")
# the settings shown beside each optimizer's learning rate: (setting, label, low, high)
EXTRA: dict[str, tuple[tuple[str, str, float, float], ...]] = {
    "momentum": (("momentum", "μ", 0.0, 0.999),),
    "nesterov": (("momentum", "μ", 0.01, 0.999),),
    "rmsprop": (("alpha", "β", 0.0, 0.9999),),
    "adam": (("beta1", "β₁", 0.0, 0.999), ("beta2", "β₂", 0.0, 0.9999)),
    "adamw": (("beta1", "β₁", 0.0, 0.999), ("weight_decay", "λ", 0.0, 10.0)),
}


def _spin(low: float, high: float, value: float, decimals: int = 4) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
    spin.setValue(value)
    spin.setKeyboardTracking(False)  # a value counts when typed in full, not digit by digit
    return spin


class RaceControls(QWidget):
    changed = Signal()  # the function, an optimizer or a setting changed: run the race again

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.function = QComboBox()
        self.function.setObjectName("race_function")
        for surface in SURFACES.values():
            self.function.addItem(surface.title, surface.key)
        self.function.addItem("Your function…", CUSTOM)
        self.formula = QLineEdit("x**2 + 10*y**2 + 3*sin(x)")
        self.formula.setObjectName("race_formula")
        self.formula.setPlaceholderText("a function of x and y, e.g. x**2 + 10*y**2")
        self.formula.setToolTip("numbers, x, y, pi, e, + - * / ** (or ^), sin cos tan exp log sqrt tanh abs")
        self.extent = _spin(0.1, 1000.0, 3.0, 2)
        self.extent.setPrefix("±")
        self.extent.setToolTip("x and y range of your function")
        self.steps = QSpinBox()
        self.steps.setRange(1, 5000)
        self.steps.setValue(300)
        self.steps.setSuffix(" steps")
        self.steps.setKeyboardTracking(False)
        self.note = QLabel()
        self.note.setObjectName("race_note")
        self.note.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("race_error")
        self.error.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.function)
        top.addWidget(self.formula, 1)
        top.addWidget(self.extent)
        top.addWidget(self.steps)

        self.checks: dict[str, QCheckBox] = {}
        self.spins: dict[str, dict[str, QDoubleSpinBox]] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        for row, kind in enumerate(KINDS.values()):
            check = QCheckBox(kind.title)
            check.setObjectName(f"race_use_{kind.key}")
            check.setChecked(kind.key in CHECKED)
            check.setToolTip(kind.help)
            check.toggled.connect(self.changed)
            self.checks[kind.key] = check
            grid.addWidget(check, row, 0)
            lr = _spin(1e-5, 10.0, float(kind.defaults["lr"]), 5)
            lr.setPrefix("α ")
            lr.setToolTip("learning rate α")
            self.spins[kind.key] = {"lr": lr}
            grid.addWidget(lr, row, 1)
            for col, (name, label, low, high) in enumerate(EXTRA.get(kind.key, ()), start=2):
                spin = _spin(low, high, float(kind.defaults[name]))
                spin.setPrefix(f"{label} ")
                self.spins[kind.key][name] = spin
                grid.addWidget(spin, row, col)
            for spin in self.spins[kind.key].values():
                spin.valueChanged.connect(self.changed)
        grid.setColumnStretch(4, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addLayout(grid)

        self.function.currentIndexChanged.connect(self._on_function)
        self.formula.editingFinished.connect(self._on_formula)
        self.extent.valueChanged.connect(self.changed)
        self.steps.valueChanged.connect(self.changed)
        theme.notifier.theme_changed.connect(self._style)
        self._last_formula = self.formula.text()
        self._style()
        self._on_function()

    def _style(self, _theme=None) -> None:
        t = theme.current()
        self.error.setStyleSheet(f"color: {t.error};")
        self.note.setStyleSheet(f"color: {t.muted};")

    def _on_function(self) -> None:
        custom = self.function.currentData() == CUSTOM
        self.formula.setEnabled(custom)
        self.extent.setEnabled(custom)
        if not custom:
            surface = SURFACES[self.function.currentData()]
            self.formula.setText(surface.formula)
            self.use_learning_rates(surface)
        self.changed.emit()

    def _on_formula(self) -> None:
        if self.formula.text() != self._last_formula:
            self._last_formula = self.formula.text()
            self.changed.emit()

    def use_learning_rates(self, surface: Surface) -> None:
        """Set each optimizer's learning rate to the one that suits ``surface`` (without re-running per spin)."""
        for key, lr in surface.lrs.items():
            spin = self.spins[key]["lr"]
            spin.blockSignals(True)
            spin.setValue(lr)
            spin.blockSignals(False)

    def surface(self) -> Surface:
        """The chosen function (ExpressionError, naming the column, for a formula that cannot be read)."""
        key = self.function.currentData()
        if key != CUSTOM:
            return SURFACES[key]
        r = self.extent.value()
        return custom_surface(self.formula.text(), (-r, r), (-r, r))

    def racers(self) -> list[Racer]:
        return [
            Racer(key, {name: spin.value() for name, spin in self.spins[key].items()})
            for key, check in self.checks.items()
            if check.isChecked()
        ]

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
