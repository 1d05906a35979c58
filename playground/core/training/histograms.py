"""Histograms of weights and gradients, and how to put histograms of different ranges on one axis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HIST_BINS = 48
# Gradients are shown as log₁₀ of their magnitude on a fixed axis, so a vanishing or exploding
# layer drifts visibly down or up over time instead of being rescaled away.
GRAD_LOG_RANGE = (-12.0, 4.0)


@dataclass(frozen=True)
class Histogram:
    counts: np.ndarray  # float32 (bins,)
    lo: float
    hi: float

    @property
    def edges(self) -> np.ndarray:
        return np.linspace(self.lo, self.hi, len(self.counts) + 1)


def histogram(values: np.ndarray, bins: int = HIST_BINS) -> Histogram:
    """Histogram over the finite values' own range (a degenerate range is widened a little)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0:
        return Histogram(np.zeros(bins, np.float32), -1.0, 1.0)
    lo, hi = float(v.min()), float(v.max())
    if hi - lo < 1e-12:
        pad = max(abs(lo) * 0.05, 1e-6)
        lo, hi = lo - pad, hi + pad
    counts, _ = np.histogram(v, bins=bins, range=(lo, hi))
    return Histogram(counts.astype(np.float32), lo, hi)


def log_magnitude_histogram(values: np.ndarray, bins: int = HIST_BINS) -> Histogram:
    """Histogram of log₁₀|v| on the fixed :data:`GRAD_LOG_RANGE` (exact zeros fall in the lowest bin)."""
    v = np.abs(np.asarray(values, dtype=np.float64).ravel())
    v = v[np.isfinite(v)]
    lo, hi = GRAD_LOG_RANGE
    with np.errstate(divide="ignore"):
        logs = np.clip(np.log10(v), lo, hi - 1e-9)
    counts, _ = np.histogram(logs, bins=bins, range=(lo, hi))
    return Histogram(counts.astype(np.float32), lo, hi)


def rebin(hist: Histogram, lo: float, hi: float, bins: int) -> np.ndarray:
    """Spread a histogram's counts onto ``bins`` equal bins over [lo, hi] (for a common time axis)."""
    src = hist.edges
    cumulative = np.concatenate([[0.0], np.cumsum(hist.counts, dtype=np.float64)])
    target = np.linspace(lo, hi, bins + 1)
    mass = np.interp(target, src, cumulative, left=0.0, right=cumulative[-1])
    return np.diff(mass).astype(np.float32)
