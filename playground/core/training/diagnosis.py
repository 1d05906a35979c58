"""What the training doctor finds: a :class:`Diagnosis` says, in plain words, what the numbers show, what to do
and where the course says so. The helpers here are shared by every check."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from .history import MetricHistory

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Diagnosis:
    code: str  # nonfinite, diverging, jagged, slow, overfitting, dead_relu, saturated, vanishing, exploding, …
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


def fmt(x: float) -> str:
    if x == 0 or not math.isfinite(x):
        return str(x)
    if abs(x) >= 1e4 or abs(x) < 1e-3:
        return f"{x:.1e}"
    return f"{x:.3g}"


def chunk_size(h: MetricHistory) -> int:
    per_epoch = h.steps_per_epoch or 20
    return int(min(50, max(5, per_epoch // 2)))
