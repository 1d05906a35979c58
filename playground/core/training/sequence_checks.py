"""The training doctor's checks through time, for recurrent layers: the gradient vanishing on its way back to the
first steps of a plain RNN, or exploding (000 'Vanishing Gradient Problem'; 001 §6.1.3, §6.2; §4.5 clipping).

They read ‖∂L/∂h_t‖ (t = 1 … T) of each RNN / LSTM / GRU layer, which the validation probes measure
(``through_time_probe.py``), and compare the gradient reaching the first step with the one at the last:
ρ = ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖. Each step back multiplies the gradient by one more Jacobian ∂h_{t+1}/∂h_t (in a tanh
RNN, W_hhᵀ diag(1 − h²)); a product of many factors below 1 vanishes, above 1 explodes.
"""

from __future__ import annotations

import math

from .diagnosis import Diagnosis, fmt
from .history import LayerProbe, MetricHistory

# The first step gets less than this share of the last step's gradient: its input is as good as forgotten.
VANISH_THROUGH_TIME = 1e-4
# The first step gets this many times the last step's gradient: the gradient grew on its way back.
EXPLODE_THROUGH_TIME = 1e3
SOURCE = "000 Vanishing Gradient Problem; 001 §6.1.3–6.2"


def _measured(h: MetricHistory, n: int = 2) -> list[LayerProbe]:
    """The last ``n`` probes that measured the gradient through time (fewer if the run had fewer)."""
    return [p for p in h.probes if p.through_time][-n:]


def _ratio(norms: list[float]) -> float:
    first, last = norms[0], norms[-1]
    if not (math.isfinite(first) and math.isfinite(last)):
        return math.inf
    return first / last if last > 0 else math.nan


def _steady(probes: list[LayerProbe], layer: str, holds) -> float | None:
    """The last probe's ratio for ``layer`` when every one of ``probes`` satisfies ``holds``, else None."""
    ratios = [_ratio(p.through_time[layer]) for p in probes if len(p.through_time.get(layer, ())) > 1]
    if not ratios or len(ratios) < len(probes) or not all(holds(r) for r in ratios):
        return None
    return ratios[-1]


def vanishing_through_time(h: MetricHistory) -> Diagnosis | None:
    probes = _measured(h)
    if not probes:
        return None
    for layer in probes[-1].through_time:
        if h.layer_types.get(layer) != "RNN":
            continue  # a gated cell's gradient at the start is what it learned to keep, not a defect
        ratio = _steady(probes, layer, lambda r: 0 <= r < VANISH_THROUGH_TIME)
        if ratio is None:
            continue
        steps = len(probes[-1].through_time[layer])
        return Diagnosis(
            "vanishing_through_time",
            "warning",
            f"The gradient vanishes through time in {layer}",
            f"The gradient reaching the first step of {layer} is {fmt(ratio)} times the one at step {steps} "
            f"(‖∂L/∂h_1‖ / ‖∂L/∂h_T‖): multiplied at every step back by W_hhᵀ and the tanh's slope, it has all but "
            f"vanished, so what the first steps read cannot shape the weights — a plain RNN forgets over {steps} "
            "steps.",
            f"Replace {layer} (RNN) by an LSTM or a GRU of the same hidden size: the LSTM's cell state "
            "c_t = f∘c_{t−1} + i∘g and the GRU's update gate pass the gradient back almost unchanged while the gate "
            "stays open, "
            '"GRUs and LSTMs to the rescue!" Shorter sequences also help.',
            SOURCE,
            probes[-1].step,
            layer,
        )
    return None


def exploding_through_time(h: MetricHistory) -> Diagnosis | None:
    probes = _measured(h)
    if not probes:
        return None
    for layer in probes[-1].through_time:
        ratio = _steady(probes, layer, lambda r: r > EXPLODE_THROUGH_TIME)
        if ratio is None:
            continue
        kind = h.layer_types.get(layer, "recurrent")
        grown = "grew without bound" if math.isinf(ratio) else f"is {fmt(ratio)} times the one at the last step"
        clipping = (
            " Clipping is already on in the training settings (Clip norm / Clip value): it keeps each step "
            "bounded, but the gradient through time is still unstable, so also lower the learning rate or the "
            "clip norm."
            if h.clipping
            else ""
        )
        return Diagnosis(
            "exploding_through_time",
            "error" if math.isinf(ratio) else "warning",
            f"The gradient explodes through time in {layer}",
            f"The gradient reaching the first step of {layer} ({kind}) {grown} (‖∂L/∂h_1‖ / ‖∂L/∂h_T‖): multiplied "
            "at every step back by a factor above 1, it explodes, and a single update can throw the weights far "
            f"off.{clipping}",
            "Clip the gradient norm: set Clip norm (clip_norm in the project's training settings) to about the norm "
            "of healthy gradients, e.g. 1 (001 §4.5); start W_hh smaller (orthogonal or Xavier initialization) and "
            "lower the learning rate if the loss still jumps.",
            f"{SOURCE}; 001 §4.5 Gradient clipping",
            probes[-1].step,
            layer,
        )
    return None
