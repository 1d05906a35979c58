"""The training doctor: reads a run's metric history and says, in plain words, what looks wrong and what
the course advises doing about it.

Each check is a pure function ``MetricHistory -> Diagnosis | None``; :func:`diagnose` runs them all.
The advice is the course's own:

* 000/002 "Training Tips and Tricks": a jagged (unstable) loss curve → **decrease** the learning rate; a
  "linear" one → **increase** it; a large gap between train and dev accuracy (overfitting) → **increase**
  the regularization; do not test on the test set until overfitting is no longer an issue.
* 000 activation functions: a ReLU whose input is negative has gradient 0 and "never changes"; sigmoid and
  tanh "saturation of neurons kills gradients".
* 001 §4.4 / 004: bad initialization (too small or too big) makes activations and gradients vanish or
  explode with depth; Xavier (σ² = 1/fan_in) and Kaiming/He (σ² = 2/fan_in for ReLU) keep the variance;
  biases at a small positive constant such as 0.1 keep ReLUs alive; §4.3 / 004: normalization (batch
  norm) keeps activations in a normal range; §4.5: gradient clipping against exploding gradients.

Thresholds are deliberately conservative: a healthy run must stay silent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .history import LayerProbe, MetricHistory

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Diagnosis:
    code: str  # nonfinite, diverging, jagged, slow, overfitting, dead_relu, saturated, vanishing, exploding
    severity: Severity
    title: str  # a few words: "Loss is diverging"
    message: str  # what the numbers show, in plain words
    advice: str  # what to do, as the course says it
    source: str  # where the course says it
    step: int | None = None  # the step the evidence is about
    node: str | None = None  # the layer concerned (node name), if one

    def to_dict(self) -> dict[str, object]:
        return {
            k: getattr(self, k) for k in ("code", "severity", "title", "message", "advice", "source", "step", "node")
        }


LR_DOWN = (
    'Decrease the learning rate (try a third or a tenth of it). The course: "if the loss curve seems '
    'to be unstable (jagged line), decrease the learning rate."'
)
LR_UP = (
    'Increase the learning rate (try 3× or 10×). The course: "if the loss curve appears to be '
    "'linear', increase the learning rate.\""
)
TIPS = "000/002 Training Tips and Tricks"


def _fmt(x: float) -> str:
    if x == 0 or not math.isfinite(x):
        return str(x)
    if abs(x) >= 1e4 or abs(x) < 1e-3:
        return f"{x:.1e}"
    return f"{x:.3g}"


def _chunk_medians(values: np.ndarray, size: int) -> np.ndarray:
    """Medians of consecutive chunks of ``size`` steps: a loss curve without the mini-batch noise."""
    n = len(values) // size
    if n == 0:
        return np.empty(0)
    return np.median(values[: n * size].reshape(n, size), axis=1)


def _chunk_size(h: MetricHistory) -> int:
    per_epoch = h.steps_per_epoch or 20
    return int(min(50, max(5, per_epoch // 2)))


def _finite_losses(h: MetricHistory) -> np.ndarray:
    losses = h.losses
    return losses[np.isfinite(losses)]


# ---------------------------------------------------------------------------- the loss curve
def nonfinite(h: MetricHistory) -> Diagnosis | None:
    event = h.nonfinite
    if event is None:
        return None
    what = {
        "activation": f"the output of {event.node}",
        "loss": "the loss",
        "gradient": f"the gradient at {event.node}",
        "weights": f"the weights of {event.node}",
    }.get(event.where, event.node)
    lr = h.steps.last("lr")
    return Diagnosis(
        "nonfinite",
        "error",
        "Values became NaN or infinite",
        f"At step {event.step} {what} stopped being a finite number, so training stopped. The weights of the "
        f"last finite step are kept.",
        f"The steps were too large: {LR_DOWN[:-1]} (it is {_fmt(lr)}). Gradient clipping (001 §4.5) stops a "
        f"single huge gradient from throwing the weights off. Press Reset to start again from fresh weights.",
        f"{TIPS}; 001 §4.5 Gradient clipping",
        event.step,
        event.node,
    )


# The loss doubled compared with where it started: no healthy run does that.
DIVERGE_FACTOR = 2.0


def _starting_loss(h: MetricHistory) -> float:
    """The loss of the untrained network: the first step's (measured before any update), or with small
    batches, whose losses are noisy, the median over the first ~16 samples' worth of steps."""
    losses = h.losses
    if h.batch_size >= 8 and len(losses) and math.isfinite(losses[0]):
        return float(losses[0])
    k = math.ceil(16 / h.batch_size) if h.batch_size else 3
    first = losses[:k]
    first = first[np.isfinite(first)]
    return float(np.median(first)) if first.size else math.nan


