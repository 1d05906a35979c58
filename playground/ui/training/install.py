"""Put training into a main window: one call, ``install_training(window)``, made while the window is built.

It adds the Training dock (beside the inspector), the live panels (under the canvas, in two tab groups:
curves, doctor and runs; the predictions and inside-the-network workspaces and the histograms), a Train menu
(with saving a checkpoint and continuing from one) and the run buttons on the toolbar. Everything else goes
through the window's documented extension points (``document``, ``add_panel``, ``menu``, ``toolbar``,
``node_selected``, ``reveal_node``, ``show_message``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ...core.training.runs import RunStore
from ..host import HostWindow
from ..steady import keep_width
from .area import TrainingArea
from .checkpoints import CheckpointActions
from .download_dialog import DownloadWatcher, with_folder
from .sequence_panels import install_sequence_panels
from .workspace import Workspace

Area = Qt.DockWidgetArea
BOTTOM_HEIGHT = 430
RIGHT_WIDTH = 370
BOTTOM_WIDTHS = [400, 520]
# The bottom area in two tab groups, every title in full at 1440×900: (key, title, group, panels). A dock of
# several panels is a workspace (the panels side by side, those that apply to the run).
DOCKS = (
    ("curves", "Curves", 0, ("curves",)),
    ("doctor", "Doctor", 0, ("doctor",)),
    ("runs", "Runs", 0, ("runs",)),
    ("predictions", "Predictions", 1, ("boundary", "confusion", "misclassified", "regression")),
    ("inside", "Inside the network", 1, ("gradient_flow", "activations")),
    ("histograms", "Histograms", 1, ("histograms",)),
)


def install_training(window: HostWindow, store: RunStore | None = None) -> TrainingArea:
    area = TrainingArea(window, store)
    # a classic dataset's first use: the download's progress and Cancel, or the folder of a copy to use instead
    downloads = DownloadWatcher(window, area.session)
    downloads.folder_chosen.connect(lambda f: area.edit_dataset(with_folder(area.project.dataset, f)))
    area.downloads = downloads
    docks = window.docks
    area.docks["training"] = window.add_panel(
        area.dock, "Training", Area.RightDockWidgetArea, "training", tabify_with=docks.get("inspector")
    )
    window.resizeDocks([area.docks["training"]], [RIGHT_WIDTH], Qt.Orientation.Horizontal)
    # Split first, tabify after: Qt adds a dock split off a tabbed one as another tab.
    firsts: list[Any] = []
    for key, title, group, names in DOCKS:
        if len(names) > 1:
            area.workspaces[key] = Workspace({n: area.panels[n] for n in names})
        widget = area.workspaces.get(key) or area.panels[names[0]]
        if group == len(firsts):
            dock = window.add_panel(widget, title, Area.BottomDockWidgetArea, key)
            if firsts:
                window.splitDockWidget(firsts[-1], dock, Qt.Orientation.Horizontal)
            firsts.append(dock)
            area.docks[key] = dock
    for key, title, group, names in DOCKS:
        if key not in area.docks:
            widget = area.workspaces.get(key) or area.panels[names[0]]
            area.docks[key] = window.add_panel(widget, title, Area.BottomDockWidgetArea, key, tabify_with=firsts[group])
        for name in names:
            area.panel_docks[name] = area.docks[key]
    if docks.get("code") is not None:
        window.tabifyDockWidget(area.docks["runs"], docks["code"])
    area.arrange_workspaces()
    for dock in firsts:
        dock.raise_()
    window.resizeDocks(firsts, [BOTTOM_HEIGHT] * len(firsts), Qt.Orientation.Vertical)
    window.resizeDocks(firsts, BOTTOM_WIDTHS[: len(firsts)], Qt.Orientation.Horizontal)

    menu = window.menu("&Train")
    for name in ("train", "pause", "step", "stop", "reset"):
        menu.addAction(area.actions[name])
    menu.addSeparator()
    menu.addAction(area.actions["evaluate"])
    checkpoints = CheckpointActions(area.session, lambda: area.project, window.show_message, area)
    menu.addSeparator()
    menu.addAction(checkpoints.resume)
    menu.addAction(checkpoints.save)
    area.checkpoints = checkpoints  # type: ignore[attr-defined]
    window.toolbar.addSeparator()
    for name in ("train", "pause", "step", "stop", "reset"):
        window.toolbar.addAction(area.actions[name])
    keep_width(window.toolbar.widgetForAction(area.actions["train"]), ("Train", "Resume"))
    window.training = area
    area.sequences = install_sequence_panels(window, area)  # hidden states, gradient through time, generation
    return area
