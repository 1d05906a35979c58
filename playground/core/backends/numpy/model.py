"""A layer graph as NumPy layers: forward in topological order, backward in reverse (001 §4.2)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np

from ...graph.model import Graph
from ...initialization import initial_parameters
from ...shapes import ShapeReport, infer
from ..base import BackendError, ParamDict
from .layer import AnyLayer, MergeLayer
from .parameters import FlatStore
from .registry import build_layer
from .structure import Dropout


@dataclass
class Step:
    """One node to run: its layer and the names of the nodes feeding it, in port order."""

    name: str
    type: str
    layer: AnyLayer
    sources: tuple[str, ...]
    # whether a parameter lies upstream of this node / of one of its inputs (set once the model is built)
    needs_grad: bool = True
    inputs_need_grad: bool = True


class NumpyModel:
    """The network of ``graph`` on NumPy, with parameters ``params`` (by default the initial ones for
    ``seed``) converted to ``dtype``. See the package docstring for how to use it."""

    def __init__(
        self,
        graph: Graph,
        report: ShapeReport | None = None,
        params: dict[str, ParamDict] | None = None,
        dtype: np.dtype | type = np.float32,
        seed: int = 0,
    ):
        report = report or infer(graph)
        if not report.ok:
            first = report.errors[0]
            raise BackendError(f"The network has problems: {first.message}", first.node_id)
        inputs, outputs = graph.nodes_of_type("Input"), graph.nodes_of_type("Output")
        if not inputs or not outputs:
            raise BackendError("The network needs an Input and an Output layer.")
        self.graph, self.report, self.dtype = graph, report, np.dtype(dtype)
        self.input_name, self.output_name = inputs[0].name, outputs[0].name
        self.input_shape = tuple(report.shape(inputs[0].id) or ())
        self.dropout_rng = np.random.default_rng(seed)
        self.steps: list[Step] = []
        for node in report.order:
            if node.type == "Input":
                continue
            edges = graph.in_edges(node.id)
            in_shapes = [report.shape(e.source) for e in edges]
            layer = build_layer(node, in_shapes, report.shape(node.id), self.dropout_rng)  # type: ignore[arg-type]
            self.steps.append(Step(node.name, node.type, layer, tuple(graph.node(e.source).name for e in edges)))
        self.order = [self.input_name] + [s.name for s in self.steps]
        self.types = {self.input_name: "Input", **{s.name: s.type for s in self.steps}}
        self._by_name = {s.name: s for s in self.steps}

        # Every array comes from the layer spec's tensors: trainable ones into the parameter store (with
        # gradients), running statistics into the buffer store.
        owned = [(node.name, k, t) for node in report.order for k, t in report.nodes[node.id].tensors.items()]
        self.store = FlatStore([(n, k, t.shape, t.decayed) for n, k, t in owned if t.trainable], self.dtype)
        self.buffer_store = FlatStore(
            [(n, k, t.shape, False) for n, k, t in owned if not t.trainable], self.dtype, with_grads=False
        )
        self.params, self.grads = self.store.value_views(), self.store.grad_views()
        self.buffers = self.buffer_store.value_views()
        for step in self.steps:
            step.layer.params = self.params.get(step.name, {})
            step.layer.grads = self.grads.get(step.name, {})
            step.layer.buffers = self.buffers.get(step.name, {})
        self.load_parameters(params if params is not None else initial_parameters(graph, seed, report=report))

        # Which nodes lie downstream of a parameter, i.e. need a backward pass at all when only the
        # parameter gradients are wanted (a Flatten right after the Input does not).
        needs = {self.input_name: False}
        for step in self.steps:
            step.inputs_need_grad = any(needs[s] for s in step.sources)
            step.needs_grad = needs[step.name] = bool(step.layer.params) or step.inputs_need_grad

    # ------------------------------------------------------------------ parameters
    def parameters(self) -> dict[str, ParamDict]:
        """Copies of every parameter and running statistic, keyed by node name then PyTorch name."""
        out = self.store.export()
        for node, values in self.buffer_store.export().items():
            out.setdefault(node, {}).update(values)
        return out

    def gradients(self) -> dict[str, ParamDict]:
        """Copies of the parameter gradients of the last backward pass."""
        return self.store.export(self.store.grads)

    def load_parameters(self, params: dict[str, ParamDict]) -> None:
        """Copy parameters (and running statistics, when given) into the model, checking shapes."""
        self.store.load(params)
        self.buffer_store.load(params, strict=False)

    def freeze_dropout(self, frozen: bool = True) -> None:
        """Reuse each Dropout layer's last mask in later training passes (for gradient checks)."""
        for step in self.steps:
            if isinstance(step.layer, Dropout):
                step.layer.frozen = frozen

    # ------------------------------------------------------------------ passes
    def forward(
        self, x: np.ndarray, train: bool = False, keep: Iterable[str] = ()
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Run samples ``x`` (N, *input shape) through the network.

        Returns the Output's value and the outputs of the nodes named in ``keep``. ``train`` selects
        training behaviour (dropout on, BatchNorm on batch statistics and updating its running ones).
        """
        keep = list(keep)
        self._check_names(keep)
        x = np.asarray(x, dtype=self.dtype)
        if x.shape[1:] != self.input_shape:
            raise BackendError(
                f"{self.input_name} (Input) expects samples of shape {self.input_shape}, got {x.shape[1:]}"
            )
        values = self.run(x, train)
        return values[self.output_name], {name: values[name] for name in keep}

    def backward(
        self, grad: np.ndarray, at: str | None = None, keep: Iterable[str] = ()
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Backpropagate ``grad``, the gradient of a scalar with respect to the output of node ``at``
        (default: the Output) in the last forward pass.

        Fills ``self.grads`` (parameter gradients; zero for layers the scalar does not depend on) and
        returns dL/d(input) with the gradients with respect to the outputs of the nodes in ``keep``.
        """
        keep = list(keep)
        self._check_names([*keep, *([at] if at else [])])
        self.store.grads.fill(0)  # type: ignore[union-attr]
        start = at or self.output_name
        grad = np.asarray(grad, dtype=self.dtype)
        dx, kept = self.backprop(grad, start, input_grad=True, keep=keep)
        if dx is None:
            dx = np.zeros((len(grad), *self.input_shape), self.dtype)
        return np.ascontiguousarray(dx), kept

    def run(self, x: np.ndarray, train: bool) -> dict[str, np.ndarray]:
        """The forward pass: every node's output, by name (no checks; the trainer's fast path)."""
        return _run_steps(self.steps, {self.input_name: x}, train)

    def rerun(self, values: dict[str, np.ndarray], start: str, x: np.ndarray, train: bool) -> dict[str, np.ndarray]:
        """The forward pass again from node ``start`` on (the Input being ``x``), taking the outputs of
        the nodes before it from an earlier pass's ``values``: for checks that perturb one layer."""
        first = self.steps.index(self._by_name[start])
        return _run_steps(self.steps[first:], {**values, self.input_name: x}, train)

    def backprop(
        self, grad: np.ndarray, start: str, input_grad: bool = False, keep: Collection[str] = ()
    ) -> tuple[np.ndarray | None, dict[str, np.ndarray]]:
        """The backward pass from node ``start`` (001 §4.2, Algorithm 7): δ flows from each node to the
        nodes feeding it; a node feeding several others receives the sum of their δs.

        Returns dL/d(input) (None unless ``input_grad``) and the δs of the nodes named in ``keep``."""
        deltas: dict[str, np.ndarray] = {start: grad}
        kept: dict[str, np.ndarray] = {}
        for step in reversed(self.steps):
            dy = deltas.pop(step.name, None)
            if dy is None:
                continue  # not upstream of `start`
            if keep and step.name in keep:
                kept[step.name] = dy
            if not (input_grad or step.needs_grad):
                continue
            layer = step.layer
            layer.input_grad = input_grad or step.inputs_need_grad
            dxs: list[np.ndarray] | tuple[np.ndarray | None] = (
                layer.backward(dy) if isinstance(layer, MergeLayer) else (layer.backward(dy),)
            )
            for source, dx in zip(step.sources, dxs):
                if dx is not None:
                    previous = deltas.get(source)
                    deltas[source] = dx if previous is None else previous + dx
        dx = deltas.get(self.input_name)
        if dx is not None and keep and self.input_name in keep:
            kept[self.input_name] = dx
        return dx, kept

    def _check_names(self, names: Iterable[str]) -> None:
        for name in names:
            if name != self.input_name and name not in self._by_name:
                raise BackendError(f"There is no node named '{name}' (nodes: {', '.join(self.order)}).")

    def layer(self, name: str) -> AnyLayer:
        return self._by_name[name].layer


def _run_steps(steps: list[Step], values: dict[str, np.ndarray], train: bool) -> dict[str, np.ndarray]:
    """Run ``steps`` in order, each reading its inputs from ``values`` and adding its output there."""
    for step in steps:
        layer = step.layer
        if isinstance(layer, MergeLayer):
            values[step.name] = layer.forward([values[s] for s in step.sources], train)
        else:
            values[step.name] = layer.forward(values[step.sources[0]], train)
    return values
