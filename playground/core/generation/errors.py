"""The error generation raises: the message says what is wrong with the model, the prompt or an option."""

from __future__ import annotations


class GenerationError(ValueError):
    """Text cannot be generated with this model, prompt or option."""


class UnknownTokensError(GenerationError):
    """Text holding tokens the vocabulary does not have; ``tokens`` lists them."""

    def __init__(self, message: str, tokens: list[str]):
        super().__init__(message)
        self.tokens = tokens
