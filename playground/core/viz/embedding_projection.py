"""The embedding vectors of an Embedding layer in 2D, with their tokens (004 'embeddings').

Principal component analysis written out with NumPy: centre the V×D table, take its singular value
decomposition X = U S Vᵀ; the first two right singular vectors are the directions along which the rows spread
most, and X V[:, :2] = U[:, :2] S[:2] places each token on them. The share of the spread each direction
explains is S_i² / Σ S². Tokens the network uses alike end up close together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..backends.base import ParamDict
from ..graph.model import Graph
from ..initialization import initial_parameters
from .errors import UnknownLayerError, VizError


@dataclass(frozen=True)
class EmbeddingProjection:
    layer: str
    points: np.ndarray  # (V, 2) float64: each token's place on the first two principal components
    explained: np.ndarray  # (2,): the share of the total variance along each of them
    labels: list[str]  # one per token id


def pca_2d(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(points (V, 2), explained (2,)) of the rows of ``table``; a missing second direction gives zeros."""
    x = np.asarray(table, dtype=np.float64)
    x = x - x.mean(axis=0)
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    # the sign of a singular vector is arbitrary: fix it so the picture does not flip between two updates
    signs = np.where(vt[np.arange(len(vt)), np.abs(vt).argmax(axis=1)] < 0, -1.0, 1.0)
    points = np.zeros((len(x), 2))
    k = min(2, len(s))
    points[:, :k] = u[:, :k] * s[:k] * signs[:k]
    total = float(np.sum(s**2))
    explained = np.zeros(2)
    if total > 0:
        explained[:k] = s[:k] ** 2 / total
    return points, explained


def embedding_layers(graph: Graph) -> list[str]:
    return [n.name for n in graph.nodes_of_type("Embedding")]


def embedding_projection(
    graph: Graph,
    params: dict[str, ParamDict] | None = None,
    layer: str | None = None,
    labels: list[str] | None = None,
    seed: int = 0,
) -> EmbeddingProjection:
    """The rows of ``layer``'s table (default: the first Embedding) on their first two principal components,
    with ``params`` (default: the initial ones for ``seed``); ``labels`` names the tokens (default: their ids)."""
    names = embedding_layers(graph)
    if not names:
        raise VizError("the network has no Embedding layer: there are no token vectors to show.")
    name = names[0] if layer is None else layer
    if name not in names:
        raise UnknownLayerError(name, names, "Embedding layer")
    values = params if params is not None and name in params else initial_parameters(graph, seed)
    table = np.asarray(values[name]["weight"], dtype=np.float64)
    if table.ndim != 2:
        raise VizError(f"{name}'s table has shape {table.shape}, not vocabulary × dim.")
    vocabulary = table.shape[0]
    if labels is None or len(labels) != vocabulary:
        labels = [str(i) for i in range(vocabulary)]
    points, explained = pca_2d(table)
    return EmbeddingProjection(name, points, explained, list(labels))
