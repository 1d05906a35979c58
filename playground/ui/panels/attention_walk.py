"""Self-attention step by step for one query, with the numbers (Transformer Explainer's walk-through, on the
user's own network; 000 'Self-Attention Example'): the rows reaching the layer → q, k, v → scores q·k →
÷ √d_k → softmax → the weighted sum of the values. The numbers come from
:func:`playground.core.viz.attention.attention_steps`, which checks them against the layer's own pass."""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QTextBrowser, QTextEdit, QWidget

from ...core.viz.attention import AttentionSteps, attention_layers, attention_steps
from .. import theme
from .sequence_source import SequencePanel

SHOWN = 2  # numbers of a vector written out (the rest: "…")


def number(x: float) -> str:
    if not np.isfinite(x):
        return "−∞" if x < 0 else "∞"
    return f"{x:.4g}".replace("-", "−")


def vector(v: np.ndarray, shown: int = SHOWN) -> str:
    text = ",&nbsp;".join(number(float(x)) for x in v[:shown])  # a vector is never broken over two lines
    return f"[{text}{',&nbsp;…' if v.size > shown else ''}]"


def walk_html(s: AttentionSteps, tokens: list[str], t: theme.Theme) -> str:
    """The walk-through as a page of tables in the theme's colours."""
    root = float(np.sqrt(s.d_k))
    esc = html.escape
    bar = t.highlight
    head = (
        f"<style>td, th {{ padding: 1px 8px; }} th {{ color: {t.muted}; text-align: left; font-weight: normal; }}"
        f" .n {{ text-align: right; font-family: monospace; }} h4 {{ margin: 6px 0 2px 0; }}</style>"
        f"<p><b>{esc(s.layer)}</b> · head {s.head} · query {s.query} ‘{esc(tokens[s.query])}’ · "
        f"d<sub>k</sub> = {s.d_k}, √d<sub>k</sub> = {number(root)}</p>"
    )
    vectors = "".join(
        f"<tr><td>{t_}</td><td>‘{esc(tokens[t_])}’</td><td class='n'>{vector(s.inputs[t_])}</td>"
        + "".join(f"<td class='n'>{vector(m[t_])}</td>" for m in (s.q, s.k, s.v))
        + "</tr>"
        for t_ in range(len(tokens))
    )
    rows = "".join(
        f"<tr><td>{t_}</td><td>‘{esc(tokens[t_])}’</td><td class='n'>{number(s.scores[t_])}</td>"
        f"<td class='n'>{number(s.scaled[t_])}</td><td class='n'><b>{s.weights[t_]:.2f}</b></td>"
        f"<td><span style='background:{bar}'>{'&nbsp;' * max(round(30 * float(s.weights[t_])), 0)}</span></td></tr>"
        for t_ in range(len(tokens))
    )
    return (
        head
        + "<h4>1 · embeddings x → 2 · q = x W<sub>Q</sub>, k = x W<sub>K</sub>, v = x W<sub>V</sub></h4>"
        + f"<table><tr><th>step</th><th>token</th><th>x</th><th>q</th><th>k</th><th>v</th></tr>{vectors}</table>"
        + f"<h4>3 · scores q<sub>{s.query}</sub>·k → 4 · ÷ √d<sub>k</sub> = {number(root)} → 5 · softmax</h4>"
        + f"<table><tr><th>key</th><th>token</th><th>q·k</th><th>÷{number(root)}</th><th>softmax</th><th></th></tr>"
        + rows
        + "</table>"
        + f"<h4>6 · weighted sum z = Σ softmax · v</h4><p class='n'>{vector(s.output, 4)} ({s.output.size} numbers)</p>"
    )


class WalkThroughPanel(SequencePanel):
    view = "attention"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Open or build a network with a MultiHeadAttention layer: its self-attention for one query is "
            "worked out here, step by step, with the numbers.",
            parent,
        )
        row = QHBoxLayout()
        self.layer_box = QComboBox()
        self.layer_box.setObjectName("walk_layer")
        self.head_box = QSpinBox()
        self.head_box.setObjectName("walk_head")
        self.query_box = QSpinBox()
        self.query_box.setObjectName("walk_query")
        self.query_box.setToolTip("The query's position in the sequence")
        for text, widget in (("Layer", self.layer_box), ("Head", self.head_box), ("Query", self.query_box)):
            label = QLabel(text)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget, 1 if widget is self.layer_box else 0)
        self.content_layout.addLayout(row)
        self.page = QTextBrowser()
        self.page.setObjectName("walk_page")
        # numbers are never broken over two lines: a narrow panel scrolls sideways instead
        self.page.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
        self.content_layout.addWidget(self.page, 1)
        self.steps: AttentionSteps | None = None
        self.layer_box.currentIndexChanged.connect(self._chosen)
        self.head_box.valueChanged.connect(self._chosen)
        self.query_box.valueChanged.connect(self._chosen)
        self._filling = False

    def choose(self, layer: str, head: int, query: int) -> None:
        self._filling = True
        i = self.layer_box.findText(layer)
        if i >= 0:
            self.layer_box.setCurrentIndex(i)
        self._filling = False
        self.head_box.setValue(head)
        self.query_box.setValue(query)
        self.changed()

    def _chosen(self) -> None:
        if not self._filling:
            self.changed()

    def draw(self) -> None:
        assert self.source is not None
        graph, sample = self.source.graph, self.current_sample()
        names = attention_layers(graph)
        self._filling = True
        if [self.layer_box.itemText(i) for i in range(self.layer_box.count())] != names:
            self.layer_box.clear()
            self.layer_box.addItems(names)
        layer = self.layer_box.currentText() or names[0]
        heads = int(graph.by_name(layer).params.get("heads", 1))
        self.head_box.setRange(0, heads - 1)
        self.query_box.setRange(0, len(sample) - 1)
        self._filling = False
        s = attention_steps(
            graph, sample, self.source.params, layer, self.head_box.value(), self.query_box.value(), self.source.seed
        )
        self.steps = s
        tokens = self.source.tokens(min(self.sample, len(self.source.samples) - 1))
        scroll = self.page.verticalScrollBar().value()
        self.page.setHtml(walk_html(s, tokens, theme.current()))
        self.page.verticalScrollBar().setValue(scroll)
