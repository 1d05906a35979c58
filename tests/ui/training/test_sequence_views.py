"""The sequence views in the window: the Attention and Embeddings docks appear with a network that has the layers
they need, are reached from the Visualize menu and the keyboard, and follow a run on either backend. The last
test is a newcomer's first session with the tiny GPT."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.core.graph.model import Graph
from playground.core.project import Project
from playground.core.viz.sequence_views import sequence_views
from playground.ui.on_screen import on_screen
from tests.paths import EXAMPLES

LONG = 180_000  # ms: the machine may be busy; the test waits for states, never for time


def test_docks_appear_only_for_networks_with_the_layers(qtbot, window):
    views = window.sequence_views
    docks = views.docks
    assert docks["attention"].isHidden() and docks["embeddings"].isHidden()  # the empty project
    window.document.open(EXAMPLES / "thinking_machines.json")
    qtbot.waitUntil(lambda: not docks["attention"].isHidden() and not docks["embeddings"].isHidden())
    # no PositionalEncoding in this network: that panel says so, the embedding one shows the two tokens
    assert views.positional.showing_hint and "no PositionalEncoding layer" in views.positional.hint.text()
    assert views.positional.hint.text() == sequence_views(window.document.graph, ["positional"])["positional"]
    assert views.embedding.labels[0].toPlainText() == "Thinking"
    # a long sequence of tokens in the dock's header does not widen the window
    window.files.open_path(EXAMPLES / "tiny_gpt.json")
    qtbot.wait(100)
    assert window.width() <= 1400 and "0 1 2 3" in views.attention_space.preview.text()
    window.document.replace(Project(Graph.chain([("Input", {"shape": [2]}), ("Output", {"loss": "mse"})])))
    assert views.grid.showing_hint  # opened by hand for an MLP: the panels say what is missing
    assert views.source is None


def test_the_menu_and_the_keyboard_reach_the_walk_through(qtbot, window):
    views = window.sequence_views
    window.document.open(EXAMPLES / "thinking_machines.json")
    entries = {a.objectName(): a for a in window.menu("&Visualize").actions()}
    for name in ("show_attention", "show_head_view", "show_walk_through", "show_positions"):
        assert f"action_{name}" in entries
    assert views.actions["show_attention"].shortcut().toString() == "Ctrl+Shift+A"
    qtbot.keyClick(window, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: views.attention_space.sample_box.hasFocus())
    entries["action_show_walk_through"].trigger()
    assert views.attention_space.tabs.currentWidget() is views.walk and views.walk.query_box.hasFocus()
    qtbot.keyClick(views.walk.query_box, Qt.Key.Key_Up)  # the second query, by keyboard
    qtbot.waitUntil(lambda: views.walk.steps is not None and views.walk.steps.query == 1)
    assert "weights from thinking_machines.safetensors" in views.attention_space.preview.text()
    text = views.walk.page.toPlainText()
    assert "query 1 ‘Machines’" in text and "softmax" in text


def _grid(views) -> np.ndarray:
    return np.concatenate([w.ravel() for w in views.grid.grid.weights])


def _train_until_the_grid_follows(qtbot, area, views, backend: str, min_step: int = 1, resume=False) -> np.ndarray:
    before = views.source
    if not resume:  # a new run on ``backend``
        area.dock.backend_buttons[backend].click()
        area.reset()
        area.train()
    qtbot.waitUntil(lambda: area.session.info is not None and area.session.info.backend == backend, timeout=LONG)
    # a probe of this run (after some training, with min_step > 0): its weights reach the grid
    qtbot.waitUntil(lambda: views.source is not before and (views.source.step or 0) >= min_step, timeout=LONG)
    qtbot.waitUntil(lambda: views.grid.up_to_date and views.grid.grid is not None, timeout=LONG)
    assert f"training run, step {views.source.step:,}" in views.grid.caption.text()
    area.session.pause()
    qtbot.waitUntil(lambda: area.session.state != "running", timeout=LONG)
    return _grid(views)


@pytest.mark.slow
@pytest.mark.timeout(900)  # three runs of a 50k-parameter Transformer: minutes on a busy 2-core machine
def test_a_newcomer_trains_the_tiny_gpt_and_watches_its_attention(qtbot, window):
    """Open tiny_gpt.json, see the untrained heads, train: the grid and the generated text change; the NumPy
    backend and back."""
    views, area = window.sequence_views, window.training
    window.files.open_path(EXAMPLES / "tiny_gpt.json")
    qtbot.waitUntil(lambda: views.docks["attention"].isVisible(), timeout=10_000)
    area.edit_training("epochs", 50)  # never ends by itself here: the test pauses and stops each run
    area.sequences.show("generation")  # the generated text, beside the curves
    generation = area.sequences.panels["generation"]
    views.actions["show_attention"].trigger()  # Visualize ▸ Attention of Every Layer and Head
    qtbot.waitUntil(lambda: views.grid.grid is not None)
    untrained = _grid(views)
    assert views.grid.grid.heads == [4] and views.grid.grid.steps == 64
    assert "starting weights" in views.grid.caption.text()
    # causal: nothing above the diagonal, before and after training
    assert np.all(np.triu(views.grid.grid.weights[0], 1) == 0)
    area.dock.backend_buttons["torch"].click()
    area.train()
    # the text the model writes changes as it learns
    qtbot.waitUntil(lambda: generation.generated is not None, timeout=LONG)
    first_text, first_step = generation.generated.text, generation.step
    # the first run of the window leaves the Generation tab the user opened in front (not Curves over it)
    qtbot.waitUntil(lambda: area.session.current_run is not None and area.session.current_run.step > 0, timeout=LONG)
    assert on_screen(generation)
    qtbot.waitUntil(lambda: generation.step > first_step and generation.generated.text != first_text, timeout=LONG)
    trained = _train_until_the_grid_follows(qtbot, area, views, "torch", resume=True)
    assert np.abs(trained - untrained).max() > 1e-3
    assert np.all(np.triu(views.grid.grid.weights[0], 1) == 0)
    # the tokens are the corpus's characters
    assert views.source.labels is not None and len(views.source.labels) == 96
    on_numpy = _train_until_the_grid_follows(qtbot, area, views, "numpy")
    assert area.session.info.backend == "numpy" and np.abs(on_numpy - untrained).max() > 1e-3
    back = _train_until_the_grid_follows(qtbot, area, views, "torch", min_step=0)  # a new run: its own weights
    assert area.session.info.backend == "torch" and not np.array_equal(back, on_numpy)
    area.session.stop()
