"""The training work area: the worker-thread session, the Training dock, the live panels and the Train menu.
It talks to the window only through the document (project and undo stack) and the window's extension points."""

from __future__ import annotations

import math
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from ...core.config import DatasetConfig, TrainingConfig
from ...core.project import Project
from ...core.training.input_plane import unit_count
from ...core.training.runs import RunRecord, RunStore
from ..host import HostWindow
from ..on_screen import on_screen
from ..panels.activation_stats import ActivationStatsPanel
from ..panels.boundary import BoundaryPanel
from ..panels.confusion import ConfusionPanel
from ..panels.curves import CurvesPanel
from ..panels.doctor import DoctorPanel
from ..panels.gradient_flow import GradientFlowPanel
from ..panels.histograms import HistogramsPanel
from ..panels.misclassified import MisclassifiedPanel
from ..panels.regression import RegressionPanel
from ..panels.runs import RunsPanel
from .commands import SetSettings, dataset_edit
from .dock import TrainingDock
from .plotting import staggered_renders
from .run_actions import make_run_actions, validation_text
from .settings_form import LIVE, SETTINGS, get_value, with_value
from .worker import LiveSession, RunInfo, TrainingUpdate
from .workspace import Workspace, applicable_panels

STATE_TEXT = {
    "empty": "Ready to train",
    "building": "Preparing the data and the network…",
    "ready": "Ready: the network has its starting weights",
    "running": "Training",
    "paused": "Paused",
    "completed": "Finished",
    "stopped": "Stopped",
    "nonfinite": "Stopped: values became NaN or infinite",
}


def _titles() -> dict[str, str]:
    return {s.path: s.param.title for s in SETTINGS}


