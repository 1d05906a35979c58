"""The inspector: the selected layer's name, help, output shape, problems and a parameter form generated from its
LayerSpec; with nothing selected, an overview of the network and every problem in it.

Every change made here is an undoable command (rename, set a parameter); a value the core refuses is shown
with the core's message and the field goes back to the model's value. Parameters with ``visible_when`` appear
only when the parameter they depend on has one of the listed values.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core.graph import Graph, Node
from ...core.layers import Param, describe_shape
from ...core.project import Project
from ...core.shapes import ShapeReport
from .. import theme
from ..document import Document
from ..editor.commands import Rename, SetParam
from ..editor.node_item import format_count
from .layer_code_view import LayerCodeView
from .param_editors import ParamEditor, choice_help, editor_for


def _muted(text: str, size: float = 0.9) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("muted", True)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * size)
    label.setFont(font)
    return label


class _Row:
    def __init__(self, param: Param, title: QLabel, editor: ParamEditor, help_line: QLabel):
        self.param, self.title, self.editor, self.help = param, title, editor, help_line

    def set_visible(self, visible: bool) -> None:
        for w in (self.title, self.editor, self.help):
            w.setVisible(visible)


class Inspector(QWidget):
    problem_activated = Signal(str)  # node id of a problem clicked in the overview

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("inspector")
        self.document = document
        self.node_id: str | None = None
        self.mode = "overview"  # or "node", "multi"
        self.rows: dict[str, _Row] = {}
        self._graph: Graph = document.graph
        self._last_message = ""
        self.run_of: Callable[[], Any] | None = None  # the training run, if any (set by the main window)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # text wraps instead
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self._body: QWidget | None = None

        document.project_replaced.connect(self._on_project_replaced)
        document.report_changed.connect(self._on_report)
        document.message.connect(self._remember_message)
        theme.notifier.theme_changed.connect(self._restyle)
        self._subscribe(self._graph)
        self.show_node(None)

    # ------------------------------------------------------------------ wiring
    def _subscribe(self, graph: Graph) -> None:
        graph.events.param_changed.connect(self._on_param_changed)
        graph.events.node_renamed.connect(self._on_renamed)
        graph.events.node_removed.connect(self._on_removed)

    def _on_project_replaced(self, project: Project) -> None:
        ev = self._graph.events
        ev.param_changed.disconnect(self._on_param_changed)
        ev.node_renamed.disconnect(self._on_renamed)
        ev.node_removed.disconnect(self._on_removed)
        self._graph = project.graph
        self._subscribe(self._graph)
        self.show_node(None)

    def _remember_message(self, text: str) -> None:
        self._last_message = text

    # ------------------------------------------------------------------ building
    def _new_body(self) -> QVBoxLayout:
        old = self.scroll.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()  # not now: one of its editors may be emitting the signal that got us here
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(6)
        self.scroll.setWidget(body)
        self._body = body
        return layout

    def show_node(self, node_id: str | None) -> None:
        """Show the form of layer ``node_id``, or the network overview for None."""
        if node_id is not None and node_id == self.node_id and self.mode == "node":
            return  # already shown
        self.rows = {}
        if node_id is None or node_id not in self._graph:
            self.node_id, self.mode = None, "overview"
            self._build_overview()
        else:
            self.node_id, self.mode = node_id, "node"
            self._build_form(self._graph.node(node_id))
        self._restyle()

    def show_selection(self, node_ids: list[str]) -> None:
        """Follow the canvas selection: the overview, one layer's form, or a summary of several."""
        if len(node_ids) <= 1:
            if node_ids or self.mode != "overview":
                self.show_node(node_ids[0] if node_ids else None)
            return
        if len(node_ids) > 1:
            self.node_id, self.mode = None, "multi"
            self.rows = {}
            layout = self._new_body()
            names = ", ".join(self._graph.node(n).name for n in node_ids[:12])
            layout.addWidget(QLabel(f"<b>{len(node_ids)} layers selected</b>"))
            layout.addWidget(_muted(names + ("…" if len(node_ids) > 12 else "")))
            params = sum(self.document.report.nodes[n].params for n in node_ids if n in self.document.report.nodes)
            layout.addWidget(QLabel(f"Together: {format_count(params)}"))
            layout.addStretch(1)
            self._restyle()

    def _build_overview(self) -> None:
        layout = self._new_body()
        report = self.document.report
        project = self.document.project
        title = QLabel(f"<b>{html.escape(self.document.display_name)}</b>")
        title.setWordWrap(True)
        layout.addWidget(title)
        if project.description:
            layout.addWidget(_muted(project.description))
        n = len(self._graph)
        counts = QLabel(
            f"{n} layer{'s' if n != 1 else ''} · {len(self._graph.edges)} connections · "
            f"{report.total_params:,} parameters"
        )
        counts.setWordWrap(True)
        layout.addWidget(counts)
        if n == 0:
            layout.addWidget(
                _muted(
                    "The canvas is empty. Drag an Input layer from the palette to begin, then "
                    "the layers of your network, and finish with an Output layer."
                )
            )
        self.problem_list = QListWidget()
        self.problem_list.setWordWrap(True)
        self.problem_list.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.problem_list.itemActivated.connect(self._on_problem_clicked)
        self.problem_list.itemClicked.connect(self._on_problem_clicked)
        problems = report.problems
        head = QLabel("<b>Problems</b>" if problems else "No problems: the network is ready to train.")
        head.setWordWrap(True)
        head.setObjectName("overview_status")
        layout.addWidget(head)
        t = theme.current()
        for problem in problems:
            item = QListWidgetItem(("⚠ " if problem.severity == "warning" else "✖ ") + problem.message)
            item.setData(Qt.ItemDataRole.UserRole, problem.node_id)
            item.setForeground(t.color("warning" if problem.severity == "warning" else "error"))
            self.problem_list.addItem(item)
        layout.addWidget(self.problem_list)
        self.problem_list.setVisible(bool(problems))  # only once it has a parent, or it opens as a window
        layout.addStretch(1)
        layout.addWidget(_muted("Select a layer to edit it. Its problems and parameters appear here."))

    def _build_form(self, node: Node) -> None:
        layout = self._new_body()
        spec = node.spec
        head = QLabel(f"<b>{spec.type}</b> <span>· {spec.category}</span>")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.name_edit = QLineEdit(node.name)
        self.name_edit.setToolTip("The layer's name: letters, digits and _. It names the module in the code.")
        edit = self.name_edit
        edit.editingFinished.connect(lambda: self._commit_name(node.id, edit))
        layout.addWidget(self.name_edit)
        layout.addWidget(_muted(spec.help))
        self.shape_label = QLabel()
        self.shape_label.setObjectName("shape_label")
        self.shape_label.setWordWrap(True)
        layout.addWidget(self.shape_label)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problem_label")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.problem_label)
        self.error_label = QLabel()
        self.error_label.setObjectName("error_label")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)

        if spec.params:
            line = QFrame()
            line.setFrameShape(QFrame.Shape.HLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            layout.addWidget(line)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        row = 0
        for param in spec.params:
            title = QLabel(param.title)
            title.setToolTip(param.help)
            editor = editor_for(param)
            editor.setObjectName(f"param_{param.name}")
            editor.set_value(node.params[param.name])
            editor.committed.connect(
                lambda value, name=param.name, node_id=node.id: self._commit_param(node_id, name, value)
            )
            editor.invalid.connect(self._on_invalid)
            help_line = _muted(self._help_text(param, node.params[param.name]), 0.85)
            grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(editor, row, 1)
            grid.addWidget(help_line, row + 1, 0, 1, 2)
            grid.setRowMinimumHeight(row + 1, 4)
            self.rows[param.name] = _Row(param, title, editor, help_line)
            row += 2
        layout.addLayout(grid)
        if not spec.params:
            layout.addWidget(_muted("This layer has no parameters to set."))
        if node.type != "Input":
            layout.addWidget(LayerCodeView(self.document, node.name, self.run_of))
        layout.addStretch(1)
        self._update_visibility()
        self._update_status(self.document.report)

    @staticmethod
    def _help_text(param: Param, value: Any) -> str:
        return choice_help(param, value) if param.kind == "choice" else param.help

    # ------------------------------------------------------------------ commits
    def _commit_param(self, node_id: str, name: str, value: Any) -> None:
        if node_id not in self._graph:
            return
        if self.document.push(SetParam(self._graph, node_id, name, value)):
            self._show_error("")
        else:
            self._show_error(self._last_message)
            if self.node_id == node_id and name in self.rows:
                self.rows[name].editor.set_value(self._graph.node(node_id).params[name])

    def _commit_name(self, node_id: str, edit: QLineEdit) -> None:
        if node_id not in self._graph:
            return
        node = self._graph.node(node_id)
        name = edit.text().strip()
        if name == node.name:
            return
        if self.document.push(Rename(self._graph, node.id, name)):
            self._show_error("")
        else:
            self._show_error(self._last_message)
            edit.setText(node.name)

    def _show_error(self, text: str) -> None:
        if self.mode != "node":
            return
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _on_invalid(self, text: str) -> None:
        self._show_error(text)
        self.document.message.emit(text)

    # ------------------------------------------------------------------ model → form
    def _on_param_changed(self, node: Node, name: str, _old: Any, new: Any) -> None:
        if node.id != self.node_id or name not in self.rows:
            return
        row = self.rows[name]
        row.editor.set_value(new)
        row.help.setText(self._help_text(row.param, new))
        self._update_visibility()

    def _on_renamed(self, node: Node, _old: str, new: str) -> None:
        if node.id == self.node_id and self.name_edit.text() != new:
            self.name_edit.setText(new)

    def _on_removed(self, node: Node) -> None:
        if node.id == self.node_id:
            self.show_node(None)

    def _update_visibility(self) -> None:
        if self.node_id is None:
            return
        params = self._graph.node(self.node_id).params
        for row in self.rows.values():
            rule = row.param.visible_when
            row.set_visible(rule is None or params.get(rule[0]) in rule[1])

    def _on_report(self, report: ShapeReport) -> None:
        if self.mode == "overview":
            self.show_node(None)
        elif self.mode == "node":
            self._update_status(report)

    def _update_status(self, report: ShapeReport) -> None:
        if self.node_id is None:
            return
        info = report.nodes.get(self.node_id)
        if info is None:
            return
        if info.shape is not None:
            self.shape_label.setText(f"Output shape: <b>{describe_shape(info.shape)}</b> · {format_count(info.params)}")
        else:
            self.shape_label.setText("Output shape: <b>unknown</b> until the problem is fixed")
        t = theme.current()
        lines = [
            f"<span style='color:{t.error if p.severity == 'error' else t.warning}'>"
            f"{'✖' if p.severity == 'error' else '⚠'} {html.escape(p.message)}</span>"
            for p in info.problems
        ]
        self.problem_label.setText("<br>".join(lines))
        self.problem_label.setVisible(bool(lines))

    def problem_text(self) -> str:
        """The problems shown for the selected layer, as plain text."""
        return self.problem_label.text() if self.mode == "node" else ""

    def _on_problem_clicked(self, item: QListWidgetItem) -> None:
        node_id = item.data(Qt.ItemDataRole.UserRole)
        if node_id:
            self.problem_activated.emit(node_id)

    def _restyle(self, *_args) -> None:
        t = theme.current()
        self.setStyleSheet(f"QLabel[muted='true'] {{ color: {t.muted}; }} QLabel#error_label {{ color: {t.error}; }}")
