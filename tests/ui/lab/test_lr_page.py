"""The learning-rate finder page: the test runs off the GUI thread with progress, can be cancelled, marks its
suggestion, and one click makes it the project's learning rate (undoable)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.paths import EXAMPLES


@pytest.fixture
def page(window, qtbot):
    window.files.open_path(EXAMPLES / "spiral.json")
    window.training.edit_training("backend", "numpy")  # the same steps as PyTorch's, without its start-up
    window.lab.show_page("lr")
    return window.lab.page("lr")


def test_the_suggestion_is_marked_and_applied_undoably(page, qtbot, window):
    page.steps.setValue(80)
    page.lr_max.setValue(1.0)
    assert page.plot_stack.showing_hint and "Run draws the training loss" in page.plot_stack.hint.text()
    page.run_button.click()
    assert page.running and not page.run_button.isEnabled()
    qtbot.waitUntil(lambda: page.ready, timeout=60000)
    result = page.result
    assert result is not None and len(result.lrs) == 80 and not page.plot_stack.showing_hint
    assert page.progress.value() == 80 * result.passes
    ys = page.smooth.getData()[1]
    np.testing.assert_allclose(ys, result.smoothed)
    assert page.marker.isVisible() and page.marker.value() == pytest.approx(np.log10(result.suggestion))
    assert f"{result.suggestion:.3g}" in page.status.text()
    lr_before = window.document.project.training.optimizer.lr
    assert page.apply_button.isEnabled()
    page.apply_button.click()
    assert window.document.project.training.optimizer.lr == pytest.approx(result.suggestion, rel=1e-2)
    window.document.undo_stack.undo()
    assert window.document.project.training.optimizer.lr == lr_before


def test_cancel_stops_the_test_and_changes_nothing(page, qtbot, window):
    page.steps.setValue(5000)
    page.lr_max.setValue(1.0)
    assert page.plot_stack.showing_hint and "Run draws the training loss" in page.plot_stack.hint.text()
    page.run_button.click()
    qtbot.waitUntil(lambda: page.progress.value() > 0, timeout=60000)
    page.cancel_button.click()
    qtbot.waitUntil(lambda: page.ready, timeout=10000)
    assert page.status.text().startswith("Cancelled")
    assert page.result is None and not page.apply_button.isEnabled()
    assert page.progress.value() < 5000
