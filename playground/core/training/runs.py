"""Run history: every training run's settings, metrics and diagnoses, kept as JSON in the app's data folder.

    store = RunStore()                      # <data dir>/runs; PLAYGROUND_DATA_DIR moves it (tests do)
    record = RunRecord.start(run, "adam 1e-3")
    ...                                     # train, recording into record.history
    record.finish(summary, diagnoses)
    store.save(record)
    store.list(project="Spiral")            # newest first, metadata only
    store.load(run_id).history              # the metrics, to overlay curves
    export_csv(record.history, "curves.csv")

Each run is two files: ``<id>.json`` (what is listed: settings, summary, diagnoses) and
``<id>.metrics.json`` (the curves), so listing many runs stays quick. In the metrics, the step and epoch tables
are blocks of float64 numbers in base64 (quick to write and read); files written with them as lists of numbers
read as well. ``export_csv`` gives the curves as text.
"""

from __future__ import annotations

import csv
import json
import math
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from ..io.json_pieces import dumps_in_pieces
from ..io.project_file import atomic_write, project_to_dict
from .history import MetricHistory


class RunStoreError(ValueError):
    """A run file is missing or unreadable; the message names it."""


def data_dir() -> Path:
    """The app's data directory (the same one the desktop app uses)."""
    override = os.environ.get("PLAYGROUND_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir("playground", appauthor=False))


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def describe_config(training: dict[str, Any]) -> str:
    """A short label for a run's settings: "adam lr=0.001 bs=32"."""
    opt = training.get("optimizer", {})
    parts = [
        f"{opt.get('name', '?')} lr={opt.get('lr', '?'):g}"
        if isinstance(opt.get("lr"), float | int)
        else str(opt.get("name", "?")),
        f"bs={training.get('batch_size', '?')}",
    ]
    if training.get("weight_decay"):
        parts.append(f"wd={training['weight_decay']:g}")
    if training.get("backend") == "numpy":
        parts.append("numpy")
    return " ".join(parts)


# What a run's head (the index entry, without its curves) holds, in this order.
HEAD_FIELDS = (
    "id",
    "project",
    "label",
    "started",
    "finished",
    "status",
    "backend",
    "device",
    "training",
    "dataset",
    "graph",
    "summary",
    "diagnoses",
)


@dataclass
class RunRecord:
    id: str
    project: str
    label: str
    started: str
    status: str = "running"
    finished: str | None = None
    backend: str = "torch"
    device: str = "cpu"
    training: dict[str, Any] = field(default_factory=dict)
    dataset: dict[str, Any] = field(default_factory=dict)
    graph: dict[str, Any] | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    diagnoses: list[dict[str, Any]] = field(default_factory=list)
    history: MetricHistory | None = None  # None when only listed, not loaded

    @staticmethod
    def new_id() -> str:
        return datetime.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)

    @classmethod
    def start(cls, run: Any, label: str | None = None, history: MetricHistory | None = None) -> RunRecord:
        """A record for a :class:`~playground.core.training.engine.TrainingRun` about to train."""
        training = run.config.model_dump(mode="json")
        project_dict = project_to_dict(run.project)
        return cls(
            cls.new_id(),
            run.project.name,
            label or describe_config(training),
            _now(),
            backend=run.config.backend,
            device=run.trainer.device,
            training=training,
            dataset=project_dict.get("dataset", {}),
            graph=project_dict.get("graph"),
            history=history if history is not None else MetricHistory.for_run(run),
        )

    def finish(self, summary: dict[str, Any], diagnoses: Sequence[Any] = ()) -> None:
        # a test-set evaluation asked for during the run is kept
        kept = {k: v for k, v in self.summary.items() if k.startswith("test_")}
        self.summary = {**dict(summary), **kept}
        self.status = str(summary.get("status", self.status))
        self.finished = _now()
        self.diagnoses = [d.to_dict() if hasattr(d, "to_dict") else dict(d) for d in diagnoses]

    def record_test(self, loss: float, accuracy: float | None) -> None:
        """Keep a test-set evaluation (asked for by the user, at the end, as the course advises)."""
        self.summary["test_loss"] = loss
        self.summary["test_accuracy"] = accuracy
        if self.history is not None:
            self.history.test = {"loss": loss, "accuracy": accuracy}

    # ------------------------------------------------------------------ reading
    def final(self, key: str) -> float | None:
        """A final metric from the summary (train_loss, val_accuracy, …), None if absent."""
        value = self.summary.get(key)
        return float(value) if isinstance(value, int | float) and math.isfinite(value) else None

    def head(self) -> dict[str, Any]:
        return _clean({k: getattr(self, k) for k in HEAD_FIELDS})

    @classmethod
    def from_head(cls, data: dict[str, Any]) -> RunRecord:
        known = {k: data[k] for k in HEAD_FIELDS if k in data}
        return cls(**known)


