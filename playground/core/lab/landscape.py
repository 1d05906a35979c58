"""The loss landscape of the project's network, as Li et al. (2018, "Visualizing the Loss Landscape of Neural
Nets", cited in 004) draw it.

* **1D interpolation** between two weight sets θ_a (by default the initial weights) and θ_b (the trained ones):
  L((1 − t)·θ_a + t·θ_b) for t from −0.5 to 1.5 (the trained tensors; running statistics stay trained).
* **2D slice along filter-normalized random directions** around the trained weights θ*:
  L(θ* + α·δ + β·η). δ and η start as Gaussian noise; then every filter of δ (a convolution's output channel,
  a Dense layer's neuron: one slice along the weight's first axis) is rescaled to the norm of the same filter
  of θ*, so a step of α = 1 changes each filter by as much as it weighs. This removes the scale invariance that
  makes plain random directions misleading (a network with BatchNorm does not change when a filter is scaled).
  Biases and normalization parameters get a zero direction, as in the paper's plots; running statistics stay
  at their trained values.
* **The training trajectory** θ_0 … θ_n (recorded while training here) projected onto the PCA plane of
  θ_i − θ_n: random directions in a space of thousands of dimensions are nearly orthogonal to the path
  training took, the two principal directions are not. The loss is drawn over that plane too.

Every loss is measured on one fixed batch of training samples, in evaluation mode, by the project's backend.

    for progress in landscape(project, LandscapeOptions(grid=21)):   # a generator: stop iterating to cancel
        progress.stage, progress.done, progress.total
    result = progress.result                                           # set on the last one
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..backends.base import ParamDict
from ..errors import PlaygroundError
from ..project import Project
from ..training.engine import TrainingError, TrainingRun
from ..training.events import RunEnded, StepEnd

Params = dict[str, ParamDict]
NORMALIZATION = {"BatchNorm", "LayerNorm", "GroupNorm"}


class LandscapeError(PlaygroundError, ValueError):
    """The landscape cannot be computed; the message says why."""


@dataclass
class LandscapeOptions:
    grid: int = 21  # points per side of each 2D slice
    span: float = 1.0  # α and β from −span to span
    line_points: int = 41
    line_range: tuple[float, float] = (-0.5, 1.5)
    batch: int = 256  # training samples the loss is measured on
    epochs: int | None = None  # of the training run made here (default: the project's)
    snapshots: int = 30  # weights recorded along that run, about
    seed: int = 0  # of the random directions


@dataclass
class Landscape:
    line_t: np.ndarray
    line_loss: np.ndarray
    alphas: np.ndarray  # the random slice's axes
    surface: np.ndarray  # loss[i, j] at α = alphas[j], β = alphas[i]
    trained_loss: float
    batch: int
    source: str  # where the trained weights come from
    # the trajectory and its plane (empty when the weights were given, not trained here)
    pca_x: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the PCA plane's axes
    pca_y: np.ndarray = field(default_factory=lambda: np.zeros(0))
    pca_surface: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # loss[i, j] at (pca_x[j], pca_y[i])
    trajectory: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # θ_i − θ_n in PCA coordinates
    trajectory_loss: np.ndarray = field(default_factory=lambda: np.zeros(0))
    explained: tuple[float, float] = (0.0, 0.0)  # share of the trajectory's variance along each direction
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "trained_loss": self.trained_loss,
            "batch": self.batch,
            "source": self.source,
            "line": {"t": self.line_t.tolist(), "loss": self.line_loss.tolist()},
            "random_slice": {"alpha": self.alphas.tolist(), "loss": self.surface.tolist()},
            "pca_slice": {
                "x": self.pca_x.tolist(),
                "y": self.pca_y.tolist(),
                "loss": self.pca_surface.tolist(),
                "explained_variance": list(self.explained),
            },
            "trajectory": {"xy": self.trajectory.tolist(), "loss": self.trajectory_loss.tolist()},
        }


@dataclass
class LandscapeProgress:
    stage: str  # "training", "line", "random slice", "PCA slice", "done"
    done: int
    total: int
    result: Landscape | None = None


# ---------------------------------------------------------------------------------------- directions
def trainable_keys(run: TrainingRun) -> list[tuple[str, str, str]]:
    """(node name, tensor name, node type) of every trained tensor, in a fixed order."""
    return [
        (node.name, key, node.type)
        for node in run.report.order
        for key, tensor in run.report.nodes[node.id].tensors.items()
        if tensor.trainable
    ]


def filter_normalized_direction(weights: Params, keys: list[tuple[str, str, str]], rng: np.random.Generator) -> Params:
    """A random direction with every filter scaled to the norm of the same filter of ``weights`` (Li et al.
    §4: d_ij ← d_ij / ‖d_ij‖ · ‖θ_ij‖ for filter j of layer i); zero for biases and normalization parameters."""
    out: Params = {}
    for node, key, node_type in keys:
        w = np.asarray(weights[node][key], dtype=np.float64)
        if w.ndim <= 1 or key == "bias" or node_type in NORMALIZATION:
            d = np.zeros_like(w)
        else:
            d = rng.standard_normal(w.shape)
            d_norm = np.linalg.norm(d.reshape(len(d), -1), axis=1)
            w_norm = np.linalg.norm(w.reshape(len(w), -1), axis=1)
            d *= (w_norm / (d_norm + 1e-10)).reshape(-1, *([1] * (w.ndim - 1)))
        out.setdefault(node, {})[key] = d
    return out


def _flat(params: Params, keys: list[tuple[str, str, str]]) -> np.ndarray:
    return np.concatenate([np.asarray(params[n][k], dtype=np.float64).reshape(-1) for n, k, _t in keys])


def _unflat(vector: np.ndarray, like: Params, keys: list[tuple[str, str, str]]) -> Params:
    out: Params = {}
    start = 0
    for n, k, _t in keys:
        shape = like[n][k].shape
        size = int(np.prod(shape))
        out.setdefault(n, {})[k] = vector[start : start + size].reshape(shape)
        start += size
    return out


def _moved(base: Params, steps: list[tuple[float, Params]]) -> Params:
    """base + Σ coefficient·direction over the directions' tensors; every other array as in ``base``."""
    out = {n: dict(v) for n, v in base.items()}
    for node, values in steps[0][1].items():
        for key in values:
            value = np.array(base[node][key], dtype=np.float64)
            for coefficient, direction in steps:
                value += coefficient * direction[node][key]
            out[node][key] = value.astype(np.float32)
    return out


