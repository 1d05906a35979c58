"""The sequence examples learn what they promise: the reverse Transformer answers ≥ 95 % of the digits with a
head that looks at the mirrored step, the character models beat the corpus's unigram entropy by far (in bits
per character), the GRU forecasts a noisy sine wave far better than repeating the last reading."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.backends.numpy.model import NumpyModel
from playground.core.data.text import nats_to_bits, unigram_bits
from playground.core.io.project_file import load_project
from playground.core.training.engine import TrainingRun

pytestmark = pytest.mark.slow


def mirrored_attention(run: TrainingRun, samples: int = 500) -> np.ndarray:
    """Per head, the share of attention each step t gives the step T−1−t, averaged over validation strings:
    read from the attention layer's own weights after a forward pass with the trained parameters."""
    model = NumpyModel(run.graph, params=run.trainer.parameters(), dtype=np.float64)
    model.forward(run.splits.val.x[:samples], train=False)
    weights = model.layer("attention").weights  # (N, heads, T, T): query t, key s
    steps = weights.shape[-1]
    t = np.arange(steps)
    return weights[:, :, t, steps - 1 - t].mean(axis=(0, 2))


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_the_reverse_transformer_reverses_by_attending_to_the_mirrored_step(examples_dir, backend):
    project = load_project(examples_dir / "reverse_transformer.json")
    run = TrainingRun(project, backend=backend, epochs=6)
    summary = run.run()
    assert summary["val_accuracy"] >= 0.95, summary  # every digit of every string counts
    shares = mirrored_attention(run)
    print(f"{backend}: token accuracy {summary['val_accuracy']:.3f}, attention on the mirrored step per head {shares}")
    assert shares.max() >= 0.6, shares  # uniform attention would give 1/6


def test_an_untrained_transformer_does_not_look_at_the_mirrored_step(examples_dir):
    """The measure above can fail: before training no head singles the mirrored step out."""
    run = TrainingRun(load_project(examples_dir / "reverse_transformer.json"))
    assert mirrored_attention(run).max() < 0.3


@pytest.mark.parametrize("name", ["char_lstm", "tiny_gpt"])
def test_character_models_beat_the_unigram_entropy_of_the_corpus(examples_dir, name):
    run = TrainingRun(load_project(examples_dir / f"{name}.json"))
    summary = run.run()
    full = run.splits.train.num_classes
    targets = np.concatenate([run.splits[s].y.ravel() for s in ("train", "val", "test")])
    unigram = unigram_bits(targets, full)
    val_bits = nats_to_bits(summary["val_loss"])
    print(f"{name}: validation {val_bits:.2f} bits per character, unigram entropy of the corpus {unigram:.2f}")
    assert 4.0 < unigram < 5.0  # Python source: blanks and lower-case letters dominate
    assert val_bits < unigram - 1.0, (val_bits, unigram)


def test_the_gru_forecasts_the_sine_wave_far_better_than_the_last_reading(examples_dir):
    run = TrainingRun(load_project(examples_dir / "sine_gru.json"))
    summary = run.run()
    val = run.splits.val
    last_reading = float(((val.x[:, -1, :] - val.y) ** 2).mean())
    noise = 0.1**2  # the floor: the values to predict carry this much noise
    print(f"sine: validation MSE {summary['val_loss']:.4f}, last reading {last_reading:.4f}, floor {noise}")
    assert summary["val_loss"] < last_reading / 2.5, (summary, last_reading)
    assert summary["val_loss"] > noise * 0.8  # no model beats the noise: the split is honest
