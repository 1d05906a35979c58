"""What a training run reports, one plain dataclass per kind of event."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["completed", "nonfinite", "stopped"]


@dataclass(frozen=True)
class RunStarted:
    backend: str
    device: str
    total_steps: int
    steps_per_epoch: int
    epochs: int
    threads: int = 1  # CPU threads the backend computes on


@dataclass(frozen=True)
class StepEnd:
    step: int  # 1-based, counted over the whole run
    epoch: int  # 1-based
    loss: float
    accuracy: float | None
    lr: float
    samples_per_second: float
    grad_norm: float


@dataclass(frozen=True)
class EpochEnd:
    epoch: int
    step: int
    train_loss: float
    train_accuracy: float | None
    val_loss: float | None
    val_accuracy: float | None
    lr: float


@dataclass(frozen=True)
class Paused:
    step: int


@dataclass(frozen=True)
class NonFinite:
    """The loss or a gradient stopped being a finite number; the weights are those of the step before."""

    step: int
    epoch: int
    node: str
    where: str  # "data", "loss", "activation", "gradient" or "weights"
    message: str
    sample: int | None = None  # for "data": the index of the sample in the training split


@dataclass(frozen=True)
class RunWarning:
    """Something the user should know that does not stop the run (a non-finite validation loss)."""

    step: int
    epoch: int
    message: str


@dataclass(frozen=True)
class RunEnded:
    status: Status
    step: int
    epoch: int
    summary: dict = field(default_factory=dict)


Event = RunStarted | StepEnd | EpochEnd | Paused | NonFinite | RunWarning | RunEnded
