"""The adding problem: seeded, two markers (one in each half), the target their values' sum."""

from __future__ import annotations

import numpy as np

from playground.core.data.registry import load_dataset
from playground.core.data.sequences import ADDING_BASELINE_MSE


def test_the_adding_problem_marks_two_values_and_sums_them():
    data = load_dataset("adding", {"n_samples": 2000, "steps": 20}, seed=3)
    assert data.task == "regression" and data.x.shape == (2000, 20, 2) and data.y.shape == (2000, 1)
    values, markers = data.x[..., 0], data.x[..., 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :10].sum(axis=1) == 1) and np.all(markers[:, 10:].sum(axis=1) == 1)
    np.testing.assert_allclose(data.y[:, 0], (values * markers).sum(axis=1), rtol=1e-6)
    assert values.min() >= 0 and values.max() <= 1
    # the mean prediction's MSE is the targets' variance, 2/12
    assert abs(float(data.y.var()) - ADDING_BASELINE_MSE) < 0.015
    again = load_dataset("adding", {"n_samples": 2000, "steps": 20}, seed=3)
    np.testing.assert_array_equal(again.x, data.x)
    assert not np.array_equal(load_dataset("adding", {"n_samples": 2000, "steps": 20}, seed=4).x, data.x)


def test_reverse_digits_is_a_class_per_step():
    data = load_dataset("reverse", {"n_samples": 100, "steps": 5}, seed=1)
    assert data.task == "classification" and data.num_classes == 10
    assert data.x.shape == (100, 5) and data.y.shape == (100, 5)
    np.testing.assert_array_equal(data.y, data.x[:, ::-1].astype(np.int64))


def test_balanced_brackets_labels_are_right_and_the_negatives_are_hard():
    from playground.core.data.sequences import is_balanced

    data = load_dataset("brackets", {"n_samples": 400, "steps": 10}, seed=2)
    assert data.x.shape == (400, 10) and data.y.shape == (400,) and data.y.sum() == 200
    assert [is_balanced(s) for s in data.x.astype(np.int64)] == [bool(v) for v in data.y]
    negatives = data.x[data.y == 0]
    same_counts = (negatives == 0).sum(axis=1) == 5
    assert 0.3 < same_counts.mean() < 0.7  # half of them can only be told apart by the order
    assert is_balanced(np.array([0, 0, 1, 1])) and not is_balanced(np.array([0, 1, 1, 0]))


def test_copy_and_sort_give_a_class_per_step():
    copy = load_dataset("copy", {"n_samples": 50, "steps": 7}, seed=1)
    np.testing.assert_array_equal(copy.y, copy.x.astype(np.int64))
    ordered = load_dataset("sort", {"n_samples": 50, "steps": 7}, seed=1)
    assert ordered.num_classes == 10 and ordered.y.shape == (50, 7)
    np.testing.assert_array_equal(ordered.x, copy.x)  # the same strings for the same seed
    assert np.all(np.diff(ordered.y, axis=1) >= 0)
    for string, target in zip(ordered.x.astype(np.int64), ordered.y, strict=True):
        assert sorted(string) == list(target)


def test_the_sine_forecast_predicts_the_next_noisy_values():
    data = load_dataset("sine", {"n_samples": 3000, "steps": 20, "horizon": 3, "noise": 0.1}, seed=5)
    assert data.task == "regression" and data.x.shape == (3000, 20, 1) and data.y.shape == (3000, 3)
    assert data.x.dtype == np.float32 and data.y.dtype == np.float32
    # the best forecast's error is the noise (0.1² = 0.01); repeating the last value seen is several times worse
    last_value = float(((data.x[:, -1, :] - data.y[:, :1]) ** 2).mean())
    assert last_value > 3 * 0.01
    clean = load_dataset("sine", {"n_samples": 3000, "steps": 20, "horizon": 3, "noise": 0.0}, seed=5)
    assert np.abs(clean.x).max() <= 1.0 and np.abs(clean.x).max() > 0.9
    assert not np.array_equal(load_dataset("sine", {"n_samples": 3000, "steps": 20}, seed=6).x, clean.x)
