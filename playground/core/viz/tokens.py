"""Names for token ids a person can read: a dataset's own names (characters, digits), with the characters
that print as nothing made visible."""

from __future__ import annotations

from ..graph.model import Graph

VISIBLE = {" ": "␣", "\n": "⏎", "\t": "⇥", "\r": "␍"}


def visible(text: str) -> str:
    return "".join(VISIBLE.get(c, c if c.isprintable() else f"\\x{ord(c):02x}") for c in text)


def token_labels(vocabulary: int, names: list[str] | None = None) -> list[str]:
    """One label per id 0 … V−1: ``names`` when it names every token, the ids otherwise."""
    if names is not None and len(names) == vocabulary:
        return [visible(str(n)) for n in names]
    return [str(i) for i in range(vocabulary)]


def input_tokens(graph: Graph, names: list[str] | None = None) -> list[str] | None:
    """Labels for the token ids of ``graph``'s Input (None when it takes vectors): ``names`` (a dataset's, e.g.
    its characters) when they name every token, else the Input's own ``token_names``, else the ids."""
    inputs = graph.nodes_of_type("Input")
    vocabulary = int(inputs[0].params.get("vocabulary", 0) or 0) if inputs else 0
    if vocabulary <= 0:
        return None
    if names is None or len(names) != vocabulary:
        names = str(inputs[0].params.get("token_names", "") or "").split() or None
    return token_labels(vocabulary, names)
