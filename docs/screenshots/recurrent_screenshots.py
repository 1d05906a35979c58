"""Render the README's "Sequences" screenshots of the recurrent panels and the Transformer block (offscreen,
1440×900):

    .venv/bin/python docs/screenshots/recurrent_screenshots.py [dark|light] [block|through_time|panels]

char_lstm trained for a while on the default corpus with its Generation and Hidden states panels; a plain RNN on
the adding problem with its gradient through time; the reverse task with a Transformer block dropped after its
embedding (its eight layers framed as one group). Both themes each.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

# importing offscreen sets up the offscreen app first
from offscreen import OUT, close_window, exit_now, open_window, save_shot, until, wait
from PySide6.QtWidgets import QApplication

TRAIN_SECONDS = 90  # the character model is far from done by then, but its text and units have begun to form


def train_for(area, seconds: float, snapshots: int = 3) -> None:
    """Train for ``seconds`` (and at least ``snapshots`` sequence snapshots), then pause; a short run may end first."""
    ended = ("paused", "completed", "stopped")
    area.train()
    started = time.monotonic()
    until(lambda: area.session.state in ("running", *ended), 300, "building the run")
    feed = area.sequences.feed

    def enough() -> bool:
        return (time.monotonic() - started > seconds and feed.snapshots >= snapshots) or area.session.state in ended

    until(enough, 900)
    area.session.pause()
    until(lambda: area.session.state in ended, 120)
    wait(1500)  # the last snapshot, of the weights the run stopped with


def char_lstm(theme_name: str, out: Path) -> None:
    window = open_window(theme_name, "char_lstm.json")
    # the Embeddings dock asks for more width than 1440 pixels leave beside the others: closed for this picture
    window.docks["embeddings"].hide()
    area = window.training
    seq = area.sequences
    seq.show("generation")
    seq.show("recurrent")
    seq.panels["generation"].prompt.setText("def __init__(self")
    seq.panels["generation"].prompt.editingFinished.emit()
    seq.panels["recurrent"].unit_box.setValue(5)
    wait(300)
    window.view.fit()
    train_for(area, TRAIN_SECONDS)
    # the first run brought the predictions to the front, whose per-class bars for 96 characters ask for more
    # height than the screen has: closed for this picture, and the window back to its size
    window.docks["predictions"].hide()
    seq.show("generation")
    seq.show("recurrent")
    for _ in range(3):  # the docks' minimum sizes are worked out again after a turn of the event loop
        wait(300)
        window.resize(1440, 900)
    print(
        "window",
        window.size().toTuple(),
        {k: d.minimumSizeHint().height() for k, d in window.docks.items() if d.isVisible()},
    )
    save_shot(window, out, 1500)
    close_window(window, area)


def rnn_through_time(theme_name: str, out: Path) -> None:
    from playground.core.config import DatasetConfig
    from playground.core.graph import Graph
    from playground.core.project import Project

    window = open_window(theme_name, "adding_lstm.json")
    graph = Graph.chain(
        [
            ("Input", {"shape": [50, 2]}),
            ("RNN", {"hidden": 32, "output": "last"}),
            ("Dense", {"units": 1}),
            ("Output", {"loss": "mse"}),
        ]
    )
    project = Project(graph, DatasetConfig(name="adding", params={"n_samples": 2000, "steps": 50}), name="Adding (RNN)")
    window.document.replace(project)
    area = window.training
    area.edit_training("backend", "numpy")
    area.sequences.show("through_time")
    wait(300)
    window.view.fit()
    train_for(area, 20)
    area.sequences.show("through_time")
    save_shot(window, out, 1500)
    close_window(window, area)


def transformer_block(theme_name: str, out: Path) -> None:
    window = open_window(theme_name, "reverse_transformer.json")
    wait(1000)  # the canvas frames the project first (it may lay it out again to fit)
    graph = window.document.graph
    embedding = graph.nodes_of_type("Embedding")[0]
    following = graph.successors(embedding.id)
    anchor = following[0] if following and following[0].type == "PositionalEncoding" else embedding
    window.scene.select_nodes([anchor.id])
    window.view.add_template_at_centre("Transformer block")
    window.docks["inspector"].raise_()
    ff1 = graph.by_name("block1_ff1").id
    window.scene.groups.focus = ff1  # as if clicked: the whole block is selected, the inspector shows ff1
    window.scene.select_nodes([ff1])
    window.view.set_zoom(0.72)
    window.view.centerOn(window.scene.groups.frames["block1"].rect.center())
    save_shot(window, out, 800)
    close_window(window, window.training)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    shots = {"block": transformer_block, "through_time": rnn_through_time, "panels": char_lstm}
    names = {"block": "transformer_block", "through_time": "through_time", "panels": "sequence_panels"}
    wanted = [a for a in sys.argv[1:] if a in shots] or list(shots)
    for theme_name in [a for a in sys.argv[1:] if a in ("dark", "light")] or ["dark", "light"]:
        for key in wanted:
            shots[key](theme_name, OUT / f"{names[key]}_{theme_name}.png")
    return exit_now()


if __name__ == "__main__":
    sys.exit(main())
