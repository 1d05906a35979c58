"""Progress of an iterative visualization, and how a caller cancels one.

Iterative methods (class visualization, Deep Dream, style transfer, PGD) are generators: they yield a
:class:`Progress` after every step. A caller cancels by simply no longer iterating (or closing the
generator), or from another thread by setting the ``cancel`` event passed in, which is checked before
every step. The last item yielded has ``done=True`` (and ``cancelled=True`` if it stopped early).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

Cancel = threading.Event | Callable[[], bool] | None


def is_cancelled(cancel: Cancel) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return bool(cancel())


@dataclass
class Progress:
    """One step of an iterative method.

    ``image`` (uint8 H×W×3) is rendered from the current input only when read, so yielding a
    progress object every step costs almost nothing when the caller shows every tenth.
    """

    step: int
    total: int
    values: dict[str, float] = field(default_factory=dict)
    stage: str = ""
    done: bool = False
    cancelled: bool = False
    result: Any = None
    tensor: torch.Tensor | None = field(default=None, repr=False)
    render: Callable[[torch.Tensor], np.ndarray] | None = field(default=None, repr=False)

    @property
    def fraction(self) -> float:
        return self.step / self.total if self.total else 1.0

    @property
    def image(self) -> np.ndarray | None:
        if self.tensor is None or self.render is None:
            return None
        return self.render(self.tensor)


def run_to_end(steps: Iterable[Progress]) -> Progress:
    """Consume an iterative method and return its last progress (the finished result)."""
    last = None
    for last in steps:  # noqa: B007 - we want the final item
        pass
    if last is None:
        raise RuntimeError("the method yielded nothing")
    return last
