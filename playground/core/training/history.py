"""A run's metrics as they arrive, per step, per epoch and per probe: what the doctor reads and runs keep.

history = MetricHistory(layers=["dense1", "dense2"], steps_per_epoch=30)
for event in run.events():
    history.record(event)            # StepEnd, EpochEnd, NonFinite, RunEnded; others are ignored
history.steps.column("loss")         # a NumPy view, no copy
"""

from __future__ import annotations

import base64
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .events import EpochEnd, Event, NonFinite, RunEnded, RunStarted, StepEnd
from .probes import ProbeSnapshot, weighted_layers

PACKED = "float64_base64"  # the key of a table saved as one block of numbers (Series.packed)
STEP_COLUMNS = ("step", "epoch", "loss", "accuracy", "lr", "grad_norm")
EPOCH_COLUMNS = ("epoch", "step", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr")


def _f(value: float | None) -> float:
    return math.nan if value is None else float(value)


def step_row(e: StepEnd) -> tuple[float, ...]:
    """A step's values in the order of :data:`STEP_COLUMNS` (no accuracy: NaN)."""
    return (e.step, e.epoch, e.loss, _f(e.accuracy), e.lr, e.grad_norm)


class Series:
    """Named float columns that grow row by row; :meth:`column` is a view of the rows filled so far."""

    def __init__(self, names: tuple[str, ...], capacity: int = 1024):
        self.names = names
        self._index = {n: i for i, n in enumerate(names)}
        self._data = np.full((max(capacity, 16), len(names)), np.nan)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def append(self, *values: float) -> None:
        if self._n == len(self._data):
            grown = np.full((2 * len(self._data), len(self.names)), np.nan)
            grown[: self._n] = self._data
            self._data = grown
        self._data[self._n] = values
        self._n += 1

    def extend(self, columns: dict[str, np.ndarray]) -> None:
        """Append many rows at once, given as one array per column (missing columns are NaN)."""
        n = len(next(iter(columns.values()), ()))
        if n == 0:
            return
        needed = self._n + n
        if needed > len(self._data):
            grown = np.full((max(needed, 2 * len(self._data)), len(self.names)), np.nan)
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        for name, values in columns.items():
            if name in self._index:
                self._data[self._n : needed, self._index[name]] = values
        self._n = needed

    def column(self, name: str) -> np.ndarray:
        return self._data[: self._n, self._index[name]]

    def last(self, name: str) -> float:
        return float(self._data[self._n - 1, self._index[name]]) if self._n else math.nan

    def rows(self, max_rows: int | None = None) -> np.ndarray:
        """The rows so far; a longer series averaged in buckets down to ``max_rows`` rows."""
        rows = self._data[: self._n]
        if max_rows is not None and self._n > max_rows:
            edges = np.linspace(0, self._n, max_rows + 1).astype(int)  # strictly increasing: n > max_rows
            # each bucket's mean of the values that are not NaN, all buckets at once
            present = ~np.isnan(rows)
            sums = np.add.reduceat(np.where(present, rows, 0.0), edges[:-1], axis=0)
            counts = np.add.reduceat(present, edges[:-1], axis=0)
            with np.errstate(invalid="ignore"):
                rows = sums / counts  # a bucket of only NaN (no accuracy) stays NaN
            rows[:, 0] = self._data[edges[1:] - 1, 0]  # keep the true step / epoch number of each bucket's end
        return rows

    def to_dict(self, max_rows: int | None = None) -> dict[str, list[float | None]]:
        """Columns as lists (NaN → None), at most ``max_rows`` rows (see :meth:`rows`)."""
        rows = self.rows(max_rows)
        return {n: _finite_list(rows[:, i]) for i, n in enumerate(self.names)}

    def packed(self, max_rows: int | None = None) -> dict[str, Any]:
        """The rows as one block of little-endian float64 numbers in base64 (NaN kept), with the column names: a
        run of 20,000 steps is written in a millisecond, where its 120,000 numbers as JSON text take 40 ms."""
        rows = np.ascontiguousarray(self.rows(max_rows), dtype="<f8")
        return {
            "columns": list(self.names),
            "rows": len(rows),
            PACKED: base64.b64encode(rows.tobytes()).decode("ascii"),
        }

    @classmethod
    def from_dict(cls, names: tuple[str, ...], data: dict[str, Any]) -> Series:
        """The columns of :meth:`to_dict` (None → NaN, a missing column all NaN) or the block of :meth:`packed`.
        Raises ValueError when a column's length differs from the first's, or the block from its shape."""
        if PACKED in data:
            return cls._unpacked(names, data)
        n = len(data.get(names[0], []))
        series = cls(names, n)
        for name in names:
            values = data.get(name)
            if values is None:
                continue
            if len(values) != n:
                raise ValueError(f"column '{name}' has {len(values)} values, '{names[0]}' has {n}")
            series._data[:n, series._index[name]] = np.array(values, dtype=np.float64)
        series._n = n
        return series

    @classmethod
    def _unpacked(cls, names: tuple[str, ...], data: dict[str, Any]) -> Series:
        columns, n = list(data.get("columns", [])), int(data.get("rows", 0))
        block = np.frombuffer(base64.b64decode(data[PACKED], validate=True), dtype="<f8")
        if n < 0 or block.size != n * len(columns):
            raise ValueError(f"a block of {block.size} numbers is not {n} rows of {len(columns)} columns")
        rows = block.reshape(n, len(columns))
        series = cls(names, n)
        for i, name in enumerate(columns):
            if name in series._index:  # a column this version does not know is left out, a missing one is NaN
                series._data[:n, series._index[name]] = rows[:, i]
        series._n = n
        return series


def _finite_list(values: np.ndarray) -> list[float | None]:
    """The values as Python floats, NaN and infinities as None (JSON has neither): one pass in NumPy, not one
    test per value (a saved run has up to 20,000 rows)."""
    out: list[float | None] = values.tolist()
    for i in np.flatnonzero(~np.isfinite(values)).tolist():
        out[i] = None
    return out


@dataclass
class LayerProbe:
    """The per-layer numbers of one probe that the doctor follows over time."""

    step: int
    grad_norms: dict[str, float] = field(default_factory=dict)
    weight_norms: dict[str, float] = field(default_factory=dict)
    dead: dict[str, float] = field(default_factory=dict)  # ReLU layers: share of dead units
    saturated: dict[str, float] = field(default_factory=dict)  # sigmoid / tanh layers: share saturated
    update_ratios: dict[str, float] = field(default_factory=dict)  # filled by the step after the probe
    through_time: dict[str, list[float]] = field(default_factory=dict)  # recurrent layers: ‖∂L/∂h_t‖, t = 1 … T


class MetricHistory:
    def __init__(
        self,
        layers: list[str] | None = None,
        layer_types: dict[str, str] | None = None,
        steps_per_epoch: int = 0,
        has_accuracy: bool = False,
        task: str = "classification",
        clipping: bool = False,
        batch_size: int = 0,
    ):
        self.layers = list(layers or [])  # weighted layers, input side first
        self.layer_types = dict(layer_types or {})
        self.steps_per_epoch = steps_per_epoch
        self.has_accuracy = has_accuracy
        self.task = task
        self.clipping = clipping
        self.batch_size = batch_size  # 0 when unknown
        self.steps = Series(STEP_COLUMNS)
        self.epochs = Series(EPOCH_COLUMNS, 64)
        self.probes: list[LayerProbe] = []
        self.nonfinite: NonFinite | None = None
        self.status = "ready"
        self.test: dict[str, float | None] | None = None

    @classmethod
    def for_run(cls, run: Any) -> MetricHistory:
        """A history shaped for a :class:`~playground.core.training.engine.TrainingRun`."""
        order = [n.name for n in run.report.order]
        return cls(
            weighted_layers(run.graph, order),
            {n.name: n.type for n in run.graph.nodes},
            run.steps_per_epoch,
            run.has_accuracy,
            run.setup.task,
            run.config.clip_norm is not None or run.config.clip_value is not None,
            run.config.batch_size,
        )

    # ------------------------------------------------------------------ recording
    def record(self, event: Event) -> None:
        if isinstance(event, StepEnd):
            self.steps.append(*step_row(event))
        elif isinstance(event, EpochEnd):
            self.epochs.append(
                event.epoch,
                event.step,
                event.train_loss,
                _f(event.train_accuracy),
                _f(event.val_loss),
                _f(event.val_accuracy),
                event.lr,
            )
        elif isinstance(event, NonFinite):
            self.nonfinite = event
            self.status = "nonfinite"
        elif isinstance(event, RunEnded):
            self.status = event.status
        elif isinstance(event, RunStarted):
            self.status = "running"
            if event.steps_per_epoch:
                self.steps_per_epoch = event.steps_per_epoch

    def record_probe(self, snap: ProbeSnapshot) -> LayerProbe:
        probe = LayerProbe(
            snap.step,
            dict(snap.grad_norms),
            dict(snap.weight_norms),
            {a.node: a.dead for a in snap.activations if a.dead is not None},
            {a.node: a.saturated for a in snap.activations if a.saturated is not None},
            through_time={name: list(norms) for name, norms in snap.through_time.items()},
        )
        self.probes.append(probe)
        return probe

    def record_update_ratios(self, step: int, ratios: dict[str, float]) -> None:
        """Attach the one-step update ratios measured right after the last probe."""
        if self.probes and self.probes[-1].step == step - 1:
            self.probes[-1].update_ratios = dict(ratios)

    # ------------------------------------------------------------------ reading
    @property
    def step(self) -> int:
        return int(self.steps.last("step")) if len(self.steps) else 0

    @property
    def losses(self) -> np.ndarray:
        return self.steps.column("loss")

    # ------------------------------------------------------------------ storage
    def to_dict(self, max_steps: int = 20000, max_probes: int = 1000, packed: bool = False) -> dict[str, Any]:
        """Plain JSON values; with ``packed`` the step and epoch tables are blocks of numbers (Series.packed),
        as the run history saves them."""
        probes = self.probes
        if len(probes) > max_probes:
            keep = np.unique(np.linspace(0, len(probes) - 1, max_probes).astype(int))
            probes = [probes[i] for i in keep]
        return {
            "layers": self.layers,
            "layer_types": self.layer_types,
            "steps_per_epoch": self.steps_per_epoch,
            "has_accuracy": self.has_accuracy,
            "task": self.task,
            "clipping": self.clipping,
            "batch_size": self.batch_size,
            "status": self.status,
            "steps": self.steps.packed(max_steps) if packed else self.steps.to_dict(max_steps),
            "epochs": self.epochs.packed() if packed else self.epochs.to_dict(),
            "probes": [asdict(p) for p in probes],
            "nonfinite": asdict(self.nonfinite) if self.nonfinite else None,
            "test": self.test,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MetricHistory:
        h = cls(
            data.get("layers"),
            data.get("layer_types"),
            int(data.get("steps_per_epoch", 0)),
            bool(data.get("has_accuracy", False)),
            data.get("task", "classification"),
            bool(data.get("clipping", False)),
            int(data.get("batch_size", 0)),
        )
        h.status = data.get("status", "ready")
        h.steps = Series.from_dict(STEP_COLUMNS, data.get("steps", {}))
        h.epochs = Series.from_dict(EPOCH_COLUMNS, data.get("epochs", {}))
        h.probes = [LayerProbe(**p) for p in data.get("probes", [])]
        nonfinite = data.get("nonfinite")
        h.nonfinite = NonFinite(**nonfinite) if nonfinite else None
        h.test = data.get("test")
        return h
