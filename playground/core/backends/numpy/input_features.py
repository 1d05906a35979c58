"""Features: x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂ of a 2D point, those switched on, as columns.

Each feature is a function f(x₁, x₂) whose partial derivatives are short: backward adds δ·∂f/∂x₁ and
δ·∂f/∂x₂ over the features switched on (no weights, so nothing else to compute).
"""

from __future__ import annotations

import numpy as np

from ...layers.input_features import enabled_features
from .layer import Builder, Layer


def _value(name: str, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    if name == "x1":
        return x1
    if name == "x2":
        return x2
    if name == "x1_squared":
        return x1 * x1
    if name == "x2_squared":
        return x2 * x2
    if name == "x1_x2":
        return x1 * x2
    if name == "sin_x1":
        return np.sin(x1)
    if name == "sin_x2":
        return np.sin(x2)
    raise KeyError(name)


def _slopes(name: str, x1: np.ndarray, x2: np.ndarray) -> tuple[np.ndarray | float, np.ndarray | float]:
    """(∂f/∂x₁, ∂f/∂x₂) of the feature ``name``."""
    if name == "x1":
        return 1.0, 0.0
    if name == "x2":
        return 0.0, 1.0
    if name == "x1_squared":
        return 2 * x1, 0.0
    if name == "x2_squared":
        return 0.0, 2 * x2
    if name == "x1_x2":
        return x2, x1
    if name == "sin_x1":
        return np.cos(x1), 0.0
    if name == "sin_x2":
        return 0.0, np.cos(x2)
    raise KeyError(name)


class Features(Layer):
    """(N, 2) points in, (N, k) features out, one column per feature switched on."""

    def __init__(self, names: tuple[str, ...]):
        super().__init__()
        self.names = names

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.x = x  # every slope is written with the point itself
        x1, x2 = x[:, 0], x[:, 1]
        return np.stack([_value(name, x1, x2) for name in self.names], axis=1)

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        if not self.input_grad:
            return None
        x1, x2 = self.x[:, 0], self.x[:, 1]
        dx = np.zeros_like(self.x)
        for column, name in enumerate(self.names):
            d1, d2 = _slopes(name, x1, x2)
            dx[:, 0] += dy[:, column] * d1
            dx[:, 1] += dy[:, column] * d2
        return dx


BUILDERS: dict[str, Builder] = {
    "Features": lambda n, i, o, r: Features(enabled_features(n.params)),
}
