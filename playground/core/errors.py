"""The base of the errors that can name a node, so that whoever shows the message can also point at the node.

Each family keeps the built-in base it always had (a graph edit or a dataset that does not fit is a
``ValueError``, a backend that cannot run a graph a ``RuntimeError``), so ``except ValueError`` still catches
them; ``except PlaygroundError`` catches them all and ``err.node_id`` says where (``None`` when no node is to
blame).
"""

from __future__ import annotations


class PlaygroundError(Exception):
    """A problem a student can fix: ``str(err)`` says what, ``node_id`` which node (or ``None``)."""

    def __init__(self, message: str, node_id: str | None = None):
        super().__init__(message)
        self.node_id = node_id
