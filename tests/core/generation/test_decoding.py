"""Greedy, temperature and top-k sampling, and beam search, on a real language model on both backends."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from playground.core.generation import (
    GenerationError,
    LanguageModel,
    beam_search,
    choose,
    greedy,
    sample,
)
from playground.core.viz.sequence_model import SequenceModel
from tests.core.viz.sequence_nets import BACKENDS, language_model, scaled_params


@pytest.fixture(scope="module", params=BACKENDS)
def lm(request) -> LanguageModel:
    graph = language_model()
    return LanguageModel(SequenceModel(graph, scaled_params(graph), backend=request.param))


def brute_force(lm: LanguageModel, prompt: list[int], length: int) -> list[tuple[float, tuple[int, ...]]]:
    """Every continuation with its Σ log p, computed token by token, best first."""
    scored = []
    for continuation in itertools.product(range(lm.classes), repeat=length):
        total, context = 0.0, list(prompt)
        for token in continuation:
            total += float(lm.next_log_probs([context])[0, token])
            context.append(token)
        scored.append((total, continuation))
    return sorted(scored, key=lambda s: -s[0])


def test_beam_search_finds_the_most_likely_continuation(lm):
    exhaustive = brute_force(lm, [0], 3)
    found = beam_search(lm, [0], 3, beam=9)  # 3 tokens, 3 steps: k = 9 keeps every prefix, so it is exact
    assert [h.tokens for h in found] == [s[1] for s in exhaustive[:9]]
    np.testing.assert_allclose([h.log_prob for h in found], [s[0] for s in exhaustive[:9]], rtol=1e-12)
    # a narrower beam never beats the exhaustive search and scores its own hypothesis honestly
    narrow = beam_search(lm, [0], 3, beam=2)[0]
    assert narrow.log_prob <= exhaustive[0][0] + 1e-12
    assert narrow.log_prob == pytest.approx(dict((s[1], s[0]) for s in exhaustive)[narrow.tokens], rel=1e-12)


def test_beam_of_one_is_greedy(lm):
    assert list(beam_search(lm, [2, 1], 6, beam=1)[0].tokens) == greedy(lm, [2, 1], 6)


def test_beam_sets_finished_hypotheses_aside(lm):
    found = beam_search(lm, [0], 4, beam=3, end=2)
    assert all(h.tokens[-1] == 2 or len(h.tokens) == 4 for h in found)
    assert all(2 not in h.tokens[:-1] for h in found)
    assert [h.log_prob for h in found] == sorted((h.log_prob for h in found), reverse=True)


def test_greedy_takes_the_most_likely_token_each_step(lm):
    tokens = greedy(lm, [1], 5)
    context = [1]
    for token in tokens:
        assert token == int(np.argmax(lm.next_log_probs([context])[0]))
        context.append(token)


def test_temperature_towards_zero_is_greedy(lm):
    expected = greedy(lm, [0, 2], 8)
    for seed in range(5):
        assert sample(lm, [0, 2], 8, temperature=1e-6, seed=seed) == expected
        assert sample(lm, [0, 2], 8, temperature=0.0, seed=seed) == expected


def test_sampling_is_seeded_and_varies_with_the_seed(lm):
    a = sample(lm, [0], 30, temperature=1.5, seed=3)
    assert a == sample(lm, [0], 30, temperature=1.5, seed=3)
    assert any(sample(lm, [0], 30, temperature=1.5, seed=s) != a for s in range(4, 8))


def test_choose_follows_the_tempered_distribution():
    log_p = np.log(np.array([0.5, 0.3, 0.15, 0.05]))
    rng = np.random.default_rng(0)
    counts = np.bincount([choose(log_p, 1.0, None, rng) for _ in range(4000)], minlength=4) / 4000
    np.testing.assert_allclose(counts, [0.5, 0.3, 0.15, 0.05], atol=0.03)
    hot = np.exp(log_p / 2) / np.exp(log_p / 2).sum()  # τ = 2 flattens the distribution
    counts = np.bincount([choose(log_p, 2.0, None, rng) for _ in range(4000)], minlength=4) / 4000
    np.testing.assert_allclose(counts, hot, atol=0.03)
    top2 = np.bincount([choose(log_p, 1.0, 2, rng) for _ in range(4000)], minlength=4) / 4000
    assert top2[2] == top2[3] == 0  # only the two most likely tokens, renormalised: 0.625, 0.375
    np.testing.assert_allclose(top2[:2], [0.625, 0.375], atol=0.03)


def test_bad_options_are_named(lm):
    with pytest.raises(GenerationError, match="temperature must be 0 \\(greedy\\) or a positive number, not -1"):
        sample(lm, [0], 3, temperature=-1)
    with pytest.raises(GenerationError, match="top-k must keep at least 1 token, not 0"):
        sample(lm, [0], 3, top_k=0)
    with pytest.raises(GenerationError, match="the beam must keep at least 1 hypothesis"):
        beam_search(lm, [0], 3, beam=0)
