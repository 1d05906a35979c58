"""Groups on the canvas: a frame around each group's cards, a click on one member selecting them all (so a drag
moves them as one), and the context menu's Group / Ungroup.

When the selection is exactly the group of the card just clicked, that card is the one the inspector shows: the
block moves as one, yet each of its layers stays editable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QMenu

from ...core.graph import group_members, groups
from .commands import SetGroup
from .group_frame import GroupFrame
from .node_item import NodeItem

if TYPE_CHECKING:
    from .scene import GraphScene

GROUP_STEM = "group"


class GroupKeeper:
    def __init__(self, scene: GraphScene):
        self.scene = scene
        self.frames: dict[str, GroupFrame] = {}
        self.expanding = False
        self.focus: str | None = None  # the card last pressed

    # ------------------------------------------------------------------ frames
    def rebuild(self) -> None:
        """After the scene's items were made again: every group's frame fitted to its cards (the scene forgot the
        frames its clear() deleted before adding the cards, which made the new ones)."""
        for group in groups(self.scene.graph):
            self.refresh(group)

    def refresh(self, group: str | None) -> None:
        """Make, fit or drop ``group``'s frame after a member came, went, joined or left."""
        if group is None:
            return
        ids = set(group_members(self.scene.graph, group))
        members = [item for n, item in self.scene.node_items.items() if n in ids]
        frame = self.frames.get(group)
        if not members:
            if frame is not None:
                self.scene.removeItem(self.frames.pop(group))
            return
        if frame is None:
            frame = self.frames[group] = GroupFrame(group)
            self.scene.addItem(frame)
        others = [item.sceneBoundingRect() for n, item in self.scene.node_items.items() if n not in ids]
        frame.fit(members, others)

    def refit_all(self) -> None:
        for group in list(self.frames):
            self.refresh(group)

    def card_moved(self, item: NodeItem) -> None:
        """A card moved: its group's frame follows, and a frame it came into or left draws around it."""
        card = item.sceneBoundingRect()
        for group, frame in list(self.frames.items()):
            if group == item.node.group or frame.split or frame.rect.intersects(card):
                self.refresh(group)

    # ------------------------------------------------------------------ selection
    def reveal_selection(self) -> None:
        """Scroll the canvas to the selected cards if they are out of sight."""
        rect = QRectF()
        for item in self.scene.selectedItems():
            if isinstance(item, NodeItem):
                rect = rect.united(item.sceneBoundingRect())
        for view in self.scene.views() if not rect.isNull() else ():
            view.ensureVisible(rect, 40, 40)

    def pressed(self, item: NodeItem | None) -> bool:
        """A press on ``item`` (None: elsewhere); True if the focus moved to another card."""
        focus = item.node.id if item is not None else None
        changed, self.focus = focus != self.focus, focus
        return changed

    def expand_selection(self) -> None:
        """Select every member of each group that has a selected member."""
        graph = self.scene.graph
        # the cards' own nodes: while a removal is under way the graph may have let go of a selected one already
        selected = [i.node for i in self.scene.selectedItems() if isinstance(i, NodeItem)]
        chosen = {n.group for n in selected if n.id in graph} - {None}
        self.expanding = True
        try:
            for group in chosen:
                for nid in group_members(graph, str(group)):
                    item = self.scene.node_items.get(nid)
                    if item is not None and not item.isSelected():
                        item.setSelected(True)
        finally:
            self.expanding = False

    def shown(self, ids: list[str]) -> list[str]:
        """The layers the inspector shows for the selection ``ids``: the pressed card if ``ids`` is its group."""
        graph = self.scene.graph
        if self.focus is None or self.focus not in ids or self.focus not in graph:
            return ids
        group = graph.node(self.focus).group
        if group is not None and sorted(ids) == sorted(group_members(graph, group)):
            return [self.focus]
        return ids

    # ------------------------------------------------------------------ commands
    def add_menu_entries(self, menu: QMenu, item: NodeItem) -> None:
        group = item.node.group
        if group is not None:
            menu.addAction(f"Ungroup {group}", lambda: self.ungroup(group))
            return
        ids = self.scene.selected_node_ids()
        graph = self.scene.graph
        if len(ids) > 1 and all(graph.node(n).group is None for n in ids):
            menu.addAction("Group", lambda: self.group(ids))

    def ungroup(self, group: str) -> bool:
        graph = self.scene.graph
        members = group_members(graph, group)
        return bool(members) and self.scene.document.push(SetGroup(graph, members, None, f"Ungroup {group}"))

    def group(self, node_ids: list[str]) -> bool:
        graph = self.scene.graph
        taken = set(groups(graph))
        i = 1
        while f"{GROUP_STEM}{i}" in taken:
            i += 1
        name = f"{GROUP_STEM}{i}"
        return self.scene.document.push(SetGroup(graph, node_ids, name, f"Group {len(node_ids)} layers as {name}"))
