"""The Training dock: run buttons and status, backend and device, the dataset with its preview, the
optimization settings, and "Evaluate on test set"."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.config import TrainingConfig
from .. import theme
from ..form_scroll import vertical_scroll_area
from ..steady import ElidedLabel, keep_width
from .augment_form import AugmentationForm
from .dataset_form import DatasetForm
from .settings_form import TrainingSettingsForm

BACKENDS = (("torch", "PyTorch"), ("numpy", "NumPy"))
DEVICE_NAMES = {"cpu": "CPU", "cuda": "CUDA", "mps": "MPS", "auto": "Auto"}
DEVICE_HELP = {
    "cpu": "the processor",
    "cuda": "an NVIDIA GPU",
    "mps": "an Apple GPU (Metal)",
    "auto": "the fastest device present",
}


def present_devices() -> list[str]:
    """CPU, plus CUDA / MPS when present (asked only once torch is loaded, to keep start-up quick)."""
    torch = sys.modules.get("torch")
    if torch is None or not hasattr(torch, "backends"):
        return ["cpu"]
    from ...core.backends.torch.device import available_devices  # deferred: it imports torch

    return available_devices()


class TrainingDock(QWidget):
    backend_chosen = Signal(str)
    device_chosen = Signal(str)

    def __init__(self, actions: dict[str, QAction], parent: QWidget | None = None):
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll, layout = vertical_scroll_area()
        outer.addWidget(scroll)

        buttons = QHBoxLayout()
        self.buttons: dict[str, QToolButton] = {}
        for name in ("train", "pause", "step", "stop", "reset"):
            button = QToolButton()
            button.setDefaultAction(actions[name])
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
            self.buttons[name] = button
        keep_width(self.buttons["train"], ("Train", "Resume"))
        buttons.addStretch(1)
        layout.addLayout(buttons)
        # one line that never wraps and pushes the form down: cut to fit, the whole line in its tooltip
        self.status = ElidedLabel("Ready to train", bold_head=True)
        self.status.setObjectName("training_status")
        layout.addWidget(self.status)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)

        engine = QGroupBox("Backend")
        engine_layout = QHBoxLayout(engine)
        self.backend_group = QButtonGroup(self)
        self.backend_buttons: dict[str, QPushButton] = {}
        for key, title in BACKENDS:
            b = QPushButton(title)
            b.setCheckable(True)
            b.setToolTip(
                {
                    "torch": "Train with PyTorch (torch.fx model compiled from the graph)",
                    "numpy": "Train with the app's own NumPy layers: every forward and backward is "
                    "plain, readable NumPy code",
                }[key]
            )
            self.backend_group.addButton(b)
            self.backend_buttons[key] = b
            engine_layout.addWidget(b)
            b.clicked.connect(lambda _checked=False, key=key: self.backend_chosen.emit(key))
        self.device_combo = QComboBox()
        self.device_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device_combo.setMinimumContentsLength(5)
        self.device_combo.setToolTip("Where PyTorch runs (the NumPy backend always uses the CPU)")
        self.device_combo.activated.connect(lambda i: self.device_chosen.emit(self.device_combo.itemData(i)))
        engine_layout.addWidget(self.device_combo)
        layout.addWidget(engine)

        data_box = QGroupBox("Dataset")
        data_layout = QVBoxLayout(data_box)
        self.dataset_form = DatasetForm()
        data_layout.addWidget(self.dataset_form)
        layout.addWidget(data_box)
        self.augment_form = AugmentationForm()
        layout.addWidget(self.augment_form)

        opt_box = QGroupBox("Optimization")
        opt_layout = QVBoxLayout(opt_box)
        self.form = TrainingSettingsForm()
        opt_layout.addWidget(self.form)
        self.live_note = QLabel(
            "While a run goes on, the learning rate and the optimizer's parameters change at "
            "the next step; the other settings apply to the next run."
        )
        self.live_note.setWordWrap(True)
        opt_layout.addWidget(self.live_note)
        layout.addWidget(opt_box)

        test_box = QGroupBox("Test set")
        test_layout = QVBoxLayout(test_box)
        self.evaluate_button = QPushButton("Evaluate on test set")
        self.evaluate_button.setToolTip(
            "The course: tune on the validation set, and do not evaluate on the test set "
            "until overfitting is no longer an issue."
        )
        self.evaluate_button.clicked.connect(actions["evaluate"].trigger)
        actions["evaluate"].changed.connect(lambda: self.evaluate_button.setEnabled(actions["evaluate"].isEnabled()))
        self.test_result = QLabel("Kept aside: evaluated only when you ask, once you are done tuning.")
        self.test_result.setWordWrap(True)
        test_layout.addWidget(self.evaluate_button)
        test_layout.addWidget(self.test_result)
        layout.addWidget(test_box)
        layout.addStretch(1)
        self._devices: list[str] = []
        self.refresh_devices("cpu")
        theme.notifier.theme_changed.connect(self._on_theme)
        self._on_theme(theme.current())

    def load(self, config: TrainingConfig) -> None:
        self.form.load(config)
        self.backend_buttons[config.backend].setChecked(True)
        self.refresh_devices(config.device)
        self.device_combo.setEnabled(config.backend == "torch")

    def refresh_devices(self, current: str) -> None:
        devices = present_devices()
        wanted = [*devices, *(d for d in ("auto", current) if d not in devices)]
        wanted = list(dict.fromkeys(wanted))
        if wanted != self._devices:
            self.device_combo.clear()
            for d in wanted:
                missing = d not in devices and d != "auto"
                self.device_combo.addItem(DEVICE_NAMES.get(d, d) + (" (absent)" if missing else ""), d)
                self.device_combo.setItemData(
                    self.device_combo.count() - 1, DEVICE_HELP.get(d, d), Qt.ItemDataRole.ToolTipRole
                )
            self._devices = wanted
        self.device_combo.setCurrentIndex(max(0, self.device_combo.findData(current)))

    def show_message(self, text: str, error: bool = True) -> None:
        t = theme.current()
        self.message.setStyleSheet(f"color: {t.error if error else t.muted};")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_theme(self, t: theme.Theme) -> None:
        # the backend in use is unmistakable in both themes: filled with the highlight colour, in bold
        on = (
            f"QPushButton:checked {{ background: {t.highlight}; color: #ffffff; font-weight: bold;"
            f" border: 1px solid {t.highlight}; border-radius: 3px; padding: 4px 8px; }}"
        )
        for button in self.backend_buttons.values():
            button.setStyleSheet(on)
        self.live_note.setStyleSheet(f"color: {t.muted}; font-size: 9pt;")
        self.test_result.setStyleSheet(f"color: {t.muted};")
