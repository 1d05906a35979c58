"""Generated sequence data, seeded and offline.

The adding problem (Hochreiter & Schmidhuber's long-range memory test): each sample is T steps of two
numbers, a value drawn uniformly from [0, 1] and a marker that is 1 at exactly two steps and 0 elsewhere; the
target is the sum of the two marked values. One marked step lies in the first half and one in the second, so
the network must remember a value over up to T steps. Always predicting the mean (1) gives an MSE of
Var(u₁ + u₂) = 2/12 ≈ 0.167: a network has learned something only well below that.

Reverse: a string of T random digits, as token ids 0–9; the target at step t is the digit at step T−1−t, a
class per time step (for a per-step cross-entropy). Guessing scores 10 %.

Copy and sort: the same strings of T digits; the target at step t is the digit at step t (copy: every answer
sits at its own step, the easy control a per-step layer alone solves) or the t-th smallest digit (sort: each
answer depends on the whole string, counting how many of each digit came).

Sine forecast: a sine wave of random frequency, amplitude and phase, observed through Gaussian noise of
standard deviation σ for T steps (T×1); the target is the next ``horizon`` noisy values. No model can beat
an MSE of σ² (the noise of the values it predicts); repeating the last value seen scores far worse.

Balanced brackets: strings of T brackets as token ids ('(' = 0, ')' = 1), half of them balanced; of the others,
half have one bracket flipped (the counts differ) and half have a '(' swapped with a later ')' so that the
counts agree but some prefix closes more than it opened. The class is 1 for balanced: a whole-sequence label.
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


def copy_digits(n: int, steps: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x (n, steps) float32 digit ids, y (n, steps) int64 the same digits."""
    digits = rng.integers(0, 10, (n, steps))
    return digits.astype(np.float32), digits.astype(np.int64)


def sort_digits(n: int, steps: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x (n, steps) float32 digit ids, y (n, steps) int64 the same digits in increasing order."""
    digits = rng.integers(0, 10, (n, steps))
    return digits.astype(np.float32), np.sort(digits, axis=1).astype(np.int64)


def sine_forecast(
    n: int, steps: int, rng: np.random.Generator, horizon: int = 1, noise: float = 0.1
) -> tuple[np.ndarray, np.ndarray]:
    """x (n, steps, 1) float32 noisy values, y (n, horizon) float32 the noisy values that follow them.

    Each wave has a period of 8 to 40 steps, an amplitude in [0.5, 1] and a random phase.
    """
    period = rng.uniform(8.0, 40.0, (n, 1))
    amplitude = rng.uniform(0.5, 1.0, (n, 1))
    phase = rng.uniform(0.0, 2 * np.pi, (n, 1))
    t = np.arange(steps + horizon)[None, :]
    series = amplitude * np.sin(2 * np.pi * t / period + phase) + rng.normal(0.0, noise, (n, steps + horizon))
    return series[:, :steps, None].astype(np.float32), series[:, steps:].astype(np.float32)


def _balanced(steps: int, rng: np.random.Generator) -> np.ndarray:
    """A random balanced string of ``steps`` (even) brackets: open while allowed, close while open."""
    out = np.empty(steps, np.int64)
    depth, opens_left = 0, steps // 2
    for t in range(steps):
        must_open = depth == 0
        may_open = opens_left > 0
        if must_open or (may_open and rng.random() < 0.5):
            out[t], depth, opens_left = 0, depth + 1, opens_left - 1
        else:
            out[t], depth = 1, depth - 1
    return out


def is_balanced(brackets: np.ndarray) -> bool:
    depth = np.cumsum(np.where(brackets == 0, 1, -1))
    return bool(depth.min(initial=0) >= 0 and depth[-1] == 0)


def _unbalanced(balanced: np.ndarray, order: bool, rng: np.random.Generator) -> np.ndarray:
    while True:
        out = balanced.copy()
        if order:  # a '(' moved after a later ')': the counts agree, a prefix goes below zero
            i = rng.choice(np.flatnonzero(out == 0))
            later = np.flatnonzero(out[i:] == 1) + i
            out[i], out[rng.choice(later)] = 1, 0
        else:
            out[rng.integers(len(out))] ^= 1
        if not is_balanced(out):
            return out


def balanced_brackets(n: int, steps: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """x (n, steps) float32 bracket ids, y (n,) int64: 1 where the string is balanced."""
    x = np.empty((n, steps), np.int64)
    y = (np.arange(n) % 2).astype(np.int64)
    rng.shuffle(y)
    for k in range(n):
        string = _balanced(steps, rng)
        x[k] = string if y[k] else _unbalanced(string, bool(rng.integers(2)), rng)
    return x.astype(np.float32), y
