"""Backends: the same graph runs on PyTorch or on our own NumPy code."""

from __future__ import annotations

from .base import BackendError, BackendTrainer, StepStats
from .threads import read_wait_policy

read_wait_policy()

BACKENDS = ("torch", "numpy")


def trainer_class(name: str) -> type[BackendTrainer]:
    # Deferred: a run imports only the backend it trains on (torch alone takes seconds).
    if name == "torch":
        from .torch.trainer import TorchTrainer

        return TorchTrainer
    if name == "numpy":
        from .numpy.trainer import NumpyTrainer

        return NumpyTrainer
    raise BackendError(f"unknown backend '{name}' (choose torch or numpy)")


__all__ = ["BACKENDS", "BackendError", "BackendTrainer", "StepStats", "trainer_class"]
