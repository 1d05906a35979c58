"""What happens inside a network while it trains, computed through the backend-neutral trainer API.

Every function here reads a :class:`~playground.core.backends.base.BackendTrainer` only through
``parameters()``, ``gradients()``, ``activations()`` and ``predict()``, so the PyTorch and the NumPy
backends are probed the same way. A :class:`Prober` bundles them: it keeps a fixed probe batch (so two
probes differ only because the weights changed) and returns a :class:`ProbeSnapshot` of ready-to-plot
NumPy arrays.

The statistics are the ones the course teaches a student to read: weight and gradient distributions,
the gradient norm of each layer (vanishing / exploding, 004 "Optimization challenges"), the share of
dead ReLUs (000: "when input < 0, ReLU gradient is 0. Never changes") and of saturated sigmoid / tanh
units (000: "saturation of neurons kills gradients").
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..backends.base import BackendTrainer, ParamDict
from ..graph.model import Graph
from ..layers.spec import SlopeRule
from ..shapes import ShapeReport
from ..targets import LossSetup, PreparedSplit
from .histograms import Histogram, histogram, log_magnitude_histogram
from .input_plane import MapImage, decision_map, grid_for, unit_map, unit_maps
from .predictions import Misclassified, confusion_matrix, misclassified, predicted_classes
from .through_time_probe import PROBE_BATCH, measure_through_time, recurrent_layers

# A unit counts as saturated where its slope is below a tenth of the slope at 0 (σ' < 0.025,
# tanh' < 0.1): there almost no gradient passes through it.
SATURATION_SLOPE = 0.1


# Each node's first units get a heat map over the input plane at every probe (TF Playground's neurons); a wider
# layer's other units are left out (the canvas says how many), which bounds the probe's cost.
UNIT_MAP_LIMIT = 16

# A network with attention, positional encoding or embeddings gets its weights and its first probe samples in
# every snapshot: the sequence views draw from them (for the sample, layer, head and query the user picks).
SEQUENCE_SAMPLES = 8
SEQUENCE_VIEW_LAYERS = ("MultiHeadAttention", "PositionalEncoding", "Embedding")  # as core/viz/sequence_views.py


# ---------------------------------------------------------------------------- layers
def weighted_layers(graph: Graph, order: list[str]) -> list[str]:
    """Names of the layers with a weight matrix or kernel (weighted specs), input side first: the layers
    the gradient-flow and histogram views follow."""
    weighted = {n.name for n in graph.nodes if n.spec.weighted}
    return [name for name in order if name in weighted]


# The layers to measure, each with the names of its trainable tensors (its spec's, running statistics left out).
Trainable = Mapping[str, Sequence[str]]


def trainable_tensors(report: ShapeReport, names: list[str]) -> dict[str, tuple[str, ...]]:
    """The trainable tensor names of the layers ``names``, as their specs describe them."""
    by_name = {node.name: node.id for node in report.order}
    return {
        name: tuple(k for k, t in report.nodes[by_name[name]].tensors.items() if t.trainable)
        for name in names
        if name in by_name
    }


def layer_norms(values: dict[str, ParamDict], layers: Trainable) -> dict[str, float]:
    """L2 norm of each layer's trainable tensors (weight and bias together)."""
    out: dict[str, float] = {}
    for name, keys in layers.items():
        tensors = values.get(name)
        if not tensors:
            continue
        total = sum(float(np.sum(np.square(tensors[k], dtype=np.float64))) for k in keys if k in tensors)
        out[name] = math.sqrt(total)
    return out


def update_ratios(before: dict[str, ParamDict], after: dict[str, ParamDict], layers: Trainable) -> dict[str, float]:
    """‖θ_after − θ_before‖ / ‖θ_before‖ per layer: how far one step moved the weights, relatively."""
    out: dict[str, float] = {}
    for name, keys in layers.items():
        a, b = before.get(name), after.get(name)
        if not a or not b:
            continue
        diff = sum(float(np.sum(np.square(b[k].astype(np.float64) - a[k]))) for k in keys if k in a and k in b)
        base = sum(float(np.sum(np.square(a[k], dtype=np.float64))) for k in keys if k in a)
        if base > 0:
            out[name] = math.sqrt(diff / base)
    return out


