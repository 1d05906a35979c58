"""RNN, LSTM and GRU unrolled step by step in torch, every hidden state and gate kept (for the sequence views).

torch.nn's fused recurrent layers return only the hidden states; the gates, and the gradient reaching each
h_t through the later steps, need the cell written out. The equations are the layer's own
(``playground/core/layers/recurrent.py``, PyTorch's row order), with the gates named as the course names
them:

* LSTM: input i, forget f, output o, candidate g (the seeds' C̃_t); c_t = f∘c_{t−1} + i∘g, h_t = o∘tanh(c_t)
* GRU: reset r, update = the seeds' z_t, the share of the new candidate n taken at this step (PyTorch's z is
  the share kept from h_{t−1}, so update = 1 − z_torch); h_t = update∘n + (1 − update)∘h_{t−1}
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from ...layers.recurrent import recurrent_tensor_names

GATE_NAMES = {"RNN": (), "LSTM": ("forget", "input", "output", "candidate"), "GRU": ("update", "reset", "candidate")}


@dataclass
class Unrolled:
    """One stack layer and direction: per step (N, H) tensors, in the order the cell read the steps."""

    stack: int
    reverse: bool
    hidden: list[torch.Tensor] = field(default_factory=list)
    gates: dict[str, list[torch.Tensor]] = field(default_factory=dict)
    cell: list[torch.Tensor] = field(default_factory=list)  # the LSTM's cell state c_t


def _step(kind: str, ax: torch.Tensor, ah: torch.Tensor, h: torch.Tensor, c: torch.Tensor, run: Unrolled):
    size = h.shape[1]
    if kind == "RNN":
        return torch.tanh(ax + ah), c
    if kind == "LSTM":
        a = ax + ah
        i, f, g, o = (a[:, k * size : (k + 1) * size] for k in range(4))
        i, f, o, g = torch.sigmoid(i), torch.sigmoid(f), torch.sigmoid(o), torch.tanh(g)
        c = f * c + i * g
        for name, value in zip(GATE_NAMES["LSTM"], (f, i, o, g), strict=True):
            run.gates[name].append(value)
        run.cell.append(c)
        return o * torch.tanh(c), c
    r = torch.sigmoid(ax[:, :size] + ah[:, :size])
    z = torch.sigmoid(ax[:, size : 2 * size] + ah[:, size : 2 * size])
    n = torch.tanh(ax[:, 2 * size :] + r * ah[:, 2 * size :])
    for name, value in zip(GATE_NAMES["GRU"], (1 - z, r, n), strict=True):
        run.gates[name].append(value)
    return (1 - z) * n + z * h, c


def _direction(kind: str, weights: dict[str, torch.Tensor], x: torch.Tensor, run: Unrolled) -> torch.Tensor:
    """Unroll one direction of one stack layer over x (N, T, D); returns its states (N, T, H) in input order."""
    w_ih, w_hh, b_ih, b_hh = (weights.get(n) for n in recurrent_tensor_names(run.stack, run.reverse))
    assert w_ih is not None and w_hh is not None
    seq = x.flip(1) if run.reverse else x
    ax = seq @ w_ih.T + (b_ih if b_ih is not None else 0)
    hidden = w_hh.shape[1]
    h = torch.zeros(x.shape[0], hidden, dtype=x.dtype)
    c = torch.zeros_like(h)
    run.gates = {name: [] for name in GATE_NAMES[kind]}
    for t in range(x.shape[1]):
        ah = h @ w_hh.T + (b_hh if b_hh is not None else 0)
        h, c = _step(kind, ax[:, t], ah, h, c, run)
        run.hidden.append(h)
    states = torch.stack(run.hidden, dim=1)
    return states.flip(1) if run.reverse else states


def unroll(
    kind: str, weights: dict[str, torch.Tensor], x: torch.Tensor, layers: int, bidirectional: bool
) -> tuple[torch.Tensor, list[Unrolled]]:
    """The stack's output sequence (N, T, directions × H) for x (N, T, D) and every layer and direction's
    steps, lowest layer first, forward before reverse."""
    runs: list[Unrolled] = []
    for stack in range(layers):
        outs = []
        for reverse in (False, True)[: 2 if bidirectional else 1]:
            run = Unrolled(stack, reverse)
            outs.append(_direction(kind, weights, x, run))
            runs.append(run)
        x = torch.cat(outs, dim=2)
    return x, runs
