"""BatchNorm, LayerNorm and GroupNorm (001 §4.3): standardise, then scale by γ and shift by β.

All three compute x̂ = (x − μ) / √(σ² + ε) with the biased variance σ² = mean((x − μ)²); they differ only
in *which* values share a μ and σ: the batch (per channel), one sample, or one sample's channel group.
Because μ and σ depend on every x they average, the gradient has two extra terms — see
:func:`standardize_backward`.
"""

from __future__ import annotations

import numpy as np

from ..base import BackendError
from .layer import Builder, Layer, Shape

Axes = tuple[int, ...]


def standardize(x: np.ndarray, axes: Axes, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x̂ = (x − μ)/√(σ² + ε) over ``axes``; also returns μ, σ² and 1/√(σ² + ε) (kept for backward)."""
    mu = x.mean(axis=axes, keepdims=True)
    centred = x - mu
    var = np.mean(centred * centred, axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    return centred * inv_std, mu, var, inv_std


def standardize_backward(dxhat: np.ndarray, xhat: np.ndarray, inv_std: np.ndarray, axes: Axes) -> np.ndarray:
    """dL/dx from dL/dx̂ when μ and σ were computed from the same x over ``axes``:

        dL/dx = (1/σ) · (dL/dx̂ − mean(dL/dx̂) − x̂ · mean(dL/dx̂ · x̂))

    The first term is the direct path; the mean term is the path through μ (moving every x moves μ);
    the last is the path through σ.
    """
    mean_d = dxhat.mean(axis=axes, keepdims=True)
    mean_dx = (dxhat * xhat).mean(axis=axes, keepdims=True)
    return inv_std * (dxhat - mean_d - xhat * mean_dx)


def _count(shape: Shape, axes: Axes) -> int:
    return int(np.prod([shape[a] for a in axes]))


class BatchNorm(Layer):
    """Per channel, over the batch (and the pixels of an image). Training uses the batch statistics and
    updates running ones; evaluation uses the running statistics, as PyTorch does."""

    def __init__(self, channels: int, momentum: float, eps: float, affine: bool, name: str):
        super().__init__()
        self.channels, self.momentum, self.eps, self.affine, self.name = channels, momentum, eps, affine, name

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        axes = (0, *range(2, x.ndim))  # every axis but the channels
        stat_shape = (1, self.channels) + (1,) * (x.ndim - 2)
        self.axes, self.train = axes, train
        if train:
            n = _count(x.shape, axes)
            if n < 2:
                raise BackendError(
                    f"{self.name} (BatchNorm) needs more than one value per channel while training, "
                    "but the batch has a single sample: use a batch size that does not leave one "
                    "sample alone, or use LayerNorm."
                )
            self.xhat, mu, var, self.inv_std = standardize(x, axes, self.eps)
            m = self.momentum
            # running averages for test time; the variance one is unbiased (n − 1), as in PyTorch
            running_mean, running_var = self.buffers["running_mean"], self.buffers["running_var"]
            running_mean *= 1 - m
            running_mean += m * mu.reshape(-1)
            running_var *= 1 - m
            running_var += (m * n / (n - 1)) * var.reshape(-1)
        else:
            self.inv_std = 1.0 / np.sqrt(self.buffers["running_var"].reshape(stat_shape) + self.eps)
            self.xhat = (x - self.buffers["running_mean"].reshape(stat_shape)) * self.inv_std
        if not self.affine:
            return self.xhat
        return self.xhat * self.params["weight"].reshape(stat_shape) + self.params["bias"].reshape(stat_shape)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        dxhat = dy
        if self.affine:
            np.sum(dy, axis=self.axes, out=self.grads["bias"])  # dL/dβ
            np.sum(dy * self.xhat, axis=self.axes, out=self.grads["weight"])  # dL/dγ
            dxhat = dy * self.params["weight"].reshape((1, self.channels) + (1,) * (dy.ndim - 2))
        if self.train:
            return standardize_backward(dxhat, self.xhat, self.inv_std, self.axes)
        return dxhat * self.inv_std  # fixed running statistics: just a per-channel scale


class LayerNorm(Layer):
    """Per sample, over all its features; γ and β have the sample's full shape (PyTorch's LayerNorm
    with ``normalized_shape`` = the input shape). A T×D sequence is standardised per time step, over its
    D features, with γ and β of D numbers (``normalized_shape`` = D)."""

    def __init__(self, shape: Shape, eps: float, affine: bool):
        super().__init__()
        self.shape, self.eps, self.affine = shape, eps, affine

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        per_step = len(self.shape) == 2
        self.axes = (2,) if per_step else tuple(range(1, x.ndim))
        self.shared = (0, 1) if per_step else (0,)  # the axes γ and β are shared over
        self.xhat, _mu, _var, self.inv_std = standardize(x, self.axes, self.eps)
        if not self.affine:
            return self.xhat
        return self.xhat * self.params["weight"] + self.params["bias"]

    def backward(self, dy: np.ndarray) -> np.ndarray:
        dxhat = dy
        if self.affine:
            np.sum(dy, axis=self.shared, out=self.grads["bias"])
            np.sum(dy * self.xhat, axis=self.shared, out=self.grads["weight"])
            dxhat = dy * self.params["weight"]
        return standardize_backward(dxhat, self.xhat, self.inv_std, self.axes)


class GroupNorm(Layer):
    """Per sample and group of channels; γ and β per channel."""

    def __init__(self, channels: int, groups: int, eps: float, affine: bool):
        super().__init__()
        self.channels, self.groups, self.eps, self.affine = channels, groups, eps, affine

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.x_shape = x.shape
        self.stat_shape = (1, self.channels) + (1,) * (x.ndim - 2)
        grouped = x.reshape(x.shape[0], self.groups, -1)  # the values that share μ and σ are one row
        xhat, _mu, _var, self.inv_std = standardize(grouped, (2,), self.eps)
        self.xhat = xhat.reshape(x.shape)
        if not self.affine:
            return self.xhat
        return self.xhat * self.params["weight"].reshape(self.stat_shape) + self.params["bias"].reshape(self.stat_shape)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        dxhat = dy
        if self.affine:
            axes = (0, *range(2, dy.ndim))
            np.sum(dy, axis=axes, out=self.grads["bias"])
            np.sum(dy * self.xhat, axis=axes, out=self.grads["weight"])
            dxhat = dy * self.params["weight"].reshape(self.stat_shape)
        n = self.x_shape[0]
        dx = standardize_backward(
            dxhat.reshape(n, self.groups, -1), self.xhat.reshape(n, self.groups, -1), self.inv_std, (2,)
        )
        return dx.reshape(self.x_shape)


BUILDERS: dict[str, Builder] = {
    "BatchNorm": lambda n, i, o, r: BatchNorm(
        i[0][0], n.params["momentum"], n.params["eps"], n.params["affine"], n.name
    ),
    "LayerNorm": lambda n, i, o, r: LayerNorm(i[0], n.params["eps"], n.params["affine"]),
    "GroupNorm": lambda n, i, o, r: GroupNorm(i[0][0], n.params["groups"], n.params["eps"], n.params["affine"]),
}
