"""The inspector's "Code" section: the selected layer's NumPy forward and backward as written, the PyTorch module
the other backend builds for it, and both run on one input with their largest difference.

Folded by default (it imports PyTorch and runs the layer); once opened it stays open for the next layers
selected. The work is :func:`~playground.core.lab.layer_source.layer_code`, on a worker thread.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QToolButton, QVBoxLayout, QWidget

from ...core.lab.layer_source import LayerCode, layer_code, layer_inputs
from .. import theme
from ..document import Document
from ..lab.worker import LabWorker

AGREES = 1e-6  # float64: anything above is a real disagreement, not rounding
_worker: LabWorker | None = None


def shared_worker() -> LabWorker:
    """One worker thread for every code view: the inspector rebuilds its form (and drops the view) on every
    selection, and a thread must not go away with it while it runs."""
    global _worker
    if _worker is None:
        _worker = LabWorker()
    return _worker


def _check(graph, name: str, seed: int, run: Any) -> LayerCode:
    """The check on the run's current weights and the layer's input for its first two training samples when a
    run exists (and its graph is the one shown), else on the initial weights and a random input."""
    if run is None or [n.name for n in run.graph.nodes] != [n.name for n in graph.nodes]:
        return layer_code(graph, name, seed=seed)
    params = run.trainer.parameters()  # a copy, safe while the run trains
    inputs = layer_inputs(graph, name, params, run.data["train"].inputs(slice(0, 2)))
    return layer_code(graph, name, params, inputs, seed=seed)


class LayerCodeView(QWidget):
    opened = False  # shared: opening it for one layer opens it for the next ones too

    def __init__(
        self,
        document: Document,
        node_name: str,
        run_of: Callable[[], Any] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.run_of = run_of  # the training run in progress or done, if any (its weights and data are used)
        self.setObjectName("layer_code_view")
        self.document, self.node_name = document, node_name
        self.job = 0  # the worker's number for this view's job; 0: none running
        worker = shared_worker()
        worker.done.connect(self._on_done)  # bound methods: disconnected when this view is deleted
        worker.failed.connect(self._failed)
        self.code: LayerCode | None = None
        self.toggle = QToolButton()
        self.toggle.setObjectName("layer_code_toggle")
        self.toggle.setText("Code: NumPy forward/backward and the PyTorch call")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolTip("This layer's own code on both backends, run on one input and compared")
        self.body = QWidget()
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.forward = self._source_box("layer_code_forward")
        self.backward = self._source_box("layer_code_backward")
        self.torch = QLabel()
        self.torch.setObjectName("layer_code_torch")
        self.torch.setWordWrap(True)
        self.torch.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result = QLabel()
        self.result.setObjectName("layer_code_result")
        self.result.setWordWrap(True)
        self.again = QPushButton("Run both again")
        self.again.setToolTip("After changing the layer's parameters")
        inner = QVBoxLayout(self.body)
        inner.setContentsMargins(0, 0, 0, 0)
        for w in (self.where, self.forward, self.backward, self.torch, self.result, self.again):
            inner.addWidget(w)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.toggle.toggled.connect(self._on_toggled)
        self.again.clicked.connect(self.run)
        self.toggle.setChecked(LayerCodeView.opened)
        self._on_toggled(LayerCodeView.opened)

    @staticmethod
    def _source_box(name: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setObjectName(name)
        box.setReadOnly(True)
        box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        box.setMinimumHeight(120)
        return box

    def _on_toggled(self, on: bool) -> None:
        LayerCodeView.opened = on
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.body.setVisible(on)
        if on and self.code is None and not self.job:
            self.run()

    def run(self) -> None:
        project = self.document.project
        graph, name, seed = project.graph.copy(), self.node_name, project.training.seed
        run = self.run_of() if self.run_of is not None else None
        self.result.setText("Running the layer on both backends…")
        self.job = shared_worker().submit(lambda _cancel, _report: _check(graph, name, seed, run))

    def _on_done(self, job: int, code: LayerCode) -> None:
        if job == self.job:
            self.show_code(code)

    def _failed(self, job: int, message: str) -> None:
        if job != self.job:
            return
        self.job = 0
        self.result.setText(theme.error_html(message))

    def show_code(self, code: LayerCode) -> None:
        self.job, self.code = 0, code
        self.where.setText(f"NumPy: class <b>{code.numpy_class}</b> in <code>{html.escape(code.numpy_file)}</code>")
        self.forward.setPlainText(code.forward_source)
        self.backward.setPlainText(code.backward_source)
        self.torch.setText(f"checked against PyTorch: <code>{html.escape(code.torch_call)}</code>")
        t = theme.current()
        colour = t.ok if code.max_diff <= AGREES else t.error
        shapes = ", ".join("×".join(map(str, s)) for s in code.input_shapes)
        what = "the training run's weights, its first training samples" if code.input_source == "captured" else None
        where = what or "the initial weights, a random input"
        parts = [f"output {code.output_diff:.1e}", f"dL/d(input) {code.input_grad_diff:.1e}"]
        parts += [f"dL/d{k} {v:.1e}" for k, v in code.param_grad_diffs.items()]
        self.result.setText(
            f"Both run on {where} ({shapes}, float64): max |NumPy − PyTorch| "
            f"<span style='color:{colour}'>{' · '.join(parts)}</span>"
        )
