"""The two things a graph is made of: nodes (layers) and edges (the tensors between them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..layers import LayerSpec, get_spec

Position = tuple[float, float]


@dataclass(eq=False)
class Node:
    id: str
    name: str
    type: str
    params: dict[str, Any]
    position: Position = (0.0, 0.0)
    # Layers sharing a group (e.g. one Transformer block dropped from a template) are selected and moved as one.
    group: str | None = None

    @property
    def spec(self) -> LayerSpec:
        return get_spec(self.type)

    def label(self) -> str:
        return f"{self.name} ({self.type})"


@dataclass(frozen=True)
class Edge:
    """A tensor flowing from ``source``'s output into input port ``port`` of ``target``."""

    source: str
    target: str
    port: int = 0
