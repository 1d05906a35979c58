"""What the dataset preview shows, computed here: the split sizes, the class balance, statistics and histograms
of each feature (a table's columns, an image's channels) and the values of two features for a scatter plot."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .dataset import Dataset

SAMPLE_IMAGES = 256  # images looked at for channel statistics (a streamed folder is read from disk)
SAMPLE_PIXELS = 500_000  # and at most about this many pixels per channel


def split_sizes(n: int, val_fraction: float, test_fraction: float) -> tuple[int, int, int]:
    """(train, validation, test) sample counts, rounded the way :func:`dataset.split` cuts them."""
    n_test, n_val = round(n * test_fraction), round(n * val_fraction)
    return n - n_val - n_test, n_val, n_test


def class_counts(data: Dataset) -> np.ndarray:
    """Samples per class (pixels per class for segmentation); empty for regression."""
    if data.task == "regression" or not data.num_classes:
        return np.zeros(0, np.int64)
    return np.bincount(np.asarray(data.y).reshape(-1), minlength=data.num_classes)[: data.num_classes]


@dataclass(frozen=True)
class FeatureStats:
    name: str
    mean: float
    std: float
    minimum: float
    maximum: float
    missing: int  # NaN values (a table's empty cells before imputation)


def features(data: Dataset) -> tuple[list[str], np.ndarray]:
    """The names of the features the preview describes and their values, one column each: a table's columns,
    a 2D set's two coordinates, or an image set's channels (every pixel of a sample of images)."""
    x = data.x
    if len(data.sample_shape) == 1:
        names = data.feature_names or [f"x{i + 1}" for i in range(data.sample_shape[0])]
        return names, np.asarray(x, np.float64)
    if len(data.sample_shape) == 3:  # images (C, H, W)
        per_image = int(np.prod(data.sample_shape[1:]))
        images = np.asarray(x[: min(len(data), SAMPLE_IMAGES, max(1, SAMPLE_PIXELS // per_image))], np.float64)
        channels = images.shape[1]
        names = ["grey"] if channels == 1 else ["red", "green", "blue"] if channels == 3 else []
        names = names or [f"channel {c + 1}" for c in range(channels)]
        return names, images.transpose(1, 0, 2, 3).reshape(channels, -1).T
    return [], np.zeros((len(data), 0))


def feature_stats(data: Dataset) -> list[FeatureStats]:
    names, values = features(data)
    out = []
    for i, name in enumerate(names):
        column = values[:, i]
        present = column[~np.isnan(column)]
        if not len(present):
            out.append(FeatureStats(name, np.nan, np.nan, np.nan, np.nan, len(column)))
            continue
        out.append(
            FeatureStats(
                name,
                float(present.mean()),
                float(present.std()),
                float(present.min()),
                float(present.max()),
                int(len(column) - len(present)),
            )
        )
    return out


def histogram(data: Dataset, feature: int, bins: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Counts and bin edges of one feature's values (missing values left out)."""
    _names, values = features(data)
    column = values[:, feature]
    column = column[~np.isnan(column)]
    if not len(column):
        return np.zeros(0, np.int64), np.zeros(1)
    low, high = float(column.min()), float(column.max())
    if low == high:
        low, high = low - 0.5, high + 0.5
    return np.histogram(column, bins=bins, range=(low, high))


def scatter_values(data: Dataset, first: int, second: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two features of every sample with both present, and the rows kept (for the colours)."""
    _names, values = features(data)
    if len(data.sample_shape) != 1:
        raise ValueError("a scatter of two features needs tabular or 2D samples")
    a, b = values[:, first], values[:, second]
    rows = np.flatnonzero(~(np.isnan(a) | np.isnan(b)))
    return a[rows], b[rows], rows
