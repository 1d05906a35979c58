"""Generation (001 §6.3, §6.4.2): the model continues a prompt, refreshed as it trains.

Greedy takes the most likely token at every step; temperature sampling draws from p^(1/τ) (τ < 1 sharper, τ > 1
flatter; a fixed seed, so the text changes only because the model does); top-k draws from the k most likely tokens
only; beam search keeps the k continuations with the highest total log-probability (k = 1 is greedy) and lists
them with their Σ log p.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTextBrowser,
    QWidget,
)

from ...core.generation import Generated
from ...core.generation.sequence_probe import SequenceOptions, SequenceSnapshot
from ...core.viz.tokens import visible
from .. import theme
from ..training.plotting import Panel

MIN_WIDTH = 200
HINT = (
    "Press Train (F5): the network continues a prompt here, greedily, by sampling or by beam search, and the "
    "text is made again as the model learns."
)
# the menu's methods: (title, SequenceOptions.method, uses top-k)
METHODS = {
    "greedy": ("Greedy", "greedy", False),
    "temperature": ("Temperature sampling", "sampling", False),
    "top_k": ("Top-k sampling", "sampling", True),
    "beam": ("Beam search", "beam", False),
}


class GenerationPanel(Panel):
    options_changed = Signal(object)  # SequenceOptions

    def __init__(self, parent: QWidget | None = None):
        super().__init__(HINT, parent)
        # a fixed minimum: what its rows of controls would ask for, added to the docks beside it, would keep the
        # window from getting narrower than the screen (the rows are squeezed instead)
        self.setMinimumWidth(MIN_WIDTH)
        self.problem: str | None = None
        self.generated: Generated | None = None
        self.step = 0
        self.prompt = QLineEdit()
        self.prompt.setAccessibleName("Prompt")
        self.prompt.setPlaceholderText("Empty: the start of a training sample")
        self.prompt.setClearButtonEnabled(True)
        self.method = QComboBox()
        self.method.setAccessibleName("Decoding method")
        for key, (title, _m, _k) in METHODS.items():
            self.method.addItem(title, key)
        self.method.setCurrentIndex(1)
        self.temperature = _double(0.8, 0.05, 5.0, "Temperature τ: below 1 sharper, above 1 flatter")
        self.top_k = _int(5, 1, 10_000, "Top-k: draw from the k most likely tokens")
        self.beam = _int(4, 1, 16, "Beam width k: the continuations kept at each step")
        self.length = _int(40, 1, 400, "How many tokens to generate")
        form = QFormLayout()
        form.addRow("&Prompt", self.prompt)
        form.addRow("&Method", self.method)
        knobs = QHBoxLayout()
        for text, box in (("τ", self.temperature), ("k", self.top_k), ("beam", self.beam), ("length", self.length)):
            label = QLabel(text)
            label.setBuddy(box)
            knobs.addWidget(label)
            knobs.addWidget(box)
        knobs.addStretch(1)
        form.addRow(knobs)
        self.content_layout.addLayout(form)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.content_layout.addWidget(self.caption)
        self.output = QTextBrowser()
        self.output.setAccessibleName("Generated text")
        self.output.setOpenLinks(False)
        self.content_layout.addWidget(self.output, 1)
        self.prompt.editingFinished.connect(self._emit)
        self.method.currentIndexChanged.connect(self._on_method)
        for box in (self.temperature, self.top_k, self.beam, self.length):
            box.valueChanged.connect(self._emit)
        self._on_method()

    # ------------------------------------------------------------------ options
    def options(self) -> SequenceOptions:
        _title, method, uses_k = METHODS[str(self.method.currentData())]
        text = self.prompt.text()
        return SequenceOptions(
            prompt=text if text else None,
            method=method,
            temperature=self.temperature.value(),
            top_k=self.top_k.value() if uses_k else None,
            beam=self.beam.value(),
            length=self.length.value(),
        )

    def _on_method(self) -> None:
        key = str(self.method.currentData())
        self.temperature.setEnabled(key in ("temperature", "top_k"))
        self.top_k.setEnabled(key == "top_k")
        self.beam.setEnabled(key == "beam")
        self._emit()

    def _emit(self) -> None:
        self.options_changed.emit(self.options())

    # ------------------------------------------------------------------ what the feed says
    def set_problem(self, problem: str | None) -> None:
        self.problem = problem
        if problem is not None:
            self.generated = None
            self.show_hint(problem)
        elif self.generated is None:
            self.show_hint()

    def reset(self) -> None:
        self.generated = None
        self.set_problem(self.problem)

    def show_snapshot(self, snap: SequenceSnapshot) -> None:
        problem = snap.problems.get("generation")
        if problem is not None and self.problem is None:
            # a prompt the model cannot read, an option out of range: said above the last text, which stays
            self.show_content()
            self.caption.setText(problem)
            return
        if problem is not None:
            self.show_hint(problem)
            return
        if snap.generated is None:
            return
        self.generated, self.step = snap.generated, snap.step
        self.changed()

    def render(self) -> None:
        g = self.generated
        if g is None:
            return
        self.show_content()
        t = theme.current()
        how = {"greedy": "greedy", "sampling": "sampled", "beam": "beam search"}[g.method]
        self.caption.setText(f"Step {self.step:,} · {how}, {len(g.tokens)} tokens · made again as the model trains")
        prompt = f'<span style="color: {t.muted};">{_shown(g.prompt)}</span>'
        body = f'<p style="font-family: monospace;">{prompt}<b>{_shown(g.text)}</b></p>'
        if g.beams:
            rows = "".join(
                f'<tr><td style="color: {t.muted}; padding-right: 8px;">{lp:.2f}</td>'
                f'<td style="font-family: monospace;">{_shown(text)}</td></tr>'
                for text, lp in g.beams
            )
            body += f'<p style="color: {t.muted};">The beams, Σ log p first:</p><table>{rows}</table>'
        self.output.setHtml(body)


def _shown(text: str) -> str:
    """Text as HTML, the characters that print as nothing made visible."""
    return html.escape(visible(text)).replace("⏎", "⏎<br>")


def _int(value: int, low: int, high: int, tip: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setToolTip(tip)
    box.setAccessibleName(tip.split(":")[0])
    box.setKeyboardTracking(False)  # typing "120" asks for one text, not three
    return box


def _double(value: float, low: float, high: float, tip: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setSingleStep(0.1)
    box.setDecimals(2)
    box.setValue(value)
    box.setToolTip(tip)
    box.setAccessibleName(tip.split(":")[0])
    box.setKeyboardTracking(False)
    return box
