"""The backprop page: the seeds' numbers step by step, the arrow keys, the project's network walked on a worker
thread with its current node selected on the canvas, heat maps for large tensors."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.ui.lab.backprop_page import PROJECT, SEEDS
from playground.ui.lab.tensor_view import TensorView, as_image
from tests.paths import EXAMPLES


@pytest.fixture
def page(window, qtbot):
    window.lab.show_page("backprop")
    page = window.lab.page("backprop")
    page.source.setCurrentIndex(SEEDS)
    return page


def _shown(page) -> list[str]:
    return [v.numbers.text().strip() for v in page.detail.widget().findChildren(TensorView) if v.numbers.isVisible()]


def test_the_seeds_example_walks_forward_then_back_with_the_course_numbers(page, qtbot):
    assert page.total == 10 and page.position == 0
    # the circuit: x, y, z in the first column, q after x and y, f after q and z
    assert {n: c for n, (c, _r) in page.circuit.places.items()} == {"x": 0, "y": 0, "z": 0, "q": 1, "f": 2}
    assert page.steps.item(0).text().startswith("→ x")
    for _ in range(4):
        qtbot.keyClick(page, Qt.Key.Key_Right)
    assert page.position == 4 and "f = q·z" in page.detail.widget().findChildren(type(page.status))[0].text()
    assert _shown(page)[-1] == "-12"
    qtbot.keyClick(page, Qt.Key.Key_Right)  # backward at f: local df/dq = z = −4, × upstream 1 = −4
    assert _shown(page) == ["1", "-4", "-4", "3", "3"]  # upstream, then (local, product) for q and for z
    page.forward_button.click()  # backward at q: local 1 × upstream −4 = −4 for x and for y
    assert _shown(page) == ["-4", "1", "-4", "1", "-4"]
    qtbot.keyClick(page, Qt.Key.Key_Left)
    assert page.position == 5 and page.steps.currentRow() == 5
    page.go(99)
    assert page.position == 9 and not page.forward_button.isEnabled()


def test_the_projects_network_is_walked_and_its_node_selected(window, page, qtbot):
    window.files.open_path(EXAMPLES / "spiral.json")
    page.source.setCurrentIndex(PROJECT)
    qtbot.waitUntil(lambda: page.trace is not None and page.trace.loss_name == "cross_entropy", timeout=20000)
    assert page.total == 2 * len(page.trace.forward)
    page.go(1)  # forward at hidden1
    selected = window.scene.selectedItems()
    assert len(selected) == 1 and selected[0].node.name == "hidden1"
    back = next(i for i in range(page.total) if page.steps.item(i).text().startswith("← hidden2"))
    page.go(back)
    views = page.detail.widget().findChildren(TensorView)
    jacobian = next(v for v in views if "d(hidden2)/d(relu1)" in v.title.text())
    assert jacobian.as_heatmap and jacobian.value.shape == (16, 16)  # too many values: a heat map
    np.testing.assert_allclose(jacobian.value, page.trace.params["hidden2"]["weight"], rtol=1e-6)


def test_a_network_with_a_problem_says_so(window, page, qtbot):
    window.files.open_path(EXAMPLES / "xor.json")
    window.document.graph.remove_node(window.document.graph.nodes_of_type("Output")[0].id)
    page.source.setCurrentIndex(PROJECT)
    qtbot.waitUntil(lambda: "Output" in page.status.text(), timeout=20000)
    assert page.trace is None and page.total == 0


def test_as_image_tiles_feature_maps_and_folds_vectors():
    maps = as_image(np.arange(2 * 3 * 4).reshape(2, 3, 4))
    assert maps.shape == (3, 9) and np.isnan(maps[:, 4]).all()
    folded = as_image(np.arange(10.0))
    assert folded.shape == (3, 4) and np.isnan(folded[-1, -2:]).all()
