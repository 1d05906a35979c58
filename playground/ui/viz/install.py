"""Put the Visualize workspace into a main window: one call, ``install_viz(window)``, made after the training
area is installed (its filters and feature maps follow the Training area's run).

It adds the Visualize dock on the right, as a tab beside the Inspector and Training (so the canvas keeps
its room), and a Visualize menu: show the workspace (Ctrl+Shift+V, which also widens the dock to a
readable size), run (Ctrl+Return) and cancel.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from ..host import HostWindow
from ..menu_actions import Entry, add_menu_actions
from .workspace import VizWorkspace

Area = Qt.DockWidgetArea
WIDTH = 560  # px: enough for Grad-CAM's three pictures side by side


def install_viz(window: HostWindow) -> VizWorkspace:
    training = getattr(window, "training", None)
    workspace = VizWorkspace(window.document, training.session if training is not None else None)
    tab_with = window.docks.get("training") or window.docks.get("inspector")
    dock = window.add_panel(workspace, "Visualize", Area.RightDockWidgetArea, "visualize", tabify_with=tab_with)
    if tab_with is not None:
        tab_with.raise_()  # the workspace waits behind its tab until asked for
    workspace.dock = dock

    def show() -> None:
        dock.show()
        dock.raise_()
        if not dock.isFloating() and dock.width() < WIDTH:
            window.resizeDocks([dock], [WIDTH], Qt.Orientation.Horizontal)
        workspace.controls.method_combo.setFocus()

    menu = window.menu("&Visualize")
    train = window.menu("&Train") if training is not None else None
    if train is not None:  # File, Edit, View, Visualize, Train, Help: Train keeps its place next to Help
        window.menuBar().insertMenu(train.menuAction(), menu)
    entries: list[Entry] = [
        (
            "show_viz",
            "Visualize &Workspace",
            "Ctrl+Shift+V",
            show,
            "Look inside a network: filters, feature maps, saliency, Grad-CAM, Deep Dream, style transfer, attacks",
        ),
        (
            "run_viz",
            "&Run Visualization",
            "Ctrl+Return",
            lambda: (show(), workspace.run()),
            "Compute the picture for the chosen network, input and method",
        ),
        ("cancel_viz", "&Cancel Visualization", "", workspace.cancel, "Stop the running visualization"),
    ]
    workspace.actions = add_menu_actions(window, menu, entries)
    window.closing.connect(workspace.shutdown)
    window.visualize = workspace
    return workspace
