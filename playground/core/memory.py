"""How much memory a training run needs, known before any of it is spent.

Shape inference already knows every tensor, so the parameters, their gradients, the optimizer's state, the
activations of one batch and the dataset can be counted from the project alone. :func:`check_memory`
refuses a run that would need more than the machine has, with a message that says what is large, how
large, and what to change; :func:`out_of_memory_message` turns an allocation failure that happens anyway
(the estimate is close, not exact) into the same kind of message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .data.registry import DatasetError, get_dataset_info
from .errors import PlaygroundError
from .layers import numel
from .project import Project
from .shapes import ShapeReport, infer

FLOAT_BYTES = 4
# Forward outputs are kept for the backward pass, which makes a gradient of the same size for each.
ACTIVATION_COPIES = 2
# Building a dataset holds it about twice (the generator's arrays, then the float32 copy).
DATASET_COPIES = 2
# Samples of the datasets that have a fixed size (the others say it in their n_samples option).
FIXED_SIZES = {"digits": 1797}
# Values the optimizer keeps per parameter.
OPTIMIZER_SLOTS = {"sgd": 0, "rmsprop": 1, "adagrad": 1, "adam": 2, "adamw": 2}
# Part of the available memory a run may plan to use; the rest is for the program, the GUI and the system.
USABLE_FRACTION = 0.8


# What torch's allocators say when they fail (CPU, CUDA, MPS).
_OOM_WORDS = ("can't allocate memory", "DefaultCPUAllocator", "out of memory", "not enough memory")


class MemoryLimitError(PlaygroundError, ValueError):
    """A run would need more memory than the machine has; the message says what to change."""


@dataclass(frozen=True)
class MemoryEstimate:
    parameters: int  # bytes, like every field
    gradients: int
    optimizer: int
    activations: int  # for one batch
    dataset: int
    batch_size: int
    largest_layer: str | None = None  # the node with the most parameters
    widest_layer: str | None = None  # the node with the largest output

    @property
    def total(self) -> int:
        return self.parameters + self.gradients + self.optimizer + self.activations + self.dataset

    def parts(self) -> dict[str, int]:
        return {
            "parameters": self.parameters,
            "gradients": self.gradients,
            "optimizer state": self.optimizer,
            f"activations (batch of {self.batch_size})": self.activations,
            "dataset": self.dataset,
        }

    def summary(self) -> str:
        parts = ", ".join(f"{name} {human_bytes(size)}" for name, size in self.parts().items() if size)
        return f"about {human_bytes(self.total)} ({parts})" if parts else "almost none"

    def advice(self) -> str:
        """What to change to need less: about the largest part."""
        name, _ = max(self.parts().items(), key=lambda item: item[1])
        if name == "dataset":
            return "use fewer samples (n_samples) or smaller images (size) in the dataset settings"
        if name.startswith("activations"):
            where = f" (the largest output is {self.widest_layer}'s)" if self.widest_layer else ""
            return f"lower the batch size (now {self.batch_size}) or make the layers' outputs smaller{where}"
        where = f", starting with {self.largest_layer}" if self.largest_layer else ""
        return f"make the layers smaller (fewer units or channels){where}"


def human_bytes(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if abs(size) < 1024 or unit == "PB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def _dataset_bytes(project: Project, report: ShapeReport) -> int:
    config = project.dataset
    try:
        params = get_dataset_info(config.name).resolve(config.params)
    except (DatasetError, ValueError):
        return 0  # no dataset ('none'), or one that validation refuses anyway
    samples = int(params.get("n_samples", FIXED_SIZES.get(config.name, 0)))
    if config.name == "shapes":
        size = int(params.get("size", 32))
        per_sample = 3 * size * size + (size * size * 2 if params.get("task") == "segmentation" else 0)
    else:
        inputs = [report.shape(n.id) for n in project.graph.nodes_of_type("Input") if n.id in report.nodes]
        per_sample = numel(inputs[0]) if inputs and inputs[0] is not None else 0
    return samples * per_sample * FLOAT_BYTES * DATASET_COPIES


def estimate_memory(project: Project, report: ShapeReport | None = None) -> MemoryEstimate:
    """Bytes a training run of ``project`` needs (nodes without a shape, after an error, count as nothing)."""
    report = report or infer(project.graph)
    training = project.training
    count = report.total_params
    activations = 0
    largest: tuple[int, str | None] = (0, None)
    widest: tuple[int, str | None] = (0, None)
    for node in project.graph.nodes:
        info = report.nodes.get(node.id)
        if info is None:
            continue
        if info.params > largest[0]:
            largest = (info.params, node.name)
        if info.shape is not None:
            size = numel(info.shape)
            activations += size
            if size > widest[0]:
                widest = (size, node.name)
    slots = OPTIMIZER_SLOTS.get(training.optimizer.name, 2)
    if training.optimizer.name in ("sgd", "rmsprop") and training.optimizer.momentum > 0:
        slots += 1
    return MemoryEstimate(
        parameters=count * FLOAT_BYTES,
        gradients=count * FLOAT_BYTES,
        optimizer=count * FLOAT_BYTES * slots,
        activations=activations * training.batch_size * FLOAT_BYTES * ACTIVATION_COPIES,
        dataset=_dataset_bytes(project, report),
        batch_size=training.batch_size,
        largest_layer=largest[1],
        widest_layer=widest[1],
    )


def available_memory() -> int | None:
    """Bytes the system can give this process now (Linux: MemAvailable), or None where it cannot tell."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(project: Project, report: ShapeReport | None = None, available: int | None = None) -> MemoryEstimate:
    """The estimate, or :class:`MemoryLimitError` if it exceeds the usable part of ``available`` memory."""
    estimate = estimate_memory(project, report)
    available = available_memory() if available is None else available
    if available is not None and estimate.total > available * USABLE_FRACTION:
        raise MemoryLimitError(
            f"Training this network needs {estimate.summary()}, but this machine has "
            f"{human_bytes(available)} free. To fit, {estimate.advice()}."
        )
    return estimate


def out_of_memory_message(err: BaseException, estimate: MemoryEstimate | None = None) -> str | None:
    """A message for an allocation failure (NumPy's MemoryError, torch's allocator errors), else None."""
    text = str(err)
    is_oom = isinstance(err, MemoryError) or (isinstance(err, RuntimeError) and any(s in text for s in _OOM_WORDS))
    if not is_oom:
        return None
    first = text.splitlines()[0] if text else type(err).__name__
    needed = f" The run was estimated to need {estimate.summary()}." if estimate is not None else ""
    advice = f" To fit, {estimate.advice()}." if estimate is not None else " Make the network or the batch smaller."
    return f"Out of memory: {first[:200]}.{needed}{advice}"
