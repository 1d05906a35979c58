"""What the dataset preview shows, computed in the core: split sizes, class balance, feature statistics."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.data import Dataset, load_dataset, split
from playground.core.data.summary import class_counts, feature_stats, histogram, scatter_values, split_sizes
from playground.core.training.predictions import per_class_accuracy


@pytest.mark.parametrize(("n", "val", "test"), [(150, 0.2, 0.2), (101, 0.15, 0.1), (7, 0.0, 0.3)])
def test_split_sizes_are_the_split_the_run_makes(n, val, test):
    data = Dataset("d", "classification", np.zeros((n, 2), np.float32), np.zeros(n, np.int64), ["a"])
    parts = split(data, val, test, 3)
    assert split_sizes(n, val, test) == (len(parts.train), len(parts.val), len(parts.test))


def test_balance_statistics_histogram_and_scatter_of_a_table():
    x = np.array([[1.0, 10.0], [2.0, np.nan], [3.0, 30.0], [6.0, 40.0]], np.float32)
    data = Dataset("t", "classification", x, np.array([0, 1, 1, 1]), ["no", "yes"], feature_names=["a", "b"])
    assert class_counts(data).tolist() == [1, 3]
    a, b = feature_stats(data)
    assert (a.name, a.mean, a.minimum, a.maximum, a.missing) == ("a", 3.0, 1.0, 6.0, 0)
    assert b.mean == pytest.approx(80 / 3) and b.missing == 1
    counts, edges = histogram(data, 0, bins=5)
    assert counts.tolist() == [1, 1, 1, 0, 1] and edges[0] == 1 and edges[-1] == 6
    xs, ys, rows = scatter_values(data, 0, 1)
    assert rows.tolist() == [0, 2, 3] and xs.tolist() == [1, 3, 6] and ys.tolist() == [10, 30, 40]


def test_image_features_are_channels():
    data = load_dataset("shapes", {"n_samples": 60})
    stats = feature_stats(data)
    assert [s.name for s in stats] == ["red", "green", "blue"]
    assert stats[0].mean == pytest.approx(float(data.x[:, 0].mean()), rel=1e-5)
    assert class_counts(load_dataset("plane")).size == 0  # regression: no classes


def test_per_class_accuracy_is_the_diagonal_over_each_row():
    confusion = np.array([[8, 2, 0], [1, 3, 0], [0, 0, 0]])
    accuracy = per_class_accuracy(confusion)
    assert accuracy[:2].tolist() == [0.8, 0.75] and np.isnan(accuracy[2])
