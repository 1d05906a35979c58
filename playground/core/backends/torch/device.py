"""Pick the torch device: CPU by default, CUDA or Apple MPS when present and asked for."""

from __future__ import annotations

import torch


def available_devices() -> list[str]:
    devices = ["cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append("mps")
    return devices


def resolve_device(name: str = "cpu") -> torch.device:
    """``auto`` takes the fastest present; asking for an absent accelerator raises a clear error."""
    present = available_devices()
    if name == "auto":
        return torch.device(present[-1])
    if name not in present:
        raise RuntimeError(
            f"The {name.upper()} device is not available on this machine (available: {', '.join(present)})."
        )
    return torch.device(name)
