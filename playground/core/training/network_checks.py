"""The training doctor's checks inside the network, read from the probes: dead ReLUs, saturated sigmoid / tanh
layers, vanishing and exploding gradients (000 activation functions; 001 §4.3–4.5; 004 initialization)."""

from __future__ import annotations

import math

import numpy as np

from .diagnosis import Diagnosis, chunk_size, fmt
from .history import LayerProbe, MetricHistory


def _last_probes(h: MetricHistory, n: int = 2) -> list[LayerProbe]:
    return h.probes[-n:] if len(h.probes) >= n else []


DEAD_SHARE = 0.5


def dead_relus(h: MetricHistory) -> Diagnosis | None:
    probes = _last_probes(h)
    if not probes:
        return None
    names = [n for n in probes[-1].dead if all(n in p.dead for p in probes)]
    worst = max(names, key=lambda n: min(p.dead[n] for p in probes), default=None)
    if worst is None:
        return None
    share = min(p.dead[worst] for p in probes)
    if share < DEAD_SHARE:
        return None
    everything = share >= 1.0
    return Diagnosis(
        "dead_relu",
        "error" if everything else "warning",
        f"{'All' if everything else f'{100 * share:.0f} % of the'} ReLU units of {worst} are dead",
        f"{'Every unit' if everything else f'{100 * share:.0f} % of the units'} of {worst} output 0 for every probe "
        f"sample. A ReLU's gradient is 0 when its input is negative, so a dead unit never changes again"
        + (" — and no gradient reaches the layers before it." if everything else "."),
        "Start the biases of the layer before it at a small positive constant such as 0.1 (001 §4.4.3: with zero "
        "biases half of the ReLUs are dead on average), use Kaiming/He initialization (004), and lower the learning "
        "rate if the units died during training (a too-large step can push them all negative). LeakyReLU keeps a "
        "small gradient for negative inputs.",
        "000 Activation functions: ReLU; 001 §4.4.3; 004 Kaiming initialization",
        probes[-1].step,
        worst,
    )


SATURATED_SHARE = 0.5


def saturated(h: MetricHistory) -> Diagnosis | None:
    probes = _last_probes(h)
    if not probes:
        return None
    names = [n for n in probes[-1].saturated if all(n in p.saturated for p in probes)]
    worst = max(names, key=lambda n: min(p.saturated[n] for p in probes), default=None)
    if worst is None:
        return None
    share = min(p.saturated[worst] for p in probes)
    if share < SATURATED_SHARE:
        return None
    kind = h.layer_types.get(worst, "sigmoid/tanh")
    return Diagnosis(
        "saturated",
        "warning",
        f"{worst} ({kind}) is saturated",
        f"{100 * share:.0f} % of the outputs of {worst} sit on the flat ends of the {kind} curve, where its slope "
        f'is under a tenth of its peak. "Saturation of neurons kills gradients": little signal passes back '
        f"through this layer.",
        "Keep the inputs of the layer small: Xavier initialization (001 §4.4.2) for sigmoid/tanh, standardized "
        "inputs, or a BatchNorm before the activation (001 §4.3). ReLU does not saturate (004).",
        "000 Activation functions; 001 §4.3–4.4",
        probes[-1].step,
        worst,
    )


# The gradient reaching a layer is this many times smaller than the largest layer's: it vanished.
VANISH_RATIO = 1e-4
# Gradient norms this large are far beyond what a loss of order 1 produces in a healthy network.
EXPLODE_NORM = 1e3


def vanishing(h: MetricHistory) -> Diagnosis | None:
    probes = _last_probes(h)
    if not probes or len(h.layers) < 2:
        return None
    worst: str | None = None
    ratio = 1.0
    for p in probes:
        norms = [(n, p.grad_norms.get(n, math.nan)) for n in h.layers]
        finite = [(n, v) for n, v in norms if math.isfinite(v)]
        top = max((v for _, v in finite), default=0.0)
        # exact zeros come from dead ReLUs, which have their own diagnosis
        small = [(n, v / top) for n, v in finite if v > 0 and top > 0 and v / top < VANISH_RATIO]
        if not small:
            return None
        name, r = min(small, key=lambda item: item[1])
        worst, ratio = name, r
    assert worst is not None
    last = probes[-1].grad_norms
    top_name = max(h.layers, key=lambda n: last.get(n, 0.0) if math.isfinite(last.get(n, 0.0)) else 0.0)
    starved = [n for n in h.layers if 0 < last.get(n, 0.0) < VANISH_RATIO * last.get(top_name, 0.0)]
    span = f" (and {', '.join(n for n in starved if n != worst)})" if len(starved) > 1 else ""
    return Diagnosis(
        "vanishing",
        "warning",
        f"Vanishing gradients at {worst}",
        f"The gradient reaching {worst}{span} is {fmt(ratio)} times the one at {top_name}: multiplied by a "
        f"small factor at every layer on its way back, it has all but vanished, so {worst} barely learns.",
        "Initialize so the variance stays the same from layer to layer: Xavier (σ² = 1/fan_in, 001 §4.4.2) for "
        "sigmoid/tanh, Kaiming/He (σ² = 2/fan_in) with ReLU (004) — not a tiny normal σ (001 §4.4.1). ReLU instead "
        "of sigmoid/tanh, BatchNorm (001 §4.3) and residual connections (004) all keep gradients alive in deep "
        "networks.",
        "004 Optimization challenges, Kaiming initialization; 001 §4.4",
        probes[-1].step,
        worst,
    )


def exploding(h: MetricHistory) -> Diagnosis | None:
    norms = h.steps.column("grad_norm")
    size = chunk_size(h)
    if len(norms) < size:
        return None
    recent = norms[-size:]
    recent = recent[np.isfinite(recent)]
    if recent.size == 0:
        return None
    level = float(np.median(recent))
    if level < EXPLODE_NORM:
        return None
    node = None
    if h.probes:
        last = h.probes[-1].grad_norms
        finite = {n: v for n, v in last.items() if math.isfinite(v)}
        node = max(finite, key=lambda n: finite[n]) if finite else None
    where = f", largest at {node}" if node else ""
    clip = (
        " Clipping is on: it limits the step, but the gradients themselves are still huge, so fix the cause."
        if h.clipping
        else ""
    )
    return Diagnosis(
        "exploding",
        "error" if level > 100 * EXPLODE_NORM else "warning",
        "Exploding gradients",
        f"The gradient norm is about {fmt(level)} over the last {size} steps{where}: far beyond what a healthy "
        f"network gives. Multiplied by a factor above 1 at every layer, it grew with depth.{clip}",
        "Clip the gradients by norm (001 §4.5: measure the norm of healthy gradients, then clip a little above it), "
        "initialize with Kaiming/He or Xavier instead of a large σ (004), add BatchNorm (001 §4.3), and lower the "
        "learning rate.",
        "001 §4.5 Gradient clipping; 004 Optimization challenges",
        int(h.steps.last("step")),
        node,
    )
