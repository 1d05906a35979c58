"""The NumPy backend: every layer, loss and optimizer written by hand, as the course teaches backprop.

Each layer is a small class in this package (dense.py, conv.py, pooling.py, normalization.py,
activations.py, structure.py) whose ``forward`` caches what its ``backward`` needs and whose
``backward`` turns δ = dL/d(output) into dL/d(input) and writes dL/d(parameters) (001 §4.2).
Convolution and pooling use strided views (im2col.py). The same graph trains here or on PyTorch from
identical weights and batches; ``playground gradcheck`` compares the two layer by layer.

Model-level API (used by the trainer, and by visualisations on this backend)::

    from playground.core.backends.numpy import NumpyModel

    model = NumpyModel(graph, report, params, dtype=np.float32)  # params: initial_parameters(...) or trained
    out, kept = model.forward(x, train=False, keep=("conv1", "relu1"))
    #   out: the Output node's value for samples x (N, *input shape)
    #   kept: {"conv1": ..., "relu1": ...}, the outputs of the named nodes (feature maps)
    dx, grads = model.backward(dout, at=None, keep=("conv1",))
    #   dout: dL/d(output of node `at`) for the last forward pass (default: the Output node)
    #   dx: dL/d(input) — a saliency map when dout is one-hot on a class score
    #   grads: dL/d(output of each node in keep) — Grad-CAM weights
    #   model.grads[node][name]: the parameter gradients; model.params, model.buffers: the values

    # saliency: d(score of class c)/d(input)
    out, _ = model.forward(images)
    onehot = np.zeros_like(out); onehot[:, c] = 1
    saliency, _ = model.backward(onehot)

``model.parameters()``, ``model.gradients()`` and ``model.load_parameters()`` exchange plain
dictionaries {node name: {"weight": ..., "bias": ..., "running_mean": ...}} with PyTorch's layouts.
Use ``dtype=np.float64`` for numerical checks. The losses (with their gradients) are in ``losses.py``,
the optimizers in ``optimizers.py``, and :class:`NumpyTrainer` drives training for the engine.
"""

from .losses import LOSSES
from .model import NumpyModel
from .registry import BUILDERS, build_layer, register_builder

__all__ = ["BUILDERS", "LOSSES", "NumpyModel", "build_layer", "register_builder"]
