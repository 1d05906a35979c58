"""Put the Lab into a main window: one call, ``install_lab(window)``, made after the training area and the
Visualize workspace are installed (a page may use ``window.training``).

It adds the Lab dock on the right, as a tab beside Visualize, and a Lab menu: show the workspace (Ctrl+Shift+B,
which also widens the dock to a readable size) and one entry per page that opens it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from ..host import HostWindow
from ..menu_actions import add_menu_actions
from .pages import PAGES
from .workspace import LabWorkspace

Area = Qt.DockWidgetArea
WIDTH = 780  # px: a contour plot and a curve side by side
SHORTCUT = "Ctrl+Shift+B"


def install_lab(window: HostWindow) -> LabWorkspace:
    workspace = LabWorkspace(window)
    docks = window.docks
    tab_with = docks.get("visualize") or docks.get("training") or docks.get("inspector")
    dock = window.add_panel(workspace, "Lab", Area.RightDockWidgetArea, "lab", tabify_with=tab_with)
    front = docks.get("training") or tab_with  # the dock a new window shows in front (not Visualize)
    if front is not None:
        front.raise_()  # the Lab waits behind its tab until asked for
    workspace.dock = dock

    def show(key: str | None = None) -> None:
        dock.show()
        dock.raise_()
        if not dock.isFloating() and dock.width() < WIDTH:
            window.resizeDocks([dock], [WIDTH], Qt.Orientation.Horizontal)
        if key is not None:
            workspace.page(key)

    menu = window.menu("&Lab")
    train = next((a.menu() for a in window.menuBar().actions() if a.menu() and a.text() == "&Train"), None)
    if train is not None:  # … Visualize, Lab, Train, Help: Train keeps its place next to Help
        window.menuBar().insertMenu(train.menuAction(), menu)
    tip = "Things to do that show how training works"
    actions = add_menu_actions(window, menu, [("show_lab", "Lab &Workspace", SHORTCUT, show, tip)])
    if PAGES:
        menu.addSeparator()
    pages = [(f"lab_{p.key}", p.title, "", lambda key=p.key: show(key), p.tip) for p in PAGES]
    actions.update(add_menu_actions(window, menu, pages))
    workspace.actions = actions
    workspace.show_page = show
    window.closing.connect(workspace.shutdown)
    window.lab = workspace
    return workspace
