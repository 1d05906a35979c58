"""The events a graph emits (psygnal), which views connect to."""

from __future__ import annotations

from psygnal import Signal


class GraphEvents:
    """Plain-Python events (psygnal) a view can connect to."""

    node_added = Signal(object)  # Node
    node_removed = Signal(object)  # Node
    edge_added = Signal(object)  # Edge
    edge_removed = Signal(object)  # Edge
    param_changed = Signal(object, str, object, object)  # Node, name, old, new
    node_renamed = Signal(object, str, str)  # Node, old, new
    node_moved = Signal(object, object)  # Node, new position
    group_changed = Signal(object, object, object)  # Node, old group, new group (None: in no group)
    cleared = Signal()
    changed = Signal()  # after any change: the cheap way to refresh derived views
