"""Embedding, PositionalEncoding and pooling over time on NumPy. Sequences are (N, T, D) arrays."""

from __future__ import annotations

import numpy as np

from .layer import Builder, Layer


class Embedding(Layer):
    """Row ``id`` of the V×D table for every token id: a lookup, i.e. a one-hot vector times the table.

    Its gradient therefore adds each step's δ to the row it read (a token seen twice gets both). The ids are
    not values, so nothing flows back to the input."""

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.ids = x.astype(np.int64)
        return self.params["weight"][self.ids]

    def backward(self, dy: np.ndarray) -> None:
        grad = self.grads["weight"]
        grad.fill(0)
        # np.add.at(grad, ids, δ) done faster: the δ rows grouped by token id (a stable sort), each group summed
        ids = self.ids.ravel()
        order = np.argsort(ids, kind="stable")
        sorted_ids = ids[order]
        starts = np.flatnonzero(np.r_[True, sorted_ids[1:] != sorted_ids[:-1]])
        rows = dy.reshape(len(ids), -1)[order]
        grad[sorted_ids[starts]] = np.add.reduceat(rows, starts, axis=0)
        return None


def sinusoidal_encoding(steps: int, features: int) -> np.ndarray:
    """PE(t, 2i) = sin(t / 10000^(2i/D)), PE(t, 2i+1) = cos(t / 10000^(2i/D)) for t = 0 … T−1 (004)."""
    t = np.arange(steps, dtype=np.float64)[:, None]
    rates = 1.0 / 10000.0 ** (np.arange(0, features, 2, dtype=np.float64) / features)
    table = np.empty((steps, features))
    table[:, 0::2] = np.sin(t * rates)
    table[:, 1::2] = np.cos(t * rates[: features // 2])
    return table


class PositionalEncoding(Layer):
    """x_t + p_t: p fixed (sinusoidal) or a learned T×D table; dL/dx = δ, dL/dp = Σ over the batch of δ."""

    def __init__(self, steps: int, features: int, learned: bool):
        super().__init__()
        self.learned = learned
        self.table = None if learned else sinusoidal_encoding(steps, features)

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        table = self.params["weight"] if self.learned else self.table.astype(x.dtype, copy=False)  # type: ignore[union-attr]
        return x + table

    def backward(self, dy: np.ndarray) -> np.ndarray:
        if self.learned:
            dy.sum(axis=0, out=self.grads["weight"])
        return dy


class PoolOverTime(Layer):
    """(N, T, D) → (N, D): the last step, or the mean over the T steps (each gets δ/T back)."""

    def __init__(self, mode: str):
        super().__init__()
        self.mode = mode

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.x_shape = x.shape
        return x[:, -1] if self.mode == "last" else x.mean(axis=1)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        steps = self.x_shape[1]
        if self.mode == "last":
            dx = np.zeros(self.x_shape, dy.dtype)
            dx[:, -1] = dy
            return dx
        return np.broadcast_to(dy[:, None] / steps, self.x_shape).copy()


BUILDERS: dict[str, Builder] = {
    "Embedding": lambda n, i, o, r: Embedding(),
    "PositionalEncoding": lambda n, i, o, r: PositionalEncoding(i[0][0], i[0][1], n.params["kind"] == "learned"),
    "PoolOverTime": lambda n, i, o, r: PoolOverTime(n.params["mode"]),
}
