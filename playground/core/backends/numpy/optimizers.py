"""The optimizers of 001 §3.3, with the exact update rules of ``torch.optim`` so both backends agree.

Each works on the model's flat parameter and gradient arrays (see parameters.py): one step updates
every weight of the network with a few vectorised operations. L2 weight decay λ applies to the first
``n_decayed`` entries only (Dense and convolution weights): added to the gradient (g + λθ) for SGD,
RMSProp, AdaGrad and Adam, or applied to the weights directly (θ ← θ − αλθ) for AdamW.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import numpy as np

from ...config import OptimizerConfig


class Optimizer:
    # the settings a user may change between steps (others are ignored, as torch.optim ignores them)
    settings: tuple[str, ...] = ()
    # the arrays carried from step to step: torch.optim's name for each, then this class's attribute
    slots: ClassVar[dict[str, str]] = {}

    def __init__(
        self, params: np.ndarray, grads: np.ndarray, n_decayed: int, config: OptimizerConfig, weight_decay: float
    ):
        self.params, self.grads, self.n_decayed = params, grads, n_decayed
        self.weight_decay = weight_decay
        for name in self.settings:
            setattr(self, name, getattr(config, name))
        self.steps = 0

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            if name in self.settings or name == "weight_decay":
                setattr(self, name, value)

    def state(self) -> tuple[int, dict[str, np.ndarray]]:
        """The step count and copies of the slots made so far (flat, like the parameters)."""
        arrays = {name: getattr(self, attr) for name, attr in self.slots.items()}
        return self.steps, {name: a.copy() for name, a in arrays.items() if a is not None}

    def load_state(self, steps: int, arrays: dict[str, np.ndarray]) -> None:
        """Put back what :meth:`state` gave; a slot it lacks starts afresh (momentum: made by the next step)."""
        unknown = set(arrays) - set(self.slots)
        if unknown:
            raise ValueError(f"{type(self).__name__} has no state called {', '.join(sorted(unknown))}")
        self.steps = steps
        for name, attr in self.slots.items():
            given = arrays.get(name)
            if given is None:
                setattr(self, attr, None if name == "momentum" else np.zeros_like(self.params))
            else:
                setattr(self, attr, np.array(given, dtype=self.params.dtype).reshape(self.params.shape))

    def gradient(self) -> np.ndarray:
        """∇L, plus λθ on the decayed weights when there is (coupled) weight decay."""
        if not self.weight_decay:
            return self.grads
        g = self.grads.copy()  # the model's gradients stay the loss's (as p.grad in PyTorch)
        d = self.n_decayed
        g[:d] += self.weight_decay * self.params[:d]
        return g

    def step(self, lr: float) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """θ ← θ − α g, with momentum μ: b ← μ b + g (b = g on the first step), and θ ← θ − α b
    (Nesterov: θ ← θ − α (g + μ b)) — 001 §3.3.1's g_k = ∇L + μ g_{k−1}."""

    settings = ("momentum", "nesterov")
    slots: ClassVar[dict[str, str]] = {"momentum": "buffer"}
    momentum: float
    nesterov: bool

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.buffer: np.ndarray | None = None

    def step(self, lr: float) -> None:
        g = self.gradient()
        if self.momentum:
            if self.buffer is None:
                self.buffer = g.copy()
            else:
                self.buffer *= self.momentum
                self.buffer += g
            g = g + self.momentum * self.buffer if self.nesterov else self.buffer
        self.params -= lr * g


class RMSprop(Optimizer):
    """s ← β s + (1 − β) g², θ ← θ − α g / (√s + ε) (001 §3.3.2); with momentum μ the step
    g / (√s + ε) is averaged like SGD's. β is called alpha, as in PyTorch."""

    settings = ("alpha", "eps", "momentum")
    slots: ClassVar[dict[str, str]] = {"square_avg": "square_avg", "momentum": "buffer"}
    alpha: float
    eps: float
    momentum: float

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.square_avg = np.zeros_like(self.params)
        self.buffer: np.ndarray | None = None

    def step(self, lr: float) -> None:
        g = self.gradient()
        self.square_avg *= self.alpha
        self.square_avg += (1 - self.alpha) * g * g
        direction = g / (np.sqrt(self.square_avg) + self.eps)
        if self.momentum > 0:
            if self.buffer is None:
                self.buffer = np.zeros_like(self.params)
            self.buffer *= self.momentum
            self.buffer += direction
            direction = self.buffer
        self.params -= lr * direction


class Adagrad(Optimizer):
    """s ← s + g², θ ← θ − α g / (√s + ε) (001 §3.3.3): each weight's step shrinks as its squared
    gradients pile up."""

    settings = ("eps",)
    slots: ClassVar[dict[str, str]] = {"sum": "sum_squares"}
    eps: float

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sum_squares = np.zeros_like(self.params)

    def step(self, lr: float) -> None:
        g = self.gradient()
        self.sum_squares += g * g
        self.params -= lr * g / (np.sqrt(self.sum_squares) + self.eps)


class Adam(Optimizer):
    """001 §3.3.4: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m/(1 − β₁ᵏ), v̂ = v/(1 − β₂ᵏ),
    θ ← θ − α m̂ / (√v̂ + ε). The bias corrections undo the zero start of m and v."""

    settings = ("beta1", "beta2", "eps")
    slots: ClassVar[dict[str, str]] = {"exp_avg": "m", "exp_avg_sq": "v"}
    beta1: float
    beta2: float
    eps: float
    decoupled = False

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.m = np.zeros_like(self.params)
        self.v = np.zeros_like(self.params)

    def step(self, lr: float) -> None:
        if self.decoupled and self.weight_decay:
            # AdamW: shrink the weights themselves, outside the adaptive scaling
            self.params[: self.n_decayed] *= 1 - lr * self.weight_decay
            g = self.grads
        else:
            g = self.gradient()
        self.steps += 1
        b1, b2 = self.beta1, self.beta2
        self.m *= b1
        self.m += (1 - b1) * g
        self.v *= b2
        self.v += (1 - b2) * g * g
        # PyTorch folds the corrections in: α/(1 − β₁ᵏ) · m / (√v/√(1 − β₂ᵏ) + ε)
        step_size = lr / (1 - b1**self.steps)
        denom = np.sqrt(self.v)
        denom *= 1 / math.sqrt(1 - b2**self.steps)
        denom += self.eps
        self.params -= step_size * (self.m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay: θ ← θ − αλθ, then the Adam step on ∇L alone."""

    decoupled = True

    def gradient(self) -> np.ndarray:
        return self.grads


OPTIMIZERS: dict[str, type[Optimizer]] = {
    "sgd": SGD,
    "rmsprop": RMSprop,
    "adagrad": Adagrad,
    "adam": Adam,
    "adamw": AdamW,
}


def make_optimizer(
    params: np.ndarray, grads: np.ndarray, n_decayed: int, config: OptimizerConfig, weight_decay: float
) -> Optimizer:
    return OPTIMIZERS[config.name](params, grads, n_decayed, config, weight_decay)
