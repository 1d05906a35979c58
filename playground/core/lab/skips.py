"""The same network without its skip connections, to compare loss landscapes as Li et al. (2018) do (004).

Every Add node keeps only its main branch — the input reached through the most layers — and is then dropped,
its main input wired straight to what it fed. Layers left feeding nothing (a shortcut's 1×1 convolution and its
BatchNorm) go too. A ResNet becomes the plain network of the same depth ("ResNet-56-noshort" in the paper).
"""

from __future__ import annotations

from ..errors import PlaygroundError
from ..graph.model import Graph


class SkipsError(PlaygroundError, ValueError):
    """The network's skips cannot be taken out; the message says why."""


def _depths(graph: Graph) -> dict[str, int]:
    """The longest path, in layers, from an Input to every node."""
    depth: dict[str, int] = {}
    for node in graph.topological_order():
        preds = graph.predecessors(node.id)
        depth[node.id] = 1 + max((depth[p.id] for p in preds), default=-1)
    return depth


def without_skips(graph: Graph) -> Graph:
    """A copy of ``graph`` with every Add node reduced to its deepest input (see the module docstring)."""
    out = graph.copy()
    adds = out.nodes_of_type("Add")
    if not adds:
        raise SkipsError("The network has no skip connections (no Add layer) to take out.")
    for add in adds:
        depth = _depths(out)
        edges = out.in_edges(add.id)
        main = max(edges, key=lambda e: depth[e.source])
        for edge in list(out.out_edges(add.id)):
            out.disconnect(edge)
            out.connect(main.source, edge.target, edge.port, strict=False)
        out.remove_node(add.id)
    outputs = {n.id for n in out.nodes_of_type("Output")}
    for node in list(out.topological_order())[::-1]:
        if node.type != "Output" and not any(out.reaches(node.id, o) for o in outputs):
            out.remove_node(node.id)
    return out