def _difference(a: Params, b: Params, keys: list[tuple[str, str, str]]) -> Params:
    """a − b over the trained tensors. Running statistics are left out: they stay at b's values, as the paper's
    code keeps them (extrapolated past t = 1 a running variance can turn negative)."""
    out: Params = {}
    for n, k, _t in keys:
        out.setdefault(n, {})[k] = np.asarray(a[n][k], np.float64) - b[n][k]
    return out


def pca_plane(snapshots: list[Params], keys: list[tuple[str, str, str]]) -> tuple[np.ndarray, np.ndarray, tuple]:
    """The two principal directions (unit vectors) of θ_i − θ_n over the weights the random directions move,
    each snapshot's coordinates along them, and the share of variance each explains (Li et al. §7)."""
    moving = [k for k in keys if not (k[1] == "bias" or k[2] in NORMALIZATION)]
    final = _flat(snapshots[-1], moving)
    diffs = np.stack([_flat(s, moving) - final for s in snapshots[:-1]])
    centred = diffs - diffs.mean(axis=0)
    _u, sigma, vt = np.linalg.svd(centred, full_matrices=False)
    components = np.zeros((2, len(final)))
    components[: min(2, len(vt))] = vt[:2]
    variance = sigma**2
    total = float(variance.sum()) or 1.0
    shares = [float(v / total) for v in variance[:2]] + [0.0, 0.0]
    explained = (shares[0], shares[1])
    coords = np.vstack([diffs @ components.T, np.zeros((1, 2))])
    return components, coords, explained


def _pca_directions(components: np.ndarray, like: Params, keys: list[tuple[str, str, str]]) -> list[Params]:
    moving = [k for k in keys if not (k[1] == "bias" or k[2] in NORMALIZATION)]
    return [_unflat(c, like, moving) for c in components]


# ---------------------------------------------------------------------------------------- evaluation
class _Probe:
    """The loss of the run's network on one fixed batch for any weights."""

    def __init__(self, run: TrainingRun, batch: int):
        train = run.data["train"]
        n = min(batch, len(train))
        if n == 0:
            raise LandscapeError("The training set is empty: there is no batch to measure the loss on.")
        run.trainer.set_data("landscape", train.head(n))
        self.run, self.size = run, n

    def loss(self, params: Params) -> float:
        self.run.trainer.load_parameters(params)
        value = self.run.trainer.evaluate("landscape")[0]
        return value if math.isfinite(value) else math.nan


