"""Sequence layers: gradient checks (against PyTorch and finite differences, float64) through long sequences,
the causal mask, and the recurrent weights laid out exactly as torch.nn.LSTM / GRU / RNN lay them out."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from playground.core.backends.numpy import NumpyModel
from playground.core.backends.numpy.sequence import sinusoidal_encoding
from playground.core.backends.torch import compile_graph
from playground.core.config import DatasetConfig
from playground.core.graph.model import Graph
from playground.core.project import Project
from playground.core.training.gradcheck import FD_TOLERANCE, TOLERANCE, gradcheck
from tests.core.backends.numpy.numpy_backend_helpers import assert_passes_agree, random_params, run_both


def _check(graph: Graph) -> None:
    """Both gradient checks of ``playground gradcheck`` on a random batch; every layer with weights, and the
    input unless it holds token ids, must have met finite differences."""
    result = gradcheck(Project(graph=graph, dataset=DatasetConfig(name="none"), name="sequence"), batch_size=3)
    detail = [(n.name, n.max_rel_err_activation, n.max_rel_err_grad, n.finite_difference_rel_err) for n in result.nodes]
    assert result.passed, detail
    assert result.max_rel_err <= TOLERANCE and result.finite_difference_max_rel_err <= FD_TOLERANCE
    checked = {n.name for n in result.nodes if n.finite_difference_rel_err is not None}
    owners = {n.name for n in graph.nodes if n.type not in ("Input", "Output")} & set(
        random_params(graph, np.random.default_rng(0))
    )
    assert owners <= checked, (owners, checked)


def _vectors(steps: int, features: int, *layers) -> Graph:
    return Graph.chain([("Input", {"shape": [steps, features]}), *layers, ("Output", {"loss": "mse"})])


@pytest.mark.parametrize("cell", ["RNN", "LSTM", "GRU"])
def test_backprop_through_50_steps_passes_both_gradient_checks(cell):
    _check(_vectors(50, 2, (cell, {"hidden": 5, "output": "last"})))


@pytest.mark.parametrize("cell", ["RNN", "LSTM", "GRU"])
def test_stacked_bidirectional_layers_pass_both_gradient_checks(cell):
    _check(_vectors(6, 3, (cell, {"hidden": 3, "layers": 2, "bidirectional": True}), ("Dense", {"units": 2})))


def test_a_small_transformer_block_on_token_ids_passes_both_gradient_checks():
    """Embedding → positional encoding → causal attention → Add & LayerNorm → per-step Dense → pooling."""
    graph = Graph()
    nodes = [
        graph.add_node("Input", params={"shape": [7], "vocabulary": 11}),
        graph.add_node("Embedding", params={"vocabulary": 11, "dim": 6}),
        graph.add_node("PositionalEncoding", params={"kind": "learned"}),
        graph.add_node("MultiHeadAttention", params={"heads": 2, "d_k": 3, "causal": True}),
    ]
    for a, b in itertools.pairwise(nodes):
        graph.connect(a.id, b.id)
    add = graph.add_node("Add")
    graph.connect(nodes[2].id, add.id)
    graph.connect(nodes[3].id, add.id)
    rest = [
        add,
        graph.add_node("LayerNorm"),
        graph.add_node("Dense", params={"units": 4}),
        graph.add_node("GELU"),
        graph.add_node("PoolOverTime", params={"mode": "mean"}),
        graph.add_node("Output", params={"loss": "cross_entropy"}),
    ]
    for a, b in itertools.pairwise(rest):
        graph.connect(a.id, b.id)
    _check(graph)


def test_a_character_language_model_with_a_loss_per_step_passes_both_gradient_checks():
    """Token ids → Embedding → stacked LSTM → Dense per step → cross-entropy at every one of the T steps."""
    graph = Graph.chain(
        [
            ("Input", {"shape": [12], "vocabulary": 9}),
            ("Embedding", {"vocabulary": 9, "dim": 5}),
            ("LSTM", {"hidden": 6, "layers": 2}),
            ("Dense", {"units": 9}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    _check(graph)


def test_sinusoidal_encoding_and_last_step_pooling_pass_both_gradient_checks():
    _check(_vectors(9, 4, ("PositionalEncoding", {}), ("GRU", {"hidden": 3}), ("PoolOverTime", {"mode": "last"})))


def _attention_outputs(graph: Graph, tokens: np.ndarray, params: dict) -> tuple[np.ndarray, np.ndarray]:
    numpy_out, _ = NumpyModel(graph, params=params, dtype=np.float64).forward(tokens)
    net = compile_graph(graph, params=params).double().eval()
    return numpy_out, net(torch.from_numpy(tokens)).detach().numpy()


@pytest.mark.parametrize("causal", [True, False])
def test_the_causal_mask_hides_every_later_step(causal, rng):
    """Changing the tokens after step t leaves the outputs up to t unchanged, on both backends; without the
    mask every output changes."""
    graph = Graph.chain(
        [
            ("Input", {"shape": [8], "vocabulary": 10}),
            ("Embedding", {"vocabulary": 10, "dim": 6}),
            ("PositionalEncoding", {}),
            ("MultiHeadAttention", {"heads": 3, "d_k": 2, "causal": causal}),
            ("Dense", {"units": 5}),
            ("Output", {"loss": "mse"}),
        ]
    )
    params = random_params(graph, rng)
    tokens = rng.integers(0, 10, (4, 8)).astype(np.float64)
    before = _attention_outputs(graph, tokens, params)
    for t in range(7):
        changed = tokens.copy()
        changed[:, t + 1 :] = (changed[:, t + 1 :] + rng.integers(1, 10, (4, 7 - t))) % 10
        after = _attention_outputs(graph, changed, params)
        for old, new in zip(before, after):
            same = np.abs(old[:, : t + 1] - new[:, : t + 1]).max()
            if causal:
                assert same == 0.0, (t, same)
            else:
                assert same > 1e-6, t
            assert np.abs(old[:, t + 1 :] - new[:, t + 1 :]).max() > 1e-6  # the later steps do see the change


@pytest.mark.parametrize("cell", ["RNN", "LSTM", "GRU"])
def test_weights_from_torch_nn_give_the_same_outputs_on_numpy(cell, rng):
    """A torch.nn.LSTM / GRU / RNN's own state dict, loaded into our NumPy layer, gives torch's outputs: the
    gate order (i, f, g, o for the LSTM, r, z, n for the GRU) and the names are PyTorch's."""
    reference = getattr(torch.nn, cell)(3, 4, num_layers=2, batch_first=True, bidirectional=True).double()
    graph = _vectors(6, 3, (cell, {"hidden": 4, "layers": 2, "bidirectional": True}))
    name = graph.nodes[1].name
    params = {name: {k: v.detach().numpy() for k, v in reference.state_dict().items()}}
    x = rng.standard_normal((2, 6, 3))
    ours, _ = NumpyModel(graph, params=params, dtype=np.float64).forward(x)
    np.testing.assert_allclose(ours, reference(torch.from_numpy(x))[0].detach().numpy(), rtol=1e-10, atol=1e-12)


