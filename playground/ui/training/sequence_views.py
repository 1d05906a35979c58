"""The sequence views in the window: an "Attention" dock (the layer × head grid, the head view, the
walk-through for one query) and an "Embeddings" dock (the positional encoding, the token vectors), under the
canvas beside the predictions.

They show the project's network before a run (with the weights saved beside the project file, if there are
any, else its starting weights) and follow a run as it trains, on either backend: every probe brings the
weights and a few samples (:class:`~playground.core.training.probes.ProbeSnapshot`). A dock appears when the
network has the layers its views need; opened without them, its panels say what is missing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from ...core.errors import PlaygroundError
from ...core.initialization import initial_parameters
from ...core.io.checkpoint import load_weights
from ...core.project import Project
from ...core.shapes import infer
from ...core.viz.sequence_views import WEIGHT_VIEWS, showable
from ...core.viz.tokens import input_tokens
from ..host import HostWindow
from ..menu_actions import add_menu_actions
from ..panels.attention_grid import AttentionGridPanel
from ..panels.attention_lines import HeadViewPanel
from ..panels.attention_walk import WalkThroughPanel
from ..panels.embedding_map import EmbeddingPanel
from ..panels.positional_map import PositionalPanel
from ..panels.sequence_source import SequencePanel, SequenceSource
from .area import TrainingArea
from .worker import RunInfo, TrainingUpdate

Area = Qt.DockWidgetArea
PREVIEW_TOKENS = 40  # tokens of the chosen sample written in the header
CURVES_WIDTH, ATTENTION_WIDTH = 300, 640  # px, side by side under the canvas at 1440×900


class SequenceWorkspace(QWidget):
    """A row to choose the input sequence, over panels side by side (or in tabs, ``titles`` given)."""

    def __init__(self, panels: list[SequencePanel], titles: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.panels = panels
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 0)
        row = QHBoxLayout()
        label = QLabel("&Input")
        self.sample_box = QSpinBox()
        self.sample_box.setObjectName("sequence_sample")
        self.sample_box.setToolTip("Which input sequence the views look at (the first samples of the data)")
        label.setBuddy(self.sample_box)
        self.preview = QLabel()
        self.preview.setObjectName("sequence_preview")
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a long sequence is cut at the panel's edge: it must not widen the dock (nor the window)
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(label)
        row.addWidget(self.sample_box)
        row.addWidget(self.preview, 1)
        layout.addLayout(row)
        self.tabs: QTabWidget | None = None
        if titles is not None:
            self.tabs = QTabWidget()
            self.tabs.setDocumentMode(True)
            for panel, title in zip(panels, titles, strict=True):
                self.tabs.addTab(panel, title)
            layout.addWidget(self.tabs, 1)
        else:
            splitter = QSplitter(Qt.Orientation.Horizontal)
            splitter.setChildrenCollapsible(False)
            for panel in panels:
                panel.setMinimumWidth(160)
                splitter.addWidget(panel)
            layout.addWidget(splitter, 1)
        self.source: SequenceSource | None = None
        self.sample_box.valueChanged.connect(self._sample_chosen)

    def show_panel(self, panel: SequencePanel) -> None:
        if self.tabs is not None:
            self.tabs.setCurrentWidget(panel)

    def set_source(self, source: SequenceSource | None) -> None:
        self.source = source
        self.sample_box.setRange(0, max(len(source.samples) - 1, 0) if source is not None else 0)
        for panel in self.panels:
            panel.set_source(source)
        self._show_preview()

    def _sample_chosen(self, index: int) -> None:
        for panel in self.panels:
            panel.set_sample(index)
        self._show_preview()

    def _show_preview(self) -> None:
        s = self.source
        if s is None or len(s.samples) == 0:
            self.preview.setText("")
            return
        tokens = s.tokens(min(self.sample_box.value(), len(s.samples) - 1))
        joiner = "" if s.labels is not None and all(len(t) == 1 for t in tokens) else " "
        text = joiner.join(tokens[:PREVIEW_TOKENS]).replace("␣", " ") + (" …" if len(tokens) > PREVIEW_TOKENS else "")
        self.preview.setText(f"{text}   ·   {s.origin}")


def static_source(project: Project) -> SequenceSource | None:
    """The project's network before any run: the weights beside its file (same name, .safetensors) or the
    starting ones, and one made-up sequence (token ids 0, 1, 2, … or a seeded random T×D input)."""
    graph = project.graph
    report = infer(graph)
    inputs = graph.nodes_of_type("Input")
    if not report.ok or not inputs or not showable(graph, WEIGHT_VIEWS):
        return None
    seed = project.training.seed
    beside = project.path.with_suffix(".safetensors") if project.path is not None else None
    origin = "starting weights (no training run yet)"
    params = None
    if beside is not None and beside.exists():
        try:
            params, origin = load_weights(beside, graph), f"weights from {Path(beside).name}"
        except PlaygroundError:
            params = None
    if params is None:
        params = initial_parameters(graph, seed, project.training.init, report=report)
    shape = tuple(report.shape(inputs[0].id) or ())
    vocabulary = int(inputs[0].params.get("vocabulary", 0) or 0)
    if vocabulary > 0 and len(shape) == 1:
        samples = (np.arange(shape[0]) % vocabulary)[None]
    else:
        samples = np.random.default_rng(seed).normal(size=(1, *shape))
    return SequenceSource(graph, params, samples, input_tokens(graph), origin, seed)


class SequenceViews(QObject):
    def __init__(self, window: HostWindow, area: TrainingArea):
        super().__init__(window)
        self.window = window
        self.area = area
        self.document = window.document
        self.grid = AttentionGridPanel()
        self.heads = HeadViewPanel()
        self.walk = WalkThroughPanel()
        self.positional = PositionalPanel()
        self.embedding = EmbeddingPanel()
        self.attention_space = SequenceWorkspace(
            [self.grid, self.heads, self.walk], ["All heads", "Head view", "Step by step"]
        )
        self.embedding_space = SequenceWorkspace([self.positional, self.embedding])
        self.docks: dict[str, object] = {}
        self.labels: list[str] | None = None
        self.run_graph = None
        self.source: SequenceSource | None = None
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(300)
        self._refresh.timeout.connect(self._show_project)
        self.grid.cell_chosen.connect(self._cell_chosen)
        self.area.session.run_built.connect(self._on_built)
        self.area.session.updated.connect(self._on_update)
        self.document.project_replaced.connect(self._on_project)
        self.document.graph_changed.connect(self._on_graph_changed)

    @property
    def workspaces(self) -> tuple[SequenceWorkspace, SequenceWorkspace]:
        return self.attention_space, self.embedding_space

    def set_source(self, source: SequenceSource | None) -> None:
        self.source = source
        for space in self.workspaces:
            space.set_source(source)

    # ------------------------------------------------------------------ the project
    def _on_project(self, project: Project) -> None:
        self.run_graph = None
        self.labels = None
        self._show_project()
        views = showable(project.graph, WEIGHT_VIEWS)
        self._show_docks(views, raise_=True)

    def _on_graph_changed(self) -> None:
        if self.run_graph is None:
            self._refresh.start()  # a few edits in a row: one redraw
        self._show_docks(showable(self.document.project.graph, WEIGHT_VIEWS), raise_=False)

    def _show_project(self) -> None:
        if self.run_graph is not None:
            return
        try:
            source = static_source(self.document.project)
        except (PlaygroundError, ValueError):
            source = None
        if source is None and showable(self.document.project.graph, WEIGHT_VIEWS):
            for space in self.workspaces:
                for panel in space.panels:
                    panel.show_hint("The network has a problem to fix first (see the canvas); then the views appear.")
            return
        self.set_source(source)

    def _show_docks(self, views: set[str], raise_: bool) -> None:
        for key, wanted in (("attention", "attention" in views), ("embeddings", bool(views - {"attention"}))):
            dock = self.docks.get(key)
            if dock is not None and wanted and dock.isHidden():  # type: ignore[attr-defined]
                dock.show()  # type: ignore[attr-defined]
        dock = self.docks.get("attention")
        if raise_ and "attention" in views and dock is not None:
            QTimer.singleShot(0, self._bring_forward)  # once the shown dock has its tab

    def _bring_forward(self) -> None:
        """The Attention dock in front, with room for its pictures (the curves beside it narrower)."""
        dock, curves = self.docks.get("attention"), self.area.docks.get("curves")
        if dock is None:
            return
        dock.raise_()  # type: ignore[attr-defined]
        if curves is not None and not dock.isFloating():  # type: ignore[attr-defined]
            self.window.resizeDocks([curves, dock], [CURVES_WIDTH, ATTENTION_WIDTH], Qt.Orientation.Horizontal)

    # ------------------------------------------------------------------ a run
    def _on_built(self, info: RunInfo) -> None:
        self.run_graph = self.document.project.graph.copy()
        self.labels = input_tokens(self.run_graph, list(info.class_names))

    def _on_update(self, update: TrainingUpdate) -> None:
        probe = update.probe
        if probe is None or probe.parameters is None or probe.sequences is None or self.run_graph is None:
            return
        seed = self.document.project.training.seed
        origin = f"training run, step {probe.step:,}"
        graph, params, samples = self.run_graph, probe.parameters, probe.sequences
        self.set_source(SequenceSource(graph, params, samples, self.labels, origin, seed, probe.step))

    def _cell_chosen(self, layer: str, head: int, query: int) -> None:
        self.heads.choose(layer, head, query)
        self.walk.choose(layer, head, query)


def install_sequence_views(window: HostWindow, area: TrainingArea) -> SequenceViews:
    views = SequenceViews(window, area)
    beside = area.docks.get("predictions")
    for key, title, widget in (
        ("attention", "Attention", views.attention_space),
        ("embeddings", "Embeddings", views.embedding_space),
    ):
        dock = window.add_panel(widget, title, Area.BottomDockWidgetArea, key, tabify_with=beside)
        dock.hide()  # until a network with the layers it needs is opened or built
        views.docks[key] = dock
    if beside is not None:
        beside.raise_()

    def show(key: str, panel: SequencePanel | None, focus: QWidget) -> None:
        if panel is not None:
            views.attention_space.show_panel(panel)
        dock = views.docks[key]
        dock.show()  # type: ignore[attr-defined]
        dock.raise_()  # type: ignore[attr-defined]
        focus.setFocus()

    menu = window.menu("&Visualize")
    menu.addSeparator()
    views.actions = add_menu_actions(
        window,
        menu,
        [
            (
                "show_attention",
                "&Attention of Every Layer and Head",
                "Ctrl+Shift+A",
                lambda: show("attention", views.grid, views.attention_space.sample_box),
                "Each head's attention for one input, layers down and heads across; hover a cell for its numbers",
            ),
            (
                "show_head_view",
                "Attention &Head View",
                "",
                lambda: show("attention", views.heads, views.heads.layer_box),
                "Lines from each token to the tokens it attends to, as strong as the weight",
            ),
            (
                "show_walk_through",
                "&Self-Attention Step by Step",
                "",
                lambda: show("attention", views.walk, views.walk.query_box),
                "q, k, v → scores → ÷√d_k → softmax → weighted sum for one query, with the numbers",
            ),
            (
                "show_positions",
                "&Positional Encoding and Embeddings",
                "Ctrl+Shift+P",
                lambda: show("embeddings", None, views.embedding_space.sample_box),
                "The positional-encoding matrix and the token vectors on a plane (PCA)",
            ),
        ],
    )
    views._on_project(window.document.project)
    window.sequence_views = views  # type: ignore[attr-defined]
    return views
