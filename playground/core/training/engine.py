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
from ..backends.base import NonFiniteCause
from ..config import TrainingConfig
from ..data.augment import check_augmentation
from ..data.dataset import Splits, split
from ..data.registry import load_dataset
from ..errors import PlaygroundError
from ..initialization import initial_parameters
from ..memory import MemoryLimitError, check_memory
from ..project import Project
from ..shapes import ShapeReport, infer
from ..targets import DataMismatch, LossSetup, PreparedSplit, loss_setup, prepare_splits
from .control import RunControl
from .events import EpochEnd, Event, NonFinite, Paused, RunEnded, RunStarted, RunWarning, StepEnd
from .schedules import lr_at
from .stops import nonfinite_message, validation_warning


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


def _run_config(settings: TrainingConfig, given: dict[str, Any]) -> TrainingConfig:
    """The project's training settings with the values a caller gave (None: keep the project's), checked."""
    overrides = {k: v for k, v in given.items() if v is not None and k != "lr"}
    config = settings.model_copy(update=overrides)
    if given.get("lr") is not None:
        config = config.model_copy(update={"optimizer": config.optimizer.model_copy(update={"lr": given["lr"]})})
    return TrainingConfig.model_validate(config.model_dump())


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
        given = {"backend": backend, "device": device, "epochs": epochs, "seed": seed, "lr": lr}
        self.config: TrainingConfig = _run_config(project.training, given)
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
        augmentation = project.dataset.augmentation
        try:
            check_augmentation(augmentation, splits.train.sample_shape)
        except ValueError as err:
            raise TrainingError(f"dataset: {err}") from None
        self.trainer.set_augmentation(augmentation, self.config.seed)

        self.base_lr = self.config.optimizer.lr
        self.lr = lr_at(self.base_lr, 0, self.config.epochs, self.config.schedule)
        self.step = 0
        self.epoch = 0  # epochs completed
        self.status = "ready"
        self.history: list[EpochEnd] = []
        self.last_nonfinite: NonFinite | None = None
        self._active_seconds = 0.0
        self._samples = 0
        self.order_rng = np.random.default_rng(self.config.seed)  # draws each epoch's batch order
        # the current epoch's order (None between epochs), the steps reported in it, its tally; see continue_epoch
        self._epoch_order: np.ndarray | None = None
        self._epoch_steps, self._tally, self._continue_epoch = 0, EpochTally(), False
        self.warnings: list[str] = []
        # Steps are reported in blocks, read back from the backend at once: at most this often (the
        # rate someone looks at them: a progress bar, the app's update interval) and this many steps.
        self.report_interval = 1 / 30
        self.report_steps = 256
        self._report_at: set[int] = set()
        self._block: list[tuple[int, float]] = []  # (batch size, learning rate) of the steps not reported yet
        self._block_seconds = 0.0
        self._ahead = 0

    # ------------------------------------------------------------------ running
    @property
    def has_accuracy(self) -> bool:
        return self.setup.accuracy is not None

    @property
    def steps_per_epoch(self) -> int:
        return max(1, math.ceil(len(self.data["train"]) / self.config.batch_size))

    def report_step(self, step: int) -> None:
        """Have step ``step`` reported on its own, while the backend is still at that step (the monitor
        asks for this when it will look at the weights then)."""
        self._report_at.add(step)

    @property
    def trained_steps(self) -> int:
        """Steps the backend has taken: ahead of :attr:`step` while a block of steps is being reported."""
        return self.step + self._ahead + len(self._block)

    def events(self, epochs: int | None = None) -> Iterator[Event]:
        """Train until ``epochs`` epochs in total are done (default: the configured number)."""
        with self.trainer.working():
            yield from self._train(epochs or self.config.epochs)

    def _train(self, total_epochs: int) -> Iterator[Event]:
        control = self.control
        self.status = "running"
        yield RunStarted(
            self.config.backend,
            self.trainer.device,
            total_epochs * self.steps_per_epoch,
            self.steps_per_epoch,
            total_epochs,
            self.trainer.threads,
        )
        n_train, size = len(self.data["train"]), self.config.batch_size
        while self.epoch < total_epochs:
            tally, order, first = self._begin_epoch(n_train)
            self.lr = lr_at(self.base_lr, self.epoch, total_epochs, self.config.schedule)
            self.trainer.begin_epoch(order)
            expect = getattr(self.data["train"].x, "expect", None)
            if expect is not None:  # images read from disk: each batch is decoded while the one before trains
                expect(order[first:], size)
            for start in range(first, n_train, size):
                control.take_turn()  # the interface may be drawing an update
                if control.must_wait():
                    yield from self._report(tally)
                    if self.status == "nonfinite":
                        return
                    self.status = "paused"
                    yield Paused(self.step)
                if not control.checkpoint():
                    yield from self._report(tally)
                    if self.status != "nonfinite":
                        self.status = "stopped"
                        yield RunEnded("stopped", self.step, self.epoch + 1, self.summary("stopped"))
                    return
                self.status = "running"
                yield from self._apply_hyperparameters(total_epochs, tally)
                if self.status == "nonfinite":
                    return
                started = time.perf_counter()
                stop = min(start + size, n_train)
                self.trainer.run_step(start, stop, self.lr)
                self._block.append((stop - start, self.lr))
                self._block_seconds += time.perf_counter() - started
                if self._report_due():
                    yield from self._report(tally)
                    if self.status == "nonfinite":
                        return
            yield from self._report(tally)
            if self.status == "nonfinite":
                return
            yield from self._end_epoch(tally)
        self.status = "completed"
        yield RunEnded("completed", self.step, self.epoch, self.summary("completed"))

    def _begin_epoch(self, n_train: int) -> tuple[EpochTally, np.ndarray, int]:
        """The epoch's tally, its order (the one batches() would give) and the position of its first step."""
        if self._continue_epoch and self._epoch_order is not None:
            first = self._epoch_steps * self.config.batch_size
        else:
            self._epoch_order, self._epoch_steps, self._tally = self.order_rng.permutation(n_train), 0, EpochTally()
            first = 0
        self._continue_epoch = False
        return self._tally, self._epoch_order, first

    def epoch_position(self) -> tuple[np.ndarray | None, int, EpochTally]:
        """Where the run is inside an epoch: its order (None between epochs), the steps taken in it, its tally."""
        return self._epoch_order, self._epoch_steps, self._tally

    def continue_epoch(self, order: np.ndarray, steps: int, tally: EpochTally) -> None:
        """Make the next epoch the rest of one begun elsewhere (a checkpoint saved mid-epoch)."""
        self._epoch_order, self._epoch_steps, self._tally = order, steps, tally
        self._continue_epoch = True

    def _end_epoch(self, tally: EpochTally) -> Iterator[Event]:
        self._epoch_order = None
        val_loss, val_acc = self.trainer.evaluate("val") if len(self.data["val"]) else (None, None)
        self.epoch += 1
        train_accuracy = tally.accuracy(self.has_accuracy)
        end = EpochEnd(self.epoch, self.step, tally.loss(), train_accuracy, val_loss, val_acc, self.lr)
        self.history.append(end)
        yield end
        warning = None if self.warnings else validation_warning(val_loss, self.data["val"])
        if warning is not None:
            self.warnings.append(warning)
            yield RunWarning(self.step, self.epoch, warning)

    def _report_due(self) -> bool:
        queued = len(self._block)
        if self.step + queued in self._report_at:
            self._report_at.discard(self.step + queued)
            return True
        return queued >= self.report_steps or self._block_seconds >= self.report_interval

    def _report(self, tally: EpochTally) -> Iterator[Event]:
        """Read back the block of steps run since the last report and report each of them."""
        started = time.perf_counter()
        stats = self.trainer.take_stats()
        seconds = self._block_seconds + time.perf_counter() - started
        block, self._block, self._block_seconds = self._block, [], 0.0
        if not stats:
            return
        samples = sum(size for size, _lr in block[: len(stats)])
        rate = samples / seconds if seconds > 0 else math.inf
        self._active_seconds += seconds
        self._ahead = len(stats)
        for stat, (size, lr) in zip(stats, block, strict=False):
            self._ahead -= 1
            self.step += 1
            self._epoch_steps += 1
            if not stat.finite:
                self._ahead = 0
                yield from self._nonfinite()
                return
            self._samples += size
            tally.add(stat.loss, stat.accuracy, size)
            yield StepEnd(self.step, self.epoch + 1, stat.loss, stat.accuracy, lr, rate, stat.grad_norm)

    def _apply_hyperparameters(self, total_epochs: int, tally: EpochTally) -> Iterator[Event]:
        pending = self.control.take_hyperparameters()
        if not pending:
            return
        if "lr" in pending:
            self.base_lr = float(pending.pop("lr"))
            self.lr = lr_at(self.base_lr, self.epoch, total_epochs, self.config.schedule)
        if pending:
            yield from self._report(tally)  # the steps so far ran with the old settings
            if self.status != "nonfinite":
                self.trainer.set_hyperparameters(**pending)

    def _nonfinite(self) -> Iterator[Event]:
        cause = self.trainer.failure or NonFiniteCause("loss", self.setup.output_node)
        message = nonfinite_message(self.step, cause, self.lr)
        self.status = "nonfinite"
        event = NonFinite(self.step, self.epoch + 1, cause.node, cause.where, message, cause.sample)
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
            "threads": self.trainer.threads,
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if status == "nonfinite" and self.last_nonfinite is not None:
            out.update(
                step=self.last_nonfinite.step,
                node=self.last_nonfinite.node,
                where=self.last_nonfinite.where,
                message=self.last_nonfinite.message,
            )
            if self.last_nonfinite.sample is not None:
                out["sample"] = self.last_nonfinite.sample
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
