"""Typed errors of the graph model. Each names the node(s) involved in a sentence a student understands."""

from __future__ import annotations


class GraphError(ValueError):
    """Base class: an edit the graph refuses."""

    def __init__(self, message: str, node_id: str | None = None):
        super().__init__(message)
        self.node_id = node_id


class NodeNotFound(GraphError):
    pass


class EdgeNotFound(GraphError):
    pass


class DuplicateName(GraphError):
    pass


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
