"""RNN, LSTM and GRU: one cell applied at every time step, its hidden state carried to the next.

The equations are the course's (000 'RNNs', 'GRUs', 'LSTMs'; 001 §6.1–6.2; 004 'Gating functions'), with
the weights split the way PyTorch stores them, so that a trained network's numbers mean the same on both
backends. For the gate pre-activations the seeds write W[h_{t−1}, x_t] + b; PyTorch (and we) write the same
sum as W_ih x_t + b_ih + W_hh h_{t−1} + b_hh, the gates stacked in the rows of one matrix:

* RNN:  h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh)  (the seeds' h_t = f(W_hh h_{t−1} + W_hx x_t))
* LSTM, rows i, f, g, o:  i, f, o = σ(·), g = tanh(·) (the seeds' C̃_t), c_t = f∘c_{t−1} + i∘g,
  h_t = o∘tanh(c_t)
* GRU, rows r, z, n:  r, z = σ(·), n = tanh(W_in x_t + b_in + r∘(W_hn h_{t−1} + b_hn)),
  h_t = (1 − z)∘n + z∘h_{t−1}. PyTorch's z is the share *kept* from h_{t−1}: the seeds' update gate is 1 − z.

Stacked layers feed each layer the hidden states of the one below; a bidirectional layer runs a second cell
from the last step back to the first (weights suffixed ``_reverse``) and puts both states side by side.
"""

from __future__ import annotations

from .init_params import INIT_PARAMS
from .sequence import SEQUENCE, require_sequence
from .spec import Inputs, LayerSpec, Param, Params, Tensors, TensorSpec

# How many blocks of H rows the stacked gate matrices have.
GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}


def directions(p: Params) -> int:
    return 2 if p["bidirectional"] else 1


def _shape(layer: str):
    def rule(x: Inputs, p: Params) -> tuple[int, ...]:
        steps, _d = require_sequence(x, layer)
        width = p["hidden"] * directions(p)
        return (steps, width) if p["output"] == "sequence" else (width,)

    return rule


def recurrent_tensor_names(layer: int, reverse: bool) -> tuple[str, str, str, str]:
    """PyTorch's names of one layer and direction's arrays: W_ih, W_hh, b_ih, b_hh."""
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    return (f"weight_ih{suffix}", f"weight_hh{suffix}", f"bias_ih{suffix}", f"bias_hh{suffix}")


def _tensors(layer_type: str):
    def rule(x: Inputs, p: Params) -> Tensors:
        gates, hidden = GATES[layer_type], p["hidden"]
        out: Tensors = {}
        for layer in range(p["layers"]):
            width = x.shape[1] if layer == 0 else hidden * directions(p)
            for reverse in (False, True)[: directions(p)]:
                w_ih, w_hh, b_ih, b_hh = recurrent_tensor_names(layer, reverse)
                out[w_ih] = TensorSpec((gates * hidden, width), "weight")
                out[w_hh] = TensorSpec((gates * hidden, hidden), "weight")
                if p["bias"]:
                    out[b_ih] = TensorSpec((gates * hidden,), "bias")
                    out[b_hh] = TensorSpec((gates * hidden,), "bias")
        return out

    return rule


def _params() -> tuple[Param, ...]:
    return (
        Param("hidden", "int", 16, "H: the size of the hidden state h_t", minimum=1, maximum=100_000),
        Param(
            "layers",
            "int",
            1,
            "How many layers are stacked, each reading the states of the one below",
            minimum=1,
            maximum=16,
        ),
        Param("bidirectional", "bool", False, "Also run a cell from the last step back to the first (2H outputs)"),
        Param(
            "output",
            "choice",
            "sequence",
            "sequence: h_t at every step (T×H); last: the final state only (H), e.g. to classify the sequence",
            choices=("sequence", "last"),
        ),
        Param("bias", "bool", True, "Add learned biases b_ih and b_hh to the gates"),
        *INIT_PARAMS,
    )


def _recurrent(layer_type: str, help_text: str) -> LayerSpec:
    return LayerSpec(
        type=layer_type,
        category=SEQUENCE,
        help=help_text,
        shape_rule=_shape(layer_type),
        tensors=_tensors(layer_type),
        params=_params(),
        key_params=("hidden", "output"),
        icon="dense",
        weighted=True,
    )


RNN = _recurrent("RNN", "Simple recurrent layer: h_t = tanh(W_hh h_{t−1} + W_ih x_t + b), weights shared over time.")
LSTM = _recurrent(
    "LSTM", "Long short-term memory: input, forget and output gates around a cell state c_t that carries memory."
)
GRU = _recurrent("GRU", "Gated recurrent unit: reset and update gates, no separate cell state.")

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (RNN, LSTM, GRU)
