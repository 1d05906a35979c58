"""The sequence panels in the window: hidden states and gates, gradient through time, and generation, each in a
dock tabbed with the other training views, Train ▸ Sequence Panels to bring each to the front, and the wiring that
feeds them from the training run on either backend (:mod:`.sequence_feed`).

A panel whose layers the project lacks says so (no recurrent layer, no token Input); the feed measures only the
views whose panel is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget

from ...core.generation.sequence_probe import SequenceSnapshot
from ...core.viz.sequence_views import PROBE_VIEWS, sequence_views
from ..menu_actions import add_menu_actions
from ..on_screen import on_screen
from ..panels.generation import GenerationPanel
from ..panels.hidden_states import HiddenStatesPanel
from ..panels.through_time import ThroughTimePanel
from .sequence_feed import SequenceFeed

if TYPE_CHECKING:
    from ..host import HostWindow
    from .area import TrainingArea

# (view, dock key, dock title, the dock it is tabbed with, menu entry, status tip): generation beside the curves,
# so that the text and the hidden states can be watched at once
DOCKS = (
    (
        "recurrent",
        "hidden_states",
        "Hidden states",
        "histograms",
        "&Hidden States and Gates",
        "h_t and gates over time",
    ),
    ("through_time", "through_time", "Through time", "histograms", "&Gradient Through Time", "‖∂L/∂h_t‖ against t"),
    ("generation", "generation", "Generation", "curves", "Generate &Text", "Continue a prompt as the model trains"),
)
WATCH_MS = 400  # how often the shown panels are checked (a dock tab brought to the front shows its panel)


class SequencePanels(QObject):
    def __init__(self, window: HostWindow, area: TrainingArea):
        super().__init__(area)
        self.window, self.area, self.session = window, area, area.session
        self.feed = SequenceFeed()  # no parent: Qt must not delete it while its thread runs
        feed = self.feed  # the lambda keeps the thread object alive until it has stopped
        self.destroyed.connect(lambda *_: feed.shutdown())
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(feed.shutdown)
        self.panels: dict[str, Any] = {
            "recurrent": HiddenStatesPanel(),
            "through_time": ThroughTimePanel(),
            "generation": GenerationPanel(),
        }
        self.docks: dict[str, QDockWidget] = {}
        self._shown: set[str] = set()
        self.session.run_built.connect(self._on_built)
        self.session.updated.connect(self._on_update)
        self.session.state_changed.connect(self._on_state)
        self.feed.snapshot.connect(self._on_snapshot)
        self.feed.failed.connect(self._on_failed)
        self.panels["generation"].options_changed.connect(self.feed.configure)
        area.document.project_replaced.connect(lambda _p: self.follow_graph())
        area.document.graph_changed.connect(self.follow_graph)
        self.watch = QTimer(self)
        self.watch.setInterval(WATCH_MS)
        self.watch.timeout.connect(self._watch_visibility)
        self.watch.start()
        self.feed.configure(self.panels["generation"].options())
        self.feed.start()
        self.follow_graph()

    # ------------------------------------------------------------------ the project
    def follow_graph(self) -> None:
        """Each panel says whether the project's network has what it shows."""
        views = sequence_views(self.area.document.graph, PROBE_VIEWS)
        for view, panel in self.panels.items():
            panel.set_problem(views[view])
        # a panel that does not apply never stays in front of the dock it is tabbed with (Curves, Histograms);
        # a panel behind another tab leaves that tab, the user's choice, in front
        for view, _key, _title, beside, _entry, _tip in DOCKS:
            dock, other = self.docks.get(view), self.area.docks.get(beside)
            if views[view] is not None and dock is not None and other is not None and on_screen(dock):
                other.raise_()

    # ------------------------------------------------------------------ the run
    def _on_built(self, _info: Any) -> None:
        for panel in self.panels.values():
            panel.reset()
        self.feed.attach(self.session.current_run, self.session.generation)

    def _on_state(self, state: str) -> None:
        if state == "empty":
            self.feed.attach(None, self.session.generation)

    def _on_update(self, update: Any) -> None:
        if update.generation == self.session.generation and update.steps:
            self.feed.moved(int(update.steps["step"][-1]))

    def _on_snapshot(self, generation: int, snap: SequenceSnapshot) -> None:
        if generation != self.session.generation:
            return  # measured on a run a reset has replaced
        for panel in self.panels.values():
            panel.show_snapshot(snap)

    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self.session.generation:
            self.window.show_message(f"Sequence panels: {message}")

    def _watch_visibility(self) -> None:
        shown = {view for view, panel in self.panels.items() if on_screen(panel)}
        if shown != self._shown:
            self._shown = shown
            self.feed.want(shown)

    # ------------------------------------------------------------------ the menu
    def show(self, view: str) -> None:
        """Bring ``view``'s dock to the front and put the keyboard focus in it."""
        dock = self.docks[view]
        dock.show()
        dock.raise_()
        panel = self.panels[view]
        first = panel.prompt if view == "generation" else panel.layer_box if view == "recurrent" else panel
        first.setFocus()
        self._watch_visibility()

    def shutdown(self) -> None:
        self.watch.stop()
        self.feed.shutdown()


def install_sequence_panels(window: HostWindow, area: TrainingArea) -> SequencePanels:
    """Add the three docks (tabbed with the Histograms and the Curves docks) and Train ▸ Sequence Panels."""
    panels = SequencePanels(window, area)
    for view, key, title, beside, _entry, _tip in DOCKS:
        dock = window.add_panel(
            panels.panels[view], title, Qt.DockWidgetArea.BottomDockWidgetArea, key, tabify_with=area.docks.get(beside)
        )
        panels.docks[view] = area.docks[key] = dock
        area.panel_docks[key] = dock
        if beside in area.docks:
            area.docks[beside].raise_()  # the dock added last would be in front: the first views stay there
    train = window.menu("&Train")
    train.addSeparator()
    menu = train.addMenu("&Sequence Panels")
    menu.setObjectName("menu_sequence_panels")
    add_menu_actions(
        window,
        menu,
        [(f"show_{key}", entry, "", lambda v=view: panels.show(v), tip) for view, key, _t, _b, entry, tip in DOCKS],
    )
    window.closing.connect(panels.shutdown)
    return panels
