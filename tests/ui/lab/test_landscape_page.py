"""The loss landscape page: computed on a worker thread with progress, drawn as contours with the trained
weights at the lowest point, the trajectory on its PCA plane; cancel; the skips switch only where there are skips."""

from __future__ import annotations

import numpy as np
import pytest

from tests.paths import EXAMPLES


@pytest.fixture
def page(window, qtbot):
    window.files.open_path(EXAMPLES / "xor.json")
    window.lab.show_page("landscape")
    page = window.lab.page("landscape")
    page.grid.setValue(7)
    page.batch.setValue(64)
    return page


def test_compute_draws_the_three_views(page, qtbot):
    page.epochs.setValue(120)
    assert page.plots.showing_hint and "Compute draws the loss here" in page.plots.hint.text()  # no empty axes
    page.compute_button.click()
    assert not page.compute_button.isEnabled() and page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: page.result is not None, timeout=60000)
    r = page.result
    assert not page.plots.showing_hint
    assert page.progress.value() == page.progress.maximum() == 41 + 2 * 49  # line, random slice, PCA slice
    assert page.compute_button.isEnabled() and not page.cancel_button.isEnabled()
    x, y = page.line_curve.getData()
    np.testing.assert_allclose(x, r.line_t)
    np.testing.assert_allclose(y, np.log10(r.line_loss), rtol=1e-6)  # drawn on a log axis
    assert page.random.values.shape == (7, 7) and len(page.random.contours.points()) > 3
    assert np.argmin(page.random.values) == 24  # the centre of a 7×7 grid: the trained weights
    assert "lowest point is the trained weights" in page.status.text()
    px, py = page.pca.path.getData()
    np.testing.assert_allclose(np.c_[px, py], r.trajectory)
    assert "PCA 1 · " in page.pca.getPlotItem().getAxis("bottom").labelText


def test_cancel_stops_the_work(page, qtbot):
    page.epochs.setValue(400)
    page.compute_button.click()
    qtbot.waitUntil(lambda: page.progress.value() > 0, timeout=30000)
    with qtbot.waitSignal(page.worker.failed, timeout=30000) as stopped:
        page.cancel_button.click()
        assert page.compute_button.isEnabled() and page.status.text() == "Cancelled."
    assert stopped.args[1] == "Cancelled."  # the work itself stopped, at its next step
    assert page.result is None and page.status.text() == "Cancelled."


def test_the_skips_switch_follows_the_project(window, page):
    assert not page.no_skips.isEnabled()
    window.files.open_path(EXAMPLES / "mini_resnet.json")
    assert page.no_skips.isEnabled()
