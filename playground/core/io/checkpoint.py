"""Trained weights in a safetensors file (never pickle): one tensor per ``node.param`` key.

A project file holds the architecture; a checkpoint holds what training learned. Loading checks every
tensor against the graph and refuses a mismatch with a message naming the node.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..graph.model import Graph
from ..initialization import initial_parameters

ParamDict = dict[str, np.ndarray]
FORMAT = "playground-weights/1"


class CheckpointError(ValueError):
    pass


def save_weights(params: dict[str, ParamDict], path: str | Path, metadata: dict[str, str] | None = None) -> None:
    from safetensors.numpy import save_file

    flat = {
        f"{node}.{key}": np.ascontiguousarray(value) for node, values in params.items() for key, value in values.items()
    }
    meta = {"format": FORMAT, **(metadata or {})}
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    save_file(flat, str(tmp), metadata=meta)
    tmp.replace(path)


def load_weights(path: str | Path, graph: Graph | None = None) -> dict[str, ParamDict]:
    """Read a checkpoint; with ``graph``, check that it fits (same nodes, same shapes)."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file

    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"{path}: no such file.")
    try:
        flat = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as err:
        raise CheckpointError(f"{path.name} is not a readable weights file ({err}).") from None
    params: dict[str, ParamDict] = {}
    for key, value in flat.items():
        node, _, name = key.rpartition(".")
        if not node:
            raise CheckpointError(f"{path.name}: unexpected tensor name '{key}' (expected node.param).")
        params.setdefault(node, {})[name] = value
    if graph is not None:
        check_fits(params, graph, path.name)
    return params


def check_fits(params: dict[str, ParamDict], graph: Graph, source: str = "weights") -> None:
    expected = initial_parameters(graph, 0)
    for node, values in expected.items():
        if node not in params:
            raise CheckpointError(f"{source} has no weights for layer '{node}': it was saved from another network.")
        for key, value in values.items():
            got = params[node].get(key)
            if got is None:
                raise CheckpointError(f"{source}: layer '{node}' lacks '{key}'.")
            if got.shape != value.shape:
                raise CheckpointError(
                    f"{source}: layer '{node}' {key} has shape {tuple(got.shape)}, but the network "
                    f"needs {tuple(value.shape)}."
                )
    extra = sorted(set(params) - set(expected))
    if extra:
        raise CheckpointError(f"{source} has weights for layers the network does not have: {', '.join(extra)}.")
