"""A network of token ids as a language model: the distribution of the next token after a context.

The network reads a window of T token ids (its Input, with a vocabulary) and gives either one score per
class at every step (T×V: an Embedding → LSTM / attention → Dense per step language model, trained with the
per-step cross-entropy), or one score per class for the whole window (V). The next token after a context
y_1 … y_L is read

* per step: at step L of the window y_1 … y_L, 0, …, 0 (the steps after L do not change step L's output in
  a causal model: a forward RNN / LSTM / GRU or masked attention); a context longer than T keeps its last T
  tokens and is read at step T;
* for the window: from the last T tokens, the shorter contexts padded with token 0 on the left.

Scores are turned into log-probabilities by a log-softmax, unless the network ends in a Softmax already.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

from ..viz.sequence_model import SequenceModel
from .errors import GenerationError


class Scorer(Protocol):
    """What the decoders need: log p(next token | context) for a batch of contexts, (N, V)."""

    classes: int

    def next_log_probs(self, contexts: Sequence[Sequence[int]]) -> np.ndarray: ...


def log_softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


class LanguageModel:
    def __init__(self, model: SequenceModel):
        if not model.vocabulary_size:
            raise GenerationError(
                f"{model.input_name} (Input) takes vectors, not token ids: generating text needs a network whose "
                "Input has a vocabulary (token ids into an Embedding)."
            )
        out = model.output_shape
        if len(out) not in (1, 2) or (len(out) == 2 and out[0] != model.input_shape[0]):
            raise GenerationError(
                f"{model.output_name} (Output) gives {'×'.join(map(str, out))}: a language model gives a score per "
                f"token at every step ({model.input_shape[0]}×V) or for the whole window (V)."
            )
        self.model = model
        self.window = int(model.input_shape[0])
        self.classes = int(out[-1])
        self.per_step = len(out) == 2
        last = model.graph.predecessors(model.graph.by_name(model.output_name).id)[0]
        self.probabilities = bool(last.spec.probabilities)

    def next_log_probs(self, contexts: Sequence[Sequence[int]]) -> np.ndarray:
        """log p(next token | context) for each context, (N, V)."""
        if any(len(c) == 0 for c in contexts):
            raise GenerationError("the prompt is empty: give at least one token to continue.")
        x = np.zeros((len(contexts), self.window))
        read = np.empty(len(contexts), int)
        for row, context in enumerate(contexts):
            kept = list(context)[-self.window :]
            if self.per_step:
                x[row, : len(kept)] = kept
                read[row] = len(kept) - 1
            else:
                x[row, self.window - len(kept) :] = kept
        out = self.model.outputs(x)
        scores = out[np.arange(len(contexts)), read] if self.per_step else out
        if self.probabilities:
            with np.errstate(divide="ignore"):
                return np.log(scores)
        return log_softmax(scores)


def next_token_distribution(model: SequenceModel | LanguageModel, context: Sequence[int]) -> np.ndarray:
    """p(next token | context): the model's probabilities (V,) of each token coming next."""
    lm = model if isinstance(model, LanguageModel) else LanguageModel(model)
    return np.exp(lm.next_log_probs([context])[0])
