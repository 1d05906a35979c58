"""What the Visualize workspace says about its picture is never stale: the caption under the picture belongs
to the current method, and Deep Dream's step counter counts the steps of all its octaves."""

from __future__ import annotations

from playground.ui.viz.workspace import VizWorkspace
from tests.paths import EXAMPLES

LONG = 60_000


WINDOW_SIZE = (1500, 950)
WINDOW_EMPTIED = False  # as the previous test left it


def _load(qtbot, window, model_key: str) -> VizWorkspace:
    window.document.open(EXAMPLES / "shapes_cnn.json")
    ws = window.visualize
    ws.actions["show_viz"].trigger()
    ws.sources.set_model_key(model_key)
    ws.load_model()
    qtbot.waitUntil(lambda: ws.model_ready, timeout=LONG)
    return ws


def _run(qtbot, ws: VizWorkspace, method: str) -> None:
    ws.controls.set_method(method)
    ws.run()
    qtbot.waitUntil(lambda: not ws.busy, timeout=LONG)
    assert ws.outcome_method == method, ws.status.text()


def test_the_caption_belongs_to_the_current_method(qtbot, window):
    ws = _load(qtbot, window, "untrained")
    _run(qtbot, ws, "activations")
    assert "Feature maps" in ws.numbers.text() and "Strongest channels" in ws.numbers.text()

    ws.controls.set_method("dream")  # the feature maps are still on screen, their numbers are not
    caption = ws.numbers.text()
    assert "Deep Dream" in caption and "press Run" in caption and "last Feature maps" in caption
    assert "Strongest channels" not in caption
    ws.controls.param_forms["dream"].widgets["steps"].setValue(40)
    seen: list[str] = []
    ws.worker.frame.connect(lambda *_: seen.append(ws.numbers.text()))
    ws.run()
    assert "Deep Dream" in ws.numbers.text() and "computing" in ws.numbers.text()
    qtbot.waitUntil(lambda: not ws.busy, timeout=LONG)
    assert all("Deep Dream" in text and "Strongest" not in text for text in seen), seen
    caption = ws.numbers.text()
    assert "Deep Dream" in caption and "objective" in caption and "Strongest" not in caption

    ws.controls.set_method("activations")
    assert "Feature maps" in ws.numbers.text() and "last Deep Dream" in ws.numbers.text()
    ws.controls.set_method("dream")
    assert ws.numbers.text() == caption  # its own picture: its own numbers again


def test_deep_dream_counts_the_steps_of_all_octaves(qtbot, window):
    ws = _load(qtbot, window, "zoo:efficientnet-lite0")
    ws.sources.photo_combo.setCurrentIndex(ws.sources.photo_combo.findData("chelsea"))
    ws.controls.set_method("dream")
    form = ws.controls.param_forms["dream"]
    assert form.form.isRowVisible(form.widgets["octaves"])
    form.widgets["size"].setValue(64)
    form.widgets["octaves"].setValue(2)
    form.widgets["steps"].setValue(4)
    counters: list[tuple[int, str]] = []
    ws.worker.frame.connect(lambda *_: counters.append((ws.progress.maximum(), ws.status.text())))
    _run(qtbot, ws, "dream")
    assert counters and all(total == 8 and "/8" in text for total, text in counters), counters
    assert ws.outcome.data["steps"] == 8
    assert "8 steps (2 octaves of 4)" in ws.status.text() and "8 steps (2 octaves of 4)" in ws.numbers.text()


def test_a_fixed_size_network_dreams_at_one_scale_and_says_so(qtbot, window):
    ws = _load(qtbot, window, "untrained")
    ws.controls.set_method("dream")
    form = ws.controls.param_forms["dream"]
    assert not form.form.isRowVisible(form.widgets["octaves"])  # 32×32 inputs have no room for octaves
    form.widgets["steps"].setValue(5)
    _run(qtbot, ws, "dream")
    assert ws.outcome.data["steps"] == 5 and "5 steps." in ws.status.text() and "octaves" not in ws.status.text()
