"""What a network does over the input plane of a 2D dataset: its decision, and every unit's output.

A :class:`Grid` covers the data's bounding box; one forward pass of its points through the backend-neutral
trainer (``predict`` or ``activations``, the same on PyTorch and NumPy) gives the decision map the boundary
panel draws and the per-unit heat maps the canvas shows inside each layer, as TensorFlow Playground shows
its neurons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..backends.base import BackendTrainer
from ..graph.model import Node
from ..shapes import ShapeReport
from ..targets import LossSetup
from .predictions import class_probabilities


@dataclass(frozen=True)
class Grid:
    """A regular grid over the data's bounding box: ``points`` is (res·res, 2), row-major in y."""

    x0: float
    x1: float
    y0: float
    y1: float
    resolution: int

    @property
    def points(self) -> np.ndarray:
        xs = np.linspace(self.x0, self.x1, self.resolution, dtype=np.float32)
        ys = np.linspace(self.y0, self.y1, self.resolution, dtype=np.float32)
        gx, gy = np.meshgrid(xs, ys)
        return np.stack([gx.ravel(), gy.ravel()], axis=1)


def grid_for(x: np.ndarray, resolution: int = 64, margin: float = 0.1) -> Grid:
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = (hi - lo) * margin + 1e-6
    return Grid(float(lo[0] - pad[0]), float(hi[0] + pad[0]), float(lo[1] - pad[1]), float(hi[1] + pad[1]), resolution)


@dataclass(frozen=True)
class MapImage:
    """A (res, res[, k]) float32 image over ``grid``; ``kind`` says how to colour it.

    "probability": the probability of class 1 (binary) in [0, 1]; "classes": (res, res, k) class
    probabilities; "value": raw numbers (regression outputs, a hidden unit's activation).
    """

    kind: str
    values: np.ndarray
    grid: Grid
    title: str = ""


def decision_map(trainer: BackendTrainer, setup: LossSetup, grid: Grid) -> MapImage:
    res = grid.resolution
    points = grid.points.reshape(-1, *setup.input_shape)
    outputs = trainer.predict(points)
    if setup.task == "regression":
        return MapImage("value", outputs[:, 0].reshape(res, res).astype(np.float32), grid, "prediction")
    probs = class_probabilities(outputs, setup)
    if probs.shape[1] == 2:
        return MapImage("probability", probs[:, 1].reshape(res, res).astype(np.float32), grid, "network output")
    return MapImage("classes", probs.reshape(res, res, -1).astype(np.float32), grid, "network output")


def unit_map(trainer: BackendTrainer, setup: LossSetup, grid: Grid, node: str, unit: int) -> MapImage | None:
    """The output of one unit of ``node`` over the input plane (a hidden neuron, as TF Playground shows it)."""
    maps = unit_maps(trainer, setup, grid, [node]).get(node)
    if maps is None or not 0 <= unit < len(maps):
        return None
    return MapImage("value", maps[unit], grid, f"{node} · unit {unit}")


def unit_count(report: ShapeReport, node: Node) -> int:
    """How many units of ``node`` a heat map over the input plane can show: the length of its output when that
    is a flat vector, else 0 (and 0 for the Output, which the decision map shows)."""
    shape = report.shape(node.id) if node.type != "Output" and node.id in report.nodes else None
    return shape[0] if shape is not None and len(shape) == 1 else 0


def plane_nodes(report: ShapeReport) -> list[str]:
    """The nodes whose units have a heat map over the input plane (the Input, Features, Dense, the activations
    after them...: every flat output but the Output's), input side first."""
    return [node.name for node in report.order if unit_count(report, node) > 0]


def unit_maps(
    trainer: BackendTrainer,
    setup: LossSetup,
    grid: Grid,
    nodes: Sequence[str] | None = None,
    max_units: int | None = None,
) -> dict[str, np.ndarray]:
    """Every unit's output over ``grid``, by node: a (units, res, res) float32 array, row-major in y like the
    grid's points. ``nodes`` defaults to :func:`plane_nodes`; ``max_units`` keeps each node's first units only.
    One forward pass of the grid's points, in evaluation mode."""
    if setup.input_shape != (2,):
        raise ValueError(f"heat maps over the input plane need 2D samples, but the Input takes {setup.input_shape}")
    names = list(nodes) if nodes is not None else plane_nodes(trainer.report)
    res = grid.resolution
    points = grid.points
    hidden = [name for name in names if name != setup.input_node]
    acts = trainer.activations(points, hidden) if hidden else {}
    if setup.input_node in names:
        acts[setup.input_node] = points
    out: dict[str, np.ndarray] = {}
    for name in names:
        a = acts.get(name)
        if a is None:
            continue
        flat = a.reshape(len(a), -1)[:, :max_units]
        out[name] = np.ascontiguousarray(flat.T.reshape(-1, res, res), dtype=np.float32)
    return out
