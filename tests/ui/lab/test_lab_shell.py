"""The Lab workspace: its dock and menu in the main window, and pages built the first time they are shown."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from playground.ui.lab import install, pages
from playground.ui.lab.pages import Page
from playground.ui.lab.workspace import LabWorkspace


def test_pages_are_built_once_when_first_shown(qtbot):
    built: list[str] = []

    def factory(key):
        def make(_window):
            built.append(key)
            return QLabel(key)

        return make

    workspace = LabWorkspace(None, [Page("one", "One", factory("one")), Page("two", "Two", factory("two"))])
    qtbot.addWidget(workspace)
    workspace.show()
    assert built == ["one"]  # the tab in front, not the other
    assert workspace.page("two").text() == "two"
    assert workspace.tabs.currentIndex() == 1
    workspace.page("two")
    workspace.tabs.setCurrentIndex(0)
    assert built == ["one", "two"]
    assert workspace.built["one"].objectName() == "lab_page_one"


def test_the_lab_menu_opens_the_workspace_and_each_page(qtbot, window):
    lab = window.lab
    menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and a.text() == "&Lab")
    titles = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert titles == ["Lab &Workspace"] + [p.title for p in pages.PAGES]
    names = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert names.index("Lab") == names.index("Train") - 1  # Train stays next to Help
    show = lab.actions["show_lab"]
    assert show.shortcut() == QKeySequence(install.SHORTCUT)
    lab.dock.hide()
    show.trigger()
    assert lab.dock.isVisible()
    for page in pages.PAGES:
        lab.actions[f"lab_{page.key}"].trigger()
        assert lab.tabs.tabText(lab.tabs.currentIndex()) == page.title
        assert page.key in lab.built
