"""Smoothing a noisy curve (the mini-batch loss) for reading: a de-biased exponential moving average, as
TensorBoard draws it. :func:`smooth` does a whole series; a :class:`Smoother` follows a growing one, computing
only the points added since its last call."""

from __future__ import annotations

import numpy as np


def _ema(values: np.ndarray, weight: float, num: float = 0.0, den: float = 0.0) -> tuple[np.ndarray, float, float]:
    """The moving average of ``values`` continuing from state (num, den); missing values are skipped."""
    out = np.empty(len(values))
    keep = 1.0 - weight
    for i, v in enumerate(values.tolist()):
        if v == v and v not in (np.inf, -np.inf):  # finite
            num = weight * num + keep * v
            den = weight * den + keep
        else:
            num, den = weight * num, weight * den
        out[i] = num / den if den > 0 else np.nan
    return out, num, den


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
