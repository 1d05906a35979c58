"""Dense (fully connected) layer: z = W a + b for every sample (003's s = Wx + b), and for every time step
of a sequence."""

from __future__ import annotations

import numpy as np

from .layer import Builder, Layer


class Dense(Layer):
    """Samples are rows: ``a`` is (N, in), ``W`` is (out, in) as in PyTorch, so z = a Wᵀ + b."""

    def __init__(self, in_features: int, units: int, bias: bool):
        super().__init__()
        self.in_features, self.units, self.bias = in_features, units, bias

    def forward(self, a: np.ndarray, train: bool) -> np.ndarray:
        self.a = a  # dz/dW needs the input
        z = a @ self.params["weight"].T
        if self.bias:
            z += self.params["bias"]
        return z

    def backward(self, dz: np.ndarray) -> np.ndarray | None:
        if dz.ndim == 3:  # a sequence (N, T, units): every time step is one more row, sharing W and b
            return self._backward_rows(dz)
        # 001 §4.2, line 4: dL/dW = δᵀ a — one outer product per sample, summed by the matrix product
        # (003's 20-line network writes it grad_w2 = h.T.dot(grad_y_pred), with W stored transposed)
        np.matmul(dz.T, self.a, out=self.grads["weight"])
        if self.bias:
            dz.sum(axis=0, out=self.grads["bias"])  # dz/db = 1 for every sample
        # line 5: δ ← δ W, the gradient for the layer below (skipped when nothing below needs it)
        return dz @ self.params["weight"] if self.input_grad else None

    def _backward_rows(self, dz: np.ndarray) -> np.ndarray | None:
        rows = dz.reshape(-1, self.units)
        np.matmul(rows.T, self.a.reshape(-1, self.in_features), out=self.grads["weight"])
        if self.bias:
            rows.sum(axis=0, out=self.grads["bias"])
        return dz @ self.params["weight"] if self.input_grad else None


BUILDERS: dict[str, Builder] = {
    "Dense": lambda n, i, o, r: Dense(i[0][-1], n.params["units"], n.params["bias"]),
}
