"""Deep Dream, class visualization, style transfer and PGD: they make progress and can be cancelled."""

from __future__ import annotations

import itertools
import threading

import numpy as np
import pytest
import torch

from playground.core.viz import (
    VizError,
    bundled_image,
    class_visualization,
    deep_dream,
    run_to_end,
    style_losses,
    style_transfer,
)
from playground.core.viz.hooks import layer_outputs


def _norm(model, x, layer):
    with torch.no_grad():
        return float(layer_outputs(model.module, x, [layer], {layer: model.submodule(layer)})[layer].norm())


def test_deep_dream_raises_the_layer_activation_step_after_step(effnet):
    photo = bundled_image("coffee")
    layer = "_blocks.6"
    steps = list(
        deep_dream(effnet, effnet.preprocess(photo, (72, 96)), layer=layer, steps=6, octaves=1, jitter_px=0, lr=0.01)
    )
    assert [p.step for p in steps] == list(range(1, 7)) and steps[-1].done
    norms = [_norm(effnet, effnet.preprocess(photo, (72, 96)), layer)] + [_norm(effnet, p.tensor, layer) for p in steps]
    assert all(b > a for a, b in itertools.pairwise(norms)), norms
    assert steps[-1].image.shape == (72, 96, 3) and steps[-1].image.dtype == np.uint8


def test_deep_dream_octaves_and_cancel(shapes_model, shapes_test):
    x = shapes_test[0][0]
    gen = deep_dream(shapes_model, x, layer="conv2_relu", steps=3, octaves=2, octave_scale=1.5, jitter_px=1)
    sizes = [tuple(p.tensor.shape[-2:]) for p in gen]
    assert sizes[0] == (21, 21) and sizes[-1] == (32, 32) and len(sizes) == 6
    cancel = threading.Event()
    seen = []
    for p in deep_dream(shapes_model, x, layer="conv2_relu", steps=50, octaves=1, cancel=cancel):
        seen.append(p)
        if p.step == 2:
            cancel.set()
    assert seen[-1].cancelled and seen[-1].done and len(seen) == 3
    with pytest.raises(VizError, match="conv9"):
        next(deep_dream(shapes_model, x, layer="conv9"))


def test_class_visualization_raises_the_class_score(shapes_model, shapes_run):
    steps = list(class_visualization(shapes_model, "circle", steps=30, seed=1))
    scores = [p.values["score"] for p in steps]
    assert np.mean(scores[-5:]) > np.mean(scores[:5]) + 1.0
    final = steps[-1]
    test = shapes_run.splits.test
    with torch.no_grad():
        natural = shapes_model.logits(torch.from_numpy(test.x[test.y == 0]))[:, 0]
        reached = float(shapes_model.logits(final.tensor)[0, 0])
    # The pre-softmax score is what is maximized (other classes' scores may rise as well): the result
    # excites 'circle' more than any real circle does.
    assert reached > float(natural.max())
    lo, hi = shapes_model.bounds()
    assert (final.tensor >= lo - 1e-6).all() and (final.tensor <= hi + 1e-6).all()
    assert final.image.shape == (32, 32, 3)
    with pytest.raises(VizError, match="target"):
        next(class_visualization(shapes_model, None))


def test_style_transfer_cuts_the_style_loss_tenfold(effnet):
    content, style = bundled_image("chelsea"), bundled_image("mosaic")
    steps = list(style_transfer(effnet, content, style, steps=25, size=64))
    first, last = steps[0].values, steps[-1].values
    assert last["style"] <= first["style"] / 10, (first, last)
    assert last["loss"] < first["loss"]
    assert steps[-1].image.shape[0] == 64


def test_style_transfer_options(shapes_model, shapes_test):
    content, style = shapes_test[0][0], shapes_test[0][1]
    layers = {"conv1_relu": 1.0, "conv2_relu": 0.5}
    adam = run_to_end(
        style_transfer(
            shapes_model,
            content,
            style,
            steps=40,
            optimizer="adam",
            init="noise",
            style_layers=layers,
            content_layer="conv3",
        )
    )
    start = style_losses(shapes_model, content, content, style, layers, "conv3")
    end = style_losses(shapes_model, adam.tensor, content, style, layers, "conv3")
    assert end["style"] < start["style"]
    with pytest.raises(VizError, match="optimizer"):
        next(style_transfer(shapes_model, content, style, optimizer="sgd"))
    with pytest.raises(VizError, match="fc1"):
        next(style_transfer(shapes_model, content, style, style_layers={"fc1": 1.0}))
