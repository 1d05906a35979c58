"""The training doctor: reads a run's metric history and says, in plain words, what looks wrong and what
the course advises doing about it.

Each check is a pure function ``MetricHistory -> Diagnosis | None``; :func:`diagnose` runs them all. The checks
of the loss curve and of generalisation are here, those inside the network in ``network_checks.py``.
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
* 000 'Vanishing Gradient Problem', 001 §6.1.3: through time, a plain RNN's gradient vanishes (→ LSTM or GRU)
  or explodes (→ clip the gradient norm); those checks are in ``sequence_checks.py``.

Thresholds are deliberately conservative: a healthy run must stay silent.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .diagnosis import Diagnosis, chunk_size, fmt
from .history import MetricHistory
from .network_checks import dead_relus, exploding, saturated, vanishing
from .sequence_checks import exploding_through_time, vanishing_through_time

LR_DOWN = (
    'Decrease the learning rate (try a third or a tenth of it). The course: "if the loss curve seems '
    'to be unstable (jagged line), decrease the learning rate."'
)
LR_UP = (
    'Increase the learning rate (try 3× or 10×). The course: "if the loss curve appears to be '
    "'linear', increase the learning rate.\""
)
TIPS = "000/002 Training Tips and Tricks"


def _chunk_medians(values: np.ndarray, size: int) -> np.ndarray:
    """Medians of consecutive chunks of ``size`` steps: a loss curve without the mini-batch noise."""
    n = len(values) // size
    if n == 0:
        return np.empty(0)
    return np.median(values[: n * size].reshape(n, size), axis=1)


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
        f"The steps were too large: {LR_DOWN[:-1]} (it is {fmt(lr)}). Gradient clipping (001 §4.5) stops a "
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
    size = chunk_size(h)
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
            f"The loss went up instead of down: about {fmt(recent)} over the last {size} steps against "
            f"{fmt(start)} at the start. The learning rate ({fmt(lr)}) makes the steps overshoot.",
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
            f"The loss reached {fmt(best)} and has climbed back to {fmt(recent)}: the steps at learning rate "
            f"{fmt(lr)} have become too large for where the weights are now.",
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
    size = chunk_size(h)
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
        f"{int(JAG_RISE * 100)} % of its starting value: the learning rate ({fmt(lr)}) is large enough to "
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
        f"Over the last {n} epochs the training loss went from {fmt(start)} to {fmt(end)} "
        f"(−{100 * (start - end) / start:.1f} %) along a straight line, and each step changes the weights by only "
        f"{100 * update:.3f} % of their size. The learning rate ({fmt(lr)}) is too small.",
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
            f"The validation loss was lowest at epoch {best + 1} ({fmt(float(val_loss[best]))}) and is now "
            f"{fmt(float(val_loss[-1]))}, while the training loss kept falling to {fmt(float(train_loss[-1]))}: "
            f"the network is overfitting.",
            advice,
            f"{TIPS}; 001 §2.2–2.3",
            step,
        )
    return None


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
    vanishing_through_time,
    exploding_through_time,
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
    if codes & {"dead_relu", "saturated", "vanishing", "exploding", "vanishing_through_time", "exploding_through_time"}:
        hidden.add("slow")
    if "exploding_through_time" in codes:
        hidden.add("exploding")  # the same cause, said where it is: in the recurrence
    found = [d for d in found if d.code not in hidden]
    return sorted(found, key=lambda d: _ORDER[d.severity])
