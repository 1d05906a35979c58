"""The training engine: a generator of progress events, on either backend, pausable between steps.

    run = TrainingRun(project)             # builds data, weights and the backend model
    for event in run.events():             # trains; each step and epoch is reported
        ...
    run.control.stop()                     # from any thread: stops before the next step

The engine owns what must be identical across backends: the data split, the order of the batches,
the initial weights and the learning-rate schedule. The backend does forward, backward and update.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..backends import BackendTrainer, trainer_class
from ..config import TrainingConfig
from ..data.dataset import Splits, batches, split
from ..data.registry import load_dataset
from ..errors import PlaygroundError
from ..initialization import initial_parameters
from ..memory import MemoryLimitError, check_memory
from ..project import Project
from ..shapes import ShapeReport, infer
from ..targets import DataMismatch, LossSetup, PreparedSplit, loss_setup, prepare_splits
from .control import RunControl
from .events import EpochEnd, Event, NonFinite, Paused, RunEnded, RunStarted, StepEnd
from .schedules import lr_at


class TrainingError(PlaygroundError, ValueError):
    """The run cannot start; the message says what to fix and ``node_id`` where (if a node)."""


@dataclass
class EpochTally:
    loss_sum: float = 0.0
    correct_sum: float = 0.0
    count: int = 0

    def add(self, loss: float, accuracy: float | None, count: int) -> None:
        self.loss_sum += loss * count
        if accuracy is not None:
            self.correct_sum += accuracy * count
        self.count += count

    def loss(self) -> float:
        return self.loss_sum / self.count if self.count else math.nan

    def accuracy(self, has_accuracy: bool) -> float | None:
        return self.correct_sum / self.count if self.count and has_accuracy else None


def _finite_or_none(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else x


class TrainingRun:
    def __init__(
        self,
        project: Project,
        *,
        backend: str | None = None,
        device: str | None = None,
        epochs: int | None = None,
        seed: int | None = None,
        lr: float | None = None,
        control: RunControl | None = None,
        splits: Splits | None = None,
        initial: dict[str, dict[str, np.ndarray]] | None = None,
    ):
        overrides: dict[str, Any] = {}
        if backend is not None:
            overrides["backend"] = backend
        if device is not None:
            overrides["device"] = device
        if epochs is not None:
            overrides["epochs"] = epochs
        if seed is not None:
            overrides["seed"] = seed
        config = project.training.model_copy(update=overrides)
        if lr is not None:
            config = config.model_copy(update={"optimizer": config.optimizer.model_copy(update={"lr": lr})})
        self.config: TrainingConfig = TrainingConfig.model_validate(config.model_dump())
        self.project = project
        self.graph = project.graph.copy()
        self.control = control or RunControl()

        self.report: ShapeReport = infer(self.graph)
        if not self.report.ok:
            first = self.report.errors[0]
            more = len(self.report.errors) - 1
            raise TrainingError(
                first.message + (f" (and {more} more problem{'s' * (more > 1)})" if more else ""), first.node_id
            )
        try:  # before the dataset is built or a weight allocated
            self.memory = check_memory(project, self.report)
        except MemoryLimitError as err:
            raise TrainingError(str(err)) from None
        if splits is None:
            ds = project.dataset
            try:
                data = load_dataset(ds.name, ds.params, ds.seed)
            except ValueError as err:
                raise TrainingError(f"dataset: {err}") from None
            splits = split(data, ds.val_fraction, ds.test_fraction, ds.seed)
        self.splits = splits
        try:
            self.setup: LossSetup = loss_setup(self.graph, self.report, splits.train)
        except DataMismatch as err:
            raise TrainingError(str(err), err.node_id) from None
        except ValueError as err:  # data the fit rules could not read at all
            raise TrainingError(str(err)) from None
        self.data: dict[str, PreparedSplit] = prepare_splits(splits, self.setup)
        self.initial = initial or initial_parameters(self.graph, self.config.seed, self.config.init, self.report)
        self.trainer: BackendTrainer = trainer_class(self.config.backend)(
            self.graph, self.report, self.initial, self.config, self.setup
        )
        for name, prepared in self.data.items():
            self.trainer.set_data(name, prepared)

        self.base_lr = self.config.optimizer.lr
        self.lr = lr_at(self.base_lr, 0, self.config.epochs, self.config.schedule)
        self.step = 0
        self.epoch = 0  # epochs completed
        self.status = "ready"
        self.history: list[EpochEnd] = []
        self.last_nonfinite: NonFinite | None = None
        self._active_seconds = 0.0
        self._samples = 0
        self._rng = np.random.default_rng(self.config.seed)

    # ------------------------------------------------------------------ running
    @property
    def has_accuracy(self) -> bool:
        return self.setup.accuracy is not None

    @property
    def steps_per_epoch(self) -> int:
        return max(1, math.ceil(len(self.data["train"]) / self.config.batch_size))

    def events(self, epochs: int | None = None) -> Iterator[Event]:
        """Train until ``epochs`` epochs in total are done (default: the configured number)."""
        total_epochs = epochs or self.config.epochs
        control = self.control
        self.status = "running"
        yield RunStarted(
            self.config.backend,
            self.trainer.device,
            total_epochs * self.steps_per_epoch,
            self.steps_per_epoch,
            total_epochs,
        )
        n_train = len(self.data["train"])
        while self.epoch < total_epochs:
            tally = EpochTally()
            self.lr = lr_at(self.base_lr, self.epoch, total_epochs, self.config.schedule)
            for index in batches(n_train, self.config.batch_size, self._rng):
                if control.must_wait():
                    self.status = "paused"
                    yield Paused(self.step)
                if not control.checkpoint():
                    self.status = "stopped"
                    yield RunEnded("stopped", self.step, self.epoch + 1, self.summary("stopped"))
                    return
                self.status = "running"
                self._apply_hyperparameters(total_epochs)
                started = time.perf_counter()
                stats = self.trainer.train_step(index, self.lr)
                elapsed = time.perf_counter() - started
                self.step += 1
                if not stats.finite:
                    yield from self._nonfinite(index)
                    return
                self._active_seconds += elapsed
                self._samples += len(index)
                tally.add(stats.loss, stats.accuracy, len(index))
                yield StepEnd(
                    self.step,
                    self.epoch + 1,
                    stats.loss,
                    stats.accuracy,
                    self.lr,
                    len(index) / elapsed if elapsed > 0 else math.inf,
                    stats.grad_norm,
                )
            val_loss, val_acc = self.trainer.evaluate("val") if len(self.data["val"]) else (None, None)
            self.epoch += 1
            end = EpochEnd(
                self.epoch, self.step, tally.loss(), tally.accuracy(self.has_accuracy), val_loss, val_acc, self.lr
            )
            self.history.append(end)
            yield end
        self.status = "completed"
        yield RunEnded("completed", self.step, self.epoch, self.summary("completed"))

    def _apply_hyperparameters(self, total_epochs: int) -> None:
        pending = self.control.take_hyperparameters()
        if not pending:
            return
        if "lr" in pending:
            self.base_lr = float(pending.pop("lr"))
            self.lr = lr_at(self.base_lr, self.epoch, total_epochs, self.config.schedule)
        if pending:
            self.trainer.set_hyperparameters(**pending)

    def _nonfinite(self, index: np.ndarray) -> Iterator[Event]:
        node, where = self.trainer.locate_nonfinite(index)
        what = {
            "activation": f"the output of {node} became infinite or NaN",
            "loss": "the loss became infinite or NaN",
            "gradient": f"the gradient of {node} became infinite or NaN",
            "weights": f"the weights of {node} overflowed",
        }[where]
        message = (
            f"Training stopped at step {self.step}: {what}. The weights of the last finite step are "
            f"kept. The learning rate ({self.lr:g}) is probably too high: lower it, or clip gradients."
        )
        self.status = "nonfinite"
        event = NonFinite(self.step, self.epoch + 1, node, where, message)
        self.last_nonfinite = event
        yield event
        yield RunEnded("nonfinite", self.step, self.epoch + 1, self.summary("nonfinite"))

    def run(self, callback: Callable[[Event], None] | None = None, epochs: int | None = None) -> dict[str, Any]:
        """Train to the end (or a stop) and return the summary."""
        ended: RunEnded | None = None
        for event in self.events(epochs):
            if callback is not None:
                callback(event)
            if isinstance(event, RunEnded):
                ended = event
        assert ended is not None
        return ended.summary

    # ------------------------------------------------------------------ results
    def summary(self, status: str) -> dict[str, Any]:
        last = self.history[-1] if self.history else None
        out: dict[str, Any] = {
            "status": status,
            "backend": self.config.backend,
            "device": self.trainer.device,
            "epochs": self.epoch,
            "steps": self.step,
            "train_loss": _finite_or_none(last.train_loss) if last else None,
            "train_accuracy": last.train_accuracy if last else None,
            "val_loss": _finite_or_none(last.val_loss) if last else None,
            "val_accuracy": last.val_accuracy if last else None,
            "seconds": round(self._active_seconds, 4),
            "steps_per_second": round(self.step / self._active_seconds, 2) if self._active_seconds else None,
            "samples_per_second": round(self._samples / self._active_seconds, 1) if self._active_seconds else None,
        }
        if status == "nonfinite" and self.last_nonfinite is not None:
            out.update(
                step=self.last_nonfinite.step,
                node=self.last_nonfinite.node,
                where=self.last_nonfinite.where,
                message=self.last_nonfinite.message,
            )
        return out

    def evaluate(self, split_name: str = "val") -> tuple[float, float | None]:
        """Loss and accuracy on a split. Use "test" only at the end, as the course advises."""
        return self.trainer.evaluate(split_name)

    def predict(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float32).reshape(len(x), *self.setup.input_shape)
        return self.trainer.predict(x)


def train(project: Project, **kwargs: Any) -> dict[str, Any]:
    """Train a project headless and return the summary (see :class:`TrainingRun` for options)."""
    return TrainingRun(project, **kwargs).run()
