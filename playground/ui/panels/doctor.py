"""The training doctor's findings, live: what looks wrong, in plain words, and what the course advises."""

from __future__ import annotations

from html import escape as _escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ...core.training.doctor import Diagnosis
from .. import theme
from ..training.plotting import Panel
from ..training.worker import RunInfo, TrainingUpdate
from .course_refs import topics

WATCHES = (
    "a jagged or diverging loss, a slow straight-line loss, a growing gap between training and validation, "
    "dead ReLUs, saturated sigmoid/tanh units, vanishing or exploding gradients, and NaN or infinite values"
)


def escape(text: str) -> str:
    """``text`` for a rich-text label, breakable after '_' and '/' too: a long layer name wraps."""
    return _escape(text, quote=False).replace("_", "_\u200b").replace("/", "/\u200b")


class _Card(QFrame):
    reveal = Signal(str)

    def __init__(self, d: Diagnosis):
        super().__init__()
        self.diagnosis = d
        t = theme.current()
        colour = {"error": t.error, "warning": t.warning}.get(d.severity, t.highlight)
        self.setObjectName("diagnosis_card")
        self.setStyleSheet(
            f"#diagnosis_card {{ border-left: 4px solid {colour}; background: {t.alt_base}; border-radius: 3px; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        where = []
        if d.node:
            where.append(f"layer <b>{escape(d.node)}</b>")
        if d.step is not None:
            where.append(f"step {d.step}")
        head = QLabel(
            f"<span style='color:{colour}; font-weight:600'>{escape(d.title)}</span>"
            + (f" <span style='color:{t.muted}'>· {' · '.join(where)}</span>" if where else "")
        )
        body = QLabel(escape(d.message))
        advice = QLabel(f"<b>What to do:</b> {escape(d.advice)}")
        source = QLabel(f"<span style='color:{t.muted}'>Course: {escape(topics(d.source))}</span>")
        for label in (head, body, advice, source):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(label)
        if d.node:
            row = QHBoxLayout()
            button = QPushButton(f"Show {d.node} on the canvas")
            button.setToolTip(button.text())
            button.setMinimumWidth(60)  # a long name is cut on the button rather than widening the panel
            button.clicked.connect(lambda: self.reveal.emit(d.node))
            row.addWidget(button)
            row.addStretch(1)
            layout.addLayout(row)


class DoctorPanel(Panel):
    reveal_layer = Signal(str)  # node name

    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            f"The training doctor watches each run and explains problems in plain words, with the "
            f"course's advice: {WATCHES}. Press Train (F5) to start.",
            parent,
        )
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.content_layout.addWidget(self.status)
        self.scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # the text wraps to the panel's width: it scrolls up and down, never sideways
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        self.cards_layout = QVBoxLayout(holder)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.addStretch(1)
        scroll.setWidget(holder)
        self.content_layout.addWidget(scroll, 1)
        self.diagnoses: list[Diagnosis] = []
        self.cards: list[_Card] = []
        self.step = 0
        self.running = False
        self._shown: list[tuple[str, str]] | None = None

    def reset(self, info: RunInfo | None) -> None:
        self.diagnoses = []
        self.step = 0
        self._shown = None
        if info is None:
            self.show_hint()
        else:
            self.changed()

    def set_running(self, running: bool) -> None:
        self.running = running
        self.changed()

    def apply(self, update: TrainingUpdate) -> None:
        if update.steps:
            self.step = int(update.steps["step"][-1])
        if update.diagnoses is not None:
            self.diagnoses = list(update.diagnoses)
            self.changed()

    def render(self) -> None:
        self.show_content()
        t = theme.current()
        if self.diagnoses:
            n = len(self.diagnoses)
            self.status.setText(f"<b>{n} thing{'s' * (n > 1)} to look at</b>, most serious first.")
        elif self.step == 0:
            self.status.setText(
                f"<span style='color:{t.muted}'>Nothing to diagnose before training. The doctor "
                f"checks for {WATCHES}.</span>"
            )
        else:
            self.status.setText(
                f"<span style='color:{t.ok}'>✓ No problems seen so far</span> "
                f"<span style='color:{t.muted}'>(step {self.step}). The doctor checks for "
                f"{WATCHES}.</span>"
            )
        key = [(d.code, d.message) for d in self.diagnoses]
        if key == self._shown:
            return
        self._shown = key
        for card in self.cards:
            self.cards_layout.removeWidget(card)
            card.deleteLater()
        self.cards = []
        for d in self.diagnoses:
            card = _Card(d)
            card.reveal.connect(self.reveal_layer)
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
            self.cards.append(card)

    def apply_theme(self, t: theme.Theme) -> None:
        self._shown = None  # rebuild the cards in the new colours
