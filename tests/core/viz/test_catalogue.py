"""The catalogue of visualization methods and run_method: one default per parameter, checked values with
messages that name the method and the parameter, and what a call leaves open settled the same way for all."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.io.project_file import load_project
from playground.core.viz import GraphVizModel, UnitTarget, VizError, project_splits
from playground.core.viz.methods import METHODS, find_method
from playground.core.viz.recipes import RECIPES, Outcome
from playground.core.viz.run import MethodCall, run_method, settle
from tests.paths import EXAMPLES


@pytest.fixture(scope="module")
def untrained():
    """The shapes CNN with its starting weights and its test images (no training needed here)."""
    project = load_project(EXAMPLES / "shapes_cnn.json")
    return GraphVizModel.from_project(project), project_splits(project).test.x[:8]


def test_every_method_has_a_recipe_and_valid_defaults():
    assert [m.key for m in METHODS] == list(RECIPES)
    for m in METHODS:
        assert m.check_params({}) == m.defaults()
        assert len(set(m.keys())) == len(m.keys()), m.key
        for p in m.params:
            assert p.help, f"{m.key}.{p.key} has no help"
            if p.kind in ("int", "float") and p.default is not None:
                assert p.minimum <= p.default <= p.maximum, f"{m.key}.{p.key}"


def test_bad_values_name_the_method_and_the_parameter():
    dream = find_method("dream")
    with pytest.raises(VizError, match=r"dream: steps per octave \(steps\) must be between 1 and 100"):
        dream.check_params({"steps": 0})
    with pytest.raises(VizError, match="must be a whole number"):
        dream.check_params({"octaves": 2.5})
    with pytest.raises(VizError, match=r"dream has no parameter 'step'.*steps, octaves"):
        dream.check_params({"step": 5})
    with pytest.raises(VizError, match=r"optimizer.*must be one of lbfgs, adam"):
        find_method("style").check_params({"optimizer": "sgd"})
    assert find_method("style").check_params({"lr": None})["lr"] is None  # left to the optimizer
    with pytest.raises(VizError, match=r"unknown visualization method 'deepdream'.*dream"):
        find_method("deepdream")


def test_settle_decides_the_layer_the_unit_and_the_class(untrained):
    model, samples = untrained
    x = samples[0]
    layers = {m.key: settle(model, MethodCall(m.key, image=x, style=x.transpose(1, 2, 0))).layer for m in METHODS}
    assert layers["filters"] == "conv1" and layers["gradcam"] == model.default_layer == "conv3_relu"
    assert layers["dream"] == model.dream_layer and layers["style"] == model.content_layer
    assert layers["fgsm"] is None  # attacks look at no layer
    unit = settle(model, MethodCall("saliency", image=x, layer="conv2", channel=3)).target
    assert unit == UnitTarget("conv2", 3)
    assert settle(model, MethodCall("toppatches", samples=samples)).channel == 0
    predicted = settle(model, MethodCall("classviz", image=x)).target
    assert isinstance(predicted, int) and predicted == model.class_index(None, model.as_input(x))
    with pytest.raises(VizError, match="needs a class"):
        settle(model, MethodCall("classviz"))
    with pytest.raises(VizError, match="Grad-CAM needs an input image"):
        settle(model, MethodCall("gradcam"))
    with pytest.raises(VizError, match="saliency: noise"):
        settle(model, MethodCall("saliency", {"noise": 2.0}, image=x))


def test_run_method_runs_one_shot_and_iterative_methods(untrained):
    model, samples = untrained
    outcome = run_method(model, MethodCall("gradcam", image=samples[1]))
    assert isinstance(outcome, Outcome) and outcome.data["layer"] == "conv3_relu"
    assert outcome.picture.dtype == np.uint8 and outcome.picture.ndim == 3
    steps = list(run_method(model, MethodCall("dream", {"steps": 3}, image=samples[1])))
    assert [p.step for p in steps] == [1, 2, 3] and steps[-1].done
    result = steps[-1].result
    assert result.data["steps"] == 3 and result.data["octaves"] == 1  # a fixed-size network dreams at one scale