class TrainingArea(QObject):
    """Everything for training live, installed into a main window by :func:`install_training`."""

    def __init__(self, window: HostWindow, store: RunStore | None = None):
        super().__init__(window)
        self.window = window
        self.document = window.document
        self.store = store or RunStore()
        self.session = LiveSession(self.store, self)
        self.actions = self._make_actions()
        self.dock = TrainingDock(self.actions)
        self.curves = CurvesPanel()
        self.boundary = BoundaryPanel()
        self.histograms = HistogramsPanel()
        self.gradient_flow = GradientFlowPanel()
        self.activations = ActivationStatsPanel()
        self.confusion = ConfusionPanel()
        self.misclassified = MisclassifiedPanel()
        self.regression = RegressionPanel()
        self.doctor = DoctorPanel()
        self.runs = RunsPanel(self.store)
        self.panels = {
            "curves": self.curves,
            "boundary": self.boundary,
            "histograms": self.histograms,
            "gradient_flow": self.gradient_flow,
            "activations": self.activations,
            "confusion": self.confusion,
            "misclassified": self.misclassified,
            "regression": self.regression,
            "doctor": self.doctor,
            "runs": self.runs,
        }
        self.live = [p for name, p in self.panels.items() if name != "runs"]
        self.docks: dict[str, Any] = {}  # by dock key (see install.DOCKS); panel_docks: the dock of each panel
        self.panel_docks: dict[str, Any] = {}
        self.sequences: Any = None  # the sequence panels (SequencePanels), once installed beside these
        self.workspaces: dict[str, Workspace] = {}
        self.info: RunInfo | None = None
        self.last_update_step = 0
        self.diagnoses: list[Any] = []
        self._stale = False
        self._shut = False
        self._shown_live = False
        self._last_loss: float | None = None
        self._wire()
        self._load_project(self.document.project)

    # ------------------------------------------------------------------ construction
    def _make_actions(self) -> dict[str, QAction]:
        actions = make_run_actions(self.window)
        actions["train"].triggered.connect(self.train)
        actions["pause"].triggered.connect(self.session.pause)
        actions["step"].triggered.connect(self.step)
        actions["stop"].triggered.connect(self.session.stop)
        actions["reset"].triggered.connect(self.reset)
        actions["evaluate"].triggered.connect(self.evaluate_test)
        return actions

    def _wire(self) -> None:
        s = self.session
        s.state_changed.connect(self._on_state)
        s.run_built.connect(self._on_built)
        s.updated.connect(self._on_update)
        s.failed.connect(self._on_failed)
        s.evaluated.connect(self._on_evaluated)
        s.run_saved.connect(self._on_saved)
        d = self.dock
        d.form.edited.connect(self.edit_training)
        d.form.invalid.connect(self._on_invalid)
        d.dataset_form.edited.connect(self.edit_dataset)
        d.dataset_form.invalid.connect(self._on_invalid)
        d.dataset_form.preview_requested.connect(self.session.preview)
        s.previewed.connect(d.dataset_form.show_preview)
        s.previewed.connect(d.augment_form.show_samples)
        d.augment_form.edited.connect(self.edit_dataset)
        d.augment_form.invalid.connect(self._on_invalid)
        d.backend_chosen.connect(lambda b: self.edit_training("backend", b))
        d.device_chosen.connect(lambda dev: self.edit_training("device", dev))
        self.boundary.unit_selected.connect(self.session.select_unit)
        self.doctor.reveal_layer.connect(self._reveal_layer)
        self.runs.overlays_changed.connect(self.curves.set_overlays)
        self.runs.use_settings.connect(self._use_run_settings)
        self.runs.message.connect(self.window.show_message)
        self.curves.export_requested.connect(self.window.show_message)
        self.document.project_replaced.connect(self._load_project)
        self.document.graph_changed.connect(self._on_graph_changed)
        self.window.node_selected.connect(self._on_node_selected)
        self.document.report_changed.connect(self._follow_unit_count)
        self._update_actions()

    # ------------------------------------------------------------------ the user's commands
    @property
    def project(self) -> Project:
        return self.document.project

    def train(self) -> None:
        self.dock.show_message("")
        if self._stale and self.session.state == "ready":
            self.session.build(self.project, then="train")
        else:
            self.session.train(self.project)
        self._stale = False

    def step(self) -> None:
        if self._stale and self.session.state == "ready":
            self.session.build(self.project, then="step")
        else:
            self.session.step(self.project)
        self._stale = False

    def reset(self) -> None:
        self.dock.show_message("")
        self._stale = False
        self.session.reset(self.project)

    def evaluate_test(self) -> None:
        self.session.evaluate("test")

    # ------------------------------------------------------------------ settings (undoable)
    def edit_training(self, path: str, value: Any) -> None:
        before: TrainingConfig = self.project.training
        try:
            after = with_value(before, path, value)
        except ValidationError as err:
            self._on_invalid(validation_text(err))
            self.dock.load(before)
            return
        if after == before:
            return
        title = _titles().get(path, path.replace("_", " "))
        shown = value if not isinstance(value, float) else f"{value:g}"
        self._push(
            SetSettings(
                self.project, "training", before, after, path, f"Set {title} to {shown}", self._settings_applied
            )
        )

    def edit_dataset(self, config: DatasetConfig) -> None:
        before: DatasetConfig = self.project.dataset
        if config == before:
            return
        path, text = dataset_edit(before, config)
        self._push(
            SetSettings(self.project, "dataset", before, config, f"dataset.{path}", text, self._settings_applied)
        )

    def _push(self, command: SetSettings) -> None:
        self.document.push(command)

    def _settings_applied(self, which: str, before: Any, after: Any) -> None:
        """After an edit, its undo or its redo: show it, and hand live settings to a running run."""
        if which == "training":
            self.dock.load(after)
            live = {
                key: get_value(after, path)
                for path, key in LIVE.items()
                if get_value(after, path) != get_value(before, path)
            }
            if self.session.active and live and before.optimizer.name == after.optimizer.name:
                self.session.set_hyperparameters(**live)
                self.window.show_message(
                    "Applied from the next step: "
                    + ", ".join(f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}" for k, v in live.items())
                )
            elif self.session.active:
                self.window.show_message("This setting applies to the next run (press Reset to start one).")
        else:
            self.dock.dataset_form.load(after)
            self.dock.augment_form.load(after)
            if self.info is None:
                self.arrange_workspaces()  # no run shown yet: the views that a run on this dataset would fill
            if self.session.active:
                self.window.show_message("The dataset change applies to the next run (press Reset to start one).")
        if not self.session.active:
            self._stale = True

    def _use_run_settings(self, training: dict) -> None:
        try:
            after = TrainingConfig.model_validate(training)
        except ValidationError as err:
            self._on_invalid(validation_text(err))
            return
        before = self.project.training
        if after != before:
            self._push(
                SetSettings(
                    self.project, "training", before, after, "all", "Use a saved run's settings", self._settings_applied
                )
            )

    def _on_invalid(self, message: str) -> None:
        self.dock.show_message(message)
        self.window.show_message(message)

    # ------------------------------------------------------------------ the document
    def _load_project(self, project: Project) -> None:
        self.session.discard()
        self.info = None
        self._stale = False
        for panel in self.live:
            panel.reset(None)
        self.arrange_workspaces()
        self.dock.load(project.training)
        self.dock.dataset_form.load(project.dataset)
        self.dock.augment_form.load(project.dataset)
        self.dock.show_message("")
        self.dock.test_result.setText("Kept aside: evaluated only when you ask, once you are done tuning.")
        self.runs.set_project(project.name)
        self._show_status()

    def _on_graph_changed(self) -> None:
        if self.session.active:
            self.window.show_message(
                "The network changed: this run goes on with the network it started with. "
                "Press Reset to train the new one."
            )
        elif self.session.state == "ready":
            self._stale = True

    def _on_node_selected(self, node_id: object) -> None:
        if node_id is None or node_id not in self.project.graph:
            self.boundary.show_node(None)
            return
        node = self.project.graph.node(str(node_id))
        units = unit_count(self.document.report, node)
        self.boundary.show_node(node.name if units else None, units)

    def _follow_unit_count(self, report: Any) -> None:
        """The layer shown over the input plane was resized (or removed): its unit picker follows."""
        if self.boundary.node is None:
            return
        node = next((n for n in self.project.graph.nodes if n.name == self.boundary.node), None)
        shape = report.shape(node.id) if node is not None and node.id in report.nodes else None
        self.boundary.set_units(shape[0] if shape is not None and len(shape) == 1 else 0)

    def _reveal_layer(self, name: str) -> None:
        for node in self.project.graph.nodes:
            if node.name == name:
                self.window.reveal_node(node.id)
                return

    # ------------------------------------------------------------------ the session
    def _on_state(self, state: str) -> None:
        self._update_actions()
        self.doctor.set_running(state == "running")
        self._show_status()
        if state == "running" and not self._shown_live:
            self._shown_live = True
            self._bring_live_panels_forward()

    def _bring_live_panels_forward(self) -> None:
        """The first run of the session brings the curves and the decision boundary to the front of their tab
        groups (a layout restored from the last session may have the runs' list there), unless what is in front
        already follows the run: a panel the user brought there (Generate Text, the Doctor) stays."""
        for key in ("curves", "boundary"):
            dock = self.panel_docks.get(key)
            if dock is None or not dock.isVisible():
                continue
            group = [dock, *self.window.tabifiedDockWidgets(dock)]
            if not any(on_screen(d) and self._follows_the_run(d.widget()) for d in group):
                dock.raise_()

    def _follows_the_run(self, widget: Any) -> bool:
        """A live panel, or a workspace of them, or a sequence panel that this network has what it needs for."""
        if isinstance(widget, Workspace):
            return any(self._follows_the_run(p) for p in widget.panels.values() if on_screen(p))
        if self.sequences is not None and widget in self.sequences.panels.values():
            return widget.problem is None
        return widget in self.live

    def _on_built(self, info: RunInfo) -> None:
        self.info = info
        self.last_update_step = 0
        self.diagnoses = []
        for panel in self.live:
            panel.reset(info)
        self.arrange_workspaces()
        self.dock.refresh_devices(self.project.training.device)
        self.dock.test_result.setText("Kept aside: evaluated only when you ask, once you are done tuning.")
        if self.boundary.node is not None:
            self.session.select_unit(self.boundary.node, self.boundary.unit_box.value())
        self._set_doctor_title()
        self._show_status()

    def _on_update(self, update: TrainingUpdate) -> None:
        with staggered_renders():  # drawn one panel per event-loop turn: the GUI stays responsive
            for panel in self.live:
                panel.apply(update)
        if update.steps:
            self.last_update_step = int(update.steps["step"][-1])
            self._last_loss = float(update.steps["loss"][-1])
        if update.diagnoses is not None:
            self.diagnoses = update.diagnoses
            self._set_doctor_title()
        if update.nonfinite is not None:
            self.dock.show_message(update.nonfinite.message)
            self.window.show_message(update.nonfinite.message)
            dock = self.docks.get("doctor")
            if dock is not None:
                dock.raise_()
        self._show_status()

    def _on_failed(self, message: str, node_id: object) -> None:
        self.dock.show_message(message)
        self.window.show_message(message)
        if node_id is not None and str(node_id) in self.project.graph:
            self.window.reveal_node(str(node_id))

    def _on_evaluated(self, split: str, loss: float, accuracy: float | None) -> None:
        if split != "test":
            return
        acc = f", accuracy {100 * accuracy:.1f} %" if accuracy is not None else ""
        caution = ""
        if any(d.code == "overfitting" for d in self.diagnoses):
            caution = " The doctor still sees overfitting: the course advises fixing it before trusting this number."
        self.dock.test_result.setText(f"Test set at step {self.last_update_step}: loss {loss:.4g}{acc}.{caution}")

    def _on_saved(self, record: RunRecord) -> None:
        self.runs.saved(record)

    def arrange_workspaces(self) -> None:
        """Show, in each workspace, the panels that apply to the current run."""
        for workspace in self.workspaces.values():
            workspace.show_only(applicable_panels(self.info, self.project.dataset) | {"gradient_flow", "activations"})

    def _update_actions(self) -> None:
        state = self.session.state
        a = self.actions
        a["train"].setEnabled(state not in ("building", "running"))
        a["train"].setText("Resume" if state == "paused" else "Train")
        a["pause"].setEnabled(state == "running")
        a["step"].setEnabled(state not in ("building", "running"))
        a["stop"].setEnabled(state in ("running", "paused"))
        a["reset"].setEnabled(state != "building")
        a["evaluate"].setEnabled(self.session.has_run)

    def _set_doctor_title(self) -> None:
        dock = self.docks.get("doctor")
        if dock is not None:
            n = len(self.diagnoses)
            dock.setWindowTitle(f"Doctor ({n})" if n else "Doctor")

    def _show_status(self) -> None:
        state = self.session.state
        text = STATE_TEXT.get(state, state)
        info = self.info
        parts = [text]
        if info is not None and state not in ("empty", "building"):
            # what changes first, where the run computes last: a narrow dock cuts the end of the line
            if self.last_update_step:
                epoch = math.ceil(self.last_update_step / max(info.steps_per_epoch, 1))
                parts.append(f"step {self.last_update_step:,} · epoch {min(epoch, info.epochs)}/{info.epochs}")
                if self._last_loss is not None:
                    parts.append(f"loss {self._last_loss:.4g}")
            where = f"{'PyTorch' if info.backend == 'torch' else 'NumPy'} on {info.device.upper()}"
            if info.backend == "torch" and info.device == "cpu":
                where += f" ({info.threads} thread{'s' * (info.threads > 1)})"
            parts.append(where)
        self.dock.status.setText(" · ".join(parts))

    # ------------------------------------------------------------------ closing
    def shutdown(self) -> None:
        """Stop any run and end the worker thread. Also done when the app quits or the session is deleted."""
        if not self._shut:
            self._shut = True
            self.session.shutdown()