def test_the_gradient_reaches_the_first_step_through_backprop_in_time(rng):
    """δ from the last step only must reach x_1 through 50 applications of the cell, as autograd's does."""
    graph = _vectors(50, 1, ("LSTM", {"hidden": 8, "output": "last"}))
    result = run_both(graph, rng.standard_normal((2, 50, 1)), train=True)
    assert_passes_agree(result)
    assert np.abs(result.numpy_dx[:, 0]).max() > 0


def test_the_sinusoidal_table_is_the_course_formula():
    table = sinusoidal_encoding(20, 6)
    t = 13
    for i in range(3):
        assert table[t, 2 * i] == pytest.approx(np.sin(t / 10000 ** (2 * i / 6)))
        assert table[t, 2 * i + 1] == pytest.approx(np.cos(t / 10000 ** (2 * i / 6)))
    assert sinusoidal_encoding(4, 5).shape == (4, 5)  # an odd width ends with a sine
    np.testing.assert_array_equal(table[0, 1::2], 1.0)  # cos 0


def test_attention_dropout_drops_weights_while_training_only(rng):
    graph = _vectors(5, 4, ("MultiHeadAttention", {"heads": 1, "d_k": 4, "dropout": 0.5}))
    model = NumpyModel(graph, dtype=np.float64, seed=1)
    x = rng.standard_normal((20, 5, 4))
    layer = model.layer(graph.nodes[1].name)
    evaluation, _ = model.forward(x, train=False)
    np.testing.assert_allclose(layer.weights.sum(axis=-1), 1.0)
    training, _ = model.forward(x, train=True)
    kept = layer.mask != 0
    assert 0.4 < kept.mean() < 0.6
    assert not np.allclose(training, evaluation)
