"""Layered auto-layout: inputs on the left, outputs on the right, few crossings (Sugiyama-style)."""

from __future__ import annotations

from .graph.errors import CycleError
from .graph.model import Graph

X_STEP = 230.0
Y_STEP = 130.0


def layered_positions(graph: Graph, x_step: float = X_STEP, y_step: float = Y_STEP) -> dict[str, tuple[float, float]]:
    """Positions for every node: column = longest path from a source, rows ordered by barycentre."""
    try:
        order = graph.topological_order()
    except CycleError:
        order = graph.nodes
    layer: dict[str, int] = {}
    for node in order:
        preds = [layer[e.source] for e in graph.in_edges(node.id) if e.source in layer]
        layer[node.id] = max(preds) + 1 if preds else 0
    columns: dict[int, list[str]] = {}
    for node in order:
        columns.setdefault(layer[node.id], []).append(node.id)
    row: dict[str, float] = {}
    for col in sorted(columns):
        ids = columns[col]
        if col > 0:

            def barycentre(nid: str) -> float:
                ys = [row[e.source] for e in graph.in_edges(nid) if e.source in row]
                return sum(ys) / len(ys) if ys else 0.0

            ids.sort(key=barycentre)
        for i, nid in enumerate(ids):
            row[nid] = i - (len(ids) - 1) / 2
    return {nid: (layer[nid] * x_step, row[nid] * y_step) for nid in layer}


def auto_layout(graph: Graph) -> None:
    for nid, pos in layered_positions(graph).items():
        graph.move(nid, pos)
