"""Reading a weights file for a lab tool, with the tool's usual message when it does not fit."""

from __future__ import annotations

from ..core.backends.base import ParamDict
from ..core.graph.model import Graph
from ..core.io.checkpoint import CheckpointError, load_weights
from .common import CommandError


def read_weights(path: str | None, graph: Graph, option: str = "--weights") -> dict[str, ParamDict] | None:
    """The weights in ``path`` checked against ``graph`` (None without a path)."""
    if path is None:
        return None
    try:
        return load_weights(path, graph)
    except CheckpointError as err:
        raise CommandError(f"error: {option}: {err}") from None
