"""Element-wise activations and softmax (000, 003, 004). Each backward multiplies δ by f'(x).

For most of them f' is cheapest to write with the output y = f(x), so that is what forward keeps.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf, expit

from .layer import Builder, Layer, plain


class ReLU(Layer):
    """max(0, x); f'(x) = 1 where x > 0, else 0 (a 'dead' unit passes no gradient)."""

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.y = np.maximum(x, 0)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy * (self.y > 0)


class LeakyReLU(Layer):
    """x for x > 0, slope·x otherwise; f' = 1 or slope."""

    def __init__(self, negative_slope: float):
        super().__init__()
        self.slope = negative_slope

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.positive = x > 0
        return np.where(self.positive, x, x * self.slope)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return np.where(self.positive, dy, dy * self.slope)


class ELU(Layer):
    """x for x > 0, α(eˣ − 1) otherwise; f' = 1 or αeˣ = y + α."""

    def __init__(self, alpha: float):
        super().__init__()
        self.alpha = alpha

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.positive = x > 0
        # exp only of the non-positive part: exp of a large positive x would overflow for nothing
        self.y = np.where(self.positive, x, self.alpha * np.expm1(np.minimum(x, 0)))
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return np.where(self.positive, dy, dy * (self.y + self.alpha))


_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


class GELU(Layer):
    """x·Φ(x) with Φ the standard normal CDF (exact), or its tanh approximation (004)."""

    def __init__(self, approximate: str):
        super().__init__()
        self.tanh = approximate == "tanh"

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.x = x
        if self.tanh:
            self.t = np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x**3))
            return 0.5 * x * (1 + self.t)
        self.cdf = 0.5 * (1 + erf(x * (1 / math.sqrt(2))))
        return x * self.cdf

    def backward(self, dy: np.ndarray) -> np.ndarray:
        x = self.x
        if self.tanh:
            # d/dx ½x(1 + t) = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²)
            inner = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
            return dy * (0.5 * (1 + self.t) + 0.5 * x * (1 - self.t * self.t) * inner)
        # d/dx xΦ(x) = Φ(x) + xφ(x), φ the normal density
        pdf = np.exp(-0.5 * x * x) * (1 / math.sqrt(2 * math.pi))
        return dy * (self.cdf + x * pdf)


class Sigmoid(Layer):
    """σ(x) = 1/(1 + e⁻ˣ); σ' = σ(1 − σ), which vanishes when |x| is large (saturation)."""

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.y = expit(x)  # computed without overflow for very negative x
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy * self.y * (1 - self.y)  # 003's 20-line network: grad_h * h * (1 - h)


class Tanh(Layer):
    """tanh(x); tanh' = 1 − tanh²."""

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.y = np.tanh(x)
        return self.y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy * (1 - self.y * self.y)


class ReLU6(Layer):
    """min(max(0, x), 6); f' = 1 strictly between 0 and 6."""

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.inside = (x > 0) & (x < 6)
        return np.clip(x, 0, 6)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy * self.inside


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """eˣⁱ / Σⱼ eˣʲ along ``axis``; shifting by the max changes nothing but overflow (−∞ gives 0)."""
    e = x - x.max(axis=axis, keepdims=True)
    np.exp(e, out=e)  # in place: attention's weights are large (N × heads × T × T)
    e /= e.sum(axis=axis, keepdims=True)
    return e


def softmax_backward(p: np.ndarray, dy: np.ndarray, axis: int = -1) -> np.ndarray:
    """dL/dx from the softmax's output p: the Jacobian diag(p) − p pᵀ gives p ⊙ (δ − Σⱼ δⱼ pⱼ)."""
    return p * (dy - (dy * p).sum(axis=axis, keepdims=True))


class Softmax(Layer):
    """pᵢ = eˣⁱ / Σⱼ eˣʲ over the channels (axis 1; the features of each time step of a sequence, its last
    axis). Its Jacobian is diag(p) − p pᵀ, so dL/dx = p ⊙ (δ − Σⱼ δⱼ pⱼ)."""

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.axis = 2 if x.ndim == 3 else 1
        self.p = softmax(x, self.axis)
        return self.p

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return softmax_backward(self.p, dy, self.axis)


BUILDERS: dict[str, Builder] = {
    "ReLU": plain(ReLU),
    "LeakyReLU": lambda n, i, o, r: LeakyReLU(n.params["negative_slope"]),
    "ELU": lambda n, i, o, r: ELU(n.params["alpha"]),
    "GELU": lambda n, i, o, r: GELU(n.params["approximate"]),
    "Sigmoid": plain(Sigmoid),
    "Tanh": plain(Tanh),
    "ReLU6": plain(ReLU6),
    "Softmax": plain(Softmax),
}
