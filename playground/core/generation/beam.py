"""Beam search (001 §6.4.2): keep the k continuations with the highest total log-probability.

At every step each of the k hypotheses y_1 … y_{t−1} is extended by its k most likely next tokens; of the k²
candidates the k with the largest log p(y_1 … y_t) = Σ_s log p(y_s | prompt, y_<s) are kept. k = 1 is greedy
decoding; a k as large as the number of all continuations is the exhaustive search. A hypothesis that emits the
``end`` token (if one is given) is finished and set aside; the result lists the finished and the surviving
hypotheses, the highest sum of log-probabilities first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import GenerationError
from .language_model import Scorer


@dataclass(frozen=True)
class Hypothesis:
    tokens: tuple[int, ...]  # the continuation, without the prompt
    log_prob: float  # Σ log p(token | prompt, tokens before it)


def beam_search(
    scorer: Scorer, prompt: Sequence[int], length: int, beam: int, end: int | None = None
) -> list[Hypothesis]:
    """Continuations of ``prompt`` of up to ``length`` tokens, best first (at most ``beam`` of them)."""
    if beam < 1:
        raise GenerationError(f"the beam must keep at least 1 hypothesis, not {beam}.")
    alive = [Hypothesis((), 0.0)]
    done: list[Hypothesis] = []
    for _ in range(length):
        log_probs = scorer.next_log_probs([[*prompt, *h.tokens] for h in alive])
        candidates = []
        for h, row in zip(alive, log_probs, strict=True):
            for token in np.argsort(-row, kind="stable")[:beam]:
                candidates.append(Hypothesis((*h.tokens, int(token)), h.log_prob + float(row[token])))
        candidates.sort(key=lambda h: -h.log_prob)
        alive = []
        for h in candidates[:beam]:
            (done if end is not None and h.tokens[-1] == end else alive).append(h)
        if not alive:
            break
    return sorted(done + alive, key=lambda h: -h.log_prob)[:beam]
