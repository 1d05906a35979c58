"""The PyTorch backend: graph → torch.fx GraphModule, activation/gradient capture, training."""

from .capture import Capture, capture
from .compile import compile_graph, load_numpy_params, module_name, numpy_params
from .device import available_devices, resolve_device
from .trainer import TorchTrainer

__all__ = [
    "Capture",
    "TorchTrainer",
    "available_devices",
    "capture",
    "compile_graph",
    "load_numpy_params",
    "module_name",
    "numpy_params",
    "resolve_device",
]
