"""Save a run to a checkpoint and carry it on from one, as if it had never stopped.

    save_checkpoint(run, "c.safetensors", history)    # between two steps: paused, stopped or finished
    run = TrainingRun(project); resume(run, load_run_state("c.safetensors"), history)

What makes the rest of the run the same as an uninterrupted one: the weights and running statistics, the
optimizer's state (momentum, Adam's moments, the step count), the generator of the batch orders, the current
epoch's order and how far into it the run was, and the generator of the dropout masks. The metrics so far come
back into the run's history, so its loss curve goes on where it stopped.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..io.checkpoint import CheckpointError, check_fits
from ..io.run_checkpoint import RunState, save_run_state
from .engine import EpochTally, TrainingError, TrainingRun
from .events import EpochEnd
from .history import EPOCH_COLUMNS, STEP_COLUMNS, MetricHistory


def run_state(run: TrainingRun, history: MetricHistory | None = None) -> RunState:
    """The run's state now; it must be between two steps (not in the middle of a block being reported)."""
    if run.trained_steps != run.step:
        raise TrainingError("A checkpoint is saved between two steps: pause or stop the run first.")
    order, steps, tally = run.epoch_position()
    steps_rows = np.zeros((0, len(STEP_COLUMNS)))
    if history is not None and len(history.steps):
        steps_rows = np.stack([history.steps.column(c) for c in STEP_COLUMNS], axis=1)
    epoch_rows = np.array([[_f(getattr(e, c)) for c in _EPOCH_FIELDS] for e in run.history]).reshape(-1, 7)
    return RunState(
        project=run.project.name,
        backend=run.config.backend,
        optimizer_name=run.config.optimizer.name,
        batch_size=run.config.batch_size,
        n_train=len(run.data["train"]),
        step=run.step,
        epoch=run.epoch,
        base_lr=run.base_lr,
        params=run.trainer.parameters(),
        optimizer=run.trainer.optimizer_state(),
        engine_rng=dict(run.order_rng.bit_generator.state),
        backend_rng=run.trainer.random_state(),
        epoch_order=order,
        epoch_steps=steps,
        tally=(tally.loss_sum, tally.correct_sum, tally.count),
        step_rows=steps_rows,
        epoch_rows=epoch_rows,
    )


def save_checkpoint(run: TrainingRun, path: str | Path, history: MetricHistory | None = None) -> None:
    save_run_state(run_state(run, history), path)


# EpochEnd's fields in the order of EPOCH_COLUMNS (the history's names for them)
_EPOCH_FIELDS = ("epoch", "step", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr")
assert len(_EPOCH_FIELDS) == len(EPOCH_COLUMNS)


def _f(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def check_resumable(run: TrainingRun, state: RunState) -> None:
    """Refuse a checkpoint this run cannot carry on from, saying what differs."""
    source = state.source
    check_fits(state.params, run.graph, source)
    wanted = run.config.optimizer.name
    if state.optimizer_name != wanted:
        raise CheckpointError(
            f"{source} was saved while training with {state.optimizer_name}, but the project trains with "
            f"{wanted}: its optimizer state does not carry over."
        )
    n_train = len(run.data["train"])
    if state.n_train != n_train:
        raise CheckpointError(
            f"{source} was saved with {state.n_train} training samples, but the project's dataset now gives "
            f"{n_train}: it comes from another dataset or split."
        )
    if state.epoch_steps and state.batch_size != run.config.batch_size:
        raise CheckpointError(
            f"{source} was saved in the middle of an epoch with batches of {state.batch_size}; the project uses "
            f"{run.config.batch_size}. Carry on with the same batch size."
        )


def resume(run: TrainingRun, state: RunState, history: MetricHistory | None = None) -> None:
    """Put ``state`` into a freshly built ``run`` (and its metrics into ``history``)."""
    check_resumable(run, state)
    trainer = run.trainer
    trainer.load_parameters(state.params)
    trainer.load_optimizer_state(state.optimizer)
    trainer.load_random_state(state.backend_rng)
    run.step, run.epoch, run.base_lr = state.step, state.epoch, state.base_lr
    run.order_rng.bit_generator.state = state.engine_rng
    run.history = [
        EpochEnd(int(r[0]), int(r[1]), float(r[2]), _or_none(r[3]), _or_none(r[4]), _or_none(r[5]), float(r[6]))
        for r in state.epoch_rows
    ]
    if state.epoch_order is not None:
        loss_sum, correct_sum, count = state.tally
        run.continue_epoch(state.epoch_order, state.epoch_steps, EpochTally(loss_sum, correct_sum, count))
    if history is not None:
        history.steps.extend({c: state.step_rows[:, i] for i, c in enumerate(STEP_COLUMNS)})
        history.epochs.extend({c: state.epoch_rows[:, i] for i, c in enumerate(EPOCH_COLUMNS)})
