"""Hidden states and gates over time (000 'LSTMs', 'GRUs'; 001 §6.2), and where one unit fires in the input.

    traces = recurrent_states(model, sample)            # every RNN / LSTM / GRU layer (or layer="name")
    trace = traces[0]
    trace.hidden                 # (H, T): units × time, h_t of each unit at each step (input order)
    trace.gates["forget"]        # (H, T): LSTM forget, input, output, candidate; GRU update, reset, candidate
    trace.cell_state             # (H, T): the LSTM's memory c_t (None for RNN / GRU)
    unit_firing(trace, unit=3, tokens=list("hello"))   # one unit's h_t aligned with the input's tokens

``model`` is a :class:`~.sequence_model.SequenceModel` (a project with weights, or a live run's trainer) and
``sample`` one input: token ids (T,) or a T×D array. A stacked layer gives one trace per layer of the
stack, a bidirectional one a trace per direction (``trace.reverse``); the steps are always in input order.

On NumPy the numbers are the from-scratch layer's own, read from what its forward pass keeps for backprop
through time. On PyTorch, whose fused layers keep no gates, the cell is unrolled step by step from the same
weights and the same input, and its hidden states are checked against the fused layer's output, so the
pictures never show numbers the model does not compute. The GRU's 'update' is the course's z_t, the share of
the new candidate taken (1 − PyTorch's z).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ..backends.numpy.recurrent import Recurrent
from ..backends.torch.recurrent_unroll import unroll
from .errors import VizError
from .sequence_model import SequenceModel


@dataclass(frozen=True)
class RecurrentTrace:
    """One recurrent layer (one layer of its stack, one direction) over one input; arrays are units × time."""

    layer: str
    cell: str  # RNN, LSTM or GRU
    stack: int  # which layer of the stack, 0 = reading the input
    reverse: bool  # the direction reading the sequence from its end
    hidden: np.ndarray  # (H, T)
    gates: dict[str, np.ndarray]  # each (H, T)
    cell_state: np.ndarray | None  # (H, T), LSTM only

    @property
    def label(self) -> str:
        parts = ([f"layer {self.stack + 1}"] if self.stack else []) + (["reverse"] if self.reverse else [])
        return f"{self.layer} ({', '.join(parts)})" if parts else self.layer

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "cell": self.cell,
            "stack": self.stack,
            "reverse": self.reverse,
            "hidden": self.hidden.tolist(),
            "gates": {k: v.tolist() for k, v in self.gates.items()},
            "cell_state": None if self.cell_state is None else self.cell_state.tolist(),
        }


@dataclass(frozen=True)
class UnitFiring:
    """Where one unit fires: its value at each step next to the token read at that step."""

    layer: str
    unit: int
    tokens: list[str]
    values: np.ndarray  # (T,)

    def strongest(self, count: int = 5) -> list[int]:
        """The steps where the unit is most active (largest |value|), strongest first."""
        return [int(i) for i in np.argsort(-np.abs(self.values), kind="stable")[:count]]

    def to_dict(self) -> dict[str, Any]:
        return {"layer": self.layer, "unit": self.unit, "tokens": self.tokens, "values": self.values.tolist()}


def recurrent_states(model: SequenceModel, sample: np.ndarray, layer: str | None = None) -> list[RecurrentTrace]:
    """The hidden states and gates of ``layer`` (default: every recurrent layer) for one ``sample``."""
    names = [model.pick_recurrent(layer)] if layer is not None else model.recurrent_layers()
    if not names:
        model.pick_recurrent(None)  # raises the message naming what the network has instead
    x = np.asarray(sample)[None]
    if model.backend == "numpy":
        model.node_outputs(x, [])
        return [trace for name in names for trace in _numpy_traces(model, name)]
    sources = [model.source_of(name) for name in names]
    _, kept = model.node_outputs(x, [*names, *sources])
    return [
        t for name, src in zip(names, sources, strict=True) for t in _torch_traces(model, name, kept[src], kept[name])
    ]


def _numpy_traces(model: SequenceModel, name: str) -> list[RecurrentTrace]:
    layer = model.numpy.layer(name)
    assert isinstance(layer, Recurrent)
    kind = model.graph.by_name(name).type
    traces = []
    for k, (_seq, hs, caches) in enumerate(layer.memory):
        stack, reverse = divmod(k, len(layer.directions))

        def over_time(values: list[np.ndarray], flip: bool = bool(reverse)) -> np.ndarray:
            a = np.stack([v[0] for v in values], axis=1)  # (H, T) in reading order
            return a[:, ::-1].copy() if flip else a

        gates: dict[str, np.ndarray] = {}
        cell = None
        if kind == "LSTM":  # cache: i, f, g, o, c_{t−1}, tanh(c_t)
            for gate, index in (("forget", 1), ("input", 0), ("output", 3), ("candidate", 2)):
                gates[gate] = over_time([c[index] for c in caches])
            cell = over_time([c[1] * c[4] + c[0] * c[2] for c in caches])
        elif kind == "GRU":  # cache: r, z, n, the hidden part of n, h_{t−1}
            gates = {
                "update": over_time([1 - c[1] for c in caches]),
                "reset": over_time([c[0] for c in caches]),
                "candidate": over_time([c[2] for c in caches]),
            }
        hidden = over_time(list(hs.transpose(1, 0, 2)))
        traces.append(RecurrentTrace(name, kind, stack, bool(reverse), hidden, gates, cell))
    return traces


def _torch_traces(model: SequenceModel, name: str, x: np.ndarray, own: np.ndarray) -> list[RecurrentTrace]:
    p = model.node_params(name)
    kind = model.graph.by_name(name).type
    weights = {k: torch.from_numpy(np.asarray(v, np.float64)) for k, v in model.params[name].items()}
    with torch.no_grad():
        out, runs = unroll(kind, weights, torch.from_numpy(x), p["layers"], p["bidirectional"])
    states = out.numpy()
    if p["output"] == "last":
        size = p["hidden"]
        states = np.concatenate([states[:, -1, :size], states[:, 0, size:]], axis=1)
    if not np.allclose(states, own, atol=1e-8):
        raise VizError(f"{name}: the cell unrolled step by step differs from the layer's own output (a bug).")
    traces = []
    for run in runs:

        def over_time(values: list[torch.Tensor], flip: bool = run.reverse) -> np.ndarray:
            a = torch.stack([v[0] for v in values], dim=1).numpy()
            return a[:, ::-1].copy() if flip else a

        gates = {gate: over_time(values) for gate, values in run.gates.items()}
        cell = over_time(run.cell) if run.cell else None
        traces.append(RecurrentTrace(name, kind, run.stack, run.reverse, over_time(run.hidden), gates, cell))
    return traces


def unit_firing(trace: RecurrentTrace, unit: int, tokens: Sequence[str], of: str = "hidden") -> UnitFiring:
    """Unit ``unit``'s hidden state (or gate ``of``) at each step, next to the ``tokens`` it read."""
    values = trace.hidden if of == "hidden" else trace.gates.get(of)
    if values is None:
        choices = ", ".join(["hidden", *trace.gates])
        raise VizError(f"{trace.cell} {trace.layer} has no '{of}' over time (choose {choices}).")
    units, steps = values.shape
    if not 0 <= unit < units:
        raise VizError(f"unit {unit} does not exist: {trace.label} has {units} units, 0 … {units - 1}.")
    if len(tokens) != steps:
        raise VizError(f"{len(tokens)} tokens given for {steps} time steps: give one token per step.")
    return UnitFiring(trace.label, unit, [str(t) for t in tokens], values[unit].copy())
