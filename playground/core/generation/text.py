"""Text in, text out: a prompt encoded through the vocabulary, continued by a decoder, decoded back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..viz.sequence_model import SequenceModel
from .beam import beam_search
from .errors import GenerationError
from .language_model import LanguageModel
from .sampling import check_options, sample
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class Generated:
    prompt: str
    text: str  # the continuation
    tokens: list[int]  # its token ids
    method: str  # "greedy", "sampling" or "beam"
    beams: list[tuple[str, float]] = field(default_factory=list)  # beam search: (text, Σ log p), best first

    def to_dict(self) -> dict[str, Any]:
        return {
            "prompt": self.prompt,
            "text": self.text,
            "tokens": self.tokens,
            "method": self.method,
            "beams": [{"text": t, "log_prob": lp} for t, lp in self.beams],
        }


def generate_text(
    model: SequenceModel | LanguageModel,
    vocabulary: Vocabulary | Sequence[str],
    prompt: str,
    length: int = 100,
    temperature: float = 1.0,
    top_k: int | None = None,
    beam: int | None = None,
    seed: int = 0,
) -> Generated:
    """``length`` tokens after ``prompt``: beam search with ``beam`` hypotheses when given, otherwise sampled
    with ``temperature`` (0: greedy) from the ``top_k`` most likely tokens (None: all)."""
    lm = model if isinstance(model, LanguageModel) else LanguageModel(model)
    vocab = vocabulary if isinstance(vocabulary, Vocabulary) else Vocabulary(vocabulary)
    if len(vocab) != lm.classes:
        raise GenerationError(
            f"the vocabulary has {len(vocab)} tokens but the network scores {lm.classes}: they must be the same."
        )
    if length < 1:
        raise GenerationError(f"the length must be at least 1 token, not {length}.")
    check_options(temperature, top_k)
    ids = vocab.encode(prompt)
    if not ids:
        raise GenerationError("the prompt is empty: give at least one token to continue.")
    if beam is not None:
        found = beam_search(lm, ids, length, beam)
        beams = [(vocab.decode(h.tokens), h.log_prob) for h in found]
        return Generated(prompt, beams[0][0], list(found[0].tokens), "beam", beams)
    tokens = sample(lm, ids, length, temperature, top_k, seed)
    return Generated(prompt, vocab.decode(tokens), tokens, "greedy" if temperature == 0 else "sampling")
