"""All trainable parameters of a model in one flat array, and their gradients in another.

Each layer sees its ``weight`` and ``bias`` as reshaped *views* into the flat arrays, so the backward
pass writes gradients straight into place and the optimizer, gradient clipping and the finiteness
check each update every parameter of the network with a handful of vectorised operations — which is
what makes small networks fast. Weights that take weight decay and the L1 penalty come first, so
"the decayed ones" is simply the prefix ``[:n_decayed]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..base import BackendError, ParamDict
from .layer import Shape


@dataclass(frozen=True)
class Slot:
    node: str
    name: str
    shape: Shape
    start: int
    stop: int


class FlatStore:
    """Named views into one flat array (``values``) and, for trainable parameters, its gradient."""

    def __init__(self, entries: list[tuple[str, str, Shape, bool]], dtype: np.dtype, with_grads: bool = True):
        # decayed entries first, otherwise in the order given (the network's forward order)
        ordered = [e for e in entries if e[3]] + [e for e in entries if not e[3]]
        self.slots: list[Slot] = []
        start = 0
        for node, name, shape, _decayed in ordered:
            size = int(np.prod(shape))
            self.slots.append(Slot(node, name, tuple(shape), start, start + size))
            start += size
        self.n_decayed = sum(int(np.prod(e[2])) for e in entries if e[3])
        self.values = np.zeros(start, dtype=dtype)
        self.grads = np.zeros(start, dtype=dtype) if with_grads else None

    def __len__(self) -> int:
        return len(self.values)

    def _view(self, flat: np.ndarray, slot: Slot) -> np.ndarray:
        return flat[slot.start : slot.stop].reshape(slot.shape)

    def value_views(self) -> dict[str, dict[str, np.ndarray]]:
        out: dict[str, dict[str, np.ndarray]] = {}
        for slot in self.slots:
            out.setdefault(slot.node, {})[slot.name] = self._view(self.values, slot)
        return out

    def grad_views(self) -> dict[str, dict[str, np.ndarray]]:
        assert self.grads is not None
        out: dict[str, dict[str, np.ndarray]] = {}
        for slot in self.slots:
            out.setdefault(slot.node, {})[slot.name] = self._view(self.grads, slot)
        return out

    def load(self, params: dict[str, ParamDict], strict: bool = True) -> None:
        """Copy arrays keyed by node name, then parameter name, into place (checking the shapes)."""
        for slot in self.slots:
            given = params.get(slot.node, {}).get(slot.name)
            if given is None:
                if strict:
                    raise BackendError(f"{slot.node}.{slot.name}: no initial value was given.")
                continue
            given = np.asarray(given)
            if given.shape != slot.shape:
                raise BackendError(f"{slot.node}.{slot.name}: expected shape {slot.shape}, got {given.shape}")
            self.values[slot.start : slot.stop] = given.reshape(-1)

    def export(self, flat: np.ndarray | None = None) -> dict[str, ParamDict]:
        """Copies of ``flat`` (default: the values), keyed like :meth:`load` takes them."""
        source = self.values if flat is None else flat
        out: dict[str, ParamDict] = {}
        for slot in self.slots:
            out.setdefault(slot.node, {})[slot.name] = self._view(source, slot).copy()
        return out
