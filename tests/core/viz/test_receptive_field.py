"""Receptive fields from the graph's layer parameters agree with where gradients actually reach."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from playground.core.graph.model import Graph
from playground.core.initialization import initial_parameters
from playground.core.viz import GraphVizModel
from playground.core.viz.receptive_field import traced_receptive_field
from playground.core.zoo.efficientnet_lite import Conv2dSame


def _chain(graph: Graph, specs):
    prev = graph.add_node("Input", name="image", params={"shape": [1, 29, 31]})
    for type_, name, params in specs:
        node = graph.add_node(type_, name=name, params=params)
        graph.connect(prev.id, node.id)
        prev = node
    flat = graph.add_node("Flatten", name="flat")
    graph.connect(prev.id, flat.id)
    dense = graph.add_node("Dense", name="scores", params={"units": 2})
    graph.connect(flat.id, dense.id)
    out = graph.add_node("Output", name="output")
    graph.connect(dense.id, out.id)
    return graph


def _support(module, x, layer_module, y, xx):
    """Input pixels that influence unit (0, y, x) of a layer: where its input gradient is non-zero."""
    got = {}
    h = layer_module.register_forward_hook(lambda _m, _i, o: got.setdefault("a", o))
    xi = x.clone().requires_grad_(True)
    try:
        module(xi)
    finally:
        h.remove()
    (g,) = torch.autograd.grad(got["a"][0, 0, y, xx], xi)
    return g[0].abs().sum(0) > 0


def _bounding_box(support: torch.Tensor) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) of the non-zero pixels (a dilated layer's field has holes; its box has none)."""
    ys, xs = np.nonzero(support.numpy())
    return int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1


@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_graph_receptive_field_matches_gradient_support():
    graph = _chain(
        Graph(),
        [
            ("Conv2d", "c1", {"out_channels": 2, "kernel": 3, "stride": 2, "padding": 1}),
            ("AvgPool2d", "p1", {"kernel": 3, "stride": 2, "padding": 1}),  # max pooling: same geometry
            ("Conv2d", "c2", {"out_channels": 2, "kernel": 3, "padding": "same", "dilation": 2}),
            ("AvgPool2d", "p2", {"kernel": 2, "stride": 1, "padding": 0}),
            ("Conv2d", "c3", {"out_channels": 2, "kernel": 4, "padding": "same"}),
        ],
    )
    # Positive weights and no activations: no gradient can cancel, so the support spans the whole field.
    params = {n: {k: np.abs(v) + 0.1 for k, v in d.items()} for n, d in initial_parameters(graph).items()}
    model = GraphVizModel(graph, params)
    x = torch.rand(1, 1, 29, 31)
    for layer in ("c1", "p1", "c2", "p2", "c3"):
        rf = model.receptive_field(layer)
        info = model.layer_info(layer)
        for y, xx in [(0, 0), (info.shape[1] // 2, info.shape[2] // 2), (info.shape[1] - 1, info.shape[2] - 1)]:
            support = _support(model.module, x, model.submodule(layer), y, xx)
            assert _bounding_box(support) == rf.box(y, xx, (29, 31)), (layer, y, xx, rf)
        # The same field from the modules met in a forward pass (the path zoo networks take).
        assert traced_receptive_field(model.module, layer, x) == rf


def test_dense_units_see_the_whole_image(shapes_model):
    assert shapes_model.receptive_field("fc1") is None
    rf = shapes_model.receptive_field("pool3")
    assert rf.size == (22.0, 22.0) and rf.jump == (8.0, 8.0)


def test_tensorflow_same_padding_field_matches_gradient_support():
    net = nn.Sequential(
        Conv2dSame(1, 1, 3, 2, bias=False), Conv2dSame(1, 1, 5, 1, bias=False), Conv2dSame(1, 1, 3, 2, bias=False)
    )
    for conv in net:
        nn.init.constant_(conv.weight, 0.1)
    for h, w in [(17, 18), (32, 32)]:
        x = torch.rand(1, 1, h, w)
        rf = traced_receptive_field(net, "2", x)
        out = net(x)
        for y, xx in [(0, 0), (out.shape[2] - 1, out.shape[3] - 1), (2, 1)]:
            support = _support(net, x, net[2], y, xx)
            assert _bounding_box(support) == rf.box(y, xx, (h, w)), (h, w, y, xx, rf)
