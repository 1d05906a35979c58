"""The initialization explorer (001 §4.4): a deep MLP at step 0, its activations and gradients layer by layer.

A batch of N(0, 1) inputs goes through ``depth`` Dense layers of ``width`` units (no bias), each followed by the
activation; a random upstream gradient comes back. With weights N(0, σ²), each layer multiplies the activations'
spread by about σ·√width: for σ = 0.01 and 100 units that is 0.1 per layer, and after ten layers nothing is left
(nor of the gradients, which are proportional to the activations). Xavier (σ² = 1/fan_in in the course's
derivation; Glorot's 2/(fan_in + fan_out) is the same for square layers) keeps the spread for tanh; He doubles
it for ReLU, which zeroes half of it; an orthogonal matrix keeps every norm.

The weights are drawn by the project's own :func:`~playground.core.initialization.init_weight` and the layers are
the NumPy backend's own Dense and activation layers, so what the explorer shows is what training starts from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..backends.numpy.activations import ReLU, Sigmoid, Tanh
from ..backends.numpy.dense import Dense
from ..backends.numpy.layer import Layer
from ..graph.model import Graph
from ..initialization import init_weight


@dataclass(frozen=True)
class Scheme:
    key: str
    title: str
    init: str  # the scheme's name in core/initialization.py and in a layer's "init" parameter
    help: str


SCHEMES: dict[str, Scheme] = {
    s.key: s
    for s in (
        Scheme("normal", "N(0, σ²)", "normal", "every weight from N(0, σ²), σ chosen"),
        Scheme("xavier", "Xavier / Glorot", "xavier_normal", "N(0, 2/(fan_in + fan_out))"),
        Scheme("he", "He / Kaiming", "kaiming_normal", "N(0, 2/fan_in): for ReLU"),
        Scheme("orthogonal", "Orthogonal", "orthogonal", "a random orthogonal matrix"),
    )
}


def scheme_edits(graph: Graph, scheme: Scheme, std: float) -> list[tuple[str, str, object]]:
    """The parameter edits (node id, parameter, value) that give every layer with weights ``scheme``: its
    ``init``, and for N(0, σ²) also its ``init_std``."""
    edits: list[tuple[str, str, object]] = []
    for node in graph.nodes:
        if "init" in node.params:
            edits.append((node.id, "init", scheme.init))
            if scheme.key == "normal":
                edits.append((node.id, "init_std", std))
    return edits


ACTIVATIONS: dict[str, type[Layer]] = {"tanh": Tanh, "relu": ReLU, "sigmoid": Sigmoid}
BINS = 41


@dataclass
class LayerStats:
    activations: np.ndarray  # (samples, width): the layer's output after its activation
    gradients: np.ndarray  # (width, width): dL/dW of its weights

    @property
    def activation_std(self) -> float:
        return float(self.activations.std())

    @property
    def gradient_std(self) -> float:
        return float(self.gradients.std())

    @property
    def zero_fraction(self) -> float:
        """The share of activations that are exactly 0 (inactive ReLUs)."""
        return float(np.mean(self.activations == 0))


@dataclass
class Exploration:
    scheme: Scheme
    activation: str
    std: float
    layers: list[LayerStats]

    @property
    def activation_stds(self) -> np.ndarray:
        return np.array([layer.activation_std for layer in self.layers])

    @property
    def gradient_stds(self) -> np.ndarray:
        return np.array([layer.gradient_std for layer in self.layers])

    def histograms(
        self, what: str = "activations", bins: int = BINS, skip_zeros: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Counts (layers × bins) over edges shared by every layer, so a layer whose values have shrunk shows
        as a spike in the middle; ``what`` is "activations" or "gradients". ``skip_zeros`` leaves out values that
        are exactly 0 (a ReLU's inactive units, see :attr:`LayerStats.zero_fraction`), which would hide the rest."""
        values = [getattr(layer, what) for layer in self.layers]
        if skip_zeros:
            values = [v[v != 0] if np.any(v != 0) else v.ravel()[:1] for v in values]
        low = min(float(v.min()) for v in values)
        high = max(float(v.max()) for v in values)
        if what == "gradients" or low < 0:  # symmetric around 0
            high = max(abs(low), abs(high))
            low = -high
        if not high > low:
            high = low + 1e-12
        edges = np.linspace(low, high, bins + 1)
        return np.array([np.histogram(v, edges)[0] for v in values]), edges

    def summary(self) -> dict:
        a, g = self.activation_stds, self.gradient_stds
        return {
            "scheme": self.scheme.key,
            "init": self.scheme.init,
            "std": self.std if self.scheme.key == "normal" else None,
            "activation": self.activation,
            "depth": len(self.layers),
            "activation_std": a.tolist(),
            "gradient_std": g.tolist(),
            "last_over_first_activation_std": float(a[-1] / a[0]) if a[0] > 0 else None,
        }


def explore(
    scheme: str,
    activation: str,
    depth: int = 10,
    width: int = 100,
    std: float = 0.01,
    samples: int = 256,
    seed: int = 0,
) -> Exploration:
    """One forward and one backward pass of the MLP at its initial weights."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown init scheme '{scheme}' (known: {', '.join(SCHEMES)})")
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation '{activation}' (known: {', '.join(ACTIVATIONS)})")
    for name, value, low, high in (("depth", depth, 1, 100), ("width", width, 1, 2048), ("samples", samples, 2, 10000)):
        if not low <= value <= high:
            raise ValueError(f"{name} must be between {low} and {high}, not {value}")
    if not (np.isfinite(std) and std > 0):
        raise ValueError(f"σ must be a positive number, not {std}")
    rng = np.random.default_rng(seed)
    dense: list[Dense] = []
    acts: list[Layer] = []
    for _ in range(depth):
        layer = Dense(width, width, bias=False)
        layer.params["weight"] = init_weight((width, width), SCHEMES[scheme].init, rng, std)
        layer.grads["weight"] = np.zeros((width, width))
        dense.append(layer)
        acts.append(ACTIVATIONS[activation]())
    dense[0].input_grad = False
    a = rng.normal(0.0, 1.0, (samples, width))
    outputs = []
    for layer, act in zip(dense, acts, strict=True):
        a = act.forward(layer.forward(a, True), True)
        outputs.append(a)
    # L = mean over samples of r·a_L with r ~ N(0, 1): a random direction, as a loss would give at step 0
    delta = rng.normal(0.0, 1.0, a.shape) / samples
    for layer, act in zip(reversed(dense), reversed(acts), strict=True):
        through_activation = act.backward(delta)
        assert through_activation is not None
        below = layer.backward(through_activation)
        if below is None:  # the first layer: nothing below it needs dL/dx
            break
        delta = below
    stats = [LayerStats(out, layer.grads["weight"].copy()) for out, layer in zip(outputs, dense, strict=True)]
    return Exploration(SCHEMES[scheme], activation, std, stats)
