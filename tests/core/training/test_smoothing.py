"""Smoothing the mini-batch curves: a de-biased moving average, the same whole or point by point."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.training.smoothing import Smoother, smooth


def test_the_average_is_de_biased_and_follows_a_constant_exactly():
    assert smooth(np.full(50, 3.0), 0.9) == pytest.approx(np.full(50, 3.0))
    s = smooth(np.array([1.0, 0.0]), 0.5)
    assert s[0] == pytest.approx(1.0)  # the first point is itself, not pulled towards 0
    assert s[1] == pytest.approx((0.5 * 0.5 * 1.0) / (0.5 * 0.5 + 0.5))  # (w(1-w)·1 + (1-w)·0) / (1 - w²)


def test_missing_values_are_skipped_and_weight_zero_is_the_raw_curve():
    values = np.array([2.0, np.nan, np.inf, 2.0])
    assert smooth(values, 0.8) == pytest.approx(np.full(4, 2.0))
    raw = np.array([1.0, 5.0, 2.0])
    assert smooth(raw, 0.0) == pytest.approx(raw)
    assert np.isnan(smooth(np.array([np.nan, 1.0]), 0.5)[0])


def test_a_smoother_following_a_growing_series_gives_what_smoothing_it_whole_gives():
    values = np.random.default_rng(0).normal(size=300)
    smoother = Smoother(0.95)
    for end in (1, 7, 7, 120, 300):
        part = smoother(values[:end])
    assert part == pytest.approx(smooth(values, 0.95))
    restarted = smoother(values[:10] + 1.0)  # a shorter series is a new one
    assert restarted == pytest.approx(smooth(values[:10] + 1.0, 0.95))
