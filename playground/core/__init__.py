"""The core of Playground, without any GUI. A few functions are offered from here directly (imported when
first used, so that importing one core module does not load them all)::

    from playground.core import attention_grid, attention_steps, positional_encoding, embedding_projection
    from playground.core import SequenceModel, recurrent_states, gradient_through_time, generate_text
"""

from __future__ import annotations

from .lazy import lazy_exports

# name → the module that defines it
_EXPORTS = {
    "AttentionGrid": "viz.attention_grid",
    "attention_grid": "viz.attention_grid",
    "AttentionSteps": "viz.attention",
    "attention_steps": "viz.attention",
    "attention_layers": "viz.attention",
    "PositionalMatrix": "viz.positional",
    "positional_encoding": "viz.positional",
    "EmbeddingProjection": "viz.embedding_projection",
    "embedding_projection": "viz.embedding_projection",
    "pca_2d": "viz.embedding_projection",
    "token_labels": "viz.tokens",
    "sequence_views": "viz.sequence_views",
    "SequenceModel": "viz.sequence_model",
    "RecurrentTrace": "viz.recurrent",
    "UnitFiring": "viz.recurrent",
    "recurrent_states": "viz.recurrent",
    "unit_firing": "viz.recurrent",
    "GradientThroughTime": "viz.through_time",
    "gradient_through_time": "viz.through_time",
    "Generated": "generation",
    "GenerationError": "generation",
    "Hypothesis": "generation",
    "LanguageModel": "generation",
    "Vocabulary": "generation",
    "beam_search": "generation",
    "generate_text": "generation",
    "greedy": "generation",
    "next_token_distribution": "generation",
    "sample": "generation",
}

__all__ = sorted(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