def diverging(h: MetricHistory) -> Diagnosis | None:
    losses = h.losses
    size = _chunk_size(h)
    if len(losses) < 3 * size:
        return None
    medians = _chunk_medians(np.where(np.isfinite(losses), losses, np.inf), size)
    start, recent = _starting_loss(h), float(medians[-1])
    best = float(np.min(medians))
    step = int(h.steps.last("step"))
    if not math.isfinite(start) or start <= 0:
        return None
    lr = h.steps.last("lr")
    if recent > DIVERGE_FACTOR * start:
        return Diagnosis(
            "diverging",
            "error",
            "The loss is diverging",
            f"The loss went up instead of down: about {_fmt(recent)} over the last {size} steps against "
            f"{_fmt(start)} at the start. The learning rate ({_fmt(lr)}) makes the steps overshoot.",
            LR_DOWN,
            TIPS,
            step,
        )
    # Went down, then came back up and lost more than half of the progress (and at least doubled).
    progress = start - best
    if progress > 0 and recent > best * DIVERGE_FACTOR and recent - best > 0.5 * progress:
        return Diagnosis(
            "diverging",
            "error",
            "The loss is climbing back up",
            f"The loss reached {_fmt(best)} and has climbed back to {_fmt(recent)}: the steps at learning rate "
            f"{_fmt(lr)} have become too large for where the weights are now.",
            LR_DOWN + " A decaying schedule (step, exponential, cosine) lowers it as training goes on (004).",
            f"{TIPS}; 004 Learning Rate Decay",
            step,
        )
    return None


# A rise of the smoothed loss by more than this share of the starting loss is a big swing, not noise.
JAG_RISE = 0.2
JAG_WINDOW = 8  # chunks looked at
JAG_MIN_RISES = 3


def jagged(h: MetricHistory) -> Diagnosis | None:
    losses = _finite_losses(h)
    size = _chunk_size(h)
    medians = _chunk_medians(losses, size)
    if len(medians) < JAG_WINDOW:
        return None
    start = _starting_loss(h)
    window = medians[-JAG_WINDOW:]
    rises = np.diff(window)
    big = rises > JAG_RISE * start
    if int(big.sum()) < JAG_MIN_RISES:
        return None
    lr = h.steps.last("lr")
    return Diagnosis(
        "jagged",
        "warning",
        "The loss curve is jagged",
        f"Over the last {JAG_WINDOW * size} steps the smoothed loss jumped up {int(big.sum())} times by more than "
        f"{int(JAG_RISE * 100)} % of its starting value: the learning rate ({_fmt(lr)}) is large enough to "
        f"make the steps bounce across the valley instead of going down it.",
        LR_DOWN,
        TIPS,
        int(h.steps.last("step")),
    )


# "Slow": the training loss lost under 10 % of its value over the last epochs, and each step moves the
# weights by less than 0.03 % of their size (healthy runs move them by 0.1–1 %). "Linear": the epoch losses
# lie on a straight line (a healthy curve bends and flattens, or wanders).
SLOW_DROP = 0.10
SLOW_UPDATE = 3e-4
SLOW_STRAIGHT = 0.8  # R² of a straight line through the epoch losses
SLOW_EPOCHS = 4
SLOW_WINDOW = 10


def _epochs_since_lr_change(h: MetricHistory) -> int:
    """How many of the last epochs ran at the current learning rate (a change starts a fresh window)."""
    lrs = h.epochs.column("lr")
    if len(lrs) == 0:
        return 0
    same = np.isclose(lrs, lrs[-1], rtol=1e-6)
    changed = np.flatnonzero(~same)
    return len(lrs) - (int(changed[-1]) + 1 if changed.size else 0)


def slow(h: MetricHistory) -> Diagnosis | None:
    n = min(_epochs_since_lr_change(h), SLOW_WINDOW)
    if n < SLOW_EPOCHS:
        return None
    ratios = [np.median(list(p.update_ratios.values())) for p in h.probes[-5:] if p.update_ratios]
    if not ratios:
        return None  # without knowing how far steps move the weights, a plateau looks the same
    update = float(np.median(ratios))
    losses = h.epochs.column("train_loss")[-n:]
    if update >= SLOW_UPDATE or not np.isfinite(losses).all():
        return None
    start, end = float(losses[0]), float(losses[-1])
    if start <= 0 or not 0 < start - end < SLOW_DROP * start:
        return None
    x = np.arange(n, dtype=np.float64)
    slope, intercept = np.polyfit(x, losses, 1)
    residual = float(np.sum((losses - (slope * x + intercept)) ** 2))
    total = float(np.sum((losses - losses.mean()) ** 2))
    if slope >= 0 or total <= 0 or 1 - residual / total < SLOW_STRAIGHT:
        return None
    lr = h.steps.last("lr")
    return Diagnosis(
        "slow",
        "warning",
        "The loss falls slowly, in a straight line",
        f"Over the last {n} epochs the training loss went from {_fmt(start)} to {_fmt(end)} "
        f"(−{100 * (start - end) / start:.1f} %) along a straight line, and each step changes the weights by only "
        f"{100 * update:.3f} % of their size. The learning rate ({_fmt(lr)}) is too small.",
        LR_UP,
        TIPS,
        int(h.steps.last("step")),
    )


