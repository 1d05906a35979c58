"""Typed errors of the graph model. Each names the node(s) involved in a sentence a student understands."""

from __future__ import annotations

from ..errors import PlaygroundError


class GraphError(PlaygroundError, ValueError):
    """Base class: an edit the graph refuses."""


class NodeNotFound(GraphError):
    pass


class EdgeNotFound(GraphError):
    pass


class DuplicateName(GraphError):
    """Another node already has this name."""


class InvalidName(GraphError):
    """A name that cannot be a node's name (empty, or characters a Python identifier may not have)."""


class DuplicateId(GraphError):
    pass


class InvalidParam(GraphError):
    def __init__(self, message: str, node_id: str | None = None, param: str | None = None):
        super().__init__(message, node_id)
        self.param = param


class ConnectionRefused(GraphError):
    """Base for a connection that cannot be made; ``str(err)`` is the reason to show."""


class CycleError(ConnectionRefused):
    pass


class PortOccupied(ConnectionRefused):
    pass


class PortNotFound(ConnectionRefused):
    pass


class SelfLoop(ConnectionRefused):
    pass


class DuplicateEdge(ConnectionRefused):
    pass
