"""Input and Output: where data enters the graph and where the loss is computed."""

from __future__ import annotations

from .spec import Inputs, LayerSpec, Param, Params, ShapeError, fmt_shape

LOSSES = ("cross_entropy", "mse", "bce", "hinge")

LOSS_HELP = {
    "cross_entropy": "softmax cross-entropy on the logits (classification; on T×K scores, one class per time "
    "step, as in language modelling)",
    "mse": "mean squared error (regression, or one-hot targets)",
    "bce": "binary cross-entropy on logits (one unit for two classes, or one per label)",
    "hinge": "multi-class max-margin (SVM) loss Σ_j≠y max(0, s_j − s_y + 1)",
}


def _input_shape(_x: Inputs, p: Params) -> tuple[int, ...]:
    return tuple(p["shape"])


def _output_shape(x: Inputs, p: Params) -> tuple[int, ...]:
    shape = x.shape
    if p["loss"] in ("cross_entropy", "hinge") and len(shape) not in (1, 2, 3):
        raise ShapeError(
            f"{p['loss']} needs one score per class (K), per time step (T×K) or per pixel (K×H×W), but {x.source} "
            f"gives {fmt_shape(shape)}."
        )
    return shape


INPUT = LayerSpec(
    type="Input",
    category="Input/Output",
    help="Where samples enter the network. Its shape must match the dataset (e.g. 2, 1×28×28, or 50×1 for a "
    "sequence of 50 steps of one number each).",
    shape_rule=_input_shape,
    params=(
        Param(
            "shape",
            "ints",
            [2],
            "Shape of one sample, without the batch: [features], [C, H, W], [T, D] for a sequence of T vectors, "
            "or [T] for T token ids",
            minimum=1,
        ),
        Param(
            "vocabulary",
            "int",
            0,
            "0: the samples are numbers. V > 0: they are token ids 0 … V−1, one per time step (shape [T]); "
            "an Embedding turns them into vectors",
            minimum=0,
            maximum=10_000_000,
            omit_default=True,
        ),
        Param(
            "token_names",
            "str",
            "",
            "Optional, for token ids: a name for each id 0 … V−1, separated by spaces (e.g. 'Thinking Machines'); "
            "the attention and embedding views show them",
            omit_default=True,
        ),
    ),
    inputs=(),
    key_params=("shape",),
    icon="input",
)

OUTPUT = LayerSpec(
    type="Output",
    category="Input/Output",
    help="The network's prediction and the loss it is trained with. Feed it raw scores (logits).",
    shape_rule=_output_shape,
    params=(
        Param(
            "loss",
            "choice",
            "cross_entropy",
            "Training loss: " + "; ".join(f"{k}: {v}" for k, v in LOSS_HELP.items()),
            choices=LOSSES,
        ),
    ),
    has_output=False,
    key_params=("loss",),
    icon="output",
)

# The layer types this file describes, in palette order (gathered by the registry in __init__.py).
SPECS = (INPUT, OUTPUT)
