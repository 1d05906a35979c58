"""Torch modules of the sequence layers whose arrays or outputs torch.nn does not lay out our way.

Each class is self-contained (only ``torch`` and ``nn``): an exported script includes its source.
Sequences are batch-first, (N, T, D).
"""

from __future__ import annotations

import torch
from torch import nn


class TokenEmbedding(nn.Embedding):
    """nn.Embedding that accepts token ids stored as floats (a batch of samples is one float array)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x.long())


class PositionalEncoding(nn.Module):
    """x + PE: PE(t, 2i) = sin(t/10000^(2i/D)), PE(t, 2i+1) = cos(t/10000^(2i/D)), or a learned T×D table."""

    def __init__(self, steps: int, features: int, learned: bool = False):
        super().__init__()
        self.learned = learned
        if learned:
            self.weight = nn.Parameter(torch.zeros(steps, features))
        else:
            t = torch.arange(steps, dtype=torch.float64)[:, None]
            rates = 1.0 / 10000.0 ** (torch.arange(0, features, 2, dtype=torch.float64) / features)
            table = torch.empty(steps, features, dtype=torch.float64)
            table[:, 0::2] = torch.sin(t * rates)
            table[:, 1::2] = torch.cos(t * rates[: features // 2])
            self.table = table  # a constant, not a buffer: nothing to save or train

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + (self.weight if self.learned else self.table.to(x.dtype))


class PoolOverTime(nn.Module):
    """(N, T, D) → (N, D): the last step or the mean over time."""

    def __init__(self, mode: str = "mean"):
        super().__init__()
        self.mode = mode

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x[:, -1] if self.mode == "last" else x.mean(dim=1)


class RNNLayer(nn.RNN):
    """nn.RNN (tanh) on batch-first sequences: every step's h_t, or only each direction's final state."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, bidirectional=False, last=False):
        super().__init__(input_size, hidden_size, num_layers, bias=bias, batch_first=True, bidirectional=bidirectional)
        self.last = last

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        out, _ = super().forward(x)
        # going forward the final state is at step T−1, going backward at step 0
        return torch.cat([out[:, -1, : self.hidden_size], out[:, 0, self.hidden_size :]], 1) if self.last else out


class LSTMLayer(nn.LSTM):
    """nn.LSTM on batch-first sequences: every step's h_t, or only each direction's final state."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, bidirectional=False, last=False):
        super().__init__(input_size, hidden_size, num_layers, bias=bias, batch_first=True, bidirectional=bidirectional)
        self.last = last

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        out, _ = super().forward(x)
        return torch.cat([out[:, -1, : self.hidden_size], out[:, 0, self.hidden_size :]], 1) if self.last else out


class GRULayer(nn.GRU):
    """nn.GRU on batch-first sequences: every step's h_t, or only each direction's final state."""

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, bidirectional=False, last=False):
        super().__init__(input_size, hidden_size, num_layers, bias=bias, batch_first=True, bidirectional=bidirectional)
        self.last = last

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        out, _ = super().forward(x)
        return torch.cat([out[:, -1, : self.hidden_size], out[:, 0, self.hidden_size :]], 1) if self.last else out


class MultiHeadAttention(nn.Module):
    """Self-attention in ``heads`` heads of size ``d_k``: [H_1, …, H_h] W_o, H_i = softmax(Q_i K_iᵀ/√d_k) V_i."""

    def __init__(self, features, heads, d_k, causal=False, dropout=0.0, bias=True):
        super().__init__()
        self.heads, self.d_k, self.causal, self.dropout = heads, d_k, causal, dropout
        inner = heads * d_k
        for name in ("q", "k", "v"):
            setattr(self, f"{name}_weight", nn.Parameter(torch.empty(inner, features)))
            # no key bias: it would shift all the scores of a query alike, which the softmax cancels
            setattr(self, f"{name}_bias", nn.Parameter(torch.zeros(inner)) if bias and name != "k" else None)
        self.out_weight = nn.Parameter(torch.empty(features, inner))
        self.out_bias = nn.Parameter(torch.zeros(features)) if bias else None
        for w in (self.q_weight, self.k_weight, self.v_weight, self.out_weight):
            nn.init.xavier_uniform_(w)
        self.weights = None  # the last pass's attention weights (N, heads, T, T)

    def _project(self, x: torch.Tensor, name: str) -> torch.Tensor:
        y = nn.functional.linear(x, getattr(self, f"{name}_weight"), getattr(self, f"{name}_bias"))
        return y.reshape(x.shape[0], x.shape[1], self.heads, self.d_k).transpose(1, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        q, k, v = self._project(x, "q"), self._project(x, "k"), self._project(x, "v")
        scores = q @ k.transpose(-2, -1) / self.d_k**0.5
        if self.causal:  # step l may not look at steps t > l
            steps = x.shape[1]
            later = torch.ones(steps, steps, dtype=torch.bool, device=x.device).triu(1)
            scores = scores.masked_fill(later, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        self.weights = weights.detach()
        weights = nn.functional.dropout(weights, self.dropout, self.training)
        heads = (weights @ v).transpose(1, 2).reshape(x.shape[0], x.shape[1], self.heads * self.d_k)
        return nn.functional.linear(heads, self.out_weight, self.out_bias)

    def extra_repr(self) -> str:
        return f"heads={self.heads}, d_k={self.d_k}, causal={self.causal}, dropout={self.dropout}"


SEQUENCE_MODULES = (TokenEmbedding, PositionalEncoding, PoolOverTime, RNNLayer, LSTMLayer, GRULayer, MultiHeadAttention)