def newest_first(records: list[RunRecord]) -> list[RunRecord]:
    """Runs in the order the history lists them: the latest started first."""
    return sorted(records, key=lambda r: (r.started, r.id), reverse=True)


class RunStore:
    def __init__(self, root: str | Path | None = None):
        self.root = Path(root) if root is not None else data_dir() / "runs"

    def _head_path(self, run_id: str) -> Path:
        if not run_id or any(c in run_id for c in "/\\") or run_id.startswith("."):
            raise RunStoreError(f"'{run_id}' is not a run id")
        return self.root / f"{run_id}.json"

    def _metrics_path(self, run_id: str) -> Path:
        return self.root / f"{run_id}.metrics.json"

    def save(self, record: RunRecord) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        if record.history is not None:
            atomic_write(self._metrics_path(record.id), dumps_in_pieces(record.history.to_dict(packed=True)))
        path = self._head_path(record.id)
        atomic_write(path, json.dumps(record.head(), indent=1, ensure_ascii=False))
        return path

    def list(self, project: str | None = None) -> list[RunRecord]:
        """Saved runs, newest first, without their metrics (unreadable files are skipped)."""
        if not self.root.is_dir():
            return []
        records = []
        for path in self.root.glob("*.json"):
            if path.name.endswith(".metrics.json"):
                continue
            try:
                record = RunRecord.from_head(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue
            if project is None or record.project == project:
                records.append(record)
        return newest_first(records)

    def load(self, run_id: str) -> RunRecord:
        head = self._head_path(run_id)
        try:
            record = RunRecord.from_head(json.loads(head.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise RunStoreError(f"no saved run '{run_id}' in {self.root}") from None
        except (OSError, ValueError, TypeError) as err:
            raise RunStoreError(f"{head}: unreadable run file ({err})") from None
        metrics = self._metrics_path(run_id)
        try:
            record.history = MetricHistory.from_dict(json.loads(metrics.read_text(encoding="utf-8")))
        except FileNotFoundError:
            record.history = MetricHistory()
        except (OSError, ValueError, TypeError, KeyError) as err:
            raise RunStoreError(f"{metrics}: unreadable metrics ({err})") from None
        return record

    def delete(self, run_id: str) -> None:
        head = self._head_path(run_id)
        if not head.exists():
            raise RunStoreError(f"no saved run '{run_id}' in {self.root}")
        head.unlink()
        self._metrics_path(run_id).unlink(missing_ok=True)


CSV_COLUMNS = (
    "step",
    "epoch",
    "loss",
    "accuracy",
    "lr",
    "grad_norm",
    "epoch_train_loss",
    "epoch_train_accuracy",
    "val_loss",
    "val_accuracy",
)


def export_csv(history: MetricHistory, path: str | Path) -> Path:
    """One row per step; the epoch columns are filled on the last step of each epoch."""
    steps, epochs = history.steps, history.epochs
    at_step = {int(s): i for i, s in enumerate(epochs.column("step"))}

    def cell(value: float) -> str:
        return "" if not math.isfinite(value) else f"{value:.6g}"

    path = Path(path)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        cols = [steps.column(c) for c in ("step", "epoch", "loss", "accuracy", "lr", "grad_norm")]
        ecols = [epochs.column(c) for c in ("train_loss", "train_accuracy", "val_loss", "val_accuracy")]
        for i in range(len(steps)):
            row = [str(int(cols[0][i])), str(int(cols[1][i]))] + [cell(c[i]) for c in cols[2:]]
            j = at_step.get(int(cols[0][i]))
            row += [cell(c[j]) for c in ecols] if j is not None else [""] * 4
            writer.writerow(row)
    return path
