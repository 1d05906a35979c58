"""The 2D datasets of TensorFlow Playground: four classification sets and two regression sets.

Points live in the square [-6, 6]²; ``noise`` (0–50 %, as the Playground's slider) perturbs them.
Labels are 0/1 for classification; regression targets are scaled to [-1, 1].
"""

from __future__ import annotations

import numpy as np

RADIUS = 5.0


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 inside a disc of radius 2.5, class 0 in a ring from 3.5 to 5."""
    half = n // 2
    r_in = rng.uniform(0, RADIUS * 0.5, half)
    r_out = rng.uniform(RADIUS * 0.7, RADIUS, n - half)
    r = np.concatenate([r_in, r_out])
    angle = rng.uniform(0, 2 * np.pi, n)
    xy = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    xy += rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise
    y = np.concatenate([np.ones(half, np.int64), np.zeros(n - half, np.int64)])
    return xy, y


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The label is 1 when x and y have the same sign; a small gap keeps points off the axes."""
    padding = 0.3
    xy = rng.uniform(-RADIUS, RADIUS, (n, 2))
    xy += np.where(xy > 0, padding, -padding)
    label_xy = xy.copy()
    xy = xy + rng.uniform(-RADIUS, RADIUS, (n, 2)) * noise
    y = (label_xy[:, 0] * label_xy[:, 1] >= 0).astype(np.int64)
    return xy, y


def gaussians(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian blobs at (2, 2) and (-2, -2); more noise, more spread and overlap."""
    variance = 0.5 + 3.5 * noise / 0.5
    half = n // 2
    a = rng.normal((2, 2), np.sqrt(variance), (half, 2))
    b = rng.normal((-2, -2), np.sqrt(variance), (n - half, 2))
    xy = np.concatenate([a, b])
    y = np.concatenate([np.ones(half, np.int64), np.zeros(n - half, np.int64)])
    return xy, y


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved arms r = 5t, θ = 3.5πt + shift, t ∈ [0, 1): the hard one."""
    half = n // 2
    parts, labels = [], []
    for label, shift, count in ((1, 0.0, half), (0, np.pi, n - half)):
        t = np.arange(count) / count
        r = t * RADIUS
        theta = 1.75 * t * 2 * np.pi + shift
        xy = np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1)
        xy += rng.uniform(-1, 1, (count, 2)) * noise * RADIUS * 0.2
        parts.append(xy)
        labels.append(np.full(count, label, np.int64))
    return np.concatenate(parts), np.concatenate(labels)


def plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Regression: the target rises linearly across the square, (x + y) / 12 ∈ [-1, 1]."""
    xy = rng.uniform(-6, 6, (n, 2))
    target = (xy[:, 0] + xy[:, 1]) / 12.0
    xy = xy + rng.uniform(-6, 6, (n, 2)) * noise
    return xy, target[:, None]


def multi_gaussian(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Regression: a landscape of six positive and negative Gaussian bumps."""
    centers = np.array([[-4, 2.5], [0, 2.5], [4, 2.5], [-4, -2.5], [0, -2.5], [4, -2.5]])
    signs = np.array([-1, 1, -1, 1, -1, 1])
    xy = rng.uniform(-6, 6, (n, 2))
    d2 = ((xy[:, None, :] - centers[None]) ** 2).sum(-1)
    target = (signs[None] * np.exp(-d2 / 2.0)).sum(1)
    target = np.clip(target, -1, 1)
    xy = xy + rng.uniform(-6, 6, (n, 2)) * noise
    return xy, target[:, None]


CLASSIFIERS = {"circle": circle, "xor": xor, "gaussians": gaussians, "spiral": spiral}
REGRESSORS = {"plane": plane, "multi_gaussian": multi_gaussian}
