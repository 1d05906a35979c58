"""A dataset in memory, its train/validation/test split, and shuffled batching."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from .pixels import Normalize, pixel_scale

Task = Literal["classification", "regression", "segmentation"]


@dataclass
class Dataset:
    """Samples ``x`` (N, *sample_shape) float32, or uint8 pixels (0–255, channels first) that become float32
    one batch at a time (pixels.py; ``normalize`` then standardises them per channel), and targets ``y``.

    ``y`` is int64 (N,) class indices for classification, float32 (N, k) for regression and int64
    (N, H, W) pixel classes for segmentation. ``boxes`` (N, 4: x0, y0, x1, y1, in pixels, exclusive end)
    locates the object in each image when the generator knows it (the shapes set).

    ``ordered`` samples are consecutive pieces of one whole (windows of a text): they are split by position,
    not shuffled, so validation reads text the training never saw, rather than windows overlapping it.
    ``description`` says what a person should know about this particular load (a text's vocabulary).
    ``feature_names`` name the columns of tabular ``x``. ``fit_on_train`` is applied by :func:`split` to the
    three parts: what it learns (a table's means and deviations) it learns from the training part only.
    """

    name: str
    task: Task
    x: np.ndarray
    y: np.ndarray
    class_names: list[str] = field(default_factory=list)
    boxes: np.ndarray | None = None
    ordered: bool = False
    description: str = ""
    feature_names: list[str] = field(default_factory=list)
    fit_on_train: Callable[[Splits], Splits] | None = None
    normalize: Normalize | None = None

    def __len__(self) -> int:
        return len(self.x)

    @property
    def sample_shape(self) -> tuple[int, ...]:
        return tuple(self.x.shape[1:])

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def inputs(self, index: slice | np.ndarray = slice(None)) -> np.ndarray:
        """Samples as the network sees them: float32 (pixels scaled, and normalised if asked)."""
        scale = pixel_scale(self.x, self.normalize, self.sample_shape, self.sample_shape)
        x = self.x[index]
        return x if scale is None else scale.apply(x)

    def subset(self, index: np.ndarray) -> Dataset:
        # images read from disk (image_source.py) are subset by choosing files, not by reading them
        x = self.x.subset(index) if hasattr(self.x, "subset") else self.x[index]
        return replace(self, x=x, y=self.y[index], boxes=None if self.boxes is None else self.boxes[index])


@dataclass
class Splits:
    train: Dataset
    val: Dataset
    test: Dataset

    def __getitem__(self, name: str) -> Dataset:
        if name not in ("train", "val", "test"):
            raise KeyError(name)
        return getattr(self, name)

    @property
    def full(self) -> Dataset:
        return self.train


def split(
    data: Dataset, val_fraction: float, test_fraction: float, seed: int = 0, ordered: bool | None = None
) -> Splits:
    """Shuffle once with ``seed`` and cut into train / validation / test; or, ``ordered`` (by default when the
    dataset is), cut by position: the first samples train, the next validate, the last test.

    The test part is kept apart: the course advises evaluating on it only at the very end.
    """
    if val_fraction < 0 or test_fraction < 0 or val_fraction + test_fraction >= 1:
        raise ValueError("validation and test fractions must be ≥ 0 and leave some training data")
    n = len(data)
    n_test = round(n * test_fraction)
    n_val = round(n * val_fraction)
    if data.ordered if ordered is None else ordered:
        n_train = n - n_val - n_test
        train, val, test = np.arange(n_train), np.arange(n_train, n - n_test), np.arange(n - n_test, n)
        parts = Splits(data.subset(train), data.subset(val), data.subset(test))
        return data.fit_on_train(parts) if data.fit_on_train is not None else parts
    order = np.random.default_rng(seed).permutation(n)
    test, val, train = order[:n_test], order[n_test : n_test + n_val], order[n_test + n_val :]
    parts = Splits(data.subset(np.sort(train)), data.subset(np.sort(val)), data.subset(np.sort(test)))
    return data.fit_on_train(parts) if data.fit_on_train is not None else parts


def batches(n: int, batch_size: int, rng: np.random.Generator | None) -> Iterator[np.ndarray]:
    """Index arrays covering 0..n-1 once; shuffled when ``rng`` is given (mini-batch SGD, 001 §3.4.3)."""
    order = rng.permutation(n) if rng is not None else np.arange(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]
