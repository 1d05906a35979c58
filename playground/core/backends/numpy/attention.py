"""Multi-head self-attention on NumPy: softmax(Q Kᵀ / √d_k) V per head, forward and backward written out.

Shapes: x (N, T, E); per head queries, keys and values (N, h, T, d_k); scores and weights (N, h, T, T),
row l holding query l's weights over the keys t.
"""

from __future__ import annotations

import numpy as np

from .activations import softmax, softmax_backward
from .layer import Builder, Layer


class MultiHeadAttention(Layer):
    def __init__(self, heads: int, d_k: int, causal: bool, dropout: float, bias: bool, rng: np.random.Generator):
        super().__init__()
        self.heads, self.d_k, self.causal, self.p, self.bias, self.rng = heads, d_k, causal, dropout, bias, rng
        self.weights: np.ndarray | None = None  # the last pass's attention weights, for the views

    def _project(self, x: np.ndarray, name: str) -> np.ndarray:
        """x W_nameᵀ + b, split into heads: (N, T, h·d_k) → (N, h, T, d_k)."""
        y = x @ self.params[f"{name}_weight"].T
        if self.bias and name != "k":  # a key bias would shift every score of a query alike: none
            y += self.params[f"{name}_bias"]
        n, t = x.shape[:2]
        return y.reshape(n, t, self.heads, self.d_k).transpose(0, 2, 1, 3)

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.x = x
        q, k, v = (self._project(x, name) for name in ("q", "k", "v"))
        scores = q @ k.transpose(0, 1, 3, 2)
        scores /= np.sqrt(self.d_k)
        if self.causal:  # e_{l,t} = −∞ for t > l (001 §6.7.2.4): the weight of a later step is exactly 0
            steps = x.shape[1]
            scores += np.triu(np.full((steps, steps), -np.inf, scores.dtype), 1)  # + 0 elsewhere: unchanged
        self.weights = softmax(scores)
        used = self.weights
        self.mask = None
        if train and self.p > 0:  # inverted dropout on the weights, as PyTorch's attention does
            self.mask = (self.rng.random(used.shape) >= self.p).astype(x.dtype) / (1 - self.p)
            used = used * self.mask
        self.q, self.k, self.v, self.used = q, k, v, used
        heads = used @ v  # (N, h, T, d_k)
        n, t = x.shape[:2]
        self.concat = heads.transpose(0, 2, 1, 3).reshape(n, t, self.heads * self.d_k)  # [H_1, …, H_h]
        out = self.concat @ self.params["out_weight"].T
        if self.bias:
            out += self.params["out_bias"]
        return out

    def backward(self, dy: np.ndarray) -> np.ndarray:
        n, t = dy.shape[:2]
        flat_dy = dy.reshape(-1, dy.shape[2])
        self.grads["out_weight"][...] = flat_dy.T @ self.concat.reshape(n * t, -1)
        if self.bias:
            self.grads["out_bias"][...] = flat_dy.sum(axis=0)
        dheads = (dy @ self.params["out_weight"]).reshape(n, t, self.heads, self.d_k).transpose(0, 2, 1, 3)
        dv = self.used.transpose(0, 1, 3, 2) @ dheads
        dweights = dheads @ self.v.transpose(0, 1, 3, 2)
        if self.mask is not None:
            dweights = dweights * self.mask
        a = self.weights
        assert a is not None, "backward before forward"
        # softmax backward, row by row (masked steps have a = 0), then through the ÷√d_k
        dscores = softmax_backward(a, dweights) / np.sqrt(self.d_k)
        dq = dscores @ self.k
        dk = dscores.transpose(0, 1, 3, 2) @ self.q
        dx = np.zeros_like(self.x)
        flat_x = self.x.reshape(n * t, -1)
        for name, d in (("q", dq), ("k", dk), ("v", dv)):
            d_flat = d.transpose(0, 2, 1, 3).reshape(n * t, -1)
            self.grads[f"{name}_weight"][...] = d_flat.T @ flat_x
            if self.bias and name != "k":
                self.grads[f"{name}_bias"][...] = d_flat.sum(axis=0)
            dx += (d_flat @ self.params[f"{name}_weight"]).reshape(dx.shape)
        return dx


BUILDERS: dict[str, Builder] = {
    "MultiHeadAttention": lambda n, i, o, r: MultiHeadAttention(
        n.params["heads"], n.params["d_k"], n.params["causal"], n.params["dropout"], n.params["bias"], r
    ),
}
