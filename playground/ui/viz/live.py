"""Filters and feature maps that follow a training run: twice a second, while the Visualize workspace
shows one of them for the project's network with the run's weights, and the run has moved on, the
worker recomputes the picture from the run's current weights (a copy, taken between two steps or
during one: a picture of weights a step apart is still the right picture)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from ..on_screen import on_screen

if TYPE_CHECKING:
    from .workspace import VizWorkspace

INTERVAL_MS = 500


class LiveFollower(QObject):
    def __init__(self, workspace: VizWorkspace, session: Any):
        super().__init__(workspace)
        self.workspace = workspace
        self.session = session  # the Training area's TrainingSession
        self.last_step: int | None = None
        self.last_run: Any = None
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def wanted(self) -> bool:
        w = self.workspace
        return (
            on_screen(w)
            and w.model_ready
            and not w.busy
            and w.controls.method.live
            and w.sources.model_choice().kind == "run"
            and w.shows_run_weights
        )

    def tick(self) -> None:
        if not self.wanted() or self.workspace.live_pending:
            return
        run = self.session.current_run
        if run is None:
            return
        step = run.step
        if run is self.last_run and step == self.last_step:
            return
        self.last_run, self.last_step = run, step
        self.workspace.request_live(run)

    def forget(self) -> None:
        """The picture changed for another reason (a new method or layer): refresh at the next tick."""
        self.last_step = None
