"""The inspector's Code section: a layer's NumPy forward/backward, its PyTorch module and their difference."""

from __future__ import annotations

from playground.ui.panels.layer_code_view import LayerCodeView
from tests.paths import EXAMPLES


def _view(window) -> LayerCodeView | None:
    return window.inspector.findChild(LayerCodeView)


def test_the_code_of_the_selected_layer_and_its_check(window, qtbot):
    window.files.open_path(EXAMPLES / "spiral.json")
    graph = window.document.graph
    LayerCodeView.opened = False
    window.reveal_node(graph.by_name("hidden1").id)
    view = _view(window)
    assert view is not None and not view.body.isVisible() and not view.job  # folded: nothing runs
    view.toggle.click()
    qtbot.waitUntil(lambda: view.code is not None, timeout=30000)
    assert "def forward(self, a: np.ndarray" in view.forward.toPlainText()
    assert "np.matmul(dz.T, self.a" in view.backward.toPlainText()
    assert "nn.Linear(2, 16, bias=True)" in view.torch.text()
    assert "dL/dweight" in view.result.text() and view.code.max_diff < 1e-12
    window.reveal_node(graph.by_name("relu1").id)  # stays open for the next layer, and runs for it
    view = _view(window)
    assert view.toggle.isChecked()
    qtbot.waitUntil(lambda: view.code is not None, timeout=30000)
    assert view.code.numpy_class == "ReLU" and "nn.ReLU()" in view.torch.text()
    window.reveal_node(graph.by_name("input").id)
    assert _view(window) is None  # the Input computes nothing
    LayerCodeView.opened = False


def test_selecting_on_while_it_runs_is_safe(window, qtbot):
    window.files.open_path(EXAMPLES / "mini_resnet.json")
    LayerCodeView.opened = True
    graph = window.document.graph
    for name in ("stem", "stem_bn", "b1_add"):
        window.reveal_node(graph.by_name(name).id)
    view = _view(window)
    qtbot.waitUntil(lambda: view.code is not None, timeout=30000)
    assert view.code.node == "b1_add" and view.code.input_shapes == [(2, 16, 32, 32), (2, 16, 32, 32)]
    LayerCodeView.opened = False


def test_after_training_it_runs_on_the_runs_weights_and_captured_input(window, qtbot):
    window.files.open_path(EXAMPLES / "xor.json")
    area = window.training
    area.edit_training("epochs", 2)
    area.train()
    qtbot.waitUntil(lambda: area.session.state == "completed", timeout=60000)
    LayerCodeView.opened = True
    window.reveal_node(window.document.graph.by_name("scores").id)
    view = _view(window)
    qtbot.waitUntil(lambda: view.code is not None, timeout=30000)
    assert view.code.input_source == "captured" and view.code.input_shapes == [(2, 4)]
    assert "training run's weights" in view.result.text() and view.code.max_diff < 1e-12
    LayerCodeView.opened = False
