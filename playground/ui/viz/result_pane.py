"""The lower half of the Visualize workspace: Run and Cancel with a progress bar, a status line, the picture,
and its caption (the numbers behind it) with Save PNG."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from .. import theme
from .image_view import ImageView


class ResultPane(QWidget):
    def __init__(self, hint: str, parent: QWidget | None = None):
        super().__init__(parent)
        rl = QVBoxLayout(self)
        rl.setContentsMargins(8, 4, 8, 6)
        run_row = QHBoxLayout()
        self.run_button = QPushButton("Run")
        self.run_button.setObjectName("viz_run")
        self.run_button.setToolTip("Compute the picture — Ctrl+Return")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("viz_cancel")
        self.cancel_button.setToolTip("Stop the running method — Esc")
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(12)
        run_row.addWidget(self.run_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)
        rl.addLayout(run_row)
        self.status = QLabel()
        self.status.setObjectName("viz_status")
        self.status.setWordWrap(True)
        rl.addWidget(self.status)
        self.view = ImageView(hint)
        rl.addWidget(self.view)
        bottom = QHBoxLayout()
        self.numbers = QLabel()
        self.numbers.setObjectName("viz_numbers")
        self.numbers.setWordWrap(True)
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton("Save PNG…")
        self.save_button.setObjectName("viz_save")
        bottom.addWidget(self.numbers, 1)
        bottom.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)
        rl.addLayout(bottom)
        rl.addStretch(1)
        self._status_error = False
        theme.notifier.theme_changed.connect(self._style_status)

    def set_status(self, text: str, error: bool = False) -> None:
        self._status_error = error
        self.status.setText(text)
        self._style_status()

    def _style_status(self, *_theme) -> None:
        t = theme.current()
        self.status.setStyleSheet(f"color: {t.error if self._status_error else t.muted};")

    def show_steps(self, step: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(step)

    def show_idle(self, can_run: bool, can_cancel: bool, can_save: bool, working: bool) -> None:
        self.run_button.setEnabled(can_run)
        self.cancel_button.setEnabled(can_cancel)
        self.save_button.setEnabled(can_save)
        if not working:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
