"""The optimizer race: several optimizers start from one point of a 2D function and each takes its own path.

Every first-order optimizer here is the NumPy training backend's own (``backends/numpy/optimizers.py``), driven on
a parameter vector of two numbers: the step a student watches is the step that trains their network. Newton's
method (001 §3.2) is the one that is not: it needs the Hessian, which costs O(n³) for a network of n weights,
so only the lab has it — θ ← θ − α H⁻¹ ∇f, with the exact Hessian of the formula.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import ValidationError

from ..backends.numpy.optimizers import Optimizer, make_optimizer
from ..config import OptimizerConfig
from .surfaces import Surface

ESCAPED = 1e8  # |θ| beyond this counts as diverged


@dataclass(frozen=True)
class RacerKind:
    key: str
    title: str
    backend: str | None  # the NumPy backend's optimizer, None for Newton
    defaults: Mapping[str, float | bool]  # lr and the optimizer's own settings
    help: str


KINDS: dict[str, RacerKind] = {
    k.key: k
    for k in (
        RacerKind("gd", "Gradient descent", "sgd", {"lr": 0.01}, "θ ← θ − α ∇f"),
        RacerKind("momentum", "Momentum", "sgd", {"lr": 0.01, "momentum": 0.9}, "g ← ∇f + μ g, θ ← θ − α g"),
        RacerKind(
            "nesterov",
            "Nesterov",
            "sgd",
            {"lr": 0.01, "momentum": 0.9, "nesterov": True},
            "momentum that looks ahead: θ ← θ − α (∇f + μ g)",
        ),
        RacerKind("rmsprop", "RMSProp", "rmsprop", {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}, "s ← βs + (1−β)g²"),
        RacerKind("adagrad", "AdaGrad", "adagrad", {"lr": 0.5, "eps": 1e-10}, "s ← s + g²"),
        RacerKind(
            "adam",
            "Adam",
            "adam",
            {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
            "momentum + RMSProp, bias-corrected",
        ),
        RacerKind(
            "adamw",
            "AdamW",
            "adamw",
            {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01},
            "Adam, and the weights shrink by αλ each step",
        ),
        RacerKind("newton", "Newton's method", None, {"lr": 1.0}, "θ ← θ − α H⁻¹ ∇f"),
    )
}


@dataclass
class Racer:
    """One optimizer of the race with its settings (the kind's defaults for those not given)."""

    kind: str
    settings: dict[str, float | bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown optimizer '{self.kind}' (known: {', '.join(KINDS)})")
        unknown = set(self.settings) - set(KINDS[self.kind].defaults)
        if unknown:
            allowed = ", ".join(KINDS[self.kind].defaults)
            raise ValueError(f"{self.kind} has no setting {', '.join(sorted(unknown))} (it has: {allowed})")
        self.settings = {**KINDS[self.kind].defaults, **self.settings}
        lr = self.settings["lr"]
        if not (isinstance(lr, int | float) and np.isfinite(lr) and lr > 0):
            raise ValueError(f"{self.kind}: the learning rate must be a positive number, not {lr}")

    @property
    def title(self) -> str:
        return KINDS[self.kind].title


@dataclass
class Trajectory:
    racer: Racer
    points: np.ndarray  # (steps + 1, 2): the start, then θ after each step
    losses: np.ndarray  # f at each point
    stopped: str = ""  # why it ended early ("" when it ran every step)


class _Stepper:
    """Moves θ (2 numbers) one step of ``racer`` on ``surface``."""

    def __init__(self, racer: Racer, surface: Surface, start: np.ndarray):
        self.surface = surface
        self.params = np.array(start, dtype=float)
        self.grads = np.zeros(2)
        settings = dict(racer.settings)
        self.lr = float(settings.pop("lr"))
        self.optimizer: Optimizer | None = None
        backend = KINDS[racer.kind].backend
        if backend is not None:
            weight_decay = float(settings.pop("weight_decay", 0.0))
            try:
                config = OptimizerConfig(name=backend, lr=self.lr, **settings)  # type: ignore[arg-type]
            except ValidationError as err:
                problem = "; ".join(f"{'.'.join(map(str, e['loc'])) or racer.kind}: {e['msg']}" for e in err.errors())
                raise ValueError(f"{racer.kind}: {problem}") from None
            # n_decayed = 2: weight decay acts on both coordinates, as on a Dense layer's weights
            self.optimizer = make_optimizer(self.params, self.grads, 2, config, weight_decay)

    def step(self) -> None:
        self.grads[:] = self.surface.gradient(self.params)
        if self.optimizer is not None:
            self.optimizer.step(self.lr)
            return
        hessian = self.surface.hessian(self.params)
        direction = np.linalg.lstsq(hessian, self.grads, rcond=None)[0]  # H⁻¹∇f, also when H is singular
        self.params -= self.lr * direction


def racer_for(kind: str, surface: Surface, **settings: float | bool) -> Racer:
    """An optimizer with the learning rate that suits ``surface`` (unless ``settings`` give one)."""
    lr = surface.lrs.get(kind)
    return Racer(kind, {**({"lr": lr} if lr is not None else {}), **settings})


def run_racer(surface: Surface, start: Sequence[float], racer: Racer, steps: int) -> Trajectory:
    """``steps`` steps of one optimizer from ``start`` (fewer if it diverges)."""
    if steps < 0:
        raise ValueError(f"steps must be 0 or more, not {steps}")
    stepper = _Stepper(racer, surface, np.asarray(start, dtype=float))
    points = [stepper.params.copy()]
    losses = [surface(stepper.params)]
    stopped = ""
    for k in range(1, steps + 1):
        with np.errstate(all="ignore"):
            stepper.step()
        point = stepper.params.copy()
        loss = surface(point)
        if not (np.isfinite(point).all() and np.isfinite(loss)) or np.abs(point).max() > ESCAPED:
            stopped = f"diverged at step {k}"
            break
        points.append(point)
        losses.append(loss)
    return Trajectory(racer, np.array(points), np.array(losses), stopped)


def race(surface: Surface, start: Sequence[float], racers: Sequence[Racer], steps: int = 300) -> list[Trajectory]:
    """Every racer's trajectory from the same ``start``."""
    if not np.isfinite(surface(np.asarray(start, dtype=float))):
        raise ValueError(f"{surface.title} is not defined at the start point ({start[0]:g}, {start[1]:g})")
    return [run_racer(surface, start, racer, steps) for racer in racers]


def trajectory_summary(t: Trajectory) -> dict[str, Any]:
    """What ``playground lab race --json`` prints for one racer."""
    return {
        "optimizer": t.racer.kind,
        "settings": t.racer.settings,
        "steps": len(t.points) - 1,
        "final_point": t.points[-1].tolist(),
        "final_loss": float(t.losses[-1]),
        "best_loss": float(np.min(t.losses)),
        "stopped": t.stopped or None,
    }
