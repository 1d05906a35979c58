"""What the engine tells the user when numbers stop being finite: the true cause, in plain words.

A NaN or an infinity in a sample is a problem of the data, and the message says which sample; only a
value that became non-finite inside the network points at the learning rate. A non-finite validation
loss does not stop a run (the weights are fine) but is reported once as a warning naming the sample.
"""

from __future__ import annotations

import math

import numpy as np

from ..backends.base import NonFiniteCause, first_nonfinite_sample
from ..targets import PreparedSplit


def nonfinite_message(step: int, cause: NonFiniteCause, lr: float) -> str:
    if cause.where == "data":
        return (
            f"Training stopped at step {step}: training sample {cause.sample} has a NaN or infinite "
            f"{cause.part or 'input'} value. This is a problem in the data, not in the training settings: fix or "
            "remove that sample. The weights of the last finite step are kept."
        )
    what = {
        "activation": f"the output of {cause.node} became infinite or NaN",
        "loss": "the loss became infinite or NaN",
        "gradient": f"the gradient of {cause.node} became infinite or NaN",
        "weights": f"the weights of {cause.node} overflowed",
    }[cause.where]
    return (
        f"Training stopped at step {step}: {what}. The weights of the last finite step are "
        f"kept. The learning rate ({lr:g}) is probably too high: lower it, or clip gradients."
    )


def validation_warning(val_loss: float | None, data: PreparedSplit) -> str | None:
    """A warning when the validation loss is not a finite number (None when it is, or there is none)."""
    if val_loss is None or math.isfinite(val_loss):
        return None
    bad = first_nonfinite_sample(np.asarray(data.x), np.asarray(data.target))
    if bad is not None:
        return (
            f"The validation loss is not a number: validation sample {bad[0]} has a NaN or infinite {bad[1]} "
            "value. Fix or remove that sample; training itself is not affected."
        )
    return (
        "The validation loss is not a number although the training loss is: the network's outputs overflow "
        "on some validation samples. Look at those samples' scale."
    )
