"""‖∂L/∂h_t‖ against t: the NumPy backend's own BPTT and autograd through the unrolled cell agree, and both
are the chain rule of the course written out."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.viz.errors import VizError
from playground.core.viz.recurrent import recurrent_states
from playground.core.viz.sequence_model import SequenceModel
from playground.core.viz.through_time import gradient_through_time
from tests.core.viz.sequence_nets import BACKENDS, language_model, pair, random_input, regressor, scaled_params


@pytest.mark.parametrize("cell", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize(("layers", "bidirectional", "output"), [(1, False, "sequence"), (2, True, "last")])
def test_both_backends_agree(cell, layers, bidirectional, output):
    graph = regressor(cell, layers=layers, bidirectional=bidirectional, output=output)
    torch_model, numpy_model = pair(graph, scaled_params(graph, scale=1.2))
    x = random_input((5, 6, 3))
    target = random_input((5, 6, 2) if output == "sequence" else (5, 2), seed=1)
    a, b = gradient_through_time(torch_model, x, target), gradient_through_time(numpy_model, x, target)
    assert a.norms.shape == (6,) and np.all(a.norms > 0)
    np.testing.assert_allclose(a.norms, b.norms, rtol=1e-9)
    assert a.loss == pytest.approx(b.loss, rel=1e-12)
    assert a.ratio == pytest.approx(a.norms[0] / a.norms[-1])


@pytest.mark.parametrize("backend", BACKENDS)
def test_rnn_norms_are_the_chain_rule_through_each_step(backend):
    """Only h_T reaches the loss: ∂L/∂h_T = W_dᵀ 2(y − t)/n, then ∂L/∂h_t = W_hhᵀ diag(1 − h²_{t+1}) ∂L/∂h_{t+1}."""
    graph = regressor("RNN", output="last")
    params = scaled_params(graph, scale=1.2)
    model = SequenceModel(graph, params, backend=backend)
    x, target = random_input((4, 6, 3)), random_input((4, 2), seed=1)
    result = gradient_through_time(model, x, target)
    hidden = np.stack([recurrent_states(model, sample)[0].hidden.T for sample in x])  # (N, T, H)
    y = hidden[:, -1] @ params["d"]["weight"].T + params["d"]["bias"]
    delta = 2 * (y - target) / y.size @ params["d"]["weight"]
    expected = [np.linalg.norm(delta)]
    for t in range(5, 0, -1):
        delta = (delta * (1 - hidden[:, t] ** 2)) @ params["rec"]["weight_hh_l0"]
        expected.append(np.linalg.norm(delta))
    np.testing.assert_allclose(result.norms, expected[::-1], rtol=1e-9)
    assert result.loss == pytest.approx(float(np.mean((y - target) ** 2)))


@pytest.mark.parametrize("backend", BACKENDS)
def test_language_model_with_per_step_cross_entropy(backend):
    graph = language_model()
    model = SequenceModel(graph, scaled_params(graph), backend=backend)
    tokens = np.array([[0, 1, 2, 1, 0], [2, 2, 1, 0, 1]])
    result = gradient_through_time(model, tokens, np.array([[1, 2, 1, 0, 0], [2, 1, 0, 1, 1]]))
    assert result.cell == "LSTM" and np.all(result.norms > 0)
    assert result.to_dict()["norms"] == result.norms.tolist()


def test_targets_must_match_the_batch():
    model = SequenceModel(regressor("RNN"))
    with pytest.raises(VizError, match="3 samples but 2 targets"):
        gradient_through_time(model, random_input((3, 6, 3)), random_input((2, 6, 2)))
