"""The layer graph: model, events and typed errors."""

from .errors import (
    ConnectionRefused,
    CycleError,
    DuplicateEdge,
    DuplicateId,
    DuplicateName,
    EdgeNotFound,
    GraphError,
    InvalidName,
    InvalidParam,
    NodeNotFound,
    PortNotFound,
    PortOccupied,
    SelfLoop,
)
from .groups import group_members, groups, set_group
from .model import Edge, Graph, GraphEvents, Node

__all__ = [
    "ConnectionRefused",
    "CycleError",
    "DuplicateEdge",
    "DuplicateId",
    "DuplicateName",
    "Edge",
    "EdgeNotFound",
    "Graph",
    "GraphError",
    "GraphEvents",
    "InvalidName",
    "InvalidParam",
    "Node",
    "NodeNotFound",
    "PortNotFound",
    "PortOccupied",
    "SelfLoop",
    "group_members",
    "groups",
    "set_group",
]
