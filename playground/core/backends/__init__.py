"""Backends: the same graph runs on PyTorch or on our own NumPy code."""

from __future__ import annotations

from .base import BackendError, BackendTrainer, StepStats

BACKENDS = ("torch", "numpy")


def trainer_class(name: str) -> type[BackendTrainer]:
    if name == "torch":
        from .torch.trainer import TorchTrainer

        return TorchTrainer
    if name == "numpy":
        try:
            from .numpy.trainer import NumpyTrainer
        except ImportError as err:  # pragma: no cover - only while the backend is missing
            raise BackendError(f"The NumPy backend is not available: {err}") from None
        return NumpyTrainer
    raise BackendError(f"unknown backend '{name}' (choose torch or numpy)")


__all__ = ["BACKENDS", "BackendError", "BackendTrainer", "StepStats", "trainer_class"]
