"""thinking_machines.json: the course's self-attention numbers, from the weights next to it."""

import importlib.util

import numpy as np
import pytest

from playground.core.io.checkpoint import load_weights
from playground.core.io.project_file import load_project
from playground.core.viz.attention import attention_steps
from tests.paths import ROOT


def test_the_walk_through_shows_the_course_numbers(examples_dir):
    project = load_project(examples_dir / "thinking_machines.json")
    weights = load_weights(examples_dir / "thinking_machines.safetensors", project.graph)
    steps = attention_steps(project.graph, np.array([0, 1]), weights, query=0)
    assert steps.d_k == 64
    assert steps.scores.tolist() == [112.0, 96.0]
    assert steps.scaled.tolist() == [14.0, 12.0]
    assert np.round(steps.weights, 2).tolist() == [0.88, 0.12]
    assert steps.weights[0] == pytest.approx(1 / (1 + np.exp(-2)))


def test_the_weights_file_is_what_the_generator_makes(examples_dir):
    path = ROOT / "tools" / "make_thinking_machines.py"
    spec = importlib.util.spec_from_file_location("make_thinking_machines", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    saved = load_weights(examples_dir / "thinking_machines.safetensors")
    made = module.weights()
    assert saved.keys() == made.keys()
    for node, tensors in made.items():
        assert saved[node].keys() == tensors.keys()
        for key, value in tensors.items():
            np.testing.assert_array_equal(saved[node][key], value)
