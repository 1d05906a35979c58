"""The gradient through time of each recurrent layer, measured by the training probes for the doctor.

At the probes that also evaluate the validation split (the less frequent ones: see ``Prober.snapshot(full=True)``)
the first few probe samples go through a float64 copy of the run's current weights on the run's backend, and
‖∂L/∂h_t‖ is recorded for every step t of every RNN / LSTM / GRU layer (``backends/through_time.py``). A plain RNN
whose ‖∂L/∂h_1‖ is a tiny share of ‖∂L/∂h_T‖ cannot learn long-range dependencies (000 'Vanishing Gradient
Problem'); a gradient that grows on its way back explodes (001 §6.1.3).
"""

from __future__ import annotations

import numpy as np

from ..backends.base import BackendError, BackendTrainer
from ..backends.through_time import through_time_norms
from ..graph.model import Graph

RECURRENT_TYPES = ("RNN", "LSTM", "GRU")
PROBE_BATCH = 8  # samples: enough for the shape of the curve, a small cost beside an epoch


def recurrent_layers(graph: Graph, order: list[str]) -> list[str]:
    """The RNN / LSTM / GRU nodes, input side first."""
    kinds = {n.name: n.type for n in graph.nodes}
    return [name for name in order if kinds.get(name) in RECURRENT_TYPES]


def measure_through_time(
    trainer: BackendTrainer, layers: list[str], x: np.ndarray, target: np.ndarray
) -> dict[str, list[float]]:
    """‖∂L/∂h_t‖, t = 1 … T, of each of ``layers`` on the batch (x, target), with the trainer's current weights."""
    params = trainer.parameters()
    out: dict[str, list[float]] = {}
    for name in layers:
        try:
            norms, _loss = through_time_norms(trainer.graph, params, trainer.name, x, target, name, trainer.report)
        except (BackendError, ValueError, RuntimeError):
            continue  # a network the measurement cannot follow (an unusual loss, say) only goes without it
        out[name] = [float(v) for v in norms]
    return out
