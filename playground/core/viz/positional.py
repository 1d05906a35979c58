"""The positional-encoding matrix of a PositionalEncoding layer: one row per time step, one column per feature
(001 §6.7.2.1). Sinusoidal: PE(t, 2i) = sin(t/10000^(2i/D)), PE(t, 2i+1) = cos(t/10000^(2i/D)), the same
numbers the layer adds; learned: the layer's own T×D table as it stands."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..backends.base import ParamDict
from ..backends.numpy.sequence import sinusoidal_encoding
from ..graph.model import Graph
from ..initialization import initial_parameters
from ..shapes import infer
from .errors import UnknownLayerError, VizError


@dataclass(frozen=True)
class PositionalMatrix:
    layer: str
    kind: str  # "sinusoidal" or "learned"
    matrix: np.ndarray  # (T, D) float64: row t is the vector added to step t


def positional_layers(graph: Graph) -> list[str]:
    return [n.name for n in graph.nodes_of_type("PositionalEncoding")]


def positional_encoding(
    graph: Graph, params: dict[str, ParamDict] | None = None, layer: str | None = None, seed: int = 0
) -> PositionalMatrix:
    """The matrix ``layer`` (default: the first PositionalEncoding) adds, with ``params`` for a learned one
    (default: its initial values for ``seed``)."""
    names = positional_layers(graph)
    if not names:
        raise VizError("the network has no PositionalEncoding layer: there is no position matrix to show.")
    name = names[0] if layer is None else layer
    if name not in names:
        raise UnknownLayerError(name, names, "PositionalEncoding layer")
    node = graph.by_name(name)
    report = infer(graph)
    shape = report.shape(node.id)
    if shape is None or len(shape) != 2:
        raise VizError(f"{name} has no T×D shape yet: connect it to a sequence first.")
    kind = str(node.params.get("kind", "sinusoidal"))
    if kind != "learned":
        return PositionalMatrix(name, kind, sinusoidal_encoding(shape[0], shape[1]))
    values = params if params is not None and name in params else initial_parameters(graph, seed, report=report)
    return PositionalMatrix(name, kind, np.asarray(values[name]["weight"], dtype=np.float64).reshape(shape))