# ---------------------------------------------------------------------------- activations
@dataclass(frozen=True)
class ActivationStat:
    node: str
    type: str
    mean: float
    std: float
    dead: float | None  # share of ReLU units that are 0 for every probe sample (ReLU layers only)
    saturated: float | None  # share of sigmoid/tanh outputs on a flat part of the curve (those layers only)


def _units(a: np.ndarray) -> np.ndarray:
    """(N, units): a feature vector's entries, or a feature map's channels (all positions pooled)."""
    if a.ndim <= 2:
        return a.reshape(len(a), -1)
    # (N, C, H, W) -> (N·H·W, C): a channel is one unit seen at every position
    return np.moveaxis(a, 1, -1).reshape(-1, a.shape[1])


def saturated_share(relative_slope: SlopeRule, a: np.ndarray) -> float:
    """Share of the outputs ``a`` of a squashing layer where its slope is nearly flat."""
    return float(np.mean(relative_slope(a) < SATURATION_SLOPE))


def activation_stats(acts: dict[str, np.ndarray], graph: Graph, order: list[str]) -> list[ActivationStat]:
    nodes = {n.name: n for n in graph.nodes}
    out: list[ActivationStat] = []
    for name in order:
        node = nodes.get(name)
        a = acts.get(name)
        if node is None or node.type in ("Input", "Output") or a is None or a.size == 0:
            continue
        spec = node.spec
        a64 = a.astype(np.float64, copy=False)
        finite = a64[np.isfinite(a64)]
        mean = float(finite.mean()) if finite.size else math.nan
        std = float(finite.std()) if finite.size else math.nan
        dead = None
        saturated = None
        if spec.rectifier:
            dead = float(np.mean(np.all(_units(a) <= 0, axis=0)))
        elif spec.squashing is not None:
            saturated = saturated_share(spec.squashing, a64)
        out.append(ActivationStat(name, node.type, mean, std, dead, saturated))
    return out


# ---------------------------------------------------------------------------- snapshots
@dataclass
class ProbeSnapshot:
    """Everything one probe measured, as plain arrays the panels can draw directly."""

    step: int
    epoch: int
    layers: list[str]  # weighted layers, input side first
    weight_hist: dict[str, Histogram] = field(default_factory=dict)
    grad_hist: dict[str, Histogram] = field(default_factory=dict)
    grad_norms: dict[str, float] = field(default_factory=dict)
    weight_norms: dict[str, float] = field(default_factory=dict)
    activations: list[ActivationStat] = field(default_factory=list)
    decision: MapImage | None = None
    unit: MapImage | None = None
    # every unit's output over the input plane, by node: (units, res, res), the first UNIT_MAP_LIMIT units
    units: dict[str, np.ndarray] = field(default_factory=dict)
    # evaluated on the validation split, less often (see Prober.snapshot(full=True))
    confusion: np.ndarray | None = None
    class_names: list[str] = field(default_factory=list)
    wrong: Misclassified | None = None
    regression: tuple[np.ndarray, np.ndarray] | None = None  # (target, prediction), first output
    parameters: dict[str, ParamDict] | None = None  # the weights probed, for the sequence views
    sequences: np.ndarray | None = None  # (n, *input shape): the first probe samples, for the sequence views
    # ‖∂L/∂h_t‖ for t = 1 … T of each recurrent layer, measured with the validation (full) probes
    through_time: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0


