"""What an installer may use of the main window it installs into (the Training area, the Visualize workspace).

The window's documented extension points, plus the few ``QMainWindow`` dock and menu calls the installers
make. :class:`~playground.ui.main_window.MainWindow` is the one host; a test checks it keeps every member.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar, QToolBar, QWidget

if TYPE_CHECKING:
    from .document import Document


@runtime_checkable
class HostWindow(Protocol):
    document: Document
    docks: dict[str, QDockWidget]
    toolbar: QToolBar
    node_selected: SignalInstance  # a node id (str) or None
    closing: SignalInstance  # the user confirmed closing

    def add_panel(
        self,
        widget: QWidget,
        title: str,
        area: Qt.DockWidgetArea = ...,
        object_name: str | None = None,
        tabify_with: QDockWidget | None = None,
    ) -> QDockWidget: ...

    def menu(self, title: str) -> QMenu: ...

    def show_message(self, text: str) -> None: ...

    def reveal_node(self, node_id: str) -> None: ...

    # QMainWindow calls the installers make to size and group their docks and to reach the menu bar
    def resizeDocks(self, docks: Sequence[QDockWidget], sizes: Sequence[int], orientation: Qt.Orientation) -> None: ...

    def splitDockWidget(self, first: QDockWidget, second: QDockWidget, orientation: Qt.Orientation) -> None: ...

    def tabifyDockWidget(self, first: QDockWidget, second: QDockWidget) -> None: ...

    def tabifiedDockWidgets(self, dock: QDockWidget) -> list[QDockWidget]: ...

    def menuBar(self) -> QMenuBar: ...

    def addAction(self, action: QAction) -> None: ...
