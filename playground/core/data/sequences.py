"""Generated sequence data, seeded and offline.

The adding problem (Hochreiter & Schmidhuber's long-range memory test): each sample is T steps of two
numbers, a value drawn uniformly from [0, 1] and a marker that is 1 at exactly two steps and 0 elsewhere; the
target is the sum of the two marked values. One marked step lies in the first half and one in the second, so
the network must remember a value over up to T steps. Always predicting the mean (1) gives an MSE of
Var(u₁ + u₂) = 2/12 ≈ 0.167: a network has learned something only well below that.

Reverse: a string of T random digits, as token ids 0–9; the target at step t is the digit at step T−1−t, a
class per time step (for a per-step cross-entropy). Guessing scores 10 %.
"""

from __future__ import annotations

import numpy as np

ADDING_BASELINE_MSE = 2 / 12


def adding_problem(n: int, steps: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x (n, steps, 2) float32 as (value, marker) per step, y (n, 1) float32 the sum of the marked values."""
    values = rng.uniform(0.0, 1.0, (n, steps))
    half = steps // 2
    first = rng.integers(0, half, n)
    second = rng.integers(half, steps, n)
    markers = np.zeros((n, steps))
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=2).astype(np.float32)
    y = (values[rows, first] + values[rows, second])[:, None].astype(np.float32)
    return x, y


def reverse_digits(n: int, steps: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x (n, steps) float32 digit ids, y (n, steps) int64 the same digits in reverse order."""
    digits = rng.integers(0, 10, (n, steps))
    return digits.astype(np.float32), digits[:, ::-1].astype(np.int64)
