"""The command line and the Visualize workspace run every method with the same defaults: both go through
run_method, and the settled call each one hands to the method's recipe is recorded and compared."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from playground.cli import main
from playground.core.viz.methods import METHODS
from playground.core.viz.recipes import RECIPES, Outcome
from playground.core.viz.run import MethodCall
from tests.paths import EXAMPLES

LONG = 60_000


WINDOW_SIZE = (1500, 950)
WINDOW_EMPTIED = False  # as the previous test left it


@pytest.fixture
def recorded(monkeypatch) -> list[MethodCall]:
    """Every recipe replaced by one that records its call and returns a blank picture (what is compared
    here is how the method is called, not what it computes)."""
    calls: list[MethodCall] = []

    def record(_model, call: MethodCall, _cancel) -> Outcome:
        calls.append(call)
        return Outcome(np.zeros((8, 8, 3), np.uint8))

    for key in list(RECIPES):
        monkeypatch.setitem(RECIPES, key, record)
    return calls


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b)
    return a == b


def _gui_call(qtbot, window, method: str, calls: list[MethodCall]) -> MethodCall:
    ws = window.visualize
    ws.controls.set_method(method)
    before = len(calls)
    ws.run()
    qtbot.waitUntil(lambda: not ws.busy, timeout=LONG)
    assert len(calls) == before + 1, ws.status.text()
    return calls[-1]


def _cli_call(tmp_path, method: str, calls: list[MethodCall]) -> MethodCall:
    before = len(calls)
    project = str(EXAMPLES / "shapes_cnn.json")
    assert main(["viz", method, "--project", project, "--out", str(tmp_path / "p.png"), "--quiet"]) == 0
    assert len(calls) == before + 1
    return calls[-1]


def test_the_cli_and_the_workspace_run_every_method_with_the_same_defaults(qtbot, window, recorded, tmp_path):
    window.document.open(EXAMPLES / "shapes_cnn.json")
    ws = window.visualize
    ws.actions["show_viz"].trigger()
    ws.sources.set_model_key("untrained")
    ws.load_model()
    qtbot.waitUntil(lambda: ws.model_ready, timeout=LONG)
    for method in METHODS:
        gui = _gui_call(qtbot, window, method.key, recorded)
        cli = _cli_call(tmp_path, method.key, recorded)
        assert gui.params == cli.params == method.defaults(), method.key
        for f in fields(MethodCall):
            assert _same(getattr(gui, f.name), getattr(cli, f.name)), f"{method.key}: {f.name} differs"
