"""The learning-rate range test (Smith, 2017; the "LR finder"): train the project's network for a few hundred
steps while the learning rate grows exponentially, and read the loss against the learning rate.

At tiny rates the loss hardly moves; then it falls; past some rate the steps overshoot and the loss climbs, then
explodes. A pass stops there (non-finite loss, or its moving average above ``DIVERGED`` × its lowest value).

**Averaged passes.** Each step's loss is one mini-batch's, and on a network whose loss moves little in a few
hundred steps (the spiral: 0.71 to 0.68 over the whole range) one batch's noise is as large as the curve's
shape, so the minimum of one pass lands anywhere on its flat bottom. The test runs ``PASSES`` passes from the
project's same starting weights in different batch orders and averages their losses step by step (up to the
first pass's stop). The curve read is that average, smoothed by a centred moving average over ±5 % of the steps
(a centred window does not lag behind the rate as an exponential average does).

**The suggestion** is the largest rate, before the loss climbs away, whose smoothed loss is within ``MARGIN``
(3 %) of its minimum (after the first 10 % of the steps), or within ``NOISE_MARGIN`` standard errors of it when
the curve is noisier than that, divided by ten. Smith (2017) reads the rate at which the loss stops improving and
turns ragged as the largest usable one; fast.ai's "minimum / 10" takes a tenth of the rate at the lowest loss.
When the bottom of the curve is flat within its noise, where the minimum falls is noise, while the far edge of
the flat bottom (where the loss starts to climb) is not, hence the margin. ``at_minimum`` (the rate at the
lowest smoothed loss) and ``steepest`` (the steepest descent before it, the slope over ±5 % of the steps) are
reported too.

Measured on examples/spiral.json (NumPy backend), each training seed's suggestion then trained for the example's
150 epochs: one pass and the minimum / 10 reached ≥ 95 % validation accuracy for 8 of the seeds 0-9 (0.0024 and
0.0012 for seeds 2 and 7); this rule for all of seeds 0-9 (0.0059 to 0.0135) and 9 of seeds 10-19 (seed 13:
0.0135, 89 %, a rate with which every one of seeds 0-9 trains).

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

SMOOTHING = 0.9  # β of the moving average that watches each pass for divergence
DIVERGED = 4.0
PASSES = 5
MARGIN = 0.03  # of the lowest smoothed loss...
NOISE_MARGIN = 4.0  # ...or this many standard errors of the smoothed loss, whichever is larger
RULE = "the largest learning rate whose smoothed loss is within 3 % (or its noise) of its minimum, divided by 10"


@dataclass
class LRStep:
    step: int  # from 1
    lr: float
    loss: float
    smoothed: float  # this pass's moving average
    total: int
    run: int = 1  # the pass, from 1
    runs: int = 1


@dataclass
class LRRange:
    lrs: list[float] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)
    smoothed: list[float] = field(default_factory=list)
    stopped: str = ""  # why the test ended before its last step
    suggestion: float | None = None
    at_minimum: float | None = None
    edge: float | None = None  # the largest rate within MARGIN of the minimum: the suggestion × 10
    passes: int = 1
    steepest: float | None = None
    optimizer: str = ""

    def suggest(self) -> None:
        """Smooth the losses and fill in the suggestion (see the module's docstring for the rule)."""
        n = len(self.losses)
        if n < 3:
            return
        k = max(1, n // 20)
        smoothed = centred_average(np.asarray(self.losses), k)
        self.smoothed = [float(v) for v in smoothed]
        log_lr = np.log(np.asarray(self.lrs))
        first = max(k, n // 10)  # the first steps are the warm-up of the divergence watch
        if n <= first + 1:
            first = 0
        best = first + int(np.argmin(smoothed[first:]))
        self.at_minimum = float(self.lrs[best])
        # the noise left in the smoothed curve: the standard error of a window's mean, from the spread of the losses
        # about it from the warm-up's end to the minimum; a flat bottom is flat within a few of those
        spread = np.asarray(self.losses[first : best + 1]) - smoothed[first : best + 1]
        noise = float(np.std(spread)) / math.sqrt(2 * k + 1)
        margin = max(MARGIN * float(smoothed[best]), NOISE_MARGIN * noise)
        near = first + np.flatnonzero(smoothed[first:] <= smoothed[best] + margin)
        self.edge = float(self.lrs[int(near[-1])])
        # the slope over a span of ±k steps (one step's difference is mostly noise), before the minimum
        centres = np.arange(max(first, k), min(best, n - 1 - k) + 1)
        if len(centres):
            slopes = (smoothed[centres + k] - smoothed[centres - k]) / (log_lr[centres + k] - log_lr[centres - k])
            if slopes.min() < 0:
                self.steepest = float(self.lrs[int(centres[int(np.argmin(slopes))])])
        self.suggestion = self.edge / 10

    def summary(self) -> dict[str, Any]:
        return {
            "optimizer": self.optimizer,
            "steps": len(self.lrs),
            "suggested_lr": self.suggestion,
            "rule": RULE,
            "lr_at_minimum": self.at_minimum,
            "lr_at_edge": self.edge,
            "passes": self.passes,
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


def centred_average(values: np.ndarray, half: int) -> np.ndarray:
    """Each value replaced by the mean of the values within ``half`` steps of it (fewer at the ends)."""
    sums = np.concatenate([[0.0], np.cumsum(values, dtype=float)])
    idx = np.arange(len(values))
    lo, hi = np.maximum(idx - half, 0), np.minimum(idx + half + 1, len(values))
    return (sums[hi] - sums[lo]) / (hi - lo)


def lr_range_test(
    project: Project,
    steps: int = 200,
    lr_min: float = 1e-5,
    lr_max: float = 10.0,
    *,
    passes: int = PASSES,
    backend: str | None = None,
    report: Callable[[LRStep], None] | None = None,
) -> LRRange:
    """Run the test on ``project``'s network, data and optimizer, ``passes`` times with different batch orders;
    ``report`` sees every step (it may raise to cancel). A network or dataset that cannot train raises
    :class:`~playground.core.training.engine.TrainingError`."""
    rates = lr_schedule(lr_min, lr_max, steps)
    if not 1 <= passes <= 20:
        raise ValueError(f"passes must be between 1 and 20, not {passes}")
    result = LRRange(passes=passes)
    runs: list[list[float]] = []
    for run in range(passes):
        losses, stopped = _one_pass(project, rates, run, passes, backend, report, result)
        runs.append(losses)
        if stopped and not result.stopped:
            result.stopped = stopped
    n = min(len(r) for r in runs)  # the average ends where the first pass stopped
    result.lrs = [float(lr) for lr in rates[:n]]
    result.losses = [float(v) for v in np.mean([r[:n] for r in runs], axis=0)] if n else []
    result.suggest()
    return result


def _one_pass(project, rates, run, passes, backend, report, result) -> tuple[list[float], str]:
    """One pass of the test from the project's starting weights; its losses and why it stopped (or "")."""
    training = TrainingRun(project, backend=backend)
    trainer = training.trainer
    n_train, size = len(training.data["train"]), training.config.batch_size
    rng = np.random.default_rng(training.config.seed + run)
    result.optimizer = training.config.optimizer.name
    losses: list[float] = []
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
                return losses, f"the loss became non-finite at learning rate {lr:.3g}"
            average = SMOOTHING * average + (1 - SMOOTHING) * stats.loss
            smoothed = average / (1 - SMOOTHING**i)
            losses.append(float(stats.loss))
            if report is not None:
                report(LRStep(i, float(lr), float(stats.loss), float(smoothed), len(rates), run + 1, passes))
            best = min(best, smoothed)
            if i > 10 and smoothed > DIVERGED * best:
                return losses, f"the loss grew past {DIVERGED:g}× its lowest at learning rate {lr:.3g}"
    return losses, ""
