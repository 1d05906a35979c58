"""The registry entries of the digit-string, sine-wave and character-text datasets (imported by the package,
which registers them next to the built-in sets of registry.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..layers.spec import Param
from . import sequences, text
from .dataset import Dataset
from .registry import DatasetInfo, register

DIGITS = [str(d) for d in range(10)]


STRINGS = (
    Param("n_samples", "int", 4000, "Number of strings", minimum=20, maximum=100000),
    Param("steps", "int", 6, "T: the length of each string", minimum=1, maximum=1000),
)


def _digit_task(name: str, generate: Callable[..., tuple[np.ndarray, np.ndarray]]):
    def build(p: Mapping[str, Any], seed: int) -> Dataset:
        x, y = generate(p["n_samples"], p["steps"], np.random.default_rng(seed))
        return Dataset(name, "classification", x, y, list(DIGITS))

    return build


def _sine(p: Mapping[str, Any], seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    x, y = sequences.sine_forecast(p["n_samples"], p["steps"], rng, p["horizon"], p["noise"])
    return Dataset("sine", "regression", x, y)


def _text(p: Mapping[str, Any], _seed: int) -> Dataset:
    x, y, vocab, description = text.char_text(p["file"], p["steps"], p["max_chars"])
    return Dataset("text", "classification", x, y, vocab, ordered=True, description=description)


register(
    DatasetInfo(
        "copy",
        "Copy digits (sequences)",
        "classification",
        "T random digits as token ids (an Input with vocabulary 10); the target is the same string, a class per "
        "time step: the easy control, every answer sits at its own step.",
        STRINGS,
        _digit_task("copy", sequences.copy_digits),
    )
)
register(
    DatasetInfo(
        "sort",
        "Sort digits (sequences)",
        "classification",
        "T random digits as token ids (an Input with vocabulary 10); the target is the same digits in increasing "
        "order, a class per time step: each answer depends on the whole string.",
        STRINGS,
        _digit_task("sort", sequences.sort_digits),
    )
)
register(
    DatasetInfo(
        "sine",
        "Sine forecast (sequences)",
        "regression",
        "T noisy values of a sine wave (random period 8–40 steps, amplitude, phase) as a T×1 sequence; the "
        "target is the next value(s). No model beats an MSE of noise².",
        (
            Param("n_samples", "int", 4000, "Number of waves", minimum=20, maximum=100000),
            Param("steps", "int", 30, "T: how many past values the network sees", minimum=2, maximum=1000),
            Param("horizon", "int", 1, "How many values ahead to predict", minimum=1, maximum=100),
            Param("noise", "float", 0.1, "Standard deviation of the noise on every value", minimum=0.0, maximum=1.0),
        ),
        _sine,
    )
)
register(
    DatasetInfo(
        "text",
        "Character text (sequences)",
        "classification",
        "Windows of T characters as token ids; the target at each step is the next character (a language model). "
        "Split by position, not shuffled. No file: the default corpus, " + text.DEFAULT_CORPUS_NAME + " (offline).",
        (
            Param(
                "file",
                "file",
                "",
                "A UTF-8 .txt file; empty: the default corpus from the Python standard library's source",
                patterns=("*.txt",),
                label="Text file",
            ),
            Param("steps", "int", 64, "T: the length of each window in characters", minimum=2, maximum=4096),
            Param(
                "max_chars",
                "int",
                0,
                "Use only the text's first characters (0: all of it)",
                minimum=0,
                maximum=1_000_000_000,
                label="Characters used",
            ),
        ),
        _text,
        group="Text",
    )
)
