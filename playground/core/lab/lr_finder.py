"""The learning-rate range test (Smith, 2017; the "LR finder"): train the project's network for a few hundred
steps while the learning rate grows exponentially, and read the loss against the learning rate.

At tiny rates the loss hardly moves; then it falls faster and faster; past some rate the steps overshoot and the
loss climbs, then explodes. The test stops there (non-finite loss, or the smoothed loss above
``DIVERGED`` × its lowest value).

**The suggestion** is the learning rate at the minimum of the smoothed loss (after the first 10 % of the steps,
the average's warm-up), divided by ten (Smith's and fast.ai's rule): at the minimum the steps are already about
to overshoot, and a tenth of it is still a rate at which the loss falls. The steepest descent of the curve
(before the minimum, the slope measured over ±5 % of the steps) is reported too, as ``steepest``, but not
suggested: on a network whose loss barely moves in a few hundred steps (the spiral) it lands on noise. The
loss is smoothed by an exponential moving average with bias correction, ``SMOOTHING`` = β: each step's loss is
one noisy mini-batch.

Each step is a real training step of the project's backend and optimizer (the run's weights start as the
project's would, and nothing of the project is changed).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..project import Project
from ..training.engine import TrainingRun

SMOOTHING = 0.9
DIVERGED = 4.0
RULE = "the learning rate at the minimum of the smoothed loss, divided by 10"


@dataclass
class LRStep:
    step: int  # from 1
    lr: float
    loss: float
    smoothed: float
    total: int


@dataclass
class LRRange:
    lrs: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    smoothed: list[float] = field(default_factory=list)
    stopped: str = ""  # why the test ended before its last step
    suggestion: float | None = None
    at_minimum: float | None = None
    steepest: float | None = None
    optimizer: str = ""

    def suggest(self) -> None:
        """Fill in the suggestion (see the module's docstring for the rule)."""
        n = len(self.smoothed)
        if n < 3:
            return
        smoothed, log_lr = np.asarray(self.smoothed), np.log(np.asarray(self.lrs))
        k = max(1, n // 20)
        first = max(k, n // 10)  # the moving average of a handful of batches is mostly their noise
        best = first + int(np.argmin(smoothed[first:])) if n > first + 1 else int(np.argmin(smoothed))
        self.at_minimum = float(self.lrs[best])
        # the slope over a span of ±k steps (one step's difference is mostly noise), before the minimum
        centres = np.arange(first, min(best, n - 1 - k) + 1)
        if len(centres):
            slopes = (smoothed[centres + k] - smoothed[centres - k]) / (log_lr[centres + k] - log_lr[centres - k])
            if slopes.min() < 0:
                self.steepest = float(self.lrs[int(centres[int(np.argmin(slopes))])])
        self.suggestion = self.at_minimum / 10

    def summary(self) -> dict[str, Any]:
        return {
            "optimizer": self.optimizer,
            "steps": len(self.lrs),
            "suggested_lr": self.suggestion,
            "rule": RULE,
            "lr_at_minimum": self.at_minimum,
            "steepest_lr": self.steepest,
            "stopped": self.stopped or None,
            "lr": self.lrs,
            "loss": self.losses,
            "smoothed_loss": self.smoothed,
        }


def lr_schedule(lr_min: float, lr_max: float, steps: int) -> np.ndarray:
    """``steps`` learning rates growing by the same factor each step, from ``lr_min`` to ``lr_max``."""
    if not (0 < lr_min < lr_max and math.isfinite(lr_max)):
        raise ValueError(f"the learning rates must grow from a positive start: {lr_min:g} to {lr_max:g}")
    if not 10 <= steps <= 10000:
        raise ValueError(f"steps must be between 10 and 10000, not {steps}")
    return np.geomspace(lr_min, lr_max, steps)


def lr_range_test(
    project: Project,
    steps: int = 200,
    lr_min: float = 1e-5,
    lr_max: float = 10.0,
    *,
    backend: str | None = None,
    report: Callable[[LRStep], None] | None = None,
) -> LRRange:
    """Run the test on ``project``'s network, data and optimizer; ``report`` sees every step (it may raise to
    cancel). A network or dataset that cannot train raises :class:`~playground.core.training.engine.TrainingError`."""
    rates = lr_schedule(lr_min, lr_max, steps)
    run = TrainingRun(project, backend=backend)
    trainer = run.trainer
    n_train, size = len(run.data["train"]), run.config.batch_size
    rng = np.random.default_rng(run.config.seed)
    result = LRRange(optimizer=run.config.optimizer.name)
    average, best = 0.0, math.inf
    order, start = rng.permutation(n_train), 0
    trainer.begin_epoch(order)
    with trainer.working():
        for i, lr in enumerate(rates, start=1):
            if start >= n_train:  # a new epoch: a new order
                order, start = rng.permutation(n_train), 0
                trainer.begin_epoch(order)
            stats = trainer.train_step(order[start : start + size], float(lr))
            start += size
            if not stats.finite:
                result.stopped = f"the loss became non-finite at learning rate {lr:.3g}"
                break
            average = SMOOTHING * average + (1 - SMOOTHING) * stats.loss
            smoothed = average / (1 - SMOOTHING**i)
            result.lrs.append(float(lr))
            result.losses.append(float(stats.loss))
            result.smoothed.append(float(smoothed))
            if report is not None:
                report(LRStep(i, float(lr), float(stats.loss), float(smoothed), steps))
            best = min(best, smoothed)
            if i > 10 and smoothed > DIVERGED * best:
                result.stopped = f"the loss grew past {DIVERGED:g}× its lowest at learning rate {lr:.3g}"
                break
    result.suggest()
    return result
