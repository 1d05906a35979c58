"""Every layer's forward and backward on NumPy equals PyTorch's, over randomized shapes and parameters."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.backends.base import BackendError
from playground.core.backends.numpy import BUILDERS, NumpyModel
from playground.core.graph.model import Graph
from playground.core.layers import REGISTRY, all_specs, register
from playground.core.layers.input_features import FEATURES
from playground.core.layers.spec import LayerSpec
from playground.core.shapes import infer
from tests.core.backends.numpy.numpy_backend_helpers import assert_passes_agree, random_params, run_both

Case = tuple[tuple[int, ...], dict]


def _image(rng: np.random.Generator, channels: int, low: int = 1) -> tuple[int, int, int]:
    return (channels, int(rng.integers(low, low + 7)), int(rng.integers(low, low + 7)))


def _conv2d(rng: np.random.Generator) -> Case:
    groups = int(rng.choice([1, 1, 2, 3]))
    k, dilation = int(rng.choice([1, 2, 3, 5])), int(rng.choice([1, 1, 2]))
    padding = ["same", "valid", 0, 1, 2][int(rng.integers(5))]
    stride = 1 if padding == "same" else int(rng.integers(1, 4))
    span = dilation * (k - 1) + 1
    shape = _image(rng, groups * int(rng.integers(1, 4)), low=span)
    return shape, {
        "out_channels": groups * int(rng.integers(1, 4)),
        "kernel": k,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "groups": groups,
        "bias": bool(rng.integers(2)),
    }


def _conv_transpose2d(rng: np.random.Generator) -> Case:
    k, stride = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    return _image(rng, int(rng.integers(1, 4)), low=2), {
        "out_channels": int(rng.integers(1, 5)),
        "kernel": k,
        "stride": stride,
        "padding": int(rng.integers(0, k)) // 2,
        "output_padding": int(rng.integers(0, stride)),
        "bias": bool(rng.integers(2)),
    }


def _pool(rng: np.random.Generator) -> Case:
    k = int(rng.integers(1, 4))
    return _image(rng, int(rng.integers(1, 4)), low=k), {
        "kernel": k,
        "stride": int(rng.integers(1, 4)),
        "padding": int(rng.integers(0, k // 2 + 1)),
    }


def _vector_or_image(rng: np.random.Generator) -> tuple[int, ...]:
    return (int(rng.integers(2, 9)),) if rng.integers(2) else _image(rng, int(rng.integers(1, 5)))


def _groupnorm(rng: np.random.Generator) -> Case:
    groups = int(rng.integers(1, 4))
    channels = groups * int(rng.integers(1, 4))
    shape = (channels,) if rng.integers(2) else _image(rng, channels)
    return shape, {"groups": groups, "eps": float(rng.choice([1e-5, 1e-3])), "affine": bool(rng.integers(2))}


def _reshape(rng: np.random.Generator) -> Case:
    shape = _image(rng, int(rng.integers(1, 4)))
    return shape, {"shape": [-1, shape[0]] if rng.integers(2) else [shape[2], shape[1], shape[0]]}


def _features(rng: np.random.Generator) -> Case:
    names = [name for name, _label in FEATURES]
    on = rng.integers(2, size=len(names)).astype(bool)
    on[rng.integers(len(names))] = True  # at least one
    return (2,), dict(zip(names, map(bool, on), strict=True))


def _sequence(rng: np.random.Generator) -> tuple[int, int]:
    return (int(rng.integers(1, 7)), int(rng.integers(1, 6)))


def _recurrent(rng: np.random.Generator) -> Case:
    return _sequence(rng), {
        "hidden": int(rng.integers(1, 5)),
        "layers": int(rng.integers(1, 3)),
        "bidirectional": bool(rng.integers(2)),
        "output": str(rng.choice(["sequence", "last"])),
        "bias": bool(rng.integers(2)),
    }


def _attention(rng: np.random.Generator) -> Case:
    return _sequence(rng), {
        "heads": int(rng.integers(1, 4)),
        "d_k": int(rng.integers(1, 5)),
        "causal": bool(rng.integers(2)),
        "bias": bool(rng.integers(2)),
    }


CASES = {
    "Features": _features,
    "Dense": lambda r: ((int(r.integers(1, 13)),), {"units": int(r.integers(1, 11)), "bias": bool(r.integers(2))}),
    "Conv2d": _conv2d,
    "ConvTranspose2d": _conv_transpose2d,
    "MaxPool2d": _pool,
    "AvgPool2d": _pool,
    "GlobalAvgPool": lambda r: (_image(r, int(r.integers(1, 5))), {}),
    "Flatten": lambda r: (_image(r, int(r.integers(1, 4))), {}),
    "Reshape": _reshape,
    "BatchNorm": lambda r: (
        _vector_or_image(r),
        {"momentum": float(r.uniform(0, 1)), "eps": 1e-5, "affine": bool(r.integers(2))},
    ),
    "LayerNorm": lambda r: (_vector_or_image(r), {"eps": 1e-5, "affine": bool(r.integers(2))}),
    "GroupNorm": _groupnorm,
    "ReLU": lambda r: (_vector_or_image(r), {}),
    "LeakyReLU": lambda r: (_vector_or_image(r), {"negative_slope": float(r.uniform(0, 0.5))}),
    "ELU": lambda r: (_vector_or_image(r), {"alpha": float(r.uniform(0.1, 3))}),
    "GELU": lambda r: (_vector_or_image(r), {"approximate": str(r.choice(["none", "tanh"]))}),
    "Sigmoid": lambda r: (_vector_or_image(r), {}),
    "Tanh": lambda r: (_vector_or_image(r), {}),
    "ReLU6": lambda r: (_vector_or_image(r), {}),
    "Softmax": lambda r: (_vector_or_image(r), {}),
    # sequences (T×D); the Embedding reads T token ids
    "Embedding": lambda r: (
        (int(r.integers(1, 7)),),
        {"vocabulary": int(r.integers(1, 9)), "dim": int(r.integers(1, 6))},
    ),
    "PositionalEncoding": lambda r: (_sequence(r), {"kind": str(r.choice(["sinusoidal", "learned"]))}),
    "PoolOverTime": lambda r: (_sequence(r), {"mode": str(r.choice(["mean", "last"]))}),
    "RNN": _recurrent,
    "LSTM": _recurrent,
    "GRU": _recurrent,
    "MultiHeadAttention": _attention,
    "Dense per time step": lambda r: (_sequence(r), {"units": int(r.integers(1, 6)), "bias": bool(r.integers(2))}),
    "LayerNorm per time step": lambda r: (_sequence(r), {"eps": 1e-5, "affine": bool(r.integers(2))}),
    "Softmax per time step": lambda r: (_sequence(r), {}),
}


def chain(shape: tuple[int, ...], layer: str, params: dict, vocabulary: int = 0) -> Graph:
    inp = {"shape": list(shape), "vocabulary": vocabulary}
    return Graph.chain([("Input", inp), (layer, params), ("Output", {"loss": "mse"})])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("layer", sorted(CASES))
def test_layer_matches_torch(layer: str, seed: int):
    rng = np.random.default_rng(seed)
    shape, params = CASES[layer](rng)
    type_ = layer.split(" ")[0]
    vocabulary = params["vocabulary"] if REGISTRY[type_].takes_tokens else 0
    graph = chain(shape, type_, params, vocabulary)
    batch = int(rng.integers(2, 5))
    # values spread over several units, so that ReLU6's cap and saturations are exercised too
    x = rng.standard_normal((batch, *shape)) * 4
    if vocabulary:
        x = rng.integers(0, vocabulary, (batch, *shape)).astype(np.float64)
    for train in (True, False):
        assert_passes_agree(run_both(graph, x, train=train, seed=seed))


@pytest.mark.parametrize("merge", ["Add", "Concat"])
@pytest.mark.parametrize("branches", [2, 3])
def test_merge_layers_match_torch(merge: str, branches: int, rng):
    """Input → several convolutions → Add/Concat → Output: each branch gets its share of δ."""
    graph = Graph()
    inp = graph.add_node("Input", params={"shape": [2, 5, 6]})
    join = graph.add_node(merge)
    for i in range(branches):
        conv = graph.add_node(
            "Conv2d", params={"out_channels": 3 if merge == "Add" else i + 1, "kernel": 3, "padding": 1}
        )
        graph.connect(inp.id, conv.id)
        graph.connect(conv.id, join.id)
    out = graph.add_node("Output", params={"loss": "mse"})
    graph.connect(join.id, out.id)
    assert_passes_agree(run_both(graph, rng.standard_normal((3, 2, 5, 6)), train=True))


def test_a_node_feeding_two_others_receives_the_sum_of_their_gradients(rng):
    """A residual block: x → Dense → Add(x, Dense(x)) makes x's δ the sum over both paths."""
    graph = Graph()
    inp = graph.add_node("Input", params={"shape": [4]})
    first = graph.add_node("Dense", params={"units": 4})
    second = graph.add_node("Dense", params={"units": 4})
    add = graph.add_node("Add")
    out = graph.add_node("Output", params={"loss": "mse"})
    graph.connect(inp.id, first.id)
    graph.connect(first.id, second.id)
    graph.connect(first.id, add.id)
    graph.connect(second.id, add.id)
    graph.connect(add.id, out.id)
    assert_passes_agree(run_both(graph, rng.standard_normal((5, 4)), train=True))


