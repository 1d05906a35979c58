"""Learning-rate schedules: the rate for each epoch, computed the same way for both backends."""

from __future__ import annotations

import math

from ..config import ScheduleConfig


def lr_at(base_lr: float, epoch: int, total_epochs: int, schedule: ScheduleConfig) -> float:
    """Learning rate during ``epoch`` (0-based), as PyTorch's schedulers stepped once per epoch give it."""
    if schedule.name == "constant":
        return base_lr
    if schedule.name == "step":
        return base_lr * schedule.gamma ** (epoch // schedule.step_size)
    if schedule.name == "exponential":
        return base_lr * schedule.gamma**epoch
    if schedule.name == "cosine":
        if total_epochs <= 1:
            return base_lr
        progress = min(epoch, total_epochs - 1) / (total_epochs - 1)
        return schedule.min_lr + (base_lr - schedule.min_lr) * (1 + math.cos(math.pi * progress)) / 2
    raise ValueError(f"unknown schedule {schedule.name}")
