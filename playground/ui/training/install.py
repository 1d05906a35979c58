"""Put training into a main window: one call, ``install_training(window)``, made while the window is built.

It adds the Training dock (beside the inspector), the live panels (under the canvas, in three tab groups:
curves and runs; boundary and classification views; doctor and inside-the-network views), a Train menu
and the run buttons on the toolbar. Everything else goes through the window's documented extension
points (``document``, ``add_panel``, ``menu``, ``toolbar``, ``node_selected``, ``reveal_node``,
``show_message``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ...core.training.runs import RunStore
from ..host import HostWindow
from ..steady import keep_width
from .area import TrainingArea

Area = Qt.DockWidgetArea
BOTTOM_HEIGHT = 430
RIGHT_WIDTH = 370
BOTTOM_WIDTHS = [460, 440, 380]
# (key, title, tab group); the first of each group is split off beside the previous group.
PANELS = (
    ("curves", "Curves", 0),
    ("runs", "Runs", 0),
    ("boundary", "Decision boundary", 1),
    ("confusion", "Confusion matrix", 1),
    ("misclassified", "Misclassified", 1),
    ("regression", "Prediction vs target", 1),
    ("doctor", "Doctor", 2),
    ("gradient_flow", "Gradient flow", 2),
    ("activations", "Activations", 2),
    ("histograms", "Histograms", 2),
)


def install_training(window: HostWindow, store: RunStore | None = None) -> TrainingArea:
    area = TrainingArea(window, store)
    docks = window.docks
    area.docks["training"] = window.add_panel(
        area.dock, "Training", Area.RightDockWidgetArea, "training", tabify_with=docks.get("inspector")
    )
    window.resizeDocks([area.docks["training"]], [RIGHT_WIDTH], Qt.Orientation.Horizontal)
    # Split first, tabify after: Qt adds a dock split off a tabbed one as another tab.
    firsts: list[Any] = []
    for key, title, group in PANELS:
        if group == len(firsts):
            dock = window.add_panel(area.panels[key], title, Area.BottomDockWidgetArea, key)
            if firsts:
                window.splitDockWidget(firsts[-1], dock, Qt.Orientation.Horizontal)
            firsts.append(dock)
            area.docks[key] = dock
    for key, title, group in PANELS:
        if key not in area.docks:
            area.docks[key] = window.add_panel(
                area.panels[key], title, Area.BottomDockWidgetArea, key, tabify_with=firsts[group]
            )
    if docks.get("code") is not None:
        window.tabifyDockWidget(firsts[0], docks["code"])
    for dock in firsts:
        dock.raise_()
    window.resizeDocks(firsts, [BOTTOM_HEIGHT] * len(firsts), Qt.Orientation.Vertical)
    # Curves, boundary and the doctor's group side by side: the gradient-flow chart needs room too.
    window.resizeDocks(firsts, BOTTOM_WIDTHS[: len(firsts)], Qt.Orientation.Horizontal)

    menu = window.menu("&Train")
    for name in ("train", "pause", "step", "stop", "reset"):
        menu.addAction(area.actions[name])
    menu.addSeparator()
    menu.addAction(area.actions["evaluate"])
    window.toolbar.addSeparator()
    for name in ("train", "pause", "step", "stop", "reset"):
        window.toolbar.addAction(area.actions[name])
    keep_width(window.toolbar.widgetForAction(area.actions["train"]), ("Train", "Resume"))
    window.training = area
    return area
