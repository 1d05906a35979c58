"""A training checkpoint: everything a run needs to carry on exactly where it stopped, in one safetensors file.

The tensors: the weights (``node.param``, as in a weights file, so ``--weights`` reads a checkpoint too), the
optimizer's state (``optimizer::SLOT::node.param``), the epoch's batch order when it was saved mid-epoch
(``run::epoch_order``), the metrics so far (``history::steps``, ``history::epochs``) and torch's random
generator (``rng::torch``). The counters, the schedule's base learning rate, the NumPy generators' states and
what the run was (project, backend, optimizer, batch size) are JSON in the file's metadata (``training``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import save_file

from ..backends.base import OptimizerState, RandomState
from .atomic import write_with
from .checkpoint import FORMAT, CheckpointError, ParamDict, read_metadata, read_tensors

CHECKPOINT_FORMAT = "playground-checkpoint/1"
OPTIMIZER, RNG, HISTORY, EPOCH_ORDER = "optimizer::", "rng::", "history::", "run::epoch_order"


@dataclass
class RunState:
    project: str
    backend: str
    optimizer_name: str
    batch_size: int
    n_train: int
    step: int
    epoch: int  # epochs completed
    base_lr: float
    params: dict[str, ParamDict]
    optimizer: OptimizerState
    engine_rng: dict[str, Any]  # the NumPy generator drawing each epoch's batch order
    backend_rng: RandomState
    epoch_order: np.ndarray | None = None  # the current epoch's order (drawn already), None between epochs
    epoch_steps: int = 0  # the steps taken in it
    tally: tuple[float, float, int] = (0.0, 0.0, 0)  # the epoch so far: loss sum, correct sum, samples
    step_rows: np.ndarray = field(default_factory=lambda: np.zeros((0, 6)))
    epoch_rows: np.ndarray = field(default_factory=lambda: np.zeros((0, 7)))
    source: str = "checkpoint"  # the file's name, for messages


def save_run_state(state: RunState, path: str | Path) -> None:
    tensors = {f"{node}.{key}": np.ascontiguousarray(v) for node, vs in state.params.items() for key, v in vs.items()}
    for slot, arrays in state.optimizer.slots.items():
        for node, values in arrays.items():
            for key, value in values.items():
                tensors[f"{OPTIMIZER}{slot}::{node}.{key}"] = np.ascontiguousarray(value)
    generators = {}
    for name, value in state.backend_rng.items():
        if isinstance(value, np.ndarray):
            tensors[RNG + name] = np.ascontiguousarray(value)
        else:
            generators[name] = value
    if state.epoch_order is not None:
        tensors[EPOCH_ORDER] = np.ascontiguousarray(state.epoch_order, dtype=np.int64)
    tensors[HISTORY + "steps"] = np.ascontiguousarray(state.step_rows, dtype=np.float64)
    tensors[HISTORY + "epochs"] = np.ascontiguousarray(state.epoch_rows, dtype=np.float64)
    training = {
        "format": CHECKPOINT_FORMAT,
        "project": state.project,
        "backend": state.backend,
        "optimizer": state.optimizer_name,
        "batch_size": state.batch_size,
        "n_train": state.n_train,
        "step": state.step,
        "epoch": state.epoch,
        "base_lr": state.base_lr,
        "optimizer_steps": state.optimizer.steps,
        "engine_rng": state.engine_rng,
        "backend_rng": generators,
        "epoch_steps": state.epoch_steps,
        "tally": list(state.tally),
    }
    meta = {"format": FORMAT, "project": state.project, "training": json.dumps(training)}
    write_with(Path(path), lambda tmp: save_file(tensors, str(tmp), metadata=meta))


def load_run_state(path: str | Path) -> RunState:
    """Read a checkpoint; a weights file without the training state, or a damaged one, is refused by name."""
    path = Path(path)
    flat = read_tensors(path)
    meta = read_metadata(path)
    if "training" not in meta:
        raise CheckpointError(
            f"{path.name} holds weights only, without the optimizer's state and the step a run needs to carry "
            "on: save one with `playground train --checkpoint` or the app's Save checkpoint."
        )
    try:
        info = json.loads(meta["training"])
        if info.get("format") != CHECKPOINT_FORMAT:
            raise CheckpointError(f"{path.name}: checkpoint format {info.get('format')!r} is not {CHECKPOINT_FORMAT}")
        state = _state(info, flat)
    except CheckpointError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise CheckpointError(f"{path.name}: the checkpoint's training state is damaged ({err!r}).") from None
    state.source = path.name
    return state


def _state(info: dict[str, Any], flat: dict[str, np.ndarray]) -> RunState:
    params: dict[str, ParamDict] = {}
    slots: dict[str, dict[str, ParamDict]] = {}
    rng: RandomState = dict(info["backend_rng"])
    for name, value in flat.items():
        if name.startswith(OPTIMIZER):
            slot, _, rest = name[len(OPTIMIZER) :].partition("::")
            node, _, key = rest.rpartition(".")
            slots.setdefault(slot, {}).setdefault(node, {})[key] = value
        elif name.startswith(RNG):
            rng[name[len(RNG) :]] = value
        elif "::" not in name:
            node, _, key = name.rpartition(".")
            params.setdefault(node, {})[key] = value
    loss_sum, correct_sum, count = info["tally"]
    return RunState(
        project=str(info["project"]),
        backend=str(info["backend"]),
        optimizer_name=str(info["optimizer"]),
        batch_size=int(info["batch_size"]),
        n_train=int(info["n_train"]),
        step=int(info["step"]),
        epoch=int(info["epoch"]),
        base_lr=float(info["base_lr"]),
        params=params,
        optimizer=OptimizerState(int(info["optimizer_steps"]), slots),
        engine_rng=dict(info["engine_rng"]),
        backend_rng=rng,
        epoch_order=flat.get(EPOCH_ORDER),
        epoch_steps=int(info["epoch_steps"]),
        tally=(float(loss_sum), float(correct_sum), int(count)),
        step_rows=flat[HISTORY + "steps"].reshape(-1, 6),
        epoch_rows=flat[HISTORY + "epochs"].reshape(-1, 7),
    )