def _train_recording(run: TrainingRun, count: int, cancel: threading.Event | None) -> Iterator[Any]:
    """Train ``run`` to its end, recording its weights about ``count`` times; yields progress, then the list."""
    total = run.config.epochs * run.steps_per_epoch
    every = max(1, total // max(1, count))
    for step in range(every, total + 1, every):
        run.report_step(step)
    snapshots = [run.trainer.parameters()]
    for event in run.events():
        if cancel is not None and cancel.is_set():
            run.control.stop()
        if isinstance(event, StepEnd) and (event.step % every == 0 or event.step == total):
            snapshots.append(run.trainer.parameters())
            yield LandscapeProgress("training", event.step, total)
        if isinstance(event, RunEnded) and event.status != "completed":
            if cancel is not None and cancel.is_set():
                return
            raise LandscapeError(f"Training ended early ({event.status}): the landscape needs trained weights.")
    yield snapshots


# ---------------------------------------------------------------------------------------- the whole picture
def landscape(
    project: Project,
    options: LandscapeOptions | None = None,
    trained: Params | None = None,
    start: Params | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[LandscapeProgress]:
    """Compute every view of the module docstring; the last progress holds the :class:`Landscape`.

    Without ``trained`` weights the network is trained here (``options.epochs``), recording the trajectory;
    with them there is no trajectory and the PCA slice is left empty. ``start``: the other end of the 1D
    interpolation (default: the initial weights for the project's seed). Setting ``cancel`` or no longer
    iterating stops the work before the next loss evaluation."""
    options = options or LandscapeOptions()
    if options.grid < 2 or options.line_points < 2 or not options.span > 0 or options.batch < 1:
        raise LandscapeError("grid and line points must be at least 2, span positive and batch at least 1.")
    try:
        run = TrainingRun(project, epochs=options.epochs)
    except TrainingError as err:
        raise LandscapeError(str(err), err.node_id) from None
    probe = _Probe(run, options.batch)
    keys = trainable_keys(run)
    if not keys:
        raise LandscapeError("The network has no trained weights, so its loss has no landscape.")
    start = start if start is not None else run.initial
    snapshots: list[Params] = []
    if trained is None:
        for item in _train_recording(run, options.snapshots, cancel):
            if isinstance(item, LandscapeProgress):
                yield item
            else:
                snapshots = item
        if cancel is not None and cancel.is_set():
            return
        trained = snapshots[-1]
        source = f"trained here for {run.epoch} epochs on the {run.config.backend} backend"
    else:
        source = "the given weights"

    rng = np.random.default_rng(options.seed)
    directions = [filter_normalized_direction(trained, keys, rng) for _ in range(2)]
    line_t = np.linspace(*options.line_range, options.line_points)
    axis = np.linspace(-options.span, options.span, options.grid)
    plane = len(snapshots) >= 3
    total = len(line_t) + options.grid**2 * (2 if plane else 1)
    done = 0
    losses: list[float] = []
    along = _difference(start, trained, keys)
    for t in line_t:  # θ_b + (1 − t)(θ_a − θ_b) = (1 − t)θ_a + tθ_b
        losses.append(probe.loss(_moved(trained, [(1.0 - t, along)])))
        done += 1
        yield LandscapeProgress("line", done, total)
    line_loss = np.array(losses)
    surface = np.empty((options.grid, options.grid))
    yield from _slice(probe, trained, directions, axis, axis, surface, "random slice", done, total)
    done += surface.size
    result = Landscape(line_t, line_loss, axis, surface, probe.loss(trained), probe.size, source)
    if plane:
        yield from _pca_slice(result, probe, snapshots, keys, options, done, total)
    else:
        result.notes.append("No trajectory: the weights were given, not trained here.")
    probe.run.trainer.load_parameters(trained)
    yield LandscapeProgress("done", total, total, result)


def _pca_slice(
    result: Landscape,
    probe: _Probe,
    snapshots: list[Params],
    keys: list[tuple[str, str, str]],
    options: LandscapeOptions,
    done: int,
    total: int,
) -> Iterator[LandscapeProgress]:
    """Fill in the trajectory and the loss over its PCA plane, with a margin of a quarter around the path."""
    trained = snapshots[-1]
    components, coords, explained = pca_plane(snapshots, keys)
    directions = _pca_directions(components, trained, keys)
    result.trajectory, result.explained = coords, explained
    result.trajectory_loss = np.array([probe.loss(s) for s in snapshots])
    extent = []
    for column in coords.T:
        low, high = float(column.min()), float(column.max())
        margin = max(0.25 * (high - low), 1e-3)
        extent.append(np.linspace(low - margin, high + margin, options.grid))
    result.pca_x, result.pca_y = extent
    result.pca_surface = np.empty((options.grid, options.grid))
    yield from _slice(
        probe, trained, directions, result.pca_x, result.pca_y, result.pca_surface, "PCA slice", done, total
    )


def _slice(
    probe: _Probe,
    centre: Params,
    directions: list[Params],
    xs: np.ndarray,
    ys: np.ndarray,
    out: np.ndarray,
    stage: str,
    done: int,
    total: int,
) -> Iterator[LandscapeProgress]:
    """Fill ``out[i, j]`` with the loss at centre + xs[j]·d₁ + ys[i]·d₂, reporting each point."""
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            out[i, j] = probe.loss(_moved(centre, [(x, directions[0]), (y, directions[1])]))
            done += 1
            yield LandscapeProgress(stage, done, total)
