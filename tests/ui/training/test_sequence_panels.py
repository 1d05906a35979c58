"""The sequence panels follow a run on either backend: the hidden states and gates of an LSTM as a units × time
heat map with a picked unit coloured onto the input, ‖∂L/∂h_t‖ on a log scale, and text generated from a prompt
by each decoding method; a network without the layers a panel needs gets the reason instead; Train ▸ Sequence
Panels brings each panel to the front with the keyboard focus in it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QMenu

from playground.core.config import DatasetConfig
from playground.core.graph import Graph
from playground.core.project import Project
from playground.ui import theme
from tests.paths import EXAMPLES
from tests.ui.support import settle

LONG = 120_000  # ms: the machine may be busy; the tests wait for snapshots, never for time
WINDOW_SIZE = (1440, 900)


def _adding(cell: str = "LSTM") -> Project:
    graph = Graph.chain(
        [
            ("Input", {"shape": [12, 2]}),
            (cell, {"hidden": 6, "output": "last"}),
            ("Dense", {"units": 1}),
            ("Output", {"loss": "mse"}),
        ]
    )
    return Project(graph, DatasetConfig(name="adding", params={"n_samples": 300, "steps": 12}), name="adding")


def _reverse() -> Project:
    """Token ids in, a score per token at every step out: a (tiny) language model the panel can run."""
    graph = Graph.chain(
        [
            ("Input", {"shape": [6], "vocabulary": 10}),
            ("Embedding", {"vocabulary": 10, "dim": 8}),
            ("GRU", {"hidden": 8}),
            ("Dense", {"units": 10}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    return Project(graph, DatasetConfig(name="reverse", params={"n_samples": 300}), name="reverse")


def _open(qtbot, window, project: Project, backend: str = "torch", view: str = "recurrent", epochs: int = 2):
    window.document.replace(project)
    area = window.training
    area.edit_training("epochs", epochs)
    area.edit_training("backend", backend)
    settle(qtbot, window)
    seq = area.sequences
    seq.show(view)
    return area, seq


def _train_until_snapshot(qtbot, area, seq, after: int = 0):
    area.train()
    qtbot.waitUntil(lambda: seq.feed.snapshots > after, timeout=LONG)
    qtbot.wait(50)


def _finish(qtbot, area) -> None:
    area.session.stop()
    qtbot.waitUntil(lambda: area.session.state not in ("running", "paused", "building"), timeout=LONG)


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_hidden_states_and_gates_over_time_with_a_unit_along_the_input(qtbot, window, backend):
    area, seq = _open(qtbot, window, _adding(), backend)
    panel = seq.panels["recurrent"]
    _train_until_snapshot(qtbot, area, seq)
    qtbot.waitUntil(lambda: not panel.showing_hint and panel.up_to_date, timeout=LONG)
    assert panel.image.image.shape == (6, 12)  # units × time
    names = [panel.quantity_box.itemText(i) for i in range(panel.quantity_box.count())]
    assert names == ["h_t", "forget f_t", "input i_t", "output o_t", "candidate", "cell c_t"]
    panel.quantity_box.setCurrentIndex(1)  # the forget gate: shares between 0 and 1
    assert np.all((panel.image.image >= 0) & (panel.image.image <= 1))
    assert "forget gate f_t of 6 units over 12 steps" in panel.caption.text()
    # a click on unit 4's row picks it; its value at every step colours one token each
    point = panel.plot.getViewBox().mapViewToScene(QPointF(3.5, 4.5))
    view_point = panel.view.mapFromScene(point)
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=view_point)
    assert panel.unit_box.value() == 4
    assert panel.firing.toHtml().count("background-color") == 12
    assert "Unit 4 along the input" in panel.firing.toPlainText()
    assert panel.strongest.text().startswith("Strongest at: t=")
    _finish(qtbot, area)


def test_gradient_through_time_of_a_plain_rnn_on_a_log_scale(qtbot, window):
    area, seq = _open(qtbot, window, _adding("RNN"), "numpy", "through_time")
    panel = seq.panels["through_time"]
    _train_until_snapshot(qtbot, area, seq)
    qtbot.waitUntil(lambda: not panel.showing_hint and panel.up_to_date, timeout=LONG)
    x, _y = panel.curve.getData()
    assert len(x) == 12 and list(x[:2]) == [1, 2]
    g = panel.current
    assert g is not None and g.cell == "RNN" and g.norms[-1] > g.norms[0]  # only h_T feeds the output
    assert f"{g.ratio:.1e}" in panel.caption.text()
    assert panel.plot.getAxis("left").logMode  # the vanishing gradient is a straight line on a log scale
    _finish(qtbot, area)


def test_generation_from_a_prompt_by_each_method_refreshed_as_it_trains(qtbot, window):
    area, seq = _open(qtbot, window, _reverse(), "numpy", "generation", epochs=200)  # still training when re-made
    panel = seq.panels["generation"]
    panel.prompt.setText("0123")
    panel.prompt.editingFinished.emit()
    panel.length.setValue(8)
    _train_until_snapshot(qtbot, area, seq)
    qtbot.waitUntil(lambda: panel.generated is not None, timeout=LONG)
    assert panel.generated.prompt == "0123" and len(panel.generated.tokens) == 8
    first = panel.step
    qtbot.waitUntil(lambda: panel.step > first, timeout=LONG)  # made again while the run goes on
    _finish(qtbot, area)
    panel.method.setCurrentIndex(panel.method.findData("beam"))
    panel.beam.setValue(3)
    qtbot.waitUntil(lambda: panel.generated is not None and panel.generated.method == "beam", timeout=LONG)
    assert len(panel.generated.beams) == 3
    assert "The beams" in panel.output.toHtml()
    panel.method.setCurrentIndex(panel.method.findData("greedy"))
    qtbot.waitUntil(lambda: panel.generated.method == "greedy", timeout=LONG)
    panel.prompt.setText("abc")  # not in the digits' vocabulary: said, the last text stays
    panel.prompt.editingFinished.emit()
    qtbot.waitUntil(lambda: "outside the model's vocabulary" in panel.caption.text(), timeout=LONG)
    assert not panel.showing_hint


def test_a_network_without_the_layers_gets_the_reason(qtbot, window):
    graph = Graph.chain([("Input", {"shape": [2]}), ("Dense", {"units": 2}), ("Output", {"loss": "cross_entropy"})])
    window.document.replace(Project(graph, DatasetConfig(name="spiral")))
    settle(qtbot, window)
    panels = window.training.sequences.panels
    assert "no RNN, LSTM or GRU layer" in panels["recurrent"].hint.text() and panels["recurrent"].showing_hint
    assert "no RNN, LSTM or GRU layer" in panels["through_time"].hint.text()
    assert "takes vectors, not token ids" in panels["generation"].hint.text()
    window.document.replace(_adding())  # a recurrent layer: the panel waits for a run instead
    settle(qtbot, window)
    assert panels["recurrent"].hint.text().startswith("Press Train (F5)")


def test_the_sequences_menu_reaches_each_panel_by_keyboard(qtbot, window):
    window.document.replace(_reverse())
    settle(qtbot, window)
    menu = window.findChild(QMenu, "menu_sequence_panels")
    assert menu.menuAction() in window.menu("&Train").actions()
    texts = [a.text() for a in menu.actions()]
    assert {"&Hidden States and Gates", "&Gradient Through Time", "Generate &Text"} <= set(texts)
    window.findChild(type(menu.actions()[0]), "action_show_generation").trigger()
    qtbot.waitUntil(lambda: window.training.sequences.panels["generation"].isVisible())
    panel = window.training.sequences.panels["generation"]
    window.activateWindow()
    qtbot.waitUntil(panel.prompt.hasFocus, timeout=2000)
    assert window.training.sequences.docks["generation"].isVisible()


def test_both_themes_restyle_the_panels(qtbot, window):
    area, seq = _open(qtbot, window, _adding(), "torch")
    panel = seq.panels["recurrent"]
    _train_until_snapshot(qtbot, area, seq)
    qtbot.waitUntil(lambda: not panel.showing_hint, timeout=LONG)
    _finish(qtbot, area)
    for name in ("light", "dark"):
        theme.apply(name)
        qtbot.wait(20)
        background = panel.view.backgroundBrush().color().name()
        assert background == theme.current().base


def _in_front(dock) -> bool:
    """The dock is the tab shown of its group: Qt keeps every tabbed dock visible, the others moved out of sight."""
    return dock.isVisible() and not dock.visibleRegion().isEmpty()


def test_sequence_panels_stay_behind_the_docks_they_are_tabbed_with(qtbot, own_window):
    """Added last, the sequence docks would come up in front of Curves and Predictions even for a CNN; a panel
    brought to the front gives it back to the dock it is tabbed with once the network has nothing for it, and
    leaves alone the tab the user chose otherwise."""
    window = own_window
    area, seq = window.training, window.training.sequences
    d = {**area.docks, **{f"seq_{view}": dock for view, dock in seq.docks.items()}}
    qtbot.waitUntil(lambda: _in_front(d["curves"]) and _in_front(d["predictions"]))  # a new window
    assert not any(_in_front(dock) for dock in seq.docks.values())
    window.files.open_path(EXAMPLES / "lenet5.json")  # a CNN: no sequence panel applies
    settle(qtbot, window)
    assert _in_front(d["curves"]) and _in_front(d["predictions"])
    d["doctor"].raise_()  # the user's choice of tab stays while the network is edited
    d["inside"].raise_()
    dense = window.document.graph.nodes_of_type("Dense")[0]
    window.document.graph.set_param(dense.id, "units", int(dense.params["units"]) + 1)
    settle(qtbot, window)
    assert _in_front(d["doctor"]) and _in_front(d["inside"])
    window.files.open_path(EXAMPLES / "tiny_gpt.json")  # it can generate, but the panel waits to be asked for
    settle(qtbot, window)
    assert _in_front(d["doctor"]) and not _in_front(d["seq_generation"])
    seq.show("generation")  # Train ▸ Sequence Panels ▸ Generate Text
    seq.show("recurrent")  # asked for, though the tiny GPT has no recurrent layer
    assert _in_front(d["seq_generation"]) and _in_front(d["seq_recurrent"]) and not _in_front(d["doctor"])
    assert seq._shown == {"generation", "recurrent"}  # only the panels in front are measured
    window.files.open_path(EXAMPLES / "lenet5.json")  # back to the CNN: the panels give the front back
    settle(qtbot, window)
    assert _in_front(d["curves"]) and _in_front(d["histograms"])
    assert not _in_front(d["seq_generation"]) and not _in_front(d["seq_recurrent"])
    seq._watch_visibility()
    assert seq._shown == set()
