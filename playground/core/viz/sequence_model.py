"""A network with its weights on either backend, behind the few calls the sequence tools need.

    model = SequenceModel(graph, params, backend="numpy")       # or "torch"; params None: initial weights
    model = SequenceModel.from_project(project, "W.safetensors")  # the project's own backend by default
    model = SequenceModel.from_trainer(run.trainer)              # a live run: its current weights and backend

    model.outputs(x)                 # the Output's values for samples x (N, *input shape), evaluation mode
    model.node_outputs(x, [names])   # the outputs of named nodes in the same pass
    model.recurrent_layers()         # names of the RNN / LSTM / GRU nodes, input side first

The hidden-state, gate, gradient-through-time and generation functions all take one of these, so a panel
can show a trained project or a run that is still training, on PyTorch or on the from-scratch NumPy code.
Building one never draws from torch's global random generator (the PyTorch model is built under
:func:`~playground.core.backends.torch.own_generator.own_generator` and runs in evaluation mode, without
dropout), so measuring a run on another thread leaves the run's random numbers, and a seeded run, as they were.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..backends.base import BackendError, BackendTrainer, ParamDict
from ..backends.numpy.model import NumpyModel
from ..backends.torch.compile import compile_graph, module_name
from ..backends.torch.own_generator import own_generator
from ..graph.model import Graph
from ..initialization import initial_parameters
from ..io.checkpoint import CheckpointError, load_weights
from ..project import Project
from ..shapes import infer
from .errors import UnknownLayerError, VizError

BACKENDS = ("torch", "numpy")
RECURRENT_TYPES = ("RNN", "LSTM", "GRU")


class SequenceModel:
    """``graph`` with ``params`` (None: the initial weights for ``seed``) run by ``backend`` in float64."""

    def __init__(self, graph: Graph, params: dict[str, ParamDict] | None = None, backend: str = "torch", seed: int = 0):
        if backend not in BACKENDS:
            raise VizError(f"unknown backend '{backend}' (choose torch or numpy).")
        report = infer(graph)
        if not report.ok:
            raise VizError(f"the network has problems: {report.errors[0].message}")
        inputs, outputs = graph.nodes_of_type("Input"), graph.nodes_of_type("Output")
        if len(inputs) != 1 or len(outputs) != 1:
            raise VizError("the sequence tools need a network with exactly one Input and one Output.")
        self.graph, self.report, self.backend = graph, report, backend
        self.params = params if params is not None else initial_parameters(graph, seed, report=report)
        self.input_name, self.output_name = inputs[0].name, outputs[0].name
        self.input_shape = tuple(report.shape(inputs[0].id) or ())
        self.output_shape = tuple(report.shape(outputs[0].id) or ())
        self.vocabulary_size = int(inputs[0].params.get("vocabulary", 0) or 0)
        self.loss = str(outputs[0].params.get("loss", "mse"))
        try:
            if backend == "torch":
                # a random start thrown away, drawn apart from the global generator a live run may be using
                with own_generator(seed):
                    self.torch = compile_graph(graph, report, self.params).double().eval()
            else:
                self.numpy = NumpyModel(graph, report, self.params, dtype=np.float64, seed=seed)
        except BackendError as err:
            raise VizError(f"the {backend} backend cannot run this network: {err}") from None

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_project(
        cls, project: Project, weights: dict[str, ParamDict] | str | Path | None = None, backend: str | None = None
    ) -> SequenceModel:
        """The project's network with ``weights`` (a dict or a .safetensors file; None: the initial ones)."""
        if isinstance(weights, str | Path):
            try:
                weights = load_weights(weights, project.graph)
            except CheckpointError as err:
                raise VizError(str(err)) from None
        return cls(project.graph.copy(), weights, backend or project.training.backend, project.training.seed)

    @classmethod
    def from_trainer(cls, trainer: BackendTrainer) -> SequenceModel:
        """A snapshot of a training run's current weights, on the run's backend (safe while it trains)."""
        return cls(trainer.graph.copy(), trainer.parameters(), trainer.name, trainer.config.seed)

    # ------------------------------------------------------------------ layers
    def recurrent_layers(self) -> list[str]:
        return [n.name for n in self.report.order if n.type in RECURRENT_TYPES]

    def pick_recurrent(self, layer: str | None) -> str:
        """``layer`` checked to be a recurrent node (default: the first one)."""
        names = self.recurrent_layers()
        if not names:
            found = ", ".join(sorted({n.type for n in self.graph.nodes} - {"Input", "Output"})) or "no layers"
            raise VizError(f"the network has no RNN, LSTM or GRU layer (it has {found}): there is no hidden state.")
        if layer is None:
            return names[0]
        if layer not in names:
            raise UnknownLayerError(layer, names, "recurrent layer")
        return layer

    def node_params(self, name: str) -> dict[str, Any]:
        return dict(self.graph.by_name(name).params)

    def source_of(self, name: str) -> str:
        """The node feeding ``name``'s first input."""
        node = self.graph.by_name(name)
        return self.graph.node(self.graph.in_edges(node.id)[0].source).name

    # ------------------------------------------------------------------ passes
    def check_input(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if x.shape[1:] != self.input_shape:
            raise VizError(
                f"{self.input_name} (Input) takes samples of shape {self.input_shape}, but got {x.shape[1:]}."
            )
        if self.vocabulary_size and (np.any(x < 0) or np.any(x >= self.vocabulary_size) or np.any(x % 1)):
            raise VizError(f"{self.input_name} takes token ids 0 … {self.vocabulary_size - 1}: some ids are not.")
        return x

    def outputs(self, x: np.ndarray) -> np.ndarray:
        """The Output's values for samples ``x`` (N, *input shape)."""
        return self.node_outputs(x, [])[0]

    def node_outputs(self, x: np.ndarray, names: list[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The Output's values and the outputs of the nodes ``names`` (the Input's name gives ``x``)."""
        x = self.check_input(x)
        if self.backend == "numpy":
            return self.numpy.forward(x, train=False, keep=names)
        kept: dict[str, torch.Tensor] = {}
        handles = []
        for name in names:
            if name == self.input_name:
                continue
            module = self.torch.get_submodule(module_name(name))
            handles.append(module.register_forward_hook(lambda _m, _i, o, name=name: kept.setdefault(name, o)))
        try:
            with torch.no_grad():
                out = self.torch(torch.from_numpy(x))
        finally:
            for h in handles:
                h.remove()
        values = {name: x if name == self.input_name else kept[name].numpy() for name in names}
        return out.numpy(), values