def test_maxpool_ties_send_the_gradient_to_the_first_maximum_like_torch():
    """After a ReLU many windows are all zeros: only one position (the first) may get the gradient."""
    graph = Graph.chain(
        [
            ("Input", {"shape": [1, 4, 4]}),
            ("ReLU", {}),
            ("MaxPool2d", {"kernel": 2, "stride": 2, "padding": 0}),
            ("Output", {"loss": "mse"}),
        ]
    )
    x = -np.ones((2, 1, 4, 4))
    x[0, 0, 0, 1] = x[0, 0, 1, 0] = 2.0  # a tie between two positive values too
    result = run_both(graph, x, train=True)
    assert_passes_agree(result)
    assert np.count_nonzero(result.numpy_dx) == 1  # the zeros pass nothing back through the ReLU


def test_dropout_is_inverted_and_backward_uses_the_same_mask(rng):
    graph = chain((200,), "Dropout", {"p": 0.3})
    model = NumpyModel(graph, dtype=np.float64, seed=3)
    x = rng.standard_normal((50, 200))
    out, _ = model.forward(x, train=True)
    kept = out != 0
    assert 0.65 < kept.mean() < 0.75  # keeps 1 − p of the values …
    np.testing.assert_allclose(out[kept], x[kept] / 0.7)  # … divided by 1 − p
    dy = rng.standard_normal(out.shape)
    dx, _ = model.backward(dy)
    np.testing.assert_allclose(dx, np.where(kept, dy / 0.7, 0))
    np.testing.assert_array_equal(model.forward(x, train=False)[0], x)  # evaluation: identity
    again, _ = model.forward(x, train=True)
    assert not np.array_equal(again != 0, kept)  # a new mask every training pass
    # the same seed draws the same masks: runs are reproducible
    twin = NumpyModel(graph, dtype=np.float64, seed=3)
    np.testing.assert_array_equal(twin.forward(x, train=True)[0], out)


