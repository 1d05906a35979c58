"""Names for token ids a person can read: a dataset's own names (characters, digits), with the characters
that print as nothing made visible."""

from __future__ import annotations

VISIBLE = {" ": "␣", "\n": "⏎", "\t": "⇥", "\r": "␍"}


def visible(text: str) -> str:
    return "".join(VISIBLE.get(c, c if c.isprintable() else f"\\x{ord(c):02x}") for c in text)


def token_labels(vocabulary: int, names: list[str] | None = None) -> list[str]:
    """One label per id 0 … V−1: ``names`` when it names every token, the ids otherwise."""
    if names is not None and len(names) == vocabulary:
        return [visible(str(n)) for n in names]
    return [str(i) for i in range(vocabulary)]
