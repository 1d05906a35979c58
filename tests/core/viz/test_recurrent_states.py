"""Hidden states and gates over time: the layer's own numbers on NumPy, the same unrolled on PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.viz.errors import VizError
from playground.core.viz.recurrent import recurrent_states, unit_firing
from playground.core.viz.sequence_model import SequenceModel
from tests.core.viz.sequence_nets import BACKENDS, chain, pair, random_input, regressor, scaled_params

SHAPES = [(1, False, "sequence"), (2, True, "last")]


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


@pytest.mark.parametrize("cell", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize(("layers", "bidirectional", "output"), SHAPES)
def test_both_backends_give_the_same_states_and_gates(cell, layers, bidirectional, output):
    graph = regressor(cell, layers=layers, bidirectional=bidirectional, output=output)
    torch_model, numpy_model = pair(graph, scaled_params(graph, scale=1.5))
    x = random_input((6, 3))
    a, b = recurrent_states(torch_model, x), recurrent_states(numpy_model, x)
    assert [t.label for t in a] == [t.label for t in b]
    assert len(a) == layers * (2 if bidirectional else 1)
    for ta, tb in zip(a, b, strict=True):
        assert ta.hidden.shape == (4, 6)
        np.testing.assert_allclose(ta.hidden, tb.hidden, atol=1e-12)
        assert (
            set(ta.gates)
            == set(tb.gates)
            == {
                "RNN": set(),
                "LSTM": {"forget", "input", "output", "candidate"},
                "GRU": {"update", "reset", "candidate"},
            }[cell]
        )
        for gate in ta.gates:
            np.testing.assert_allclose(ta.gates[gate], tb.gates[gate], atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_top_states_are_the_layers_output_in_input_order(backend):
    graph = regressor("GRU", bidirectional=True)
    model = SequenceModel(graph, scaled_params(graph, scale=1.5), backend=backend)
    x = random_input((6, 3), seed=4)
    forward, reverse = recurrent_states(model, x)
    _, kept = model.node_outputs(x[None], ["rec"])
    np.testing.assert_allclose(forward.hidden, kept["rec"][0, :, :4].T, atol=1e-12)
    np.testing.assert_allclose(reverse.hidden, kept["rec"][0, :, 4:].T, atol=1e-12)
    assert reverse.reverse and reverse.label == "rec (reverse)"


@pytest.mark.parametrize("backend", BACKENDS)
def test_lstm_gates_follow_the_cell_equations(backend):
    graph = regressor("LSTM")
    params = scaled_params(graph, scale=1.5)
    (trace,) = recurrent_states(SequenceModel(graph, params, backend=backend), random_input((6, 3), seed=1))
    f, i, o, g = (trace.gates[k] for k in ("forget", "input", "output", "candidate"))
    c, h = trace.cell_state, trace.hidden
    assert c is not None
    previous = np.concatenate([np.zeros((4, 1)), c[:, :-1]], axis=1)
    np.testing.assert_allclose(c, f * previous + i * g, atol=1e-12)  # c_t = f∘c_{t−1} + i∘g
    np.testing.assert_allclose(h, o * np.tanh(c), atol=1e-12)  # h_t = o∘tanh(c_t)
    assert np.all((f > 0) & (f < 1)) and np.all(np.abs(g) < 1)
    # the forget gate from the weights themselves: σ(W_if x_0 + b_if + b_hf) at step 0 (h_{−1} = 0)
    p, x0 = params["rec"], random_input((6, 3), seed=1)[0]
    rows = slice(4, 8)  # PyTorch's row order i, f, g, o
    expected = sigmoid(p["weight_ih_l0"][rows] @ x0 + p["bias_ih_l0"][rows] + p["bias_hh_l0"][rows])
    np.testing.assert_allclose(f[:, 0], expected, atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_gru_update_gate_is_the_share_of_the_new_candidate(backend):
    graph = regressor("GRU")
    (trace,) = recurrent_states(
        SequenceModel(graph, scaled_params(graph, scale=1.5), backend=backend), random_input((6, 3))
    )
    u, n, h = trace.gates["update"], trace.gates["candidate"], trace.hidden
    previous = np.concatenate([np.zeros((4, 1)), h[:, :-1]], axis=1)
    np.testing.assert_allclose(h, u * n + (1 - u) * previous, atol=1e-12)
    assert trace.cell_state is None


def test_unit_firing_lines_up_with_the_tokens():
    graph = regressor("RNN")
    (trace,) = recurrent_states(SequenceModel(graph, scaled_params(graph)), random_input((6, 3)))
    firing = unit_firing(trace, 2, list("abcdef"))
    np.testing.assert_array_equal(firing.values, trace.hidden[2])
    assert firing.tokens == list("abcdef")
    top = firing.strongest(2)
    assert abs(firing.values[top[0]]) == np.abs(trace.hidden[2]).max()
    assert abs(firing.values[top[0]]) >= abs(firing.values[top[1]])
    with pytest.raises(VizError, match="unit 4 does not exist: rec has 4 units, 0 … 3"):
        unit_firing(trace, 4, list("abcdef"))
    with pytest.raises(VizError, match="5 tokens given for 6 time steps"):
        unit_firing(trace, 0, list("abcde"))
    with pytest.raises(VizError, match="has no 'forget' over time"):
        unit_firing(trace, 0, list("abcdef"), of="forget")


def test_a_network_without_a_recurrent_layer_is_named():
    graph = chain([("Input", "x", {"shape": [4]}), ("Dense", "d", {"units": 2}), ("Output", "o", {"loss": "mse"})])
    with pytest.raises(VizError, match="no RNN, LSTM or GRU layer \\(it has Dense\\)"):
        recurrent_states(SequenceModel(graph), np.zeros(4))
    with pytest.raises(VizError, match="unknown recurrent layer 'nope'"):
        recurrent_states(SequenceModel(regressor("RNN")), random_input((6, 3)), layer="nope")


def test_a_sample_of_the_wrong_shape_is_named():
    with pytest.raises(VizError, match=r"x \(Input\) takes samples of shape \(6, 3\), but got \(5, 3\)"):
        recurrent_states(SequenceModel(regressor("RNN")), random_input((5, 3)))