def test_float32_by_default_and_float64_on_request(rng):
    graph = Graph.chain(
        [
            ("Input", {"shape": [3, 8, 8]}),
            ("Conv2d", {"out_channels": 4, "padding": "same"}),
            ("BatchNorm", {}),
            ("GELU", {}),
            ("GlobalAvgPool", {}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    x = rng.standard_normal((4, 3, 8, 8))
    for dtype in (np.float32, np.float64):
        model = NumpyModel(graph, dtype=dtype)
        out, _ = model.forward(x, train=True)
        dx, _ = model.backward(np.ones_like(out))
        assert out.dtype == dx.dtype == dtype
        assert all(g.dtype == dtype for grads in model.gradients().values() for g in grads.values())


def test_keep_returns_feature_maps_and_backward_from_a_hidden_node_matches_torch(rng):
    """The API visualisations use: feature maps, and d(one feature map unit)/d(input)."""
    import torch

    from playground.core.backends.torch import capture, compile_graph

    graph = Graph.chain(
        [
            ("Input", {"shape": [1, 6, 6]}),
            ("Conv2d", {"out_channels": 3, "padding": 1}),
            ("ReLU", {}),
            ("Flatten", {}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "mse"}),
        ]
    )
    names = [n.name for n in infer(graph).order]
    conv, relu = names[1], names[2]
    params = random_params(graph, rng)
    model = NumpyModel(graph, params=params, dtype=np.float64)
    x = rng.standard_normal((2, 1, 6, 6))
    _out, kept = model.forward(x, keep=[conv, relu])
    delta = np.zeros_like(kept[relu])
    delta[0, 1, 2, 3] = 1.0
    dx, grads = model.backward(delta, at=relu, keep=[conv])

    net = compile_graph(graph, params=params).double().eval()
    xt = torch.tensor(x, requires_grad=True)
    with capture(net, [conv, relu], gradients=True, detach=False) as cap:
        net(xt)
        cap.activations[relu][0, 1, 2, 3].backward()
    np.testing.assert_allclose(kept[conv], cap.activations[conv].detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(grads[conv], cap.gradients[conv].numpy(), rtol=1e-12, atol=1e-15)
    # parameters after the hidden node do not depend on it: their gradients are zero
    assert not model.gradients()[names[4]]["weight"].any()


def test_bad_requests_name_the_problem(rng):
    model = NumpyModel(chain((3,), "ReLU", {}))
    with pytest.raises(BackendError, match="no node named 'conv9'"):
        model.forward(np.zeros((1, 3)), keep=["conv9"])
    with pytest.raises(BackendError, match=r"expects samples of shape \(3,\)"):
        model.forward(np.zeros((1, 4)))
    params = random_params(chain((3,), "Dense", {"units": 2}), rng)
    params["dense1"]["weight"] = np.zeros((5, 5), np.float32)
    with pytest.raises(BackendError, match=r"dense1.weight: expected shape \(2, 3\)"):
        NumpyModel(chain((3,), "Dense", {"units": 2}), params=params)


def test_every_registered_layer_has_a_numpy_implementation():
    for spec in all_specs():
        if spec.type != "Input":
            assert spec.type in BUILDERS, f"{spec.type}: no NumPy implementation"


def test_a_layer_added_later_without_numpy_code_is_refused_by_name():
    spec = LayerSpec(
        type="Maxout", category="Activation", help="max of k linear pieces", shape_rule=lambda x, p: x.shape
    )
    register(spec)
    try:
        graph = Graph.chain([("Input", {"shape": [4]}), ("Maxout", {}), ("Output", {"loss": "mse"})])
        with pytest.raises(BackendError) as info:
            NumpyModel(graph)
        message = str(info.value)
        assert "maxout1 (Maxout)" in message and "not supported on the NumPy backend" in message
        assert info.value.node_id == graph.by_name("maxout1").id
    finally:
        del REGISTRY["Maxout"]
