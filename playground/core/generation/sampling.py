"""Choosing the next token from the model's distribution: greedy, with a temperature, from the top k.

With temperature τ the probabilities become p_i^(1/τ) / Σ_j p_j^(1/τ): τ = 1 samples the model's own
distribution, τ < 1 sharpens it towards the most likely token, τ > 1 flattens it. τ = 0 is greedy decoding
(always the most likely token, 001 §6.4.2's k = 1), which is also the limit τ → 0. Top-k sampling first keeps
only the k most likely tokens. The random draws come from a seeded generator, so a seed repeats a text.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import GenerationError
from .language_model import Scorer


def check_options(temperature: float, top_k: int | None) -> None:
    if not (temperature >= 0 and np.isfinite(temperature)):
        raise GenerationError(f"the temperature must be 0 (greedy) or a positive number, not {temperature}.")
    if top_k is not None and top_k < 1:
        raise GenerationError(f"top-k must keep at least 1 token, not {top_k}.")


def choose(log_probs: np.ndarray, temperature: float, top_k: int | None, rng: np.random.Generator) -> int:
    """One token id from log-probabilities (V,)."""
    best = int(np.argmax(log_probs))
    if temperature == 0 or top_k == 1:
        return best
    scaled = np.asarray(log_probs, np.float64) / temperature
    if top_k is not None and top_k < len(scaled):
        cut = np.partition(scaled, -top_k)[-top_k]
        scaled = np.where(scaled >= cut, scaled, -np.inf)
    p = np.exp(scaled - scaled[best])  # the most likely token has weight 1: nothing overflows
    return int(rng.choice(len(p), p=p / p.sum()))


def sample(
    scorer: Scorer,
    prompt: Sequence[int],
    length: int,
    temperature: float = 1.0,
    top_k: int | None = None,
    seed: int = 0,
) -> list[int]:
    """``length`` tokens after ``prompt``, each chosen from the model's distribution given all before it."""
    check_options(temperature, top_k)
    rng = np.random.default_rng(seed)
    tokens = list(prompt)
    for _ in range(length):
        tokens.append(choose(scorer.next_log_probs([tokens])[0], temperature, top_k, rng))
    return tokens[len(prompt) :]


def greedy(scorer: Scorer, prompt: Sequence[int], length: int) -> list[int]:
    """The most likely token at every step."""
    return sample(scorer, prompt, length, temperature=0.0)
