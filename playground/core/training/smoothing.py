"""Smoothing a noisy curve (the mini-batch loss) for reading: a de-biased exponential moving average, as
TensorBoard draws it. :func:`smooth` does a whole series; a :class:`Smoother` follows a growing one, computing
only the points added since its last call."""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter


def _ema(values: np.ndarray, weight: float, num: float = 0.0, den: float = 0.0) -> tuple[np.ndarray, float, float]:
    """The moving average of ``values`` continuing from state (num, den); missing values are skipped:
    num_t = w·num_{t−1} + (1−w)·x_t and den_t = w·den_{t−1} + (1−w) over the finite x_t, each a first-order
    recursive filter (one call for the whole series: the curves panel smooths thousands of new steps at once,
    on the interface's thread)."""
    if len(values) == 0:
        return np.empty(0), num, den
    keep = 1.0 - weight
    finite = np.isfinite(values)
    nums, _ = lfilter([keep], [1.0, -weight], np.where(finite, values, 0.0), zi=[weight * num])
    dens, _ = lfilter([keep], [1.0, -weight], finite.astype(np.float64), zi=[weight * den])
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(dens > 0, nums / np.where(dens > 0, dens, 1.0), np.nan)
    return out, float(nums[-1]), float(dens[-1])


def smooth(values: np.ndarray, weight: float) -> np.ndarray:
    """De-biased exponential moving average: s_t = w·s_{t−1} + (1−w)·x_t, divided by 1 − wᵗ (TensorBoard's)."""
    if weight <= 0 or len(values) == 0:
        return np.asarray(values, dtype=np.float64)
    return _ema(np.asarray(values, dtype=np.float64), weight)[0]


class Smoother:
    """Smooths a growing series, computing only the points added since the last call."""

    def __init__(self, weight: float):
        self.weight = weight
        self.values = np.empty(0)
        self._num = self._den = 0.0

    def __call__(self, series: np.ndarray) -> np.ndarray:
        done = len(self.values)
        if len(series) < done:  # a different series: start over
            self.values, self._num, self._den, done = np.empty(0), 0.0, 0.0, 0
        if len(series) == done:
            return self.values
        new = np.asarray(series[done:], dtype=np.float64)
        if self.weight <= 0:
            tail = new
        else:
            tail, self._num, self._den = _ema(new, self.weight, self._num, self._den)
        self.values = np.concatenate([self.values, tail])
        return self.values
