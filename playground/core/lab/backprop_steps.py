"""Backpropagation step by step on one sample, as the course works it out by hand (000, 002, 003).

The course's recipe: write down the variable graph, run it forward keeping every intermediate value, then go
back from the loss, and at every node multiply the *upstream* gradient (dL/d(output), arriving from above) by
the node's *local* gradient (d(output)/d(input), known from the node alone) to get the gradient it sends down
— "slopes multiply". Where a value feeds several nodes, the gradients coming back from them add.

    trace = backprop_trace(project, sample=0)           # the NumPy backend's own layers, in float64
    for step in trace.forward: step.node, step.output     # node by node, input to loss
    for step in trace.backward:                           # loss to input
        step.upstream                                     # dL/d(output of the node)
        for g in step.inputs: g.local, g.product          # d(output)/d(input) and dL/d(input)
        step.params                                       # dL/dθ of the node's own parameters

The local gradient of a node for one sample is its Jacobian J = d(output)/d(input), one row per output value,
and the product is Jᵀ·upstream. Element-wise nodes (activations, the identity Output, Add) have a diagonal J,
so their local gradient is shown as the vector f'(x) and the product is f'(x) ⊙ upstream. Other nodes get their
full J when it is small (computed by the layer's own backward on each unit vector: the same code that trains),
and none when it is too large; the product is always the layer's backward pass.

:func:`seeds_example` is the course's f(x, y, z) = (x + y)·z at x = −2, y = 5, z = −4 in the same form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..backends.base import BackendError, ParamDict
from ..backends.numpy.layer import AnyLayer, MergeLayer
from ..backends.numpy.losses import LOSSES
from ..backends.numpy.model import NumpyModel
from ..errors import PlaygroundError
from ..initialization import initial_parameters
from ..project import Project
from ..shapes import infer
from ..training.gradcheck import check_batch

# Node types whose Jacobian is diagonal: output value i depends on input value i only.
ELEMENTWISE = {"ReLU", "LeakyReLU", "ELU", "GELU", "Sigmoid", "Tanh", "ReLU6", "Output", "Dropout", "Add"}
# Largest Jacobian (output values × input values) worked out in full, and most backward passes it may take.
JACOBIAN_LIMIT = 4096
JACOBIAN_ROWS = 256
# Training samples loaded to pick one from (the first ones of the training split).
MAX_SAMPLE = 255


class BackpropStepsError(PlaygroundError, ValueError):
    """The walk cannot be made (invalid graph, layer without NumPy code, bad sample); the message says why."""


@dataclass
class ForwardStep:
    node: str
    type: str
    sources: tuple[str, ...]  # the nodes feeding it, in port order
    output: np.ndarray  # this sample's value (no batch axis)
    formula: str = ""


@dataclass
class InputGradient:
    """What one node sends back to one of its inputs."""

    source: str
    product: np.ndarray  # dL/d(input) through this node = localᵀ · upstream
    local: np.ndarray | None  # the local gradient: f'(x) when diagonal, else J (out values × in values) or None
    local_kind: str  # "diagonal", "jacobian" or "none" (too large to show)
    formula: str = ""  # the local gradient written out, where it is short (the seeds' example)


@dataclass
class BackwardStep:
    node: str
    type: str
    upstream: np.ndarray  # dL/d(output of this node): the sum of what its consumers sent back
    inputs: list[InputGradient]
    params: dict[str, np.ndarray] = field(default_factory=dict)  # dL/dθ


@dataclass
class BackpropTrace:
    sample: int
    source: str  # where the sample comes from
    loss_name: str
    loss: float
    target: np.ndarray
    forward: list[ForwardStep]
    backward: list[BackwardStep]
    params: dict[str, ParamDict] | None = None  # the weights it ran with (None for the seeds' example)

    def gradient(self, node: str) -> np.ndarray:
        """dL/d(output of ``node``) (for an input node: dL/d(input))."""
        for step in self.backward:
            if step.node == node:
                return step.upstream
        raise KeyError(node)

    def value(self, node: str) -> np.ndarray:
        for step in self.forward:
            if step.node == node:
                return step.output
        raise KeyError(node)

    def to_json(self, limit: int = 64) -> dict[str, Any]:
        """The numbers of every step; arrays of more than ``limit`` values as their shape, norm and range."""
        return {
            "sample": self.sample,
            "source": self.source,
            "loss_function": self.loss_name,
            "loss": self.loss,
            "target": describe(self.target, limit),
            "forward": [
                {
                    "node": s.node,
                    "type": s.type,
                    "inputs": list(s.sources),
                    "formula": s.formula,
                    "output": describe(s.output, limit),
                }
                for s in self.forward
            ],
            "backward": [
                {
                    "node": s.node,
                    "type": s.type,
                    "upstream": describe(s.upstream, limit),
                    "inputs": [
                        {
                            "input": g.source,
                            "local_kind": g.local_kind,
                            "local": None if g.local is None else describe(g.local, limit),
                            "product": describe(g.product, limit),
                        }
                        for g in s.inputs
                    ],
                    "params": {k: describe(v, limit) for k, v in s.params.items()},
                }
                for s in self.backward
            ],
        }

    def walk(self) -> list[tuple[str, ForwardStep | BackwardStep]]:
        """Every step in order: ("forward", step)… then ("backward", step)…"""
        return [("forward", s) for s in self.forward] + [("backward", s) for s in self.backward]


def describe(array: np.ndarray, limit: int = 64) -> dict[str, Any]:
    """An array for people: its shape, L2 norm and range, and its values when there are at most ``limit``."""
    a = np.asarray(array, dtype=np.float64)
    out: dict[str, Any] = {"shape": list(a.shape), "norm": float(np.linalg.norm(a))}
    if a.size:
        out.update(min=float(a.min()), max=float(a.max()))
    if a.size <= limit:
        out["values"] = a.tolist()
    return out


def layer_forward(layer: AnyLayer, xs: list[np.ndarray], train: bool = False) -> np.ndarray:
    """A layer's forward pass on its inputs, one array per input port."""
    return layer.forward(xs, train) if isinstance(layer, MergeLayer) else layer.forward(xs[0], train)