# ---------------------------------------------------------------------------- generalisation
GAP = 0.15  # train accuracy this far above validation accuracy, and growing
GAP_GROWTH = 0.05
VAL_RISE = 1.2  # validation loss 20 % above its best while the training loss still falls


def overfitting(h: MetricHistory) -> Diagnosis | None:
    e = h.epochs
    if len(e) < 4:
        return None
    epoch = int(e.last("epoch"))
    step = int(e.last("step"))
    advice = (
        "Increase the regularization: weight decay (L2), L1, or Dropout layers; more training data also "
        'helps. The course: "if the gap between train and dev accuracies is large (overfitting), increase '
        'the regularization constant" — and do not evaluate on the test set until overfitting is no '
        "longer an issue."
    )
    train_acc, val_acc = e.column("train_accuracy"), e.column("val_accuracy")
    if h.has_accuracy and np.isfinite(val_acc).all() and np.isfinite(train_acc).all():
        gaps = train_acc - val_acc
        recent = float(np.mean(gaps[-3:]))
        early = float(np.mean(gaps[:3]))
        if recent >= GAP and recent >= early + GAP_GROWTH:
            return Diagnosis(
                "overfitting",
                "warning",
                "Training and validation are drifting apart",
                f"After {epoch} epochs the network gets {100 * float(np.mean(train_acc[-3:])):.0f} % of the "
                f"training samples right but only {100 * float(np.mean(val_acc[-3:])):.0f} % of the validation "
                f"ones, and the gap is growing: it is memorising the training set (overfitting).",
                advice,
                f"{TIPS}; 001 §2.2–2.3, §4.6.4",
                step,
            )
    train_loss, val_loss = e.column("train_loss"), e.column("val_loss")
    if not np.isfinite(val_loss).all() or len(val_loss) < 5:
        return None
    best = int(np.argmin(val_loss))
    if (
        best <= len(val_loss) - 3
        and val_loss[-1] > VAL_RISE * val_loss[best]
        and train_loss[-1] < train_loss[best]
        and val_loss[-1] > 1.5 * train_loss[-1]
    ):
        return Diagnosis(
            "overfitting",
            "warning",
            "Validation loss rises while training loss falls",
            f"The validation loss was lowest at epoch {best + 1} ({_fmt(float(val_loss[best]))}) and is now "
            f"{_fmt(float(val_loss[-1]))}, while the training loss kept falling to {_fmt(float(train_loss[-1]))}: "
            f"the network is overfitting.",
            advice,
            f"{TIPS}; 001 §2.2–2.3",
            step,
        )
    return None


# ---------------------------------------------------------------------------- inside the network
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
        f"The gradient reaching {worst}{span} is {_fmt(ratio)} times the one at {top_name}: multiplied by a "
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
    size = _chunk_size(h)
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
        f"The gradient norm is about {_fmt(level)} over the last {size} steps{where}: far beyond what a healthy "
        f"network gives. Multiplied by a factor above 1 at every layer, it grew with depth.{clip}",
        "Clip the gradients by norm (001 §4.5: measure the norm of healthy gradients, then clip a little above it), "
        "initialize with Kaiming/He or Xavier instead of a large σ (004), add BatchNorm (001 §4.3), and lower the "
        "learning rate.",
        "001 §4.5 Gradient clipping; 004 Optimization challenges",
        int(h.steps.last("step")),
        node,
    )


CHECKS: tuple[Callable[[MetricHistory], Diagnosis | None], ...] = (
    nonfinite,
    diverging,
    jagged,
    slow,
    overfitting,
    dead_relus,
    saturated,
    vanishing,
    exploding,
)
_ORDER = {"error": 0, "warning": 1, "info": 2}


def diagnose(history: MetricHistory) -> list[Diagnosis]:
    """Every problem the history shows, the most serious first."""
    found = [d for check in CHECKS if (d := check(history)) is not None]
    codes = {d.code for d in found}
    # Say each cause once: a diverging loss is also jagged, and its train/validation gap means nothing;
    # dead, saturated or starved layers make the loss slow whatever the learning rate.
    hidden: set[str] = set()
    if codes & {"diverging", "nonfinite"}:
        hidden |= {"jagged", "overfitting"}
    if codes & {"dead_relu", "saturated", "vanishing", "exploding"}:
        hidden.add("slow")
    found = [d for d in found if d.code not in hidden]
    return sorted(found, key=lambda d: _ORDER[d.severity])
