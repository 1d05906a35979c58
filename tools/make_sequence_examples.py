"""Regenerate the sequence examples trained on generated data or text (run: python tools/make_sequence_examples.py):
reverse_transformer.json, char_lstm.json, tiny_gpt.json and sine_gru.json."""

from __future__ import annotations

from make_examples import OUT, Builder, save

from playground.core.config import DatasetConfig, OptimizerConfig, TrainingConfig
from playground.core.data.text import DEFAULT_ALPHABET
from playground.core.graph.template import GAP, apply_placement, place_template
from playground.core.graph.transformer_block import transformer_block
from playground.core.io.project_file import save_project
from playground.core.project import Project

VOCABULARY = len(DEFAULT_ALPHABET)  # the default corpus's fixed alphabet: 96 characters
WINDOW = 64


def reverse_transformer() -> Project:
    b = Builder()
    b.add("Input", "digits", shape=[6], vocabulary=10)
    b.add("Embedding", "embedding", vocabulary=10, dim=32)
    b.add("PositionalEncoding", "position")
    b.add("MultiHeadAttention", "attention", heads=2, d_k=16)
    b.add("Dense", "scores", units=10)
    b.add("Output", "output", loss="cross_entropy")
    return Project(
        b.graph,
        DatasetConfig(name="reverse", params={"n_samples": 4000, "steps": 6}),
        TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=0.005), batch_size=32, epochs=10),
        name="Reverse digits (Transformer)",
        description="Six digits in, the same digits reversed out: token ids → Embedding + sinusoidal "
        "PositionalEncoding → one MultiHeadAttention layer → a Dense per step → cross-entropy at every step. "
        "Nothing but attention moves information between steps, so to answer at step t a head must learn to look "
        "at step 5 − t: open the attention grid and watch the anti-diagonal form.",
    )


def char_lstm() -> Project:
    b = Builder()
    b.add("Input", "characters", shape=[WINDOW], vocabulary=VOCABULARY)
    b.add("Embedding", "embedding", vocabulary=VOCABULARY, dim=32)
    b.add("LSTM", "lstm", hidden=128)
    b.add("Dense", "next_character", units=VOCABULARY)
    b.add("Output", "output", loss="cross_entropy")
    return Project(
        b.graph,
        DatasetConfig(name="text", params={"steps": WINDOW}, val_fraction=0.1, test_fraction=0.1),
        TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=0.005), batch_size=32, epochs=10, clip_norm=1.0),
        name="Character LSTM",
        description="A character-level language model on the default corpus (Python source from the standard "
        "library, no download): each of 64 characters predicts the next one through an LSTM of 128 units. "
        "Choose your own .txt file in the dataset options (the vocabulary must then match its characters).",
    )


def tiny_gpt() -> Project:
    """The block is the canvas's Transformer block template, dropped after the positions (grouped, laid out as
    the palette drops it)."""
    b = Builder()
    b.add("Input", "characters", shape=[WINDOW], vocabulary=VOCABULARY)
    b.add("Embedding", "embedding", vocabulary=VOCABULARY, dim=64)
    position = b.add("PositionalEncoding", "position", kind="learned")
    b.add("Dense", "next_character", units=VOCABULARY)
    b.add("Output", "output", loss="cross_entropy")
    for i, node in enumerate(b.graph.nodes):
        b.graph.move(node.id, (i * GAP, 0.0))
    block = transformer_block(d_model=64, heads=4, ff=128, causal=True)
    apply_placement(b.graph, place_template(b.graph, block, (0.0, 0.0), after=position))
    return Project(
        b.graph,
        DatasetConfig(name="text", params={"steps": WINDOW}, val_fraction=0.1, test_fraction=0.1),
        TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=0.003), batch_size=32, epochs=10, clip_norm=1.0),
        name="Tiny GPT",
        description="A decoder-only Transformer on the default corpus: characters → Embedding + learned "
        "positions → one block (causal MultiHeadAttention, Add, LayerNorm, feed-forward with GELU, Add, "
        "LayerNorm) → the next character at every step. The causal mask lets step t see only steps ≤ t, so "
        "it can generate text one character at a time.",
    )


def sine_gru() -> Project:
    b = Builder()
    b.add("Input", "readings", shape=[30, 1])
    b.add("GRU", "gru", hidden=32, output="last")
    b.add("Dense", "forecast", units=1)
    b.add("Output", "output", loss="mse")
    return Project(
        b.graph,
        DatasetConfig(name="sine", params={"n_samples": 4000, "steps": 30, "horizon": 1, "noise": 0.1}),
        TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=0.01), batch_size=32, epochs=10),
        name="Sine forecast (GRU)",
        description="30 noisy readings of a sine wave of unknown period, amplitude and phase; a GRU reads them "
        "and predicts the next one. The noise (σ = 0.1) sets the floor: no forecast beats an MSE of 0.01, and "
        "repeating the last reading scores about 0.05.",
    )


def main() -> None:
    save(reverse_transformer(), "reverse_transformer.json")
    save(char_lstm(), "char_lstm.json")
    save_project(tiny_gpt(), OUT / "tiny_gpt.json")  # its own layout: the block's sub-layers hang below the line
    print("wrote tiny_gpt.json")
    save(sine_gru(), "sine_gru.json")


if __name__ == "__main__":
    main()
