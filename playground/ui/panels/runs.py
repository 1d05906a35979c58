"""Run history: every run's settings and results, kept between sessions. Tick runs to overlay their curves
on the current one, export a run as CSV, or bring its settings back."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ...core.training.runs import RunRecord, RunStore, RunStoreError, export_csv, newest_first
from ..training.plotting import Panel, tool_button

COLUMNS = ("Compare", "Run", "Started", "Backend", "Status", "Epochs", "Train loss", "Val loss", "Val acc", "Test acc")


def _num(v: float | None, percent: bool = False) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return f"{100 * v:.1f} %" if percent else f"{v:.4g}"


class RunsPanel(Panel):
    overlays_changed = Signal(list)  # [RunRecord] with their histories
    use_settings = Signal(dict)  # the training settings of a run
    message = Signal(str)

    def __init__(self, store: RunStore, parent: QWidget | None = None):
        super().__init__(
            "No runs yet. Every run you train is kept here (settings, curves, diagnoses), so you can "
            "compare runs by overlaying their curves.",
            parent,
        )
        self.store = store
        bar = QHBoxLayout()
        self.project_only = QCheckBox("This project")
        self.project_only.setToolTip("Show only the runs of the open project")
        self.project_only.setChecked(True)
        self.project_only.toggled.connect(self.refresh)
        self.delete_button = tool_button("Delete")
        self.csv_button = tool_button("CSV…")
        self.settings_button = tool_button("Use settings")
        self.settings_button.setToolTip("Copy the selected run's training settings into the project")
        bar.addWidget(self.project_only)
        bar.addStretch(1)
        for b in (self.settings_button, self.csv_button, self.delete_button):
            bar.addWidget(b)
        self.content_layout.addLayout(bar)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # every column as wide as its contents (a run's name is never cut); a narrow panel scrolls instead
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.content_layout.addWidget(self.table, 1)
        self.delete_button.clicked.connect(self._delete)
        self.csv_button.clicked.connect(self._ask_csv)
        self.settings_button.clicked.connect(self._use_settings)
        self.project = ""
        self.records: list[RunRecord] = []
        self.compared: dict[str, RunRecord] = {}  # id → record with its history loaded
        self._update_buttons()
        self.refresh()

    def set_project(self, name: str) -> None:
        self.project = name
        self.compared = {}
        self.overlays_changed.emit([])
        self.refresh()

    def refresh(self) -> None:
        self.records = self.store.list(self.project if self.project_only.isChecked() else None)
        self.changed()

    def saved(self, record: RunRecord) -> None:
        """``record`` was saved (its run ended, or it got its test result): its row is added or brought up to
        date without reading the history folder again, which took a noticeable pause at the end of every run
        once a few hundred runs were kept."""
        if self.project_only.isChecked() and record.project != self.project:
            return
        head = RunRecord.from_head(record.head())
        self.records = newest_first([head, *(r for r in self.records if r.id != head.id)])
        self.changed()

    def render(self) -> None:
        if not self.records:
            self.show_hint()
            return
        self.show_content()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.records))
        for row, r in enumerate(self.records):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            check.setCheckState(Qt.CheckState.Checked if r.id in self.compared else Qt.CheckState.Unchecked)
            check.setData(Qt.ItemDataRole.UserRole, r.id)
            self.table.setItem(row, 0, check)
            label = r.label if self.project_only.isChecked() else f"{r.project}: {r.label}"
            cells = (
                label,
                r.started.replace("T", " ")[:16],
                r.backend,
                r.status,
                str(r.summary.get("epochs", "—")),
                _num(r.final("train_loss")),
                _num(r.final("val_loss")),
                _num(r.final("val_accuracy"), True),
                _num(r.final("test_accuracy"), True),
            )
            for col, text in enumerate(cells, start=1):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setToolTip(f"{r.project} · {r.id}")
                self.table.setItem(row, col, item)
        self.table.blockSignals(False)
        self._update_buttons()

    def _selected(self) -> RunRecord | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.records[rows[0].row()] if rows and rows[0].row() < len(self.records) else None

    def _update_buttons(self) -> None:
        on = self._selected() is not None
        for b in (self.delete_button, self.csv_button, self.settings_button):
            b.setEnabled(on)

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != 0:
            return
        run_id = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            try:
                self.compared[run_id] = self.store.load(run_id)
            except RunStoreError as err:
                self.message.emit(str(err))
                return
        else:
            self.compared.pop(run_id, None)
        self.overlays_changed.emit(list(self.compared.values()))

    def set_compared(self, run_ids: list[str]) -> None:
        """Overlay exactly these runs (programmatic ticking, as a click does)."""
        if not self.up_to_date:  # behind another tab the table waits to be drawn: it lists the runs to tick
            self._render_now()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None:
                want = item.data(Qt.ItemDataRole.UserRole) in run_ids
                item.setCheckState(Qt.CheckState.Checked if want else Qt.CheckState.Unchecked)

    def _delete(self) -> None:
        r = self._selected()
        if r is None:
            return
        try:
            self.store.delete(r.id)
        except RunStoreError as err:
            self.message.emit(str(err))
        if self.compared.pop(r.id, None) is not None:
            self.overlays_changed.emit(list(self.compared.values()))
        self.refresh()

    def _ask_csv(self) -> None:
        r = self._selected()
        if r is None:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Export run as CSV", f"{r.project}-{r.id}.csv", "CSV (*.csv)")
        if not name:
            return
        try:
            record = self.store.load(r.id)
            assert record.history is not None
            export_csv(record.history, name)
        except (RunStoreError, OSError) as err:
            self.message.emit(f"Export failed: {err}")
            return
        self.message.emit(f"Saved {name}")

    def _use_settings(self) -> None:
        r = self._selected()
        if r is not None and r.training:
            self.use_settings.emit(dict(r.training))
