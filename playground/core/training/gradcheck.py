"""Check the backprop: does our hand-written NumPy code compute what PyTorch's autograd computes?

Two independent checks on one small batch, both in float64 so that any disagreement is a mistake
and not rounding:

1. **Against PyTorch.** The same batch goes through both backends from identical weights (and the
   same dropout masks). For every node we compare its output (activation) and the gradient of the loss
   with respect to that output and to the node's parameters; for the Input, the gradient with respect
   to the images (what a saliency map shows).
2. **Against finite differences** (no PyTorch at all). For every layer with parameters, and for the
   input, we pick a direction v and compare the directional derivative our backward pass gives, ∇L·v,
   with the slope of the loss itself, (L(θ + hv) − L(θ − hv)) / 2h. This checks every layer's backward
   on the way too, since ∇L reaches the first layers only through all the others.

The batch is the first few training samples, or — for a project without a dataset, such as the
VGG-16 and AlexNet architectures kept for inspection — one random image of the Input's shape (two if
a BatchNorm needs a batch) with random targets: the check is the same, only the data is made up.

Errors are relative: |ours − reference| / max(|ours|, |reference|), with the denominator floored at a
millionth of the tensor's largest value so that entries that are zero up to rounding do not count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..backends.base import BackendError
from ..backends.numpy.losses import LOSSES
from ..backends.numpy.model import NumpyModel
from ..backends.numpy.structure import Dropout
from ..data.dataset import split
from ..data.registry import NO_DATASET, load_dataset
from ..errors import PlaygroundError
from ..initialization import initial_parameters
from ..project import Project
from ..shapes import ShapeReport, infer, token_vocabulary
from ..targets import loss_setup, prepare

TOLERANCE = 1e-6  # PyTorch vs NumPy, both float64
FD_TOLERANCE = 1e-4  # finite differences vs backward, float64
# Steps h tried in turn until one agrees: the usual best first, then smaller ones (past kinks), then a
# larger one (above rounding, for layers whose slope is tiny).
FD_STEPS = (1e-6, 1e-7, 1e-8, 1e-5)


class GradcheckError(PlaygroundError, ValueError):
    """The check cannot run (invalid graph, dataset that does not fit); the message says why, ``node_id`` where."""


@dataclass
class NodeCheck:
    name: str
    type: str
    max_rel_err_activation: float
    max_rel_err_grad: float | None  # None when the loss does not depend on this node
    finite_difference_rel_err: float | None = None


@dataclass
class GradcheckReport:
    nodes: list[NodeCheck]
    max_rel_err: float
    finite_difference_max_rel_err: float
    passed: bool
    batch_size: int
    batch_source: str
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "nodes": [
                {
                    "name": n.name,
                    "type": n.type,
                    "max_rel_err_activation": n.max_rel_err_activation,
                    "max_rel_err_grad": n.max_rel_err_grad,
                }
                for n in self.nodes
            ],
            "max_rel_err": self.max_rel_err,
            "finite_difference_max_rel_err": self.finite_difference_max_rel_err,
            "passed": self.passed,
        }


def max_relative_error(ours: np.ndarray, reference: np.ndarray) -> float:
    """max |a − r| / max(|a|, |r|, 10⁻⁶·max|r|); infinite if shapes differ or anything is not finite."""
    a = np.asarray(ours, dtype=np.float64)
    r = np.asarray(reference, dtype=np.float64)
    if a.shape != r.shape or not (np.isfinite(a).all() and np.isfinite(r).all()):
        return math.inf
    if a.size == 0:
        return 0.0
    scale = max(float(np.abs(r).max()), float(np.abs(a).max()))
    if scale == 0:
        return 0.0
    floor = np.maximum(np.maximum(np.abs(a), np.abs(r)), 1e-6 * scale)
    return float((np.abs(a - r) / floor).max())


# ---------------------------------------------------------------------------------------- the batch
@dataclass
class Batch:
    x: np.ndarray
    target: np.ndarray
    loss: str
    source: str


def check_batch(project: Project, report: ShapeReport, size: int | None = None, seed: int = 0) -> Batch:
    """A few training samples of the project's dataset, or random inputs when it has none."""
    graph = project.graph
    inp, out = graph.nodes_of_type("Input")[0], graph.nodes_of_type("Output")[0]
    loss = out.params["loss"]
    if project.dataset.name == NO_DATASET:
        # big inspection-only networks: one image is enough, two if a layer needs batch statistics
        size = size or (2 if any(n.spec.batch_statistics for n in graph.nodes) else 1)
        rng = np.random.default_rng(seed)
        in_shape, out_shape = report.shape(inp.id), report.shape(out.id)
        assert in_shape is not None and out_shape is not None
        vocabulary = token_vocabulary(inp)
        x = (
            rng.integers(0, vocabulary, (size, *in_shape)).astype(np.float64)
            if vocabulary
            else rng.standard_normal((size, *in_shape))
        )
        target: np.ndarray
        if loss in ("cross_entropy", "hinge") and len(out_shape) == 2:  # a class per time step (T×K)
            target = rng.integers(0, out_shape[1], (size, out_shape[0]))
        elif loss in ("cross_entropy", "hinge"):
            target = rng.integers(0, out_shape[0], (size, *out_shape[1:]))
        elif loss == "bce":
            target = rng.integers(0, 2, (size, *out_shape)).astype(np.float64)
        else:
            target = rng.standard_normal((size, *out_shape))
        return Batch(x, target, loss, f"a random batch of {size} (the project has no dataset)")
    size = size or 4
    ds = project.dataset
    try:
        data = load_dataset(ds.name, ds.params, ds.seed)
        train = split(data, ds.val_fraction, ds.test_fraction, ds.seed).train
        setup = loss_setup(graph, report, train)
    except ValueError as err:
        raise GradcheckError(f"dataset: {err}") from None
    prepared = prepare(train.subset(np.arange(min(size, len(train)))), setup)
    return Batch(
        prepared.inputs().astype(np.float64),
        prepared.target,
        loss,
        f"the first {len(prepared.x)} training samples of '{ds.name}'",
    )


