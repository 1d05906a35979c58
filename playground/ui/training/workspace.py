"""A workspace: several training panels side by side in one dock, showing only those that apply to the run.

The bottom of the window has room for a few docks at 1440×900, not for ten: with one dock per panel their tab
titles were cut to "Decisi…" and "D…". A workspace ("Predictions", "Inside the network") gathers related
panels under one full title, and shows those that have something to say about the current run (a confusion
matrix and misclassified images for an image classifier, the decision boundary for 2D data).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from ...core.config import DatasetConfig
from ...core.data.registry import NO_DATASET, DatasetError
from ...core.training.data_fit import dataset_sample
from .plotting import Panel
from .worker import RunInfo

MIN_PANEL_WIDTH = 120


class Workspace(QWidget):
    def __init__(self, panels: dict[str, Panel], parent: QWidget | None = None):
        super().__init__(parent)
        self.panels = dict(panels)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        for panel in self.panels.values():
            panel.setMinimumWidth(MIN_PANEL_WIDTH)  # the panels' own wishes would add up past a 1440-pixel screen
            self.splitter.addWidget(panel)
        layout.addWidget(self.splitter)
        # a fixed minimum: what the shown panels would ask for changes with the run, and the window must not
        self.setMinimumWidth(2 * MIN_PANEL_WIDTH)
        self.show_only(list(self.panels)[:1])

    def show_only(self, keys: Iterable[str]) -> None:
        """Show the panels named in ``keys`` (in equal shares), hide the others."""
        wanted = set(keys)
        shown = [p for k, p in self.panels.items() if k in wanted]
        for key, panel in self.panels.items():
            panel.setVisible(key in wanted)
        if shown:
            self.splitter.setSizes([1000 if p in shown else 0 for p in self.panels.values()])

    def brought_to_front(self) -> None:
        """Its dock's tab was chosen: its panels draw what they missed behind another tab."""
        for panel in self.panels.values():
            panel.brought_to_front()

    def shown(self) -> list[str]:
        return [k for k, p in self.panels.items() if not p.isHidden()]


def applicable_panels(info: RunInfo | None, dataset: DatasetConfig | None = None) -> set[str]:
    """The prediction views that say something about a run like ``info``; before a run, about a run on
    ``dataset`` (the project's), so that an image project does not promise a decision boundary."""
    if info is not None:
        return _views(info.is_2d, info.task)
    if dataset is None or dataset.name == NO_DATASET:
        return {"confusion", "misclassified"}  # an architecture to inspect: most are image classifiers
    try:
        sample = dataset_sample(dataset)
    except DatasetError:
        return {"boundary"}
    return _views(sample.sample_shape == (2,), sample.task)


def _views(is_2d: bool, task: str) -> set[str]:
    if is_2d:
        return {"boundary", "regression" if task == "regression" else "confusion"}
    if task == "regression":
        return {"regression"}
    return {"confusion", "misclassified"}
