"""Initial weights: each scheme has the variance the course derives, both backends get the same arrays."""

import numpy as np
import pytest
import torch

from playground.core.backends.torch import compile_graph
from playground.core.graph import Graph
from playground.core.initialization import fans, init_weight, initial_parameters


@pytest.mark.parametrize(
    "scheme,expected_std",
    [
        ("normal", 0.05),
        ("lecun_normal", np.sqrt(1 / 400)),
        ("xavier_normal", np.sqrt(2 / (400 + 300))),
        ("xavier_uniform", np.sqrt(2 / (400 + 300))),
        ("kaiming_normal", np.sqrt(2 / 400)),
        ("kaiming_uniform", np.sqrt(2 / 400)),
        ("default", np.sqrt(1 / 400) / np.sqrt(3)),
    ],
)
def test_scheme_variances(scheme, expected_std):
    w = init_weight((300, 400), scheme, np.random.default_rng(0), std=0.05)
    assert w.std() == pytest.approx(expected_std, rel=0.03)
    assert abs(w.mean()) < expected_std / 20


def test_orthogonal_rows_are_orthonormal():
    w = init_weight((16, 3, 3, 3), "orthogonal", np.random.default_rng(0))
    flat = w.reshape(16, -1)
    np.testing.assert_allclose(flat @ flat.T, np.eye(16), atol=1e-10)


def test_fans_match_torch():
    for shape in ((5, 7), (8, 3, 5, 5), (3, 8, 2, 2)):
        assert fans(shape) == torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


def test_bias_constant_and_loaded_into_torch():
    g = Graph.chain(
        [
            ("Input", {"shape": [3, 8, 8]}),
            ("Conv2d", {"out_channels": 4, "init": "kaiming_normal", "bias_init": 0.1}),
            ("Flatten", {}),
            ("Dense", {"units": 2, "init": "orthogonal"}),
            ("Output", {}),
        ]
    )
    params = initial_parameters(g, seed=7)
    assert np.all(params["conv2d1"]["bias"] == np.float32(0.1))
    model = compile_graph(g, params=params)
    np.testing.assert_array_equal(model.conv2d1.weight.detach().numpy(), params["conv2d1"]["weight"])
    np.testing.assert_array_equal(model.dense1.weight.detach().numpy(), params["dense1"]["weight"])


def test_override_and_independent_streams():
    g = Graph.chain([("Input", {"shape": [4]}), ("Dense", {"units": 3}), ("Dense", {"units": 2}), ("Output", {})])
    a = initial_parameters(g, seed=1)
    g2 = Graph.chain(
        [
            ("Input", {"shape": [4]}),
            ("Dense", {"units": 3}),
            ("Dense", {"units": 2}),
            ("Dense", {"units": 2}),
            ("Output", {}),
        ]
    )
    b = initial_parameters(g2, seed=1)
    np.testing.assert_array_equal(a["dense1"]["weight"], b["dense1"]["weight"])  # adding a layer changes nothing
    forced = initial_parameters(g, seed=1, override="normal")
    assert forced["dense1"]["weight"].std() < 0.05
