"""Filters, feature maps and top patches on the shapes CNN."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.core.viz import VizError, feature_maps, filters, top_patches
from playground.core.viz.hooks import layer_outputs


def test_first_layer_filters_are_colour_tiles(shapes_model):
    view = filters(shapes_model)
    assert view.layer == "conv1" and view.rgb
    assert view.weights.shape == (16, 3, 3, 3) and len(view.tiles) == 16
    assert view.tiles[0].shape == (3, 3, 3)
    # zero is mid-grey and each filter uses its full range on one side
    w = view.weights[0]
    assert view.tiles[0].reshape(-1, 3).max() == 255 or view.tiles[0].reshape(-1, 3).min() == 0
    assert view.picture.dtype == np.uint8 and view.picture.shape[0] > 48
    np.testing.assert_equal(np.argmax(view.tiles[0].transpose(2, 0, 1)), np.argmax(w))


def test_deeper_filters_are_per_channel_grids(shapes_model):
    view = filters(shapes_model, "conv2", max_filters=8, max_channels=5)
    assert not view.rgb and view.columns == 5 and len(view.tiles) == 40
    with pytest.raises(VizError, match="conv1, conv2, conv3"):
        filters(shapes_model, "pool1")


def test_feature_maps(shapes_model, shapes_test):
    fm = feature_maps(shapes_model, shapes_test[0][0], "conv1_relu")
    assert fm.maps.shape == (16, 32, 32) and fm.maps.min() >= 0
    assert fm.picture().dtype == np.uint8
    assert feature_maps(shapes_model, shapes_test[0][0], "fc1").maps.shape == (64,)


def test_top_patches_are_the_strongest_responses_cropped_to_the_field(shapes_model, shapes_run):
    images = shapes_run.splits.test.x[:300]
    tp = top_patches(shapes_model, images, "conv3", 7, k=6, batch_size=128)
    with torch.no_grad():
        a = layer_outputs(
            shapes_model.module, torch.from_numpy(images), ["conv3"], {"conv3": shapes_model.submodule("conv3")}
        )["conv3"][:, 7]
    best = a.flatten(1).max(1).values
    order = torch.argsort(best, descending=True)[:6]
    assert tp.image_index == order.tolist()
    np.testing.assert_allclose(tp.scores, best[order].numpy(), rtol=1e-5)
    rf = shapes_model.receptive_field("conv3")
    assert rf.size == (18.0, 18.0)
    for patch, (y, x), box, i in zip(tp.patches, tp.positions, tp.boxes, tp.image_index):
        assert patch.shape == (18, 18, 3)
        assert a[i, y, x] == best[i]
        assert box == rf.box(y, x, (32, 32))
    assert tp.picture().shape[0] >= 64
    with pytest.raises(VizError, match="64 channels"):
        top_patches(shapes_model, images, "conv3", 64)


def test_a_live_model_follows_new_weights(shapes_run, shapes_test):
    """The GUI keeps one model per run and refreshes its weights while training goes on."""
    from playground.core.viz import GraphVizModel

    model = GraphVizModel.from_run(shapes_run)
    x = shapes_test[0][0]
    before = feature_maps(model, x, "conv1", backend="numpy").maps
    params = shapes_run.trainer.parameters()
    params["conv1"]["weight"] = params["conv1"]["weight"] * 2
    params["conv1"]["bias"] = params["conv1"]["bias"] * 2
    model.load_parameters(params)
    np.testing.assert_allclose(filters(model).weights, params["conv1"]["weight"])
    for backend in ("torch", "numpy"):
        np.testing.assert_allclose(
            feature_maps(model, x, "conv1", backend=backend).maps, 2 * before, rtol=1e-4, atol=1e-5
        )
