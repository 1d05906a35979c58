"""The facts a layer spec states: its arrays, its windows and its traits are consistent with each other."""

from __future__ import annotations

import pytest

from playground.core.layers import REGISTRY, Inputs, LayerSpec, Param, Window, get_spec


def _inputs(*shape: int) -> Inputs:
    return Inputs((tuple(shape),), ("input1",), "layer1")


def test_a_weighted_spec_must_carry_the_init_parameters():
    with pytest.raises(ValueError, match="Scaler is weighted but has no 'init' parameter"):
        LayerSpec(
            type="Scaler",
            category="Core",
            help="",
            shape_rule=lambda x, p: x.shape,
            params=(Param("units", "int", 1, ""),),
            weighted=True,
        )


def test_the_count_is_the_size_of_the_trainable_tensors():
    bn = get_spec("BatchNorm")
    params = bn.resolve_params({})
    tensors = bn.tensors(_inputs(6, 4, 4), params)
    assert set(tensors) == {"weight", "bias", "running_mean", "running_var"}
    assert bn.param_count(_inputs(6, 4, 4), params) == 12  # γ and β; the running statistics are not trained
    assert bn.param_count(_inputs(6, 4, 4), bn.resolve_params({"affine": False})) == 0
    conv = get_spec("Conv2d")
    p = conv.resolve_params({"out_channels": 8, "kernel": 3, "groups": 2, "bias": False})
    assert {k: t.shape for k, t in conv.tensors(_inputs(4, 9, 9), p).items()} == {"weight": (8, 2, 3, 3)}


def test_windows_follow_the_padding_rules():
    conv = get_spec("Conv2d")
    same = conv.window(conv.resolve_params({"kernel": 4, "padding": "same", "dilation": 1}))
    assert same == Window(4, 1, (1, 2), 1)  # the odd pixel goes after, as in PyTorch
    up = get_spec("ConvTranspose2d")
    assert up.window(up.resolve_params({"padding": 1})).transposed
    pool = get_spec("MaxPool2d")
    assert pool.window(pool.resolve_params({})) == Window(2, 2, (0, 0))


def test_traits_are_where_the_course_puts_them():
    traits = {
        "weighted": {"Dense", "Conv2d", "ConvTranspose2d", "RNN", "LSTM", "GRU", "MultiHeadAttention"},
        "rectifier": {"ReLU", "ReLU6"},
        "squashing": {"Sigmoid", "Tanh"},
        "probabilities": {"Sigmoid", "Softmax"},
        "window": {"Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d"},
        "whole_input": {"Dense", "Flatten", "Reshape", "GlobalAvgPool"},
    }
    for trait, types in traits.items():
        assert {t for t, s in REGISTRY.items() if getattr(s, trait)} == types, trait
    assert get_spec("Tanh").squashing(0.0) == 1.0 and get_spec("Sigmoid").squashing(0.5) == 1.0
