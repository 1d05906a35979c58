"""Receptive fields: which input pixels a unit of a layer can see.

For a chain of layers with kernel k, stride s, padding p (before) and dilation d, each layer updates

    size'  = size + (d·(k−1)) · jump          how many input pixels one unit covers
    jump'  = jump · s                           input pixels between neighbouring units
    start' = start + (d·(k−1)/2 − p) · jump     input position of the centre of unit 0

starting from the image itself (size 1, jump 1, start 0.5: pixel i spans [i, i+1)). Layers that act per
position (activations, batch norm, dropout) change nothing; where paths join (Add, Concat) the widest
path wins. For a graph built in the app the numbers come from each layer spec's sliding window; for
any other module they come from the convolutions and poolings met in a forward pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from ..graph.model import Graph, Node
from ..layers.conv import same_padding
from ..layers.spec import Window
from .errors import VizError


@dataclass(frozen=True)
class ReceptiveField:
    """Per axis (y, x): ``size`` in pixels, ``jump`` between units and ``start`` (centre of unit 0)."""

    size: tuple[float, float]
    jump: tuple[float, float]
    start: tuple[float, float]

    def center(self, y: int, x: int) -> tuple[float, float]:
        return self.start[0] + y * self.jump[0], self.start[1] + x * self.jump[1]

    def box(self, y: int, x: int, image_size: tuple[int, int] | None = None) -> tuple[int, int, int, int]:
        """Pixel box (x0, y0, x1, y1), end exclusive, of unit (y, x); clipped to the image if its size is given."""
        cy, cx = self.center(y, x)
        y0 = round(cy - self.size[0] / 2)
        x0 = round(cx - self.size[1] / 2)
        y1, x1 = y0 + round(self.size[0]), x0 + round(self.size[1])
        if image_size is not None:
            h, w = image_size
            y0, x0, y1, x1 = max(0, y0), max(0, x0), min(h, y1), min(w, x1)
        return x0, y0, x1, y1


IMAGE = ReceptiveField((1.0, 1.0), (1.0, 1.0), (0.5, 0.5))


def through(
    rf: ReceptiveField, kernel: int, stride: int, pad_before: tuple[int, int], dilation: int = 1
) -> ReceptiveField:
    """The field after a convolution or pooling with these settings (same on both axes but the padding)."""
    span = dilation * (kernel - 1)
    return ReceptiveField(
        tuple(s + span * j for s, j in zip(rf.size, rf.jump)),  # type: ignore[arg-type]
        tuple(j * stride for j in rf.jump),  # type: ignore[arg-type]
        tuple(st + (span / 2 - p) * j for st, p, j in zip(rf.start, pad_before, rf.jump)),  # type: ignore[arg-type]
    )


def through_transposed(rf: ReceptiveField, kernel: int, stride: int, padding: int) -> ReceptiveField:
    """A transposed convolution: each output unit mixes (k−1)/s + 1 input units, spaced jump/s apart."""
    return ReceptiveField(
        tuple(s + (kernel - 1) / stride * j for s, j in zip(rf.size, rf.jump)),  # type: ignore[arg-type]
        tuple(j / stride for j in rf.jump),  # type: ignore[arg-type]
        tuple(st + (padding - (kernel - 1) / 2) / stride * j for st, j in zip(rf.start, rf.jump)),  # type: ignore[arg-type]
    )


def through_window(rf: ReceptiveField, window: Window) -> ReceptiveField:
    """The field after a layer with this sliding window (a convolution, a pooling, a transposed convolution)."""
    before = window.padding[0]
    if window.transposed:
        return through_transposed(rf, window.kernel, window.stride, before)
    return through(rf, window.kernel, window.stride, (before, before), window.dilation)


def _widest(fields: list[ReceptiveField]) -> ReceptiveField:
    return max(fields, key=lambda f: f.size[0] * f.size[1])


def _node_field(node: Node, inputs: list[ReceptiveField]) -> ReceptiveField | None:
    if any(f is None for f in inputs) or not inputs:
        return None
    rf = _widest(inputs)
    spec = node.spec
    if spec.window is not None:
        return through_window(rf, spec.window(node.params))
    if spec.whole_input:
        return None  # every unit sees the whole image
    return rf


def graph_receptive_field(graph: Graph, node_name: str) -> ReceptiveField | None:
    """The receptive field of the units of ``node_name``; ``None`` when they see the whole image."""
    target = graph.by_name(node_name)
    fields: dict[str, ReceptiveField | None] = {}
    for node in graph.topological_order():
        if node.type == "Input":
            fields[node.id] = IMAGE
        else:
            fields[node.id] = _node_field(node, [fields[s.id] for s in graph.predecessors(node.id)])  # type: ignore[misc]
        if node.id == target.id:
            return fields[node.id]
    raise VizError(f"layer '{node_name}' is not reachable from the input.")


def traced_receptive_field(model: nn.Module, layer: str, x: torch.Tensor) -> ReceptiveField | None:
    """The field of ``layer`` of any module, from the convolutions and poolings run before it.

    Residual networks qualify: the main path holds every convolution, and a skip path is narrower.
    A module may tell its own padding through ``padding_before(height, width) -> (top, left)`` (used
    by TensorFlow-style 'same' convolutions whose padding depends on the input size).
    """
    target = model.get_submodule(layer)
    steps: list[tuple[nn.Module, tuple[int, int]]] = []
    state = {"done": False, "flat": False}
    handles = []

    def hook(module: nn.Module, inputs, _output) -> None:
        if state["done"]:
            return
        if isinstance(module, nn.Conv2d | nn.MaxPool2d | nn.AvgPool2d | nn.ConvTranspose2d):
            steps.append((module, tuple(inputs[0].shape[-2:])))
        elif isinstance(module, nn.Linear | nn.Flatten | nn.AdaptiveAvgPool2d):
            state["flat"] = True
        if module is target:
            state["done"] = True

    for m in model.modules():
        handles.append(m.register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for handle in handles:
            handle.remove()
    if state["flat"]:
        return None
    rf = IMAGE
    for module, (h, w) in steps:
        rf = _module_step(rf, module, h, w)
    return rf


def _pair(v) -> int:
    return int(v[0] if isinstance(v, tuple | list) else v)


def _module_step(rf: ReceptiveField, m: nn.Module, h: int, w: int) -> ReceptiveField:
    if isinstance(m, nn.ConvTranspose2d):
        return through_transposed(rf, _pair(m.kernel_size), _pair(m.stride), _pair(m.padding))
    k, s = _pair(m.kernel_size), _pair(m.stride if m.stride is not None else m.kernel_size)
    d = _pair(getattr(m, "dilation", 1))
    padding_before = getattr(m, "padding_before", None)
    if callable(padding_before):
        before = padding_before(h, w)
    elif m.padding == "same":
        before = (same_padding(k, d)[0],) * 2
    else:
        before = (_pair(m.padding),) * 2
    return through(rf, k, s, before, d)
