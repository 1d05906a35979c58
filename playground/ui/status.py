"""The status bar: whether the network is valid, its total parameter count, the memory training it needs (red
when more than the machine has free), the zoom, and passing messages (why an edit was refused, what was
saved)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar

from ..core.memory import USABLE_FRACTION, available_memory, estimate_memory, human_bytes
from ..core.shapes import ShapeReport
from . import theme
from .document import Document

MESSAGE_MS = 10_000


class StatusBar(QStatusBar):
    def __init__(self, document: Document, parent=None):
        super().__init__(parent)
        self.setObjectName("status_bar")
        self.validity = QLabel()
        self.validity.setObjectName("validity")
        self.params = QLabel()
        self.params.setObjectName("param_count")
        self.memory = QLabel()
        self.memory.setObjectName("memory_estimate")
        self.zoom = QLabel("100 %")
        for label in (self.validity, self.params, self.memory, self.zoom):
            label.setContentsMargins(8, 0, 8, 0)
            self.addPermanentWidget(label)
        document.report_changed.connect(self.show_report)
        self.document = document
        document.message.connect(self.show_text)
        theme.notifier.theme_changed.connect(self._on_theme_changed)
        self.show_report(document.report)

    def show_report(self, report: ShapeReport) -> None:
        t = theme.current()
        errors = len(report.errors)
        warnings = len(report.problems) - errors
        if not report.nodes:
            text, color = "Empty network", t.muted
        elif errors == 1 and report.errors[0].code == "data":
            text, color = "✖ Does not fit the dataset", t.error
        elif errors:
            text, color = f"✖ {errors} problem{'s' if errors != 1 else ''}", t.error
        elif warnings:
            text, color = f"⚠ Valid, {warnings} warning{'s' if warnings != 1 else ''}", t.warning
        else:
            text, color = "✔ Valid network", t.ok
        self.validity.setText(text)
        self.validity.setStyleSheet(f"color: {color}; font-weight: bold;")
        first = report.errors[0].message if errors else ""
        if warnings and not first:
            first = "\n".join(p.message for p in report.problems if p.severity == "warning")
        self.validity.setToolTip(
            first or "Shapes check out from Input to Output, and the dataset fits: Train can start."
        )
        self.params.setText(f"{report.total_params:,} parameters")
        self._show_memory(report)

    def _show_memory(self, report: ShapeReport) -> None:
        estimate = estimate_memory(self.document.project, report)
        available = available_memory()
        self.memory.setText(f"{human_bytes(estimate.total)} to train")
        too_much = available is not None and estimate.total > available * USABLE_FRACTION
        self.memory.setStyleSheet(f"color: {theme.current().error};" if too_much else "")
        free = f"; {human_bytes(available)} free" if available is not None else ""
        advice = f"\nTo fit, {estimate.advice()}." if too_much else ""
        self.memory.setToolTip(f"Memory to train: {estimate.summary()}{free}.{advice}")

    def show_text(self, text: str) -> None:
        self.showMessage(text, MESSAGE_MS)

    def _on_theme_changed(self, _theme) -> None:
        self.show_report(self.document.report)

    def show_zoom(self, zoom: float) -> None:
        self.zoom.setText(f"{zoom * 100:.0f} %")
