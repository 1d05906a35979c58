"""Layers that move numbers around without weights: Flatten, Reshape, Add, Concat, Output, Dropout."""

from __future__ import annotations

import numpy as np

from .layer import Builder, Layer, MergeLayer, Shape, plain


class Identity(Layer):
    """The Output node: the network's scores pass through; the loss is applied by the trainer."""

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        return x

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy


class Reshape(Layer):
    """Same numbers, new shape (Flatten is Reshape to one vector). The gradient is reshaped back."""

    def __init__(self, shape: Shape):
        super().__init__()
        self.shape = shape

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.x_shape = x.shape
        return x.reshape(x.shape[0], *self.shape)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy.reshape(self.x_shape)


class Add(MergeLayer):
    """y = x₁ + x₂ + …; each input receives δ unchanged (a residual connection passes gradient through)."""

    def forward(self, xs: list[np.ndarray], train: bool) -> np.ndarray:
        y = xs[0] + xs[1]
        for x in xs[2:]:
            y += x
        self.count = len(xs)
        return y

    def backward(self, dy: np.ndarray) -> list[np.ndarray]:
        return [dy] * self.count


class Concat(MergeLayer):
    """Stacks the inputs along the channels; the gradient is cut back into the same pieces."""

    def forward(self, xs: list[np.ndarray], train: bool) -> np.ndarray:
        self.ends = np.cumsum([x.shape[1] for x in xs])[:-1]
        return np.concatenate(xs, axis=1)

    def backward(self, dy: np.ndarray) -> list[np.ndarray]:
        return np.split(dy, self.ends, axis=1)


class Dropout(Layer):
    """Inverted dropout (001 §4.6.4): while training, keep each value with probability 1 − p and divide
    the kept ones by 1 − p, so the expected activation is unchanged and evaluation needs no rescaling.
    The same mask multiplies the gradient."""

    def __init__(self, p: float, rng: np.random.Generator):
        super().__init__()
        self.p, self.rng = p, rng
        self.mask: np.ndarray | None = None
        # Reuse the last mask instead of drawing a new one (gradient checks compare several passes).
        self.frozen = False

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        if not train or self.p == 0:
            self.mask = None
            return x
        if not (self.frozen and self.mask is not None and self.mask.shape == x.shape):
            keep = self.rng.random(x.shape, dtype=x.dtype) >= self.p
            self.mask = keep * x.dtype.type(1 / (1 - self.p))
        return x * self.mask

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy if self.mask is None else dy * self.mask


BUILDERS: dict[str, Builder] = {
    "Output": plain(Identity),
    "Flatten": lambda n, i, o, r: Reshape(o),
    "Reshape": lambda n, i, o, r: Reshape(o),
    "Dropout": lambda n, i, o, r: Dropout(n.params["p"], r),
    "Add": plain(Add),
    "Concat": plain(Concat),
}
