"""Saliency, SmoothGrad and Grad-CAM on the trained shapes CNN: do the maps point at the shape?"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.core.graph.model import Edge
from playground.core.viz import (
    GraphVizModel,
    UnitTarget,
    UnknownLayerError,
    VizError,
    feature_maps,
    gradcam,
    gradcam_batch,
    pointing_game,
    saliency,
    saliency_batch,
)


def test_saliency_pointing_game(shapes_model, shapes_test):
    x, y, boxes = shapes_test
    # A shape is seen through its edges, and an edge has two sides: the pixel just outside the mask's
    # box counts as on the object (tolerance 1 px).
    assert pointing_game(saliency_batch(shapes_model, x, y), boxes, tolerance=1) >= 0.8
    assert pointing_game(saliency_batch(shapes_model, x, y, smooth=8), boxes, tolerance=1) >= 0.8


def test_gradcam_pointing_game(shapes_model, shapes_test):
    x, y, boxes = shapes_test
    layer = shapes_model.default_layer
    assert layer == "conv3_relu"  # the last convolution, rectified
    maps = gradcam_batch(shapes_model, x, y)
    # Grad-CAM cannot place its peak more finely than one cell of the layer's map: the tolerance is
    # the distance between neighbouring units, computed from the graph (4 px at conv3).
    cell = shapes_model.receptive_field(layer).jump[0]
    assert cell == 4
    assert pointing_game(maps, boxes, tolerance=int(cell)) >= 0.8


def test_saliency_differentiates_the_score_before_softmax(shapes_model, shapes_test):
    x = shapes_test[0][:1]
    att = saliency(shapes_model, x, target=2)
    xi = x.clone().requires_grad_(True)
    (expected,) = torch.autograd.grad(shapes_model.module(xi)[0, 2], xi)
    np.testing.assert_allclose(att.gradient, expected[0].numpy(), rtol=1e-5, atol=1e-7)
    xi = x.clone().requires_grad_(True)
    (after_softmax,) = torch.autograd.grad(torch.log_softmax(shapes_model.module(xi), 1)[0, 2], xi)
    assert not np.allclose(att.gradient, after_softmax[0].numpy(), atol=1e-6)
    assert att.map.shape == (32, 32) and att.map.max() == 1.0
    assert att.target == 2 and att.target_name == "triangle"


def test_numpy_backend_gives_the_same_saliency_and_feature_maps(shapes_model, shapes_test):
    x = shapes_test[0][5]
    t = saliency(shapes_model, x)
    n = saliency(shapes_model, x, backend="numpy")
    assert n.target == t.target
    np.testing.assert_allclose(n.gradient, t.gradient, atol=1e-5 * np.abs(t.gradient).max())
    unit = UnitTarget("conv2", 3, 6, 9)
    np.testing.assert_allclose(
        saliency(shapes_model, x, unit, backend="numpy").gradient, saliency(shapes_model, x, unit).gradient, atol=1e-5
    )
    ft = feature_maps(shapes_model, x, "pool2")
    fn = feature_maps(shapes_model, x, "pool2", backend="numpy")
    assert ft.maps.shape == (32, 8, 8)
    np.testing.assert_allclose(fn.maps, ft.maps, atol=1e-5)


def test_unit_saliency_stays_inside_the_units_receptive_field(shapes_model, shapes_test):
    x = shapes_test[0][7]
    att = saliency(shapes_model, x, UnitTarget("conv2", 5, 4, 10))
    support = np.abs(att.gradient).max(axis=0) > 0
    x0, y0, x1, y1 = shapes_model.receptive_field("conv2").box(4, 10, (32, 32))
    assert support.any()
    inside = np.zeros_like(support)
    inside[y0:y1, x0:x1] = True
    assert not (support & ~inside).any()


def test_gradcam_result_and_guided_variant(shapes_model, shapes_test):
    x = shapes_test[0][3]
    att = gradcam(shapes_model, x, layer="conv3", guided=True)
    assert att.method == "guided_gradcam" and att.layer == "conv3"
    assert att.map.shape == (32, 32) and att.extra["coarse"].shape == (8, 8)
    assert att.gradient.shape == (3, 32, 32)
    assert next(c for c, _, _ in att.top_classes) == att.target
    assert att.picture().shape[2] == 3


def test_clear_errors(shapes_model, shapes_test):
    x = shapes_test[0][0]
    with pytest.raises(UnknownLayerError) as err:
        gradcam(shapes_model, x, layer="conv9")
    assert "conv3_relu" in str(err.value) and "conv9" in str(err.value)
    with pytest.raises(UnknownLayerError, match="fc1"):
        gradcam(shapes_model, x, layer="fc1")  # not a spatial layer: only feature maps are listed
    with pytest.raises(VizError, match="hexagon"):
        saliency(shapes_model, x, "hexagon")
    with pytest.raises(VizError, match="out of range"):
        saliency(shapes_model, x, 7)
    with pytest.raises(VizError, match="64 channels"):
        saliency(shapes_model, x, UnitTarget("conv3", 64))
    assert saliency(shapes_model, x, "Cross").target == 3


def test_softmax_before_the_output_is_bypassed(shapes_run):
    graph = shapes_run.graph.copy()
    out = graph.by_name("output")
    scores = graph.by_name("scores")
    graph.disconnect(Edge(scores.id, out.id, 0))
    soft = graph.add_node("Softmax", name="probabilities")
    graph.connect(scores.id, soft.id, 0)
    graph.connect(soft.id, out.id, 0)
    model = GraphVizModel(graph, shapes_run.trainer.parameters())
    plain = GraphVizModel.from_run(shapes_run)
    x = torch.from_numpy(shapes_run.splits.test.x[:4])
    with torch.no_grad():
        torch.testing.assert_close(model.logits(x), plain.logits(x))
    assert model.score_node == "scores"
    np.testing.assert_allclose(
        saliency(model, x[0], backend="numpy").gradient, saliency(plain, x[0]).gradient, atol=1e-5
    )