def layer_backward(layer: AnyLayer, dy: np.ndarray) -> list[np.ndarray | None]:
    """A layer's backward pass: dL/d(input) for each input port, given dL/d(output); None for an input that
    has no gradient (an Embedding's token ids)."""
    layer.input_grad = True
    if isinstance(layer, MergeLayer):
        return list(layer.backward(dy))
    return [layer.backward(dy)]


def _local_gradient(
    layer: AnyLayer, dy_shape: tuple[int, ...], in_shapes: list[tuple[int, ...]], elementwise: bool
) -> list[tuple[np.ndarray | None, str]]:
    """(local, kind) for each input of ``layer`` after its forward pass on one sample.

    Uses only the layer's backward: for a diagonal Jacobian, backward(ones) is f'(x); otherwise row i of J is
    backward(eᵢ). Call it after the real backward pass: a layer with parameters writes its gradients again.
    """
    out_size = int(np.prod(dy_shape))
    if elementwise:
        ones = layer_backward(layer, np.ones((1, *dy_shape)))
        return [(None, "none") if b is None else (b[0].copy(), "diagonal") for b in ones]
    in_sizes = [int(np.prod(s)) for s in in_shapes]
    if out_size > JACOBIAN_ROWS or any(out_size * n > JACOBIAN_LIMIT for n in in_sizes):
        return [(None, "none") for _ in in_shapes]
    rows: list[list[np.ndarray]] = [[] for _ in in_shapes]
    for i in range(out_size):
        unit = np.zeros(out_size)
        unit[i] = 1.0
        for k, b in enumerate(layer_backward(layer, unit.reshape(1, *dy_shape))):
            if b is None:
                return [(None, "none") for _ in in_shapes]
            rows[k].append(np.asarray(b).reshape(-1))
    return [(np.stack(r), "jacobian") for r in rows]


def _formula(node_type: str, sources: tuple[str, ...]) -> str:
    args = ", ".join(sources)
    return {
        "Dense": f"W·{args} + b",
        "Add": " + ".join(sources),
        "Output": f"{args} (the scores)",
    }.get(node_type, f"{node_type}({args})")


def backprop_trace(
    project: Project, sample: int = 0, params: dict[str, ParamDict] | None = None, seed: int | None = None
) -> BackpropTrace:
    """The forward and backward walk of ``project``'s network on training sample ``sample`` (a random sample
    when the project has no dataset), on the NumPy backend in float64, in evaluation mode (no dropout,
    BatchNorm on its running statistics). ``params``: the weights (default: the initial ones for ``seed``)."""
    graph = project.graph
    report = infer(graph)
    if not report.ok:
        first = report.errors[0]
        raise BackpropStepsError(f"The network has problems: {first.message}", first.node_id)
    if not 0 <= sample <= MAX_SAMPLE:
        raise BackpropStepsError(f"sample: {sample} is not a training sample number between 0 and {MAX_SAMPLE}.")
    seed = project.training.seed if seed is None else seed
    if params is None:
        params = initial_parameters(graph, seed, project.training.init, report)
    try:
        batch = check_batch(project, report, sample + 1, seed)
        model = NumpyModel(graph, report, params, np.float64, seed=seed)
    except (BackendError, ValueError) as err:
        raise BackpropStepsError(str(err), getattr(err, "node_id", None)) from None
    if len(batch.x) <= sample:
        raise BackpropStepsError(f"sample: the training set has only {len(batch.x)} samples.")
    x = batch.x[sample : sample + 1]
    target = batch.target[sample : sample + 1]
    target = target.astype(np.int64) if target.dtype.kind in "iu" else target.astype(np.float64)
    values = model.run(x, train=False)
    loss, dscores = LOSSES[batch.loss](values[model.output_name], target)

    forward = [ForwardStep(model.input_name, "Input", (), x[0].copy(), "the sample")]
    forward += [
        ForwardStep(s.name, s.type, s.sources, values[s.name][0].copy(), _formula(s.type, s.sources))
        for s in model.steps
    ]
    forward.append(ForwardStep("loss", "Loss", (model.output_name,), np.array(loss), f"{batch.loss}(scores, target)"))
    backward = [
        BackwardStep(
            "loss",
            "Loss",
            np.array(1.0),
            [InputGradient(model.output_name, dscores[0].copy(), dscores[0].reshape(1, -1).copy(), "jacobian")],
        )
    ]
    backward += _walk_back(model, dscores)
    source = batch.source.replace(f"the first {len(batch.x)} training samples", f"training sample {sample}")
    return BackpropTrace(sample, source, batch.loss, float(loss), target[0], forward, backward, params)


