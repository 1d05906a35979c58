"""The hand-over between the training worker and the GUI: the worker fills an :class:`UpdateBuffer` as fast as it
trains; the GUI takes a :class:`TrainingUpdate` out of it only as often as it can draw."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from ....core.training.doctor import Diagnosis
from ....core.training.events import EpochEnd, NonFinite, RunEnded, StepEnd
from ....core.training.history import STEP_COLUMNS, step_row
from ....core.training.probes import ProbeSnapshot


@dataclass
class TrainingUpdate:
    """Everything that happened since the previous update, ready to plot."""

    steps: dict[str, np.ndarray] = field(default_factory=dict)  # STEP_COLUMNS → new rows
    epochs: list[EpochEnd] = field(default_factory=list)
    probe: ProbeSnapshot | None = None
    diagnoses: list[Diagnosis] | None = None  # None: unchanged
    nonfinite: NonFinite | None = None
    ended: RunEnded | None = None
    generation: int = 0  # which build the update belongs to

    @property
    def step_count(self) -> int:
        return len(self.steps.get("step", ()))


class UpdateBuffer:
    """Filled by the worker, emptied by the GUI; every method is thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.generation = 0
        self._clear()

    def restart(self, generation: int) -> None:
        """Drop what is left of the previous run; what follows belongs to build ``generation``."""
        with self._lock:
            self._clear()
            self.generation = generation

    def _clear(self) -> None:
        self._rows: list[tuple[float, ...]] = []
        self._epochs: list[EpochEnd] = []
        self._probe: ProbeSnapshot | None = None
        self._diagnoses: list[Diagnosis] | None = None
        self._nonfinite: NonFinite | None = None
        self._ended: RunEnded | None = None
        self._empty = True

    def _mark(self) -> bool:
        was_empty, self._empty = self._empty, False
        return was_empty

    @property
    def pending(self) -> bool:
        """Something waits to be taken (a hint, read without the lock: :meth:`take` tells for sure)."""
        return not self._empty

    def add_step(self, e: StepEnd) -> bool:
        """Returns True when the buffer was empty (the GUI needs telling)."""
        row = step_row(e)
        with self._lock:
            self._rows.append(row)
            return self._mark()

    def add(
        self,
        *,
        epoch: EpochEnd | None = None,
        probe: ProbeSnapshot | None = None,
        diagnoses: list[Diagnosis] | None = None,
        nonfinite: NonFinite | None = None,
        ended: RunEnded | None = None,
    ) -> bool:
        with self._lock:
            if epoch is not None:
                self._epochs.append(epoch)
            if probe is not None:
                self._probe = probe  # only the newest probe matters
            if diagnoses is not None:
                self._diagnoses = diagnoses
            if nonfinite is not None:
                self._nonfinite = nonfinite
            if ended is not None:
                self._ended = ended
            return self._mark()

    def take(self) -> TrainingUpdate | None:
        with self._lock:
            if self._empty:
                return None
            rows, epochs, probe = self._rows, self._epochs, self._probe
            diagnoses, nonfinite, ended = self._diagnoses, self._nonfinite, self._ended
            generation = self.generation
            self._clear()
        steps: dict[str, np.ndarray] = {}
        if rows:
            table = np.asarray(rows, dtype=np.float64)
            steps = {name: table[:, i] for i, name in enumerate(STEP_COLUMNS)}
        return TrainingUpdate(steps, epochs, probe, diagnoses, nonfinite, ended, generation)
