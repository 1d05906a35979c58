"""What every NumPy layer looks like: ``forward`` caches, ``backward`` returns gradients.

This is backpropagation as the course writes it (001 §4.2, Algorithm 7): the forward pass computes
each layer's output and remembers what the backward pass will need; the backward pass receives
δ = dL/d(output) and

* writes dL/dθ = (df/dθ)·δ for its own parameters θ into ``self.grads`` (line 4), and
* returns the new δ for its input, dL/dx = (df/dx)·δ (line 5).

Only the optimizer changes weights. A layer never modifies the δ it receives (it may be shared with
another branch of the graph) and never keeps more than its backward pass needs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ...graph.model import Node

Shape = tuple[int, ...]


class LayerBase:
    """What every layer has: its parameters, their gradients and its running statistics."""

    def __init__(self) -> None:
        # Views into the model's flat parameter and gradient arrays, laid out from the layer spec's tensors
        # and named as PyTorch names them.
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        # Running statistics (BatchNorm): state that is not trained by gradient descent.
        self.buffers: dict[str, np.ndarray] = {}
        # False when nothing upstream needs dL/dx: the first layer after the Input then skips that work.
        self.input_grad = True


class Layer(LayerBase):
    """A node with one input."""

    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dy: np.ndarray) -> np.ndarray | None:
        raise NotImplementedError


class MergeLayer(LayerBase):
    """A node with several inputs (Add, Concat): takes a list, returns one gradient per input."""

    def forward(self, xs: list[np.ndarray], train: bool) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dy: np.ndarray) -> list[np.ndarray]:
        raise NotImplementedError


AnyLayer = Layer | MergeLayer

# Makes a node's layer from the node (its parameters), its input shapes, its output shape and the
# random stream dropout draws from. Each layer file lists its builders in ``BUILDERS``.
Builder = Callable[[Node, list[Shape], Shape, np.random.Generator], AnyLayer]


def plain(cls: type[AnyLayer]) -> Builder:
    """The builder of a layer class that takes no arguments."""
    return lambda _node, _ins, _out, _rng: cls()
