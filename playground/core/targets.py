"""Fit a dataset to a graph: sample shapes, loss targets and the accuracy rule.

Everything here is backend-neutral, so both backends train on exactly the same arrays. A dataset
that does not fit the network raises :class:`DataMismatch` naming the node to change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from .data.dataset import Dataset, Splits
from .data.pixels import PixelScale, pixel_scale
from .errors import PlaygroundError
from .graph.model import Graph, Node
from .layers import fmt_shape, numel
from .shapes import ShapeReport

AccuracyRule = Literal["argmax", "threshold_logit", "threshold_half"] | None


class DataMismatch(PlaygroundError, ValueError):
    """The dataset does not fit the network; ``node_id`` is the node to change."""


@dataclass(frozen=True)
class LossSetup:
    loss: str
    task: str
    accuracy: AccuracyRule
    num_classes: int
    output_node: str  # name
    input_node: str  # name
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]


@dataclass
class PreparedSplit:
    x: np.ndarray  # float32, or uint8 pixels (see ``pixels``), reshaped to the Input shape
    target: np.ndarray  # what the loss compares the output with
    labels: np.ndarray | None  # class indices for accuracy (None for regression)
    pixels: PixelScale | None = None  # how uint8 samples become float32 inputs, batch by batch

    def __len__(self) -> int:
        return len(self.x)

    def inputs(self, index: slice | np.ndarray = slice(None)) -> np.ndarray:
        """The samples at ``index`` as float32 network inputs (uint8 pixels are converted here, per batch)."""
        x = self.x[index]
        return x if self.pixels is None else self.pixels.apply(x)

    def head(self, n: int) -> PreparedSplit:
        """The first ``n`` samples, converted the same way."""
        labels = None if self.labels is None else self.labels[:n]
        return PreparedSplit(self.x[:n], self.target[:n], labels, self.pixels)


def _one_hot(y: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((len(y), k), np.float32)
    out[np.arange(len(y)), y] = 1.0
    return out


def loss_setup(graph: Graph, report: ShapeReport, data: Dataset) -> LossSetup:
    inp: Node = graph.nodes_of_type("Input")[0]
    out: Node = graph.nodes_of_type("Output")[0]
    in_shape, out_shape = report.shape(inp.id), report.shape(out.id)
    assert in_shape is not None and out_shape is not None
    if numel(data.sample_shape) != numel(in_shape):
        raise DataMismatch(
            f"{inp.name} (Input) expects samples of {fmt_shape(in_shape)} ({numel(in_shape)} numbers), but the "
            f"'{data.name}' dataset gives {fmt_shape(data.sample_shape)} ({numel(data.sample_shape)} numbers). "
            f"Set the Input shape to {list(data.sample_shape)}.",
            inp.id,
        )
    loss = out.params["loss"]
    k = data.num_classes
    where = f"{out.name} (Output)"
    if data.task == "regression":
        if loss != "mse":
            raise DataMismatch(
                f"{where}: '{data.name}' is a regression dataset (numbers, not classes); "
                f"use the mse loss instead of {loss}.",
                out.id,
            )
        if out_shape != data.y.shape[1:]:
            raise DataMismatch(
                f"{where} gives {fmt_shape(out_shape)} values per sample but the targets have "
                f"{fmt_shape(data.y.shape[1:])}: make the last layer output "
                f"{fmt_shape(data.y.shape[1:])}.",
                out.id,
            )
        return LossSetup(loss, data.task, None, 0, out.name, inp.name, in_shape, out_shape)
    if data.task == "segmentation":
        if loss not in ("cross_entropy",):
            raise DataMismatch(f"{where}: segmentation (a class per pixel) needs the cross_entropy loss.", out.id)
        if out_shape != (k, *data.y.shape[1:]):
            raise DataMismatch(
                f"{where} gives {fmt_shape(out_shape)} but segmentation needs one score per class "
                f"per pixel: {fmt_shape((k, *data.y.shape[1:]))}.",
                out.id,
            )
        return LossSetup(loss, data.task, "argmax", k, out.name, inp.name, in_shape, out_shape)
    if data.task == "classification" and data.y.ndim == 2:  # a class per time step (tagging, language models)
        _check_per_step(data, loss, out_shape, where, out.id)
        return LossSetup(loss, data.task, "argmax", k, out.name, inp.name, in_shape, out_shape)
    # classification
    if len(out_shape) != 1:
        raise DataMismatch(
            f"{where} gives {fmt_shape(out_shape)} per sample; a classifier needs one score per "
            f"class ({k}). Add Flatten and Dense({k}) before it.",
            out.id,
        )
    width = out_shape[0]
    if loss in ("cross_entropy", "hinge"):
        if width != k:
            raise DataMismatch(
                f"{where} gives {width} scores but '{data.name}' has {k} classes: set the last Dense to {k} units.",
                out.id,
            )
        rule: AccuracyRule = "argmax"
    elif loss == "bce":
        if width == 1 and k == 2:
            rule = "threshold_logit"
        elif width == k:
            rule = "argmax"
        else:
            raise DataMismatch(
                f"{where}: binary cross-entropy needs 1 output for two classes or one per class ({k}), not {width}.",
                out.id,
            )
    else:  # mse on classes: regress the one-hot vector (or 0/1 with one output)
        if width == 1 and k == 2:
            rule = "threshold_half"
        elif width == k:
            rule = "argmax"
        else:
            raise DataMismatch(f"{where}: mse on {k} classes needs {k} outputs (one-hot targets), not {width}.", out.id)
    return LossSetup(loss, data.task, rule, k, out.name, inp.name, in_shape, out_shape)


def _check_per_step(data: Dataset, loss: str, out_shape: tuple[int, ...], where: str, out_id: str) -> None:
    steps, k = data.y.shape[1], data.num_classes
    if loss not in ("cross_entropy", "hinge"):
        raise DataMismatch(f"{where}: '{data.name}' has a class per time step; use the cross_entropy loss.", out_id)
    if out_shape != (steps, k):
        raise DataMismatch(
            f"{where} gives {fmt_shape(out_shape)} but '{data.name}' has one of {k} classes at each of {steps} time "
            f"steps: it needs {steps}×{k} scores (time × classes), e.g. from a Dense of {k} units on the sequence.",
            out_id,
        )


def prepare(data: Dataset, setup: LossSetup) -> PreparedSplit:
    pixels = pixel_scale(data.x, data.normalize, data.sample_shape, setup.input_shape)
    x = data.x.reshape(len(data), *setup.input_shape)
    if isinstance(x, np.ndarray):  # not images read from disk batch by batch (image_source.py)
        x = np.ascontiguousarray(x, dtype=None if pixels else np.float32)
    if setup.task == "regression":
        return PreparedSplit(x, data.y.astype(np.float32), None, pixels)
    labels = data.y.astype(np.int64)
    if setup.loss in ("cross_entropy", "hinge"):
        target = labels
    elif setup.accuracy in ("threshold_logit", "threshold_half"):
        target = labels[:, None].astype(np.float32)
    else:
        target = _one_hot(labels, setup.num_classes)
    return PreparedSplit(x, target, labels, pixels)


def prepare_splits(splits: Splits, setup: LossSetup) -> dict[str, PreparedSplit]:
    return {name: prepare(splits[name], setup) for name in ("train", "val", "test")}


def accuracy(outputs: np.ndarray, labels: np.ndarray, rule: AccuracyRule) -> float:
    """Fraction of correct predictions (of pixels, for segmentation), from raw outputs."""
    if rule == "argmax":
        predicted = outputs.argmax(axis=2 if outputs.ndim == 3 else 1)  # scores per time step: classes last
    elif rule == "threshold_logit":
        predicted = (outputs[:, 0] > 0).astype(np.int64)
    elif rule == "threshold_half":
        predicted = (outputs[:, 0] > 0.5).astype(np.int64)
    else:
        raise ValueError("no accuracy for regression")
    return float((predicted == labels).mean())
