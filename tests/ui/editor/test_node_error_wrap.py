"""A layer's problem is written on its card in full, over several lines, and the card grows to hold them."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

from playground.core.graph import Graph
from playground.core.project import Project
from playground.ui import theme
from playground.ui.editor.card_text import card_fonts, wrap_lines
from playground.ui.editor.node_item import NODE_H, NODE_W, PROBLEM_LINES, ROWS_BOTTOM, NodeItem


def open_graph(window, graph: Graph) -> None:
    window.document.replace(Project(graph=graph))
    window.document.flush()


def render(item: NodeItem) -> QImage:
    """The card as the canvas paints it, at 100 %."""
    rect = item.boundingRect()
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    painter.translate(-rect.left(), -rect.top())
    item.paint(painter, _StyleOption(), None)
    painter.end()
    return image


class _StyleOption:
    """What paint() reads of its option: the zoom (1.0)."""

    @staticmethod
    def levelOfDetailFromTransform(_transform) -> float:
        return 1.0


def test_a_long_problem_is_written_whole_on_lines_that_fit_and_the_card_grows(window):
    open_graph(window, Graph.chain([("Input", {"shape": [1, 28, 28]}), ("Dense", {}), ("Output", {})]))
    item = window.scene.node_items[window.document.graph.by_name("dense1").id]
    assert item.has_error
    message = item.problems()[0]
    lines = item.problem_lines
    assert len(lines) >= 3
    # every word of the problem (after the card's own 'dense1 (Dense): ') is on the card, none cut or elided
    assert " ".join(lines) == message.split("): ", 1)[1]
    assert not any(line.endswith("…") for line in lines)
    metrics = QFontMetricsF(card_fonts()[1])
    assert all(metrics.horizontalAdvance(line) <= NODE_W - 24 for line in lines)
    assert item.height == NODE_H + (len(lines) - 1) * metrics.height()
    assert item.boundingRect().height() >= item.height
    # the last line is painted in the error colour, inside the grown card
    image = render(item)
    top = int(ROWS_BOTTOM + (len(lines) - 1) * metrics.height() - item.boundingRect().top())
    error = QColor(theme.current().error)
    red = [
        (x, y) for y in range(top, top + 18) for x in range(image.width()) if _close(QColor(image.pixel(x, y)), error)
    ]
    assert red, "the problem's last line is not drawn"


def test_fixing_the_problem_gives_the_card_its_size_back(window):
    open_graph(window, Graph.chain([("Input", {"shape": [1, 28, 28]}), ("Dense", {}), ("Output", {})]))
    item = window.scene.node_items[window.document.graph.by_name("dense1").id]
    assert item.height > NODE_H
    window.document.graph.set_param(window.document.graph.by_name("input1").id, "shape", [4])
    window.document.flush()
    assert not item.has_error and item.problem_lines == [] and item.height == NODE_H


def test_only_a_very_long_problem_is_elided_after_the_last_line_allowed():
    metrics = QFontMetricsF(QFont())
    text = " ".join(["word"] * 200)
    lines = wrap_lines(text, metrics, 120, PROBLEM_LINES)
    assert len(lines) == PROBLEM_LINES and lines[-1].endswith("…")
    assert all(metrics.horizontalAdvance(line) <= 120 for line in lines)
    long_word = wrap_lines("a " + "x" * 80 + " b", metrics, 60, 40)  # a word wider than the card is broken
    assert "".join(long_word).replace(" ", "") == "a" + "x" * 80 + "b"
    assert all(metrics.horizontalAdvance(line) <= 60 for line in long_word)


def _close(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) < tolerance