def _float_target(target: np.ndarray) -> np.ndarray:
    return target.astype(np.int64) if target.dtype.kind in "iu" else target.astype(np.float64)


# ---------------------------------------------------------------------------------------- the checks
def gradcheck(project: Project, batch_size: int | None = None, seed: int | None = None) -> GradcheckReport:
    """Run both checks on ``project``'s network (see the module docstring)."""
    graph = project.graph
    report = infer(graph)
    if not report.ok:
        first = report.errors[0]
        raise GradcheckError(f"The network has problems: {first.message}", first.node_id)
    seed = project.training.seed if seed is None else seed
    params = initial_parameters(graph, seed, project.training.init, report)
    batch = check_batch(project, report, batch_size, seed)
    target = _float_target(batch.target)
    try:
        model = NumpyModel(graph, report, params, np.float64, seed=seed)
    except BackendError as err:
        raise GradcheckError(str(err), err.node_id) from None
    model.freeze_dropout(True)  # every pass below drops the same values
    buffers = model.buffer_store.values.copy()
    passes = _numpy_pass(model, batch.x, target, batch.loss)
    np.copyto(model.buffer_store.values, buffers)
    nodes = _against_torch(passes, model, graph, report, params, batch.x, target, batch.loss)
    fd = _finite_differences(passes, model, params, batch.x, target, batch.loss, seed)
    np.copyto(model.buffer_store.values, buffers)
    for node in nodes:
        node.finite_difference_rel_err = fd.get(node.name)
    errors = [n.max_rel_err_activation for n in nodes] + [
        n.max_rel_err_grad for n in nodes if n.max_rel_err_grad is not None
    ]
    worst = max(errors) if errors else 0.0
    fd_worst = max(fd.values()) if fd else 0.0
    passed = worst <= TOLERANCE and fd_worst <= FD_TOLERANCE
    return GradcheckReport(nodes, worst, fd_worst, passed, len(batch.x), batch.source)


@dataclass
class _Pass:
    """Everything our backward pass said about one batch, in training mode."""

    loss: float
    activations: dict[str, np.ndarray]
    deltas: dict[str, np.ndarray]  # dL/d(output) of every node; the Input's is dL/dx
    grads: dict[str, dict[str, np.ndarray]]


def _numpy_pass(model: NumpyModel, x: np.ndarray, target: np.ndarray, loss: str) -> _Pass:
    out, acts = model.forward(x, train=True, keep=model.order)
    value, dout = LOSSES[loss](out, target)
    dx, deltas = model.backward(dout, keep=model.order)
    if not token_vocabulary(model.graph.nodes_of_type("Input")[0]):  # token ids have no gradient
        deltas[model.input_name] = dx
    return _Pass(value, acts, deltas, model.grads)


