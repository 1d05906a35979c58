"""The next-token distribution of a token-id network, on both backends."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.generation import GenerationError, LanguageModel, log_softmax, next_token_distribution
from playground.core.viz.sequence_model import SequenceModel
from tests.core.viz.sequence_nets import BACKENDS, chain, language_model, pair, regressor, scaled_params


@pytest.mark.parametrize("backend", BACKENDS)
def test_distribution_is_the_softmax_at_the_contexts_last_step(backend):
    graph = language_model()
    model = SequenceModel(graph, scaled_params(graph), backend=backend)
    p = next_token_distribution(model, [2, 0, 1])
    assert p.shape == (3,) and p.sum() == pytest.approx(1.0)
    scores = model.outputs(np.array([[2, 0, 1, 0, 0]]))[0, 2]
    np.testing.assert_allclose(p, np.exp(scores) / np.exp(scores).sum(), rtol=1e-12)
    # a forward LSTM's step 2 does not read the padding after it
    scores_other_padding = model.outputs(np.array([[2, 0, 1, 2, 2]]))[0, 2]
    np.testing.assert_allclose(scores, scores_other_padding, rtol=1e-12)


def test_both_backends_and_contexts_longer_than_the_window():
    graph = language_model()
    torch_lm, numpy_lm = (LanguageModel(m) for m in pair(graph, scaled_params(graph)))
    contexts = [[1], [0, 2, 2, 1, 0, 1, 2]]  # the second keeps its last 5 tokens
    a = torch_lm.next_log_probs(contexts)
    np.testing.assert_allclose(a, numpy_lm.next_log_probs(contexts), rtol=1e-10)
    np.testing.assert_allclose(a[1], torch_lm.next_log_probs([[2, 1, 0, 1, 2]])[0], rtol=1e-12)
    assert not np.allclose(a[0], a[1])


def test_a_network_ending_in_softmax_gives_its_probabilities():
    graph = chain(
        [
            ("Input", "tokens", {"shape": [4], "vocabulary": 3}),
            ("Embedding", "emb", {"vocabulary": 3, "dim": 4}),
            ("GRU", "rec", {"hidden": 5, "output": "last"}),
            ("Dense", "scores", {"units": 3}),
            ("Softmax", "p", {}),
            ("Output", "o", {"loss": "mse"}),
        ]
    )
    model = SequenceModel(graph, scaled_params(graph))
    lm = LanguageModel(model)
    assert lm.probabilities and not lm.per_step
    p = next_token_distribution(lm, [1, 2])  # the window reads 0, 0, 1, 2
    np.testing.assert_allclose(p, model.outputs(np.array([[0, 0, 1, 2]]))[0], rtol=1e-12)


def test_log_softmax_is_stable():
    out = log_softmax(np.array([1000.0, 0.0, -1000.0]))
    assert out[0] == pytest.approx(0.0) and out[1] == pytest.approx(-1000.0)


def test_networks_that_are_not_language_models_are_refused():
    with pytest.raises(GenerationError, match=r"x \(Input\) takes vectors, not token ids"):
        LanguageModel(SequenceModel(regressor("RNN")))
    pooled = chain(
        [
            ("Input", "tokens", {"shape": [5], "vocabulary": 3}),
            ("Embedding", "emb", {"vocabulary": 3, "dim": 4}),
            ("Flatten", "flat", {}),
            ("Dense", "scores", {"units": 3}),
            ("Reshape", "r", {"shape": [3, 1]}),
            ("Output", "o", {"loss": "mse"}),
        ]
    )
    with pytest.raises(GenerationError, match=r"o \(Output\) gives 3×1: a language model"):
        LanguageModel(SequenceModel(pooled))
    with pytest.raises(GenerationError, match="the prompt is empty"):
        LanguageModel(SequenceModel(language_model())).next_log_probs([[]])
