"""The error generation raises: the message says what is wrong with the model, the prompt or an option."""

from __future__ import annotations


class GenerationError(ValueError):
    """Text cannot be generated with this model, prompt or option."""