def _against_torch(
    ours: _Pass, model: NumpyModel, graph, report: ShapeReport, params, x: np.ndarray, target: np.ndarray, loss: str
) -> list[NodeCheck]:
    # deferred: torch (seconds to import) is needed only for the reference side, not the finite differences
    import torch

    from ..backends.torch.capture import capture
    from ..backends.torch.compile import compile_graph, module_name
    from ..backends.torch.losses import LOSSES as TORCH_LOSSES

    net = compile_graph(graph, report, params).double().train()
    for step in model.steps:  # PyTorch must drop exactly the values our Dropout dropped
        if isinstance(step.layer, Dropout):
            setattr(net, module_name(step.name), _fixed_mask(step.layer.mask))
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    tt = torch.from_numpy(target)
    with capture(net, model.order, gradients=True) as cap:
        TORCH_LOSSES[loss](net(xt), tt).backward()
    reference_acts = {k: v.numpy() for k, v in cap.activations.items()}
    reference_deltas = {k: v.numpy() for k, v in cap.gradients.items()}
    reference_acts[model.input_name] = x
    if xt.grad is not None:
        reference_deltas[model.input_name] = xt.grad.numpy()

    checks = []
    for name in model.order:
        grad_errs = []
        if name in reference_deltas or name in ours.deltas:
            grad_errs.append(
                max_relative_error(ours.deltas[name], reference_deltas[name])
                if name in reference_deltas and name in ours.deltas
                else math.inf
            )
        if name != model.input_name:
            for pname, p in net.get_submodule(module_name(name)).named_parameters(recurse=False):
                mine = ours.grads.get(name, {}).get(pname)
                if p.grad is None and mine is not None and not np.any(mine):
                    continue  # not on the path to the loss, in either backend
                grad_errs.append(
                    math.inf if p.grad is None or mine is None else max_relative_error(mine, p.grad.numpy())
                )
        checks.append(
            NodeCheck(
                name,
                model.types[name],
                max_relative_error(ours.activations[name], reference_acts[name]),
                max(grad_errs) if grad_errs else None,
            )
        )
    return checks


def _fixed_mask(mask: np.ndarray | None):
    """A torch module standing in for a Dropout: it multiplies by the mask our NumPy layer drew."""
    # deferred: torch, as in _against_torch
    import torch
    from torch import nn

    class FixedMask(nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return x if mask is None else x * torch.from_numpy(mask)

    return FixedMask()


def _finite_differences(
    ours: _Pass, model: NumpyModel, params, x: np.ndarray, target: np.ndarray, loss: str, seed: int
) -> dict[str, float]:
    """Relative error between ∇L·v from our backward pass and the slope of L along v, for every node
    with parameters (v over its parameters) and for the input.

    v is the unit gradient plus a random unit vector, normalised: along it the loss changes clearly,
    so rounding does not drown the slope, and it still has a component in every direction, so a wrong
    gradient cannot hide.
    """
    rng = np.random.default_rng(seed + 1)

    def loss_after(start: str, inputs: np.ndarray = x) -> float:
        # only the nodes from `start` on see the change: reuse the outputs of the ones before
        values = model.rerun(ours.activations, start, inputs, train=True)
        return LOSSES[loss](values[model.output_name], target)[0]

    errors: dict[str, float] = {}
    for node, values in model.params.items():
        grads = ours.grads[node]  # forward passes leave the gradients alone
        direction = _direction(grads, rng)

        def loss_along(h: float, node=node, values=values, direction=direction) -> float:
            for k, v in values.items():  # v = θ + h·direction, without a temporary as large as θ
                np.multiply(direction[k], h, out=v)
                v += params[node][k]
            return loss_after(node)

        analytic = sum(float(np.vdot(grads[k], direction[k])) for k in values)
        errors[node] = _directional_error(analytic, loss_along)
        for k, v in values.items():
            v[...] = params[node][k]
    if model.input_name not in ours.deltas:  # token ids: whole numbers, no slope to check
        return errors
    along_x = _direction({"x": ours.deltas[model.input_name]}, rng)["x"]
    analytic = float(np.vdot(ours.deltas[model.input_name], along_x))
    errors[model.input_name] = _directional_error(analytic, lambda h: loss_after(model.order[1], x + h * along_x))
    return errors


def _direction(grads: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """(ĝ + r̂) / ‖ĝ + r̂‖ with ĝ the unit gradient and r̂ a random unit vector, split like ``grads``."""
    out = {k: rng.standard_normal(g.shape) for k, g in grads.items()}
    g_norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads.values())) or 1.0
    r_norm = math.sqrt(sum(float(np.vdot(r, r)) for r in out.values()))
    for k, v in out.items():
        v *= g_norm / r_norm
        v += grads[k]
    norm = math.sqrt(sum(float(np.vdot(v, v)) for v in out.values()))
    for v in out.values():
        v /= norm
    return out


def _directional_error(analytic: float, loss_along) -> float:
    """Compare ``analytic`` with (L(h) − L(−h)) / 2h for shrinking steps h.

    A step across a kink (a ReLU input or a max-pooling tie changing side) spoils the difference
    quotient whatever the backward pass computes; a smaller step then agrees again, while a wrong
    gradient disagrees at every step. Returns the first error within tolerance, else the smallest.
    """
    best = math.inf
    for h in FD_STEPS:
        numeric = (loss_along(h) - loss_along(-h)) / (2 * h)
        best = min(best, _scalar_rel_err(analytic, numeric))
        if best <= FD_TOLERANCE:
            break
    return best


def _scalar_rel_err(analytic: float, numeric: float) -> float:
    if not (math.isfinite(analytic) and math.isfinite(numeric)):
        return math.inf
    return abs(analytic - numeric) / max(abs(analytic), abs(numeric), 1e-12)
