"""How often the GUI takes an update from a running worker: at most 30 times a second, less when drawing gets
expensive. Training and drawing share one interpreter lock: when drawing gets slow (many panels open, a busy
machine), updates come less often rather than starving the training thread."""

from __future__ import annotations

MAX_UPDATES_PER_SECOND = 30
# The GUI thread should be busy at most this share of the time while a run goes on: the run gives way while an
# update is drawn (RunControl.give_way), so this is about what drawing costs the training too.
GUI_SHARE = 0.06
SLOWEST_UPDATE = 2.0  # seconds: an update at least every 2 s (every panel of the app open and drawing)
MEASURE_OVER = 0.2  # seconds: the busy share is measured over a few updates, not one


class UpdatePacer:
    """The interval between two updates, steered by how busy the GUI thread was (all its work: slots,
    painting) since the last measurement."""

    def __init__(self) -> None:
        self.interval = 1.0 / MAX_UPDATES_PER_SECOND
        self.last_flush = 0.0  # wall clock of the last update handed out
        self._mark: tuple[float, float] | None = None  # (wall clock, GUI thread CPU time) at a past update

    def wait(self, now: float, interval: float | None = None) -> float:
        """Seconds still to wait before the next update may go out (≤ 0: now)."""
        return self.last_flush + (self.interval if interval is None else interval) - now

    def restart(self) -> None:
        """A new run: measure afresh. The interval is kept: what the panels cost to draw does not change."""
        self._mark = None

    def flushed(self, now: float, cpu: float) -> None:
        """An update went out at wall clock ``now``, with the GUI thread's CPU time at ``cpu``."""
        self.last_flush = now
        if self._mark is None:
            self._mark = (now, cpu)
            return
        wall = now - self._mark[0]
        if wall > MEASURE_OVER:
            busy = (cpu - self._mark[1]) / wall
            factor = min(2.0, max(0.5, busy / GUI_SHARE))
            self.interval = min(SLOWEST_UPDATE, max(1.0 / MAX_UPDATES_PER_SECOND, self.interval * factor))
            self._mark = (now, cpu)
