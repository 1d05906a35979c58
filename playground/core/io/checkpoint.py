"""Trained weights in a safetensors file (never pickle): one tensor per ``node.param`` key.

A project file holds the architecture; a checkpoint holds what training learned. Loading checks every
tensor against the graph and refuses a mismatch with a message naming the node. A weights file is
untrusted input: a pickle (what ``torch.save`` writes) is recognised by its first bytes and refused unread,
since unpickling can run code; half-precision tensors (float16, bfloat16) are widened to float32. Saving is
atomic, with a unique temporary name, so two processes saving one path never collide.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from safetensors import SafetensorError, safe_open
from safetensors.numpy import save_file

from ..errors import PlaygroundError
from ..graph.model import Graph
from ..initialization import initial_parameters
from .atomic import remove_stale_temps, write_with

ParamDict = dict[str, np.ndarray]
FORMAT = "playground-weights/1"


class CheckpointError(PlaygroundError, ValueError):
    pass


def save_weights(params: dict[str, ParamDict], path: str | Path, metadata: dict[str, str] | None = None) -> None:
    flat = {
        f"{node}.{key}": np.ascontiguousarray(value) for node, values in params.items() for key, value in values.items()
    }
    meta = {"format": FORMAT, **(metadata or {})}
    write_with(Path(path), lambda tmp: save_file(flat, str(tmp), metadata=meta))


# First bytes of the files torch.save writes: a zip archive holding a pickle, or a bare pickle (protocol 2+).
_PICKLE_MAGIC = (b"PK\x03\x04", b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05")


def _refuse_pickle(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        raise CheckpointError(f"{path.name} is empty: it holds no weights.")
    if head.startswith(_PICKLE_MAGIC):
        raise CheckpointError(
            f"{path.name} is a Python pickle (a torch.save file); Playground reads weights only from "
            "safetensors files, since opening a pickle can run any code it holds. It was not opened."
        )


def _read_tensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file as a NumPy array; float16 and bfloat16 become float32."""
    # deferred: torch (seconds to import) reads bfloat16, which NumPy cannot; saving and checks do without it
    import torch
    from safetensors.torch import load_file

    try:
        tensors = load_file(str(path))
    except (SafetensorError, OSError, ValueError, TypeError, RuntimeError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise CheckpointError(f"{path.name} is not a readable weights file ({reason}).") from None
    out = {}
    for key, tensor in tensors.items():
        if tensor.dtype in (torch.bfloat16, torch.float16):
            tensor = tensor.float()
        elif not (tensor.dtype.is_floating_point or tensor.dtype in (torch.int64, torch.int32, torch.uint8)):
            raise CheckpointError(f"{path.name}: tensor '{key}' has the unsupported type {tensor.dtype}.")
        out[key] = tensor.numpy()
    return out


def read_tensors(path: str | Path) -> dict[str, np.ndarray]:
    """Every tensor of a weights or checkpoint file, by its name in the file (checked, never unpickled)."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file." if not path.exists() else f"{path} is not a file.")
    remove_stale_temps(path)
    _refuse_pickle(path)
    return _read_tensors(path)


def read_metadata(path: str | Path) -> dict[str, str]:
    """The text entries of a safetensors file's header (after :func:`read_tensors` found it readable)."""
    with safe_open(str(path), "numpy") as fh:
        return dict(fh.metadata() or {})


def load_weights(path: str | Path, graph: Graph | None = None) -> dict[str, ParamDict]:
    """Read the weights of a weights file or a training checkpoint; with ``graph``, check that they fit (same
    nodes, same shapes)."""
    path = Path(path)
    flat = read_tensors(path)
    params: dict[str, ParamDict] = {}
    for key, value in flat.items():
        if "::" in key:  # a checkpoint's training state (optimizer, history…): not a weight
            continue
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
