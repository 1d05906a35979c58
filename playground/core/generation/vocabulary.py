"""Text to token ids and back through a vocabulary: the list of tokens, token i having id i.

A vocabulary of single characters (a character-level model) reads text character by character; one with
longer tokens (words) reads it split on whitespace and joins its output with spaces.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import GenerationError, UnknownTokensError


class Vocabulary:
    def __init__(self, tokens: Sequence[str]):
        self.tokens = [str(t) for t in tokens]
        if not self.tokens:
            raise GenerationError("the vocabulary is empty: it needs at least one token.")
        self.ids = {t: i for i, t in enumerate(self.tokens)}
        if len(self.ids) != len(self.tokens):
            twice = sorted({t for t in self.tokens if self.tokens.count(t) > 1})
            raise GenerationError(f"the vocabulary lists {', '.join(map(repr, twice))} more than once.")
        self.characters = all(len(t) == 1 for t in self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)

    def split(self, text: str) -> list[str]:
        return list(text) if self.characters else text.split()

    def encode(self, text: str) -> list[int]:
        """The ids of ``text``'s tokens; a token outside the vocabulary is named in the error."""
        pieces = self.split(text)
        unknown = [p for p in dict.fromkeys(pieces) if p not in self.ids]
        if unknown:
            what = "characters" if self.characters else "words"
            shown = ", ".join(repr(p) for p in unknown[:20]) + (" …" if len(unknown) > 20 else "")
            raise UnknownTokensError(
                f"the text has {what} outside the model's vocabulary of {len(self)}: {shown}.", unknown
            )
        return [self.ids[p] for p in pieces]

    def decode(self, ids: Sequence[int]) -> str:
        if any(not 0 <= int(i) < len(self) for i in ids):
            raise GenerationError(f"token ids must be between 0 and {len(self) - 1} (the vocabulary).")
        return ("" if self.characters else " ").join(self.tokens[int(i)] for i in ids)
