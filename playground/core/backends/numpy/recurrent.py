"""RNN, LSTM and GRU on NumPy, with backpropagation through time written out (001 §6.1.2).

The forward pass unrolls the cell over the T steps and keeps what each step's backward needs. The backward
pass walks the steps from last to first: at step t, δh_t is the gradient arriving from the layer above plus
the one coming back from step t+1 (the two heads of 001 §6.1.2), the cell turns it into the gradients of its
gate pre-activations, and the weights' gradients are *accumulated* over the steps, since the same W_hh and
W_ih act at every one. The equations are in ``playground/core/layers/recurrent.py``.

For every cell the pre-activations are split into an input part a_x = W_ih x_t + b_ih (computed for all
steps at once) and a hidden part a_h = W_hh h_{t−1} + b_hh; only the GRU treats them differently.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from ...layers.recurrent import recurrent_tensor_names
from .layer import Builder, Layer

Cache = tuple[np.ndarray, ...]
Step = tuple[np.ndarray, "np.ndarray | None", Cache]
Back = tuple[np.ndarray, np.ndarray, "np.ndarray | None", "np.ndarray | None"]


class Cell:
    """One time step: ``step`` maps (a_x, a_h, c_{t−1}, h_{t−1}) to (h_t, c_t, cache); ``back`` maps (δh_t, δc_t,
    cache) to (δa_x, δa_h, δc_{t−1}, the δh_{t−1} that bypasses W_hh)."""

    def step(self, ax: np.ndarray, ah: np.ndarray, c: np.ndarray | None, h: np.ndarray) -> Step:
        raise NotImplementedError

    def back(self, dh: np.ndarray, dc: np.ndarray | None, cache: Cache) -> Back:
        raise NotImplementedError


class RNNCell(Cell):
    """h_t = tanh(a_x + a_h)."""

    def step(self, ax: np.ndarray, ah: np.ndarray, c: np.ndarray | None, h: np.ndarray) -> Step:
        out = np.tanh(ax + ah)
        return out, None, (out,)

    def back(self, dh: np.ndarray, dc: np.ndarray | None, cache: Cache) -> Back:
        (out,) = cache
        da = dh * (1 - out * out)
        return da, da, None, None  # δa_x, δa_h, δc_{t−1}, direct δh_{t−1} (none: h_{t−1} enters only via W_hh)


class LSTMCell(Cell):
    """Gates i, f, g, o (PyTorch's row order): c_t = f∘c_{t−1} + i∘g, h_t = o∘tanh(c_t)."""

    def step(self, ax: np.ndarray, ah: np.ndarray, c: np.ndarray | None, h: np.ndarray) -> Step:
        a = ax + ah
        size = h.shape[1]
        gates = expit(a)  # one call over all four blocks; g's block is replaced by its tanh below
        i, f, o = gates[:, :size], gates[:, size : 2 * size], gates[:, 3 * size :]
        g = np.tanh(a[:, 2 * size : 3 * size])
        c_prev = np.zeros_like(h) if c is None else c
        c_new = f * c_prev + i * g
        tanh_c = np.tanh(c_new)
        return o * tanh_c, c_new, (i, f, g, o, c_prev, tanh_c)

    def back(self, dh: np.ndarray, dc: np.ndarray | None, cache: Cache) -> Back:
        i, f, g, o, c_prev, tanh_c = cache
        do = dh * tanh_c
        # the cell state's gradient: from step t+1 along the memory, plus through h_t = o∘tanh(c_t)
        dc_t = dh * o * (1 - tanh_c * tanh_c)
        if dc is not None:
            dc_t = dc_t + dc
        da = np.concatenate(
            [dc_t * g * i * (1 - i), dc_t * c_prev * f * (1 - f), dc_t * i * (1 - g * g), do * o * (1 - o)], axis=1
        )
        return da, da, dc_t * f, None  # δc_{t−1} = δc_t ∘ f: the forget gate is the path memory flows back on


class GRUCell(Cell):
    """Gates r, z, n (PyTorch's row order): n = tanh(a_x,n + r∘a_h,n), h_t = (1 − z)∘n + z∘h_{t−1}."""

    def step(self, ax: np.ndarray, ah: np.ndarray, c: np.ndarray | None, h: np.ndarray) -> Step:
        size = h.shape[1]
        r = expit(ax[:, :size] + ah[:, :size])
        z = expit(ax[:, size : 2 * size] + ah[:, size : 2 * size])
        ah_n = ah[:, 2 * size :]
        n = np.tanh(ax[:, 2 * size :] + r * ah_n)
        return (1 - z) * n + z * h, None, (r, z, n, ah_n, h)

    def back(self, dh: np.ndarray, dc: np.ndarray | None, cache: Cache) -> Back:
        r, z, n, ah_n, h_prev = cache
        dn = dh * (1 - z) * (1 - n * n)  # δ of n's pre-activation
        dz = dh * (h_prev - n) * z * (1 - z)
        dr = dn * ah_n * r * (1 - r)
        dax = np.concatenate([dr, dz, dn], axis=1)
        dah = np.concatenate([dr, dz, dn * r], axis=1)  # the reset gate scales the hidden part of n
        return dax, dah, None, dh * z  # z∘h_{t−1} passes δ straight back


CELLS: dict[str, type[Cell]] = {"RNN": RNNCell, "LSTM": LSTMCell, "GRU": GRUCell}


class Recurrent(Layer):
    """Stacked, optionally bidirectional layers of one cell over (N, T, D) inputs."""

    def __init__(self, cell: str, hidden: int, layers: int, bidirectional: bool, last: bool, bias: bool):
        super().__init__()
        self.cell = CELLS[cell]()
        self.hidden, self.layers, self.bias, self.last = hidden, layers, bias, last
        self.directions = (False, True) if bidirectional else (False,)

    # ------------------------------------------------------------------ one direction of one layer
    def _run(self, x: np.ndarray, names: tuple[str, str, str, str]) -> tuple[np.ndarray, list]:
        """Unroll the cell over x (N, T, in) from step 0 to T−1; returns h (N, T, H) and each step's cache."""
        w_ih, w_hh = self.params[names[0]], self.params[names[1]]
        b_ih, b_hh = self.params.get(names[2]), self.params.get(names[3])
        n, steps = x.shape[:2]
        ax = x @ w_ih.T  # every step's input part at once
        if self.bias:
            ax += b_ih
        h = np.zeros((n, self.hidden), x.dtype)
        c = None
        hs = np.empty((n, steps, self.hidden), x.dtype)
        caches = []
        for t in range(steps):
            ah = h @ w_hh.T
            if self.bias:
                ah += b_hh
            h, c, cache = self.cell.step(ax[:, t], ah, c, h)
            hs[:, t] = h
            caches.append(cache)
        return hs, caches

    def _back(self, dhs: np.ndarray, x: np.ndarray, hs: np.ndarray, caches: list, names) -> np.ndarray:
        """Backpropagation through time: δ of x (N, T, in) from δ of every h_t; accumulates the weights' δ."""
        w_ih, w_hh = self.params[names[0]], self.params[names[1]]
        n, steps = dhs.shape[:2]
        dax = np.empty((n, steps, w_ih.shape[0]), dhs.dtype)
        dahs = np.empty((n, steps, w_hh.shape[0]), dhs.dtype)
        dh_next = np.zeros((n, self.hidden), dhs.dtype)
        dc = None
        for t in reversed(range(steps)):
            dh = dhs[:, t] + dh_next  # from the layer above and from step t+1
            dax[:, t], dahs[:, t], dc, direct = self.cell.back(dh, dc, caches[t])
            dh_next = dahs[:, t] @ w_hh if direct is None else dahs[:, t] @ w_hh + direct
        # W_hh acts at every step: its δ is Σ_t δa_h,t h_{t−1}ᵀ, summed in one product (h_{−1} = 0 adds nothing)
        before = hs[:, :-1].reshape(-1, self.hidden)
        self.grads[names[1]][...] = dahs[:, 1:].reshape(len(before), -1).T @ before
        flat = dax.reshape(-1, dax.shape[2])
        self.grads[names[0]][...] = flat.T @ x.reshape(-1, x.shape[2])
        if self.bias:
            self.grads[names[2]][...] = flat.sum(axis=0)
            self.grads[names[3]][...] = dahs.reshape(-1, dahs.shape[2]).sum(axis=0)
        return dax @ w_ih

    # ------------------------------------------------------------------ the whole stack
    def forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        self.memory = []
        for layer in range(self.layers):
            outs = []
            for reverse in self.directions:
                seq = x[:, ::-1] if reverse else x  # the reverse cell reads the sequence from its end
                hs, caches = self._run(seq, recurrent_tensor_names(layer, reverse))
                self.memory.append((seq, hs, caches))
                outs.append(hs[:, ::-1] if reverse else hs)
            x = np.concatenate(outs, axis=2) if len(outs) > 1 else outs[0]
        if not self.last:
            return x
        # the final state of each direction: step T−1 going forward, step 0 going backward
        size = self.hidden
        return np.concatenate([x[:, -1, :size], x[:, 0, size:]], axis=1)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        if self.last:
            n, steps = dy.shape[0], self.memory[0][0].shape[1]
            full = np.zeros((n, steps, dy.shape[1]), dy.dtype)
            full[:, -1, : self.hidden] = dy[:, : self.hidden]
            full[:, 0, self.hidden :] = dy[:, self.hidden :]
            dy = full
        memory = list(self.memory)
        for layer in reversed(range(self.layers)):
            dx = None
            for k, reverse in reversed(list(enumerate(self.directions))):
                seq, hs, caches = memory.pop()
                part = dy[:, :, k * self.hidden : (k + 1) * self.hidden]
                if reverse:
                    part = part[:, ::-1]
                d = self._back(part, seq, hs, caches, recurrent_tensor_names(layer, reverse))
                d = d[:, ::-1] if reverse else d
                dx = d if dx is None else dx + d
            dy = dx  # type: ignore[assignment]
        return np.ascontiguousarray(dy)


def _builder(cell: str) -> Builder:
    def build(node, _ins, _out, _rng) -> Recurrent:
        p = node.params
        return Recurrent(cell, p["hidden"], p["layers"], p["bidirectional"], p["output"] == "last", p["bias"])

    return build


BUILDERS: dict[str, Builder] = {name: _builder(name) for name in CELLS}
