"""Errors the visualizations raise: each message says what is wrong and how to fix it."""

from __future__ import annotations


class VizError(ValueError):
    """A visualization cannot run with these inputs (wrong layer, not a classifier, bad image...)."""


class UnknownLayerError(VizError):
    """A layer name the model does not have; ``valid`` lists the names it does have."""

    def __init__(self, name: str, valid: list[str], what: str = "layer"):
        shown = ", ".join(valid[:60]) + (f", … ({len(valid)} in all)" if len(valid) > 60 else "")
        super().__init__(f"unknown {what} '{name}'. Valid names: {shown}")
        self.name = name
        self.valid = valid
