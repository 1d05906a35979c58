"""The main window: layer palette (left), canvas (centre), inspector (right), PyTorch code (below the canvas),
status bar with the validation state and the parameter count.

Plugging in another work area (live training, visualizations) needs no change here:

* ``window.document`` — the :class:`~playground.ui.document.Document`: current project, undo stack, file, dirty
  flag; signals ``project_replaced(project)``, ``graph_changed()``, ``report_changed(report)``, ``message(str)``.
* ``window.add_panel(widget, title, area=Qt.RightDockWidgetArea, object_name=...)`` → the QDockWidget; the
  panel is listed under View ▸ Panels and its place is remembered between sessions. ``tabify_with=`` stacks it
  as a tab over another dock (e.g. ``window.docks["code"]``).
* ``window.node_selected(node_id | None)`` — the layer the user picked on the canvas (a decision-boundary or
  feature-map panel follows it); ``window.scene.selection_ids_changed(list)`` for multi-selection.
* ``window.menu("Train")`` — a top-level menu (created before Help on first use); ``window.toolbar`` — the main
  toolbar; ``window.action(name)`` — a built-in action ("undo", "save", …).
* ``window.show_message(text)`` — a line in the status bar; ``window.reveal_node(node_id)`` selects a layer and
  scrolls the canvas to it (e.g. from a diagnosis that names a layer).
* ``window.closing()`` — emitted once the user has agreed to close (unsaved work handled): stop worker threads
  here; the window and its panels still exist.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QMessageBox, QToolBar, QWidget

from .. import __version__
from . import theme
from .autosave import Autosaver
from .dialogs import Dialogs
from .dock_tabs import hide_stale_tab_bars, watch_tab_bars
from .document import Document
from .editor.neuron_maps import install_neuron_maps
from .editor.palette import LayerPalette
from .editor.scene import GraphScene
from .editor.view import GraphView
from .lab.install import install_lab
from .menus import build_actions, build_menus
from .panels.code_view import CodeView
from .panels.inspector import Inspector
from .paths import settings
from .project_files import ProjectFiles
from .status import StatusBar
from .training.install import install_training
from .training.sequence_views import install_sequence_views
from .viz.install import install_viz

DockArea = Qt.DockWidgetArea


class MainWindow(QMainWindow):
    node_selected = Signal(object)
    closing = Signal()  # the user confirmed closing: stop threads, save state (the window still exists)

    def __init__(self, document: Document | None = None, *, autosave: bool = True, restore_layout: bool = True):
        super().__init__()
        self.setObjectName("main_window")
        watch_tab_bars(self)
        self.document = document or Document(parent=self)
        self.docks: dict[str, QDockWidget] = {}
        self._shown = False
        self.dialogs = Dialogs(self)
        self.autosaver = Autosaver(self.document, parent=self) if autosave else None
        self.files = ProjectFiles(self.document, self.dialogs, self.autosaver, self)

        self.scene = GraphScene(self.document, self)
        self.view = GraphView(self.scene)
        self.setCentralWidget(self.view)
        self.scene.node_selected.connect(self.node_selected)

        self.layer_palette = LayerPalette()
        self.layer_palette.setMinimumWidth(170)
        self.layer_palette.layer_activated.connect(self.view.add_layer_at_centre)
        self.layer_palette.template_activated.connect(self.view.add_template_at_centre)
        self.inspector = Inspector(self.document)
        self.inspector.setMinimumWidth(300)
        self.scene.selection_ids_changed.connect(self.inspector.show_selection)
        self.inspector.problem_activated.connect(self.reveal_node)
        self.code_view = CodeView(self.document)

        self.toolbar = QToolBar("Main toolbar")
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(self.toolbar)
        self.named_actions = build_actions(self)
        build_menus(self)

        self.add_panel(self.layer_palette, "Layers", DockArea.LeftDockWidgetArea, "palette")
        self.add_panel(self.inspector, "Inspector", DockArea.RightDockWidgetArea, "inspector")
        self.add_panel(self.code_view, "PyTorch code", DockArea.BottomDockWidgetArea, "code")
        # Side panels run the full height; bottom panels sit under the canvas only.
        self.setCorner(Qt.Corner.BottomLeftCorner, DockArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, DockArea.RightDockWidgetArea)
        self.resizeDocks([self.docks["palette"], self.docks["inspector"]], [200, 360], Qt.Orientation.Horizontal)
        self.resizeDocks([self.docks["code"]], [240], Qt.Orientation.Vertical)

        self.status = StatusBar(self.document, self)
        self.setStatusBar(self.status)
        self.view.zoom_changed.connect(self.status.show_zoom)

        self.document.dirty_changed.connect(self.update_title)
        self.document.path_changed.connect(self.update_title)
        self.document.project_replaced.connect(self._on_project_replaced)
        self.setAcceptDrops(True)
        install_training(self)  # Train menu, Training dock and the live panels
        self.inspector.run_of = lambda: self.training.session.current_run  # a layer's code runs on its weights
        install_viz(self)  # Visualize menu and dock (after training: it follows the training run)
        install_sequence_views(self, self.training)  # attention, positions and embeddings (in the Visualize menu)
        install_lab(self)  # Lab menu and dock (after training: its pages read and change the training settings)
        # every unit's heat map inside its card, fed by the training session (View ▸ Neuron Heat Maps)
        self.neuron_maps = install_neuron_maps(self, self.scene, self.document, self.training.session)
        self.resize(1440, 900)
        self._persist_layout = restore_layout
        if restore_layout:
            self._restore_layout()
        self.named_actions[f"theme_{theme.current().name}"].setChecked(True)
        self.update_title()

    # ------------------------------------------------------------------ extension points
    def add_panel(
        self,
        widget: QWidget,
        title: str,
        area: DockArea = DockArea.RightDockWidgetArea,
        object_name: str | None = None,
        tabify_with: QDockWidget | None = None,
    ) -> QDockWidget:
        """Put ``widget`` in a dock titled ``title``; it is listed under View ▸ Panels."""
        key = object_name or title.lower().replace(" ", "_")
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{key}_dock")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        refresh = getattr(widget, "brought_to_front", None)
        if refresh is not None:  # a panel behind another tab draws what it missed when its tab is chosen
            dock.visibilityChanged.connect(lambda shown: shown and QTimer.singleShot(0, widget, refresh))
        if tabify_with is not None:
            self.tabifyDockWidget(tabify_with, dock)
        self.docks[key] = dock
        self.panels_menu.addAction(dock.toggleViewAction())
        return dock

    def menu(self, title: str) -> QMenu:
        """The top-level menu called ``title`` (e.g. "Train"), created before Help if it does not exist."""
        plain = title.replace("&", "")
        for action in self.menuBar().actions():
            if action.menu() is not None and action.text().replace("&", "") == plain:
                return action.menu()
        menu = QMenu(title, self)
        menu.setObjectName(f"menu_{plain.lower().replace(' ', '_')}")
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)
        return menu

    def action(self, name: str) -> QAction:
        return self.named_actions[name]

    def show_message(self, text: str) -> None:
        self.document.message.emit(text)

    # ------------------------------------------------------------------ behaviour
    def update_title(self, *_args) -> None:
        name = self.document.display_name
        path = self.document.path
        where = f" ({path.name})" if path is not None and path.stem != name else ""
        self.setWindowTitle(f"{name}{where}[*] — Playground")
        self.setWindowModified(self.document.dirty)

    def _on_project_replaced(self, _project) -> None:
        self.update_title()
        self.view.show_start()

    def auto_layout(self) -> None:
        if self.scene.auto_layout():
            self.view.fit()

    def focus_palette_search(self) -> None:
        self.docks["palette"].show()
        self.layer_palette.search.setFocus()
        self.layer_palette.search.selectAll()

    def reveal_node(self, node_id: str) -> None:
        item = self.scene.node_items.get(node_id)
        if item is not None:
            self.scene.select_nodes([node_id])
            self.view.ensureVisible(item, 60, 60)  # scrolls only if the layer is not already in sight

    def set_theme(self, name: str) -> None:
        theme.apply(name)
        self.named_actions[f"theme_{name}"].setChecked(True)
        settings().setValue("theme", name)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About Playground",
            f"<b>Playground {__version__}</b><p>Build neural networks from layers, train them on "
            "PyTorch or NumPy, and look inside.</p>",
        )

    # ------------------------------------------------------------------ window events
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _project_path(event.mimeData()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _project_path(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files.open_path(path)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            # The project was laid out in the canvas before the window had its size: frame it again.
            self._shown = True
            QTimer.singleShot(0, self.view.show_start)
            QTimer.singleShot(0, lambda: hide_stale_tab_bars(self))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        self.closing.emit()
        if self.autosaver is not None:
            self.autosaver.discard()
        if self._persist_layout:
            s = settings()
            s.setValue("window/geometry", self.saveGeometry())
            s.setValue("window/state", self.saveState())
        event.accept()

    def _restore_layout(self) -> None:
        s = settings()
        geometry, state = s.value("window/geometry"), s.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)


def _project_path(mime) -> Path | None:
    for url in mime.urls() if mime.hasUrls() else []:
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".json"):
            return Path(url.toLocalFile())
    return None
