"""The layer palette: every registered layer type by category, with a search box, an icon and a tooltip, and
the templates (sub-graphs such as a Transformer block) at the end.

Drag a layer onto the canvas (mime type :data:`MIME_LAYER` holding the type name; a template:
:data:`~.templates.MIME_TEMPLATE` holding its title), or double-click it / press Enter to drop it in the middle of
the canvas.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ...core.layers import CATEGORIES, LayerSpec, all_specs
from .. import theme
from .icons import layer_icon
from .templates import MIME_TEMPLATE, TEMPLATES

MIME_LAYER = "application/x-playground-layer"
TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
TEMPLATE_ROLE = Qt.ItemDataRole.UserRole + 2
TEMPLATES_CATEGORY = "Templates"


def layer_tooltip(spec: LayerSpec) -> str:
    lines = [f"<b>{spec.type}</b> <i>({spec.category})</i>", html.escape(spec.help)]
    if spec.params:
        lines.append("Parameters: " + ", ".join(p.title.lower() for p in spec.params))
    if spec.multi_input:
        lines.append(f"Takes {spec.min_inputs} or more inputs.")
    lines.append("<i>Drag onto the canvas, or double-click.</i>")
    return "<br>".join(lines)


class _LayerTree(QTreeWidget):
    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:
        data = QMimeData()
        templates = [i.data(0, TEMPLATE_ROLE) for i in items if i.data(0, TEMPLATE_ROLE)]
        if templates:
            data.setData(MIME_TEMPLATE, templates[0].encode("utf-8"))
            data.setText(templates[0])
            return data
        types = [i.data(0, TYPE_ROLE) for i in items if i.data(0, TYPE_ROLE)]
        if types:
            data.setData(MIME_LAYER, types[0].encode("utf-8"))
            data.setText(types[0])
        return data

    def mimeTypes(self) -> list[str]:
        return [MIME_LAYER, MIME_TEMPLATE]

    def startDrag(self, actions: Qt.DropAction) -> None:
        super().startDrag(actions)
        self.clearSelection()  # the layer just dropped does not stay highlighted as if still picked


class LayerPalette(QWidget):
    layer_activated = Signal(str)  # double-click / Enter on a layer type
    template_activated = Signal(str)  # double-click / Enter on a template (its title)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("palette")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search layers…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self._activate_first_visible)
        self.tree = _LayerTree()
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(8)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemActivated.connect(self._on_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        self.no_match = QLabel()
        self.no_match.setObjectName("palette_no_match")
        self.no_match.setWordWrap(True)
        self.no_match.setVisible(False)
        layout.addWidget(self.search)
        layout.addWidget(self.no_match)
        layout.addWidget(self.tree)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.template_items: dict[str, QTreeWidgetItem] = {}
        self._categories: dict[str, QTreeWidgetItem] = {}
        self._populate()
        theme.notifier.theme_changed.connect(self._paint_icons)

    def _populate(self) -> None:
        bold = QFont()
        bold.setBold(True)
        specs = all_specs()
        extra = [s.category for s in specs if s.category not in CATEGORIES]
        for category in (*CATEGORIES, *dict.fromkeys(extra)):
            members = [s for s in specs if s.category == category]
            if not members:
                continue
            head = QTreeWidgetItem([category])
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(head)
            self._categories[category] = head
            for spec in members:
                item = QTreeWidgetItem([spec.type])
                item.setData(0, TYPE_ROLE, spec.type)
                item.setToolTip(0, layer_tooltip(spec))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
                head.addChild(item)
                self.items[spec.type] = item
        self._add_templates(bold)
        self.tree.expandAll()
        self._paint_icons()

    def _add_templates(self, bold: QFont) -> None:
        head = QTreeWidgetItem([TEMPLATES_CATEGORY])
        head.setFont(0, bold)
        head.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.tree.addTopLevelItem(head)
        self._categories[TEMPLATES_CATEGORY] = head
        for title, entry in TEMPLATES.items():
            item = QTreeWidgetItem([title])
            item.setData(0, TEMPLATE_ROLE, title)
            item.setToolTip(0, f"<b>{html.escape(title)}</b> <i>(template)</i><br>{html.escape(entry.help)}")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
            head.addChild(item)
            self.template_items[title] = item

    def _paint_icons(self, *_args) -> None:
        t = theme.current()
        for type_, item in self.items.items():
            spec = next(s for s in all_specs() if s.type == type_)
            item.setIcon(0, layer_icon(spec, t.category(spec.category).lighter(115 if t.name == "dark" else 100)))

    def filter(self, text: str) -> None:
        """Show only layers whose name, category or help mentions ``text``."""
        needle = text.strip().lower()
        specs = {s.type: s for s in all_specs()}
        for _category, head in self._categories.items():
            any_visible = False
            for i in range(head.childCount()):
                child = head.child(i)
                template = child.data(0, TEMPLATE_ROLE)
                if template:
                    words = f"{template} {TEMPLATES_CATEGORY} {TEMPLATES[template].help}"
                else:
                    spec = specs[child.data(0, TYPE_ROLE)]
                    words = f"{spec.type} {spec.category} {spec.help}"
                visible = not needle or needle in words.lower()
                child.setHidden(not visible)
                any_visible |= visible
            head.setHidden(not any_visible)
        self.tree.expandAll()
        none = bool(needle) and not self.visible_types() and not self.visible_templates()
        self.no_match.setText(f"No layer matches “{text.strip()}”." if none else "")
        self.no_match.setVisible(none)

    def visible_types(self) -> list[str]:
        return [t for t, item in self.items.items() if not item.isHidden() and not item.parent().isHidden()]

    def visible_templates(self) -> list[str]:
        return [t for t, item in self.template_items.items() if not item.isHidden() and not item.parent().isHidden()]

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        template = item.data(0, TEMPLATE_ROLE)
        if template:
            self.template_activated.emit(template)
            return
        type_ = item.data(0, TYPE_ROLE)
        if type_:
            self.layer_activated.emit(type_)

    def _activate_first_visible(self) -> None:
        if not self.search.text().strip():
            return
        visible, templates = self.visible_types(), self.visible_templates()
        if visible:
            self.layer_activated.emit(visible[0])
        elif templates:
            self.template_activated.emit(templates[0])