class Prober:
    """Probes one run's trainer. Call it from the thread that trains (between steps), never concurrently."""

    def __init__(
        self,
        trainer: BackendTrainer,
        graph: Graph,
        setup: LossSetup,
        data: dict[str, PreparedSplit],
        class_names: list[str] | None = None,
        probe_size: int | None = None,
        grid_resolution: int = 64,
        seed: int = 0,
    ):
        self.trainer = trainer
        self.graph = graph
        self.setup = setup
        self.data = data
        self.class_names = list(class_names or [str(i) for i in range(setup.num_classes)])
        self.order = [n.name for n in trainer.report.order]
        self.layers = weighted_layers(graph, self.order)
        self.trainable = trainable_tensors(trainer.report, self.layers)
        train = data["train"]
        images = len(setup.input_shape) == 3
        # a sequence sample (T steps of vectors, or token ids) costs about what an image does
        sequences = len(setup.input_shape) == 2 or bool(graph.nodes_of_type("Embedding"))
        size = probe_size or (64 if images or sequences else 256)
        rng = np.random.default_rng(seed)
        self.probe_index = np.sort(rng.permutation(len(train))[:size])
        self.probe_x = train.inputs(self.probe_index)
        self.is_2d = setup.input_shape == (2,)
        self.grid = grid_for(train.x, grid_resolution) if self.is_2d else None
        self.selected: tuple[str, int] | None = None  # (node, unit) for the hidden-unit heat map
        self.map_units = True  # every unit's heat map over the input plane (2D data), for the canvas
        self.sequence_views = any(graph.nodes_of_type(t) for t in SEQUENCE_VIEW_LAYERS)
        self.recurrent = recurrent_layers(graph, self.order)
        self._before: dict[str, ParamDict] | None = None
        self._before_step = -1

    def select_unit(self, node: str | None, unit: int = 0) -> None:
        """Show ``node``'s unit on the input plane from the next probe on (None: the network output only)."""
        self.selected = None if node is None else (node, int(unit))

    # The update ratio needs the weights just before one step and just after it: a snapshot keeps the
    # weights it saw, and the step that follows it finishes the measurement.
    def step_update_ratios(self, step: int) -> dict[str, float] | None:
        if self._before is None or step != self._before_step + 1:
            return None
        ratios = update_ratios(self._before, self.trainer.parameters(), self.trainable)
        self._before = None
        return ratios

    def snapshot(self, step: int, epoch: int, full: bool = False) -> ProbeSnapshot:
        started = time.perf_counter()
        t = self.trainer
        params = t.parameters()
        grads = t.gradients()
        snap = ProbeSnapshot(step, epoch, list(self.layers), class_names=self.class_names)
        for name in self.layers:
            if name in params and "weight" in params[name]:
                snap.weight_hist[name] = histogram(params[name]["weight"])
            if name in grads and "weight" in grads[name]:
                snap.grad_hist[name] = log_magnitude_histogram(grads[name]["weight"])
        snap.grad_norms = layer_norms(grads, self.trainable)
        snap.weight_norms = layer_norms(params, self.trainable)
        acts = t.activations(self.probe_x, [n for n in self.order if n != self.setup.input_node])
        snap.activations = activation_stats(acts, self.graph, self.order)
        if self.grid is not None:
            snap.decision = decision_map(t, self.setup, self.grid)
            if self.selected is not None:
                snap.unit = unit_map(t, self.setup, self.grid, *self.selected)
            if self.map_units:
                snap.units = unit_maps(t, self.setup, self.grid, max_units=UNIT_MAP_LIMIT)
        if self.sequence_views:
            snap.parameters = params
            snap.sequences = self.probe_x[:SEQUENCE_SAMPLES]
        if full:
            self._evaluate_validation(snap)
            if self.recurrent:
                train, index = self.data["train"], self.probe_index[:PROBE_BATCH]
                snap.through_time = measure_through_time(t, self.recurrent, train.x[index], train.target[index])
        self._before = params
        self._before_step = step
        snap.seconds = time.perf_counter() - started
        return snap

    def _evaluate_validation(self, snap: ProbeSnapshot, limit: int = 1000) -> None:
        val = self.data["val"]
        if len(val) == 0:
            val = self.data["train"]
        x = val.inputs(slice(0, limit))
        outputs = self.trainer.predict(x)
        if self.setup.task == "regression":
            snap.regression = (
                val.target[:limit].reshape(len(x), -1)[:, 0].astype(np.float32),
                outputs.reshape(len(x), -1)[:, 0].astype(np.float32),
            )
            return
        labels = val.labels[:limit] if val.labels is not None else None
        if labels is None:
            return
        if self.setup.task == "segmentation":
            predicted = outputs.argmax(axis=1)
        else:
            predicted = predicted_classes(outputs, self.setup)
        snap.confusion = confusion_matrix(predicted, labels, max(self.setup.num_classes, 2))
        if outputs.ndim == 3 and self.setup.task != "segmentation":
            return  # a class per time step: every step counts in the matrix; the gallery shows images only
        snap.wrong = misclassified(x, outputs, labels, self.setup)
