"""Generating sequences from a trained language model (001 §6.3 autoregressive models, §6.4.2 beam search).

    model = SequenceModel.from_project(project, "W.safetensors")   # or .from_trainer(run.trainer): live
    lm = LanguageModel(model)                    # token ids in, log p(next token | context) out
    next_token_distribution(lm, [3, 1, 4])       # (V,) probabilities of the token after the context
    greedy(lm, prompt_ids, length)               # the most likely token at each step
    sample(lm, prompt_ids, length, temperature=0.8, top_k=5, seed=0)   # temperature 0 is greedy, exactly
    beam_search(lm, prompt_ids, length, beam=4)  # [Hypothesis(tokens, log_prob)], highest Σ log p first

    vocab = Vocabulary(list_of_tokens)           # token i has id i; encode() names tokens it does not know
    generate_text(lm, vocab, "def ", length=80, temperature=0.5)   # text in, Generated(text, tokens, …) out

Works on either backend (the :class:`~playground.core.viz.sequence_model.SequenceModel`'s) for networks of token
ids giving a score per token at every step (Embedding → LSTM / attention → Dense → per-step cross-entropy)
or one per window; see :mod:`.language_model` for how a context is fed in.
"""

from .beam import Hypothesis, beam_search
from .errors import GenerationError, UnknownTokensError
from .language_model import LanguageModel, Scorer, log_softmax, next_token_distribution
from .sampling import choose, greedy, sample
from .text import Generated, generate_text
from .vocabulary import Vocabulary

__all__ = [
    "Generated",
    "GenerationError",
    "Hypothesis",
    "LanguageModel",
    "Scorer",
    "UnknownTokensError",
    "Vocabulary",
    "beam_search",
    "choose",
    "generate_text",
    "greedy",
    "log_softmax",
    "next_token_distribution",
    "sample",
]
