"""Backprop step by step: one sample walked forward through the network node by node, then backward from the
loss, each backward step showing the upstream gradient, the node's local gradient and their product.

Forward ▶ / ◀ Back (or the arrow keys) move one step; the current node is selected on the canvas and in the
list of steps. The numbers come from :func:`~playground.core.lab.backprop_steps.backprop_trace` (the NumPy
backend, float64), computed on a worker thread; the course's f(x, y, z) = (x + y)·z is built in.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...core.lab.backprop_steps import (
    MAX_SAMPLE,
    BackpropTrace,
    BackwardStep,
    ForwardStep,
    backprop_trace,
    seeds_example,
)
from .. import theme
from .circuit_view import CircuitView
from .tensor_view import TensorView
from .worker import LabWorker

SEEDS, PROJECT = 0, 1
LOCAL_NOTES = {
    "diagonal": "element-wise: f'(x), one slope per value",
    "jacobian": "the Jacobian d(output)/d(input), one row per output value",
    "none": "too large to write out: the layer's backward multiplies by it directly",
}


class BackpropPage(QWidget):
    def __init__(self, window=None):
        super().__init__()
        self.window_ = window
        self.trace: BackpropTrace | None = None
        self.position = 0
        self.worker = LabWorker(self)
        self.worker.done.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        self._job = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.source = QComboBox()
        self.source.setObjectName("backprop_source")
        self.source.addItems(["f(x, y, z) = (x + y)·z, the course's example", "this project's network"])
        self.sample = QSpinBox()
        self.sample.setObjectName("backprop_sample")
        self.sample.setRange(0, MAX_SAMPLE)
        self.sample.setPrefix("sample ")
        self.sample.setToolTip("Which training sample goes through the network")
        self.compute_button = QPushButton("Walk again")
        self.compute_button.setToolTip("Compute the walk again (after editing the network)")
        self.back_button = QPushButton("◀ Back")
        self.back_button.setObjectName("backprop_back")
        self.forward_button = QPushButton("Forward ▶")
        self.forward_button.setObjectName("backprop_forward")
        for b in (self.back_button, self.forward_button):
            b.setToolTip("One step (arrow keys)")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.status = QLabel()
        self.status.setObjectName("backprop_status")
        self.status.setWordWrap(True)

        self.steps = QListWidget()
        self.steps.setObjectName("backprop_steps")
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setMinimumWidth(150)
        self.circuit = CircuitView()
        self.circuit_scroll = QScrollArea()
        self.circuit_scroll.setWidget(self.circuit)
        self.circuit_scroll.setWidgetResizable(True)
        self.circuit_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.circuit_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail = QScrollArea()
        self.detail.setWidgetResizable(True)
        self.detail.setFrameShape(QFrame.Shape.NoFrame)

        top = QHBoxLayout()
        for w in (self.source, self.sample, self.compute_button, self.back_button, self.forward_button):
            top.addWidget(w)
        top.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.steps)
        split.addWidget(self.detail)
        split.setStretchFactor(1, 1)
        split.setSizes([160, 740])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.circuit_scroll)
        layout.addWidget(split, 1)

        self.source.currentIndexChanged.connect(self.recompute)
        self.sample.valueChanged.connect(self.recompute)
        self.compute_button.clicked.connect(self.recompute)
        self.back_button.clicked.connect(lambda: self.go(self.position - 1))
        self.forward_button.clicked.connect(lambda: self.go(self.position + 1))
        self.steps.currentRowChanged.connect(self._on_row)
        theme.notifier.theme_changed.connect(self.apply_theme)
        self.recompute()

    # ------------------------------------------------------------------ computing
    def recompute(self) -> None:
        self.sample.setEnabled(self.source.currentIndex() == PROJECT)
        if self.source.currentIndex() == SEEDS:
            self.set_trace(seeds_example())
            return
        if self.window_ is None:
            return
        project, sample = self.window_.document.project.copy(), self.sample.value()
        self.status.setText("Walking the network…")
        self._job = self.worker.submit(lambda _cancel, _report: backprop_trace(project, sample))

    def _on_done(self, job: int, trace: BackpropTrace) -> None:
        if job == self._job:
            self.set_trace(trace)

    def _on_failed(self, job: int, message: str) -> None:
        if job == self._job:
            self._failed(message)

    def _failed(self, message: str) -> None:
        self.trace = None
        self.steps.clear()
        self.circuit.set_trace(None)
        self.status.setText(theme.error_html(message))
        self._show_views([])

    def set_trace(self, trace: BackpropTrace) -> None:
        self.trace = trace
        self.steps.blockSignals(True)
        self.steps.clear()
        for direction, step in trace.walk():
            arrow = "→" if direction == "forward" else "←"
            self.steps.addItem(f"{arrow} {step.node}   {step.type}")
        self.steps.blockSignals(False)
        self.circuit.set_trace(trace)
        self.circuit_scroll.setFixedHeight(self.circuit.height() + 18)
        self.go(0)

    # ------------------------------------------------------------------ walking
    @property
    def total(self) -> int:
        return self.steps.count()

    def go(self, position: int) -> None:
        if self.trace is None or not self.total:
            return
        self.position = max(0, min(position, self.total - 1))
        self.steps.blockSignals(True)
        self.steps.setCurrentRow(self.position)
        self.steps.blockSignals(False)
        for row in range(self.total):
            font = self.steps.item(row).font()
            font.setBold(row == self.position)
            self.steps.item(row).setFont(font)
        self.circuit.set_position(self.position)
        direction, step = self.trace.walk()[self.position]
        if step.node in self.circuit.places:  # keep the current node in view on a long network
            box = self.circuit.box(step.node)
            self.circuit_scroll.ensureVisible(int(box.center().x()), int(box.center().y()), int(box.width()), 0)
        self.back_button.setEnabled(self.position > 0)
        self.forward_button.setEnabled(self.position < self.total - 1)
        phase = "Forward" if direction == "forward" else "Backward"
        self.status.setText(
            f"{phase} · step {self.position + 1} of {self.total} · {html.escape(self.trace.source, quote=False)} · "
            f"loss {self.trace.loss:.5g}"
        )
        if isinstance(step, ForwardStep):
            self._show_forward(step)
        else:
            self._show_backward(step)
        self._reveal(step.node)

    def _on_row(self, row: int) -> None:
        if row >= 0 and row != self.position:
            self.go(row)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Right:
            self.go(self.position + 1)
        elif event.key() == Qt.Key.Key_Left:
            self.go(self.position - 1)
        else:
            super().keyPressEvent(event)

    def _reveal(self, name: str) -> None:
        """Select the current node on the canvas (the project's network only)."""
        if self.window_ is None or self.source.currentIndex() != PROJECT:
            return
        graph = self.window_.document.graph
        node = next((n for n in graph.nodes if n.name == name), None)
        if node is not None:
            self.window_.reveal_node(node.id)

    # ------------------------------------------------------------------ showing a step
    def _show_forward(self, step: ForwardStep) -> None:
        assert self.trace is not None
        rows: list[QWidget | list[QWidget]] = [_heading(f"Forward · <b>{step.node}</b> ({step.type}): {step.formula}")]
        inputs = [self._view(self.trace.value(s), f"input <b>{s}</b>") for s in step.sources]
        if inputs:
            rows.append(inputs)
        rows.append([self._view(step.output, f"output <b>{step.node}</b>")])
        self._show_views(rows)

    def _show_backward(self, step: BackwardStep) -> None:
        up = f"upstream dL/d({step.node})"
        if not step.inputs:
            title = f"Backward · <b>{step.node}</b>: dL/d({step.node}), the gradient with respect to the input"
            if step.type != "Input":
                title = f"Backward · <b>{step.node}</b> ({step.type}): its input, token ids, has no gradient"
                grads = [self._view(grad, f"dL/d{key} of {step.node}") for key, grad in step.params.items()]
                self._show_views([_heading(title), [self._view(step.upstream, up)], grads])
                return
            rows: list[QWidget | list[QWidget]] = [_heading(title), [self._view(step.upstream, up)]]
            self._show_views(rows)
            return
        rows = [
            _heading(f"Backward · <b>{step.node}</b> ({step.type}): what it sends back = local gradient × upstream"),
            [self._view(step.upstream, up + ", arriving from above")],
        ]
        for g in step.inputs:
            note = g.formula or LOCAL_NOTES[g.local_kind]
            local = self._view(g.local, f"local gradient d({step.node})/d({g.source})", note)
            product = self._view(g.product, f"× upstream = <b>dL/d({g.source})</b> through {step.node}")
            rows.append([local, product])
        grads = [self._view(grad, f"dL/d{key} of {step.node}") for key, grad in step.params.items()]
        if grads:
            rows.append(grads)
        self._show_views(rows)

    def _view(self, value, title: str, note: str = "") -> TensorView:
        view = TensorView()
        view.show_array(value, title, note)
        return view

    def _show_views(self, rows: list) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 4, 8, 4)
        for row in rows:
            if isinstance(row, QWidget):
                layout.addWidget(row)
                continue
            line = QHBoxLayout()
            for w in row:
                line.addWidget(w, 0 if isinstance(w, QLabel) else 1)
            layout.addLayout(line, 1 if any(isinstance(w, TensorView) and w.as_heatmap for w in row) else 0)
        layout.addStretch(0 if body.findChildren(TensorView) and self._has_heatmap(body) else 1)
        old = self.detail.takeWidget()
        if old is not None:
            old.deleteLater()
        self.detail.setWidget(body)
        self.apply_theme()

    @staticmethod
    def _has_heatmap(body: QWidget) -> bool:
        return any(v.as_heatmap for v in body.findChildren(TensorView))

    def apply_theme(self, *_args) -> None:
        for view in self.detail.findChildren(TensorView):
            view.apply_theme()
        muted = theme.current().muted
        self.setStyleSheet(f"QLabel[muted='true'] {{ color: {muted}; }}")

    def shutdown(self) -> None:
        self.worker.shutdown()


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    return label
