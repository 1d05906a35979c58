"""Text in and out through a vocabulary."""

from __future__ import annotations

import pytest

from playground.core.generation import GenerationError, LanguageModel, Vocabulary, generate_text, greedy
from playground.core.viz.sequence_model import SequenceModel
from tests.core.viz.sequence_nets import BACKENDS, language_model, scaled_params


def test_vocabulary_encodes_and_decodes_characters_and_words():
    chars = Vocabulary(list("ab\n"))
    assert chars.encode("ba\na") == [1, 0, 2, 0] and chars.decode([1, 0, 2]) == "ba\n"
    words = Vocabulary(["the", "cat", "sat"])
    assert words.encode("the cat  sat") == [0, 1, 2] and words.decode([1, 2]) == "cat sat"
    with pytest.raises(GenerationError, match="characters outside the model's vocabulary of 3: 'x', 'y'"):
        chars.encode("axbyx")
    with pytest.raises(GenerationError, match="words outside the model's vocabulary of 3: 'dog'"):
        words.encode("the dog")
    with pytest.raises(GenerationError, match="lists 'a' more than once"):
        Vocabulary(["a", "b", "a"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_generate_text_greedy_sampled_and_beam(backend):
    graph = language_model()
    lm = LanguageModel(SequenceModel(graph, scaled_params(graph), backend=backend))
    vocab = list("xyz")
    out = generate_text(lm, vocab, "xy", length=7, temperature=0)
    assert out.method == "greedy" and out.tokens == greedy(lm, [0, 1], 7)
    assert out.text == "".join(vocab[t] for t in out.tokens) and len(out.text) == 7
    sampled = generate_text(lm, vocab, "xy", length=7, temperature=0.8, top_k=2, seed=1)
    assert sampled.method == "sampling" and sampled == generate_text(lm, vocab, "xy", 7, 0.8, 2, seed=1)
    beam = generate_text(lm, vocab, "xy", length=3, beam=3)
    assert beam.method == "beam" and len(beam.beams) == 3 and beam.text == beam.beams[0][0]
    assert beam.to_dict()["beams"][0]["log_prob"] >= beam.beams[1][1]


def test_prompt_and_vocabulary_problems_are_named():
    lm = LanguageModel(SequenceModel(language_model()))
    with pytest.raises(GenerationError, match="outside the model's vocabulary of 3: '!'"):
        generate_text(lm, list("xyz"), "x!", length=3)
    with pytest.raises(GenerationError, match="the vocabulary has 4 tokens but the network scores 3"):
        generate_text(lm, list("wxyz"), "x", length=3)
    with pytest.raises(GenerationError, match="the prompt is empty"):
        generate_text(lm, list("xyz"), "", length=3)
    with pytest.raises(GenerationError, match="the length must be at least 1"):
        generate_text(lm, list("xyz"), "x", length=0)
