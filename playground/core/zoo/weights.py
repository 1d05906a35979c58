"""Reading a PyTorch weights file safely (``weights_only=True``: tensors, never arbitrary objects) and
loading it into a module with a strict key and shape match, with messages that name what differs."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn


class ZooError(ValueError):
    pass


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    path = Path(path)
    if not path.exists():
        raise ZooError(f"{path}: no such weights file.")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # torch raises many kinds for a file that is not a checkpoint
        raise ZooError(
            f"{path.name} is not a readable PyTorch weights file ({type(err).__name__}: "
            f"{str(err).splitlines()[0] if str(err) else ''})."
        ) from None
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ZooError(f"{path.name} does not hold a state dict (a mapping of names to tensors).")
    return state


def load_strict(module: nn.Module, state: dict[str, torch.Tensor], source: str) -> None:
    """Copy ``state`` into ``module``; every key must match and every shape must agree."""
    own = module.state_dict()
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    wrong = [
        f"{k} {tuple(state[k].shape)} (needs {tuple(own[k].shape)})"
        for k in own
        if k in state and tuple(state[k].shape) != tuple(own[k].shape)
    ]
    problems = []
    if missing:
        problems.append(f"missing {len(missing)} tensors (first: {', '.join(missing[:3])})")
    if unexpected:
        problems.append(f"{len(unexpected)} unexpected tensors (first: {', '.join(unexpected[:3])})")
    if wrong:
        problems.append(f"{len(wrong)} with the wrong shape (first: {', '.join(wrong[:3])})")
    if problems:
        raise ZooError(f"{source} does not fit this network: " + "; ".join(problems) + ".")
    # A module built on the "meta" device has no storage yet: take the loaded tensors as they are.
    on_meta = any(t.is_meta for t in own.values())
    module.load_state_dict(state, strict=True, assign=on_meta)
    if on_meta:
        module.float()
