"""Every layer type's inferred output shape and parameter count equal the compiled torch model's."""

import random

import pytest
import torch

from playground.core.backends import BackendError
from playground.core.backends.torch import compile_graph
from playground.core.graph import Graph
from playground.core.layers import REGISTRY, ShapeError
from playground.core.layers.input_features import FEATURES
from playground.core.shapes import infer

IMAGE_LAYERS = {"Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d", "GlobalAvgPool"}
# Layers that accept one input shape only.
FIXED_INPUT = {"Features": (2,)}
SEQUENCE_LAYERS = {"PositionalEncoding", "PoolOverTime", "RNN", "LSTM", "GRU", "MultiHeadAttention"}


def random_params(rng: random.Random, type_: str, in_shape: tuple[int, ...]) -> dict:
    if type_ == "Conv2d":
        groups = rng.choice([g for g in (1, 2, in_shape[0]) if in_shape[0] % g == 0])
        return {
            "out_channels": groups * rng.randint(1, 4),
            "kernel": rng.randint(1, 5),
            "stride": rng.randint(1, 3),
            "dilation": rng.randint(1, 2),
            "groups": groups,
            "padding": rng.choice([0, 1, 2, "valid", "same"]),
            "bias": rng.random() < 0.5,
        }
    if type_ == "ConvTranspose2d":
        stride = rng.randint(1, 3)
        return {
            "out_channels": rng.randint(1, 6),
            "kernel": rng.randint(1, 4),
            "stride": stride,
            "padding": rng.randint(0, 1),
            "output_padding": rng.randint(0, stride - 1),
            "bias": rng.random() < 0.5,
        }
    if type_ in ("MaxPool2d", "AvgPool2d"):
        kernel = rng.randint(1, 4)
        return {"kernel": kernel, "stride": rng.randint(1, 3), "padding": rng.randint(0, kernel // 2)}
    if type_ == "Dense":
        return {"units": rng.randint(1, 20), "bias": rng.random() < 0.5}
    if type_ == "Reshape":
        return {"shape": [-1]}
    if type_ == "GroupNorm":
        return {"groups": rng.choice([g for g in (1, 2, 3) if in_shape[0] % g == 0]), "affine": rng.random() < 0.5}
    if type_ in ("BatchNorm", "LayerNorm"):
        return {"affine": rng.random() < 0.5}
    if type_ == "Dropout":
        return {"p": rng.uniform(0, 0.9)}
    if type_ == "Features":  # each switched on or off; none on is refused by shape inference
        return {name: rng.random() < 0.6 for name, _label in FEATURES}
    if type_ in ("RNN", "LSTM", "GRU"):
        return {
            "hidden": rng.randint(1, 9),
            "layers": rng.randint(1, 3),
            "bidirectional": rng.random() < 0.5,
            "output": rng.choice(["sequence", "last"]),
            "bias": rng.random() < 0.5,
        }
    if type_ == "MultiHeadAttention":
        return {"heads": rng.randint(1, 4), "d_k": rng.randint(1, 9), "causal": rng.random() < 0.5}
    if type_ == "Embedding":
        return {"vocabulary": rng.randint(1, 30), "dim": rng.randint(1, 9)}
    if type_ == "PositionalEncoding":
        return {"kind": rng.choice(["sinusoidal", "learned"])}
    if type_ == "PoolOverTime":
        return {"mode": rng.choice(["mean", "last"])}
    return {}


SINGLE_INPUT = sorted(t for t, s in REGISTRY.items() if s.inputs and not s.multi_input and t != "Output")


@pytest.mark.parametrize("type_", SINGLE_INPUT)
def test_inferred_shape_and_params_match_torch(type_):
    rng = random.Random(type_)
    checked = 0
    for _ in range(25):
        vocabulary = 0
        if type_ in FIXED_INPUT:
            in_shape = FIXED_INPUT[type_]
        elif type_ == "Embedding":
            in_shape = (rng.randint(1, 12),)
        elif type_ in SEQUENCE_LAYERS or (type_ in ("Dense", "LayerNorm") and rng.random() < 0.3):
            in_shape = (rng.randint(1, 12), rng.randint(1, 12))  # time × features
        elif type_ in IMAGE_LAYERS or (rng.random() < 0.5 and type_ not in ("Dense",)):
            in_shape = (rng.randint(1, 6), rng.randint(3, 17), rng.randint(3, 17))
        else:
            in_shape = (rng.randint(1, 12),)
        params = random_params(rng, type_, in_shape)
        if type_ == "Embedding":
            vocabulary = params["vocabulary"]
        inp = {"shape": list(in_shape), "vocabulary": vocabulary}
        graph = Graph.chain([("Input", inp), (type_, params), ("Output", {"loss": "mse"})])
        report = infer(graph)
        node = graph.nodes[1]
        if not report.ok:  # an impossible combination must be reported, never crash
            assert report.nodes[node.id].problems
            with pytest.raises(BackendError, match="problems"):
                compile_graph(graph, report)(torch.zeros(2, *in_shape))
            continue
        model = compile_graph(graph, report)
        model.eval()
        x = torch.randint(0, vocabulary, (2, *in_shape)).float() if vocabulary else torch.randn(2, *in_shape)
        out = model(x)
        assert tuple(out.shape[1:]) == report.shape(node.id), (type_, params, in_shape)
        torch_params = sum(p.numel() for p in model.parameters())
        assert torch_params == report.nodes[node.id].params, (type_, params, in_shape)
        checked += 1
    assert checked >= 10


@pytest.mark.parametrize("type_", ["Add", "Concat"])
def test_merge_layers_match_torch(type_):
    rng = random.Random(type_)
    for _ in range(10):
        c1, c2, h = rng.randint(1, 5), rng.randint(1, 5), rng.randint(2, 9)
        if type_ == "Add":
            c2 = c1
        g = Graph()
        inp = g.add_node("Input", params={"shape": [3, h, h]})
        a = g.add_node("Conv2d", params={"out_channels": c1, "padding": "same"})
        b = g.add_node("Conv2d", params={"out_channels": c2, "kernel": 1})
        m = g.add_node(type_)
        out = g.add_node("Output", params={"loss": "mse"})
        for src, dst in ((inp, a), (inp, b), (a, m), (b, m), (m, out)):
            g.connect(src.id, dst.id)
        report = infer(g)
        assert report.ok, report.problems
        y = compile_graph(g, report)(torch.randn(2, 3, h, h))
        assert tuple(y.shape[1:]) == report.shape(m.id)


def test_shape_errors_are_sentences():
    g = Graph.chain([("Input", {"shape": [1, 4, 4]}), ("Conv2d", {"kernel": 7}), ("Output", {})])
    problems = infer(g).problems
    assert any("does not fit" in p.message and "conv2d1" in p.message for p in problems)
    with pytest.raises(ShapeError):
        REGISTRY["Reshape"].shape_rule(
            __import__("playground.core.layers", fromlist=["Inputs"]).Inputs(((2, 3),), ("a",)), {"shape": [7]}
        )