def _walk_back(model: NumpyModel, dscores: np.ndarray) -> list[BackwardStep]:
    """The backward pass of :meth:`NumpyModel.backprop`, node by node, keeping every number."""
    deltas: dict[str, np.ndarray] = {model.output_name: dscores}
    steps: list[BackwardStep] = []
    shapes = {model.input_name: model.input_shape}
    for s in model.steps:
        shapes[s.name] = tuple(model.report.shape(model.graph.by_name(s.name).id) or ())
    for step in reversed(model.steps):
        dy = deltas.pop(step.name, None)
        if dy is None:
            continue  # the loss does not depend on this node
        layer = step.layer
        products = layer_backward(layer, dy)
        param_grads = {k: g.copy() for k, g in layer.grads.items()}
        in_shapes = [shapes[src] for src in step.sources]
        locals_ = _local_gradient(layer, shapes[step.name], in_shapes, step.type in ELEMENTWISE)
        inputs = []
        for src, dx, (local, kind) in zip(step.sources, products, locals_, strict=True):
            if dx is None:
                continue  # token ids: nothing flows back into them
            inputs.append(InputGradient(src, np.asarray(dx)[0].copy(), local, kind))
            deltas[src] = dx if src not in deltas else deltas[src] + dx
        steps.append(BackwardStep(step.name, step.type, dy[0].copy(), inputs, param_grads))
    reached = deltas.get(model.input_name)
    upstream = np.zeros(model.input_shape) if reached is None else reached[0].copy()
    steps.append(BackwardStep(model.input_name, "Input", upstream, []))
    return steps


# ---------------------------------------------------------------------------------------- the seeds' example
def seeds_example(x: float = -2.0, y: float = 5.0, z: float = -4.0) -> BackpropTrace:
    """f(x, y, z) = (x + y)·z with q = x + y and f = q·z, walked like a network (000 and 002's example).

    Local gradients: dq/dx = dq/dy = 1, df/dq = z, df/dz = q. With the course's numbers (x = −2, y = 5,
    z = −4): q = 3, f = −12, df/dz = 3, df/dq = −4, and so df/dx = df/dy = −4·1 = −4.
    """
    q = x + y
    f = q * z
    a = np.array
    forward = [
        ForwardStep("x", "Input", (), a(x), "x"),
        ForwardStep("y", "Input", (), a(y), "y"),
        ForwardStep("z", "Input", (), a(z), "z"),
        ForwardStep("q", "Add", ("x", "y"), a(q), "q = x + y"),
        ForwardStep("f", "Multiply", ("q", "z"), a(f), "f = q·z"),
    ]
    df_dq, df_dz = 1.0 * z, 1.0 * q  # upstream df/df = 1 times the local gradients z and q
    backward = [
        BackwardStep(
            "f",
            "Multiply",
            a(1.0),
            [
                InputGradient("q", a(df_dq), a(z), "diagonal", "df/dq = z"),
                InputGradient("z", a(df_dz), a(q), "diagonal", "df/dz = q"),
            ],
        ),
        BackwardStep(
            "q",
            "Add",
            a(df_dq),
            [
                InputGradient("x", a(df_dq * 1.0), a(1.0), "diagonal", "dq/dx = 1"),
                InputGradient("y", a(df_dq * 1.0), a(1.0), "diagonal", "dq/dy = 1"),
            ],
        ),
        BackwardStep("z", "Input", a(df_dz), []),
        BackwardStep("y", "Input", a(df_dq), []),
        BackwardStep("x", "Input", a(df_dq), []),
    ]
    return BackpropTrace(0, "f(x, y, z) = (x + y)·z", "none", f, a(0.0), forward, backward)
