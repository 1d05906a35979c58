"""A newcomer rebuilds LeNet-5 from an empty canvas: layers from the palette, wires with the mouse, values picked in
the inspector's spin boxes and lists, guided by the shapes on the edges; it ends up equal to the bundled example."""

from __future__ import annotations

import itertools

from playground.core.io.project_file import load_project
from playground.core.shapes import infer
from tests.paths import EXAMPLES
from tests.ui.support import click_node, drag_connection, drop_layer, settle

EXAMPLE = EXAMPLES / "lenet5.json"

# (layer, values chosen in the inspector)
LENET = [
    ("Input", {"shape": "1, 28, 28"}),
    ("Conv2d", {"out_channels": 6, "kernel": 5, "padding": "2"}),
    ("Tanh", {}),
    ("AvgPool2d", {}),
    ("Conv2d", {"out_channels": 16, "kernel": 5}),
    ("Tanh", {}),
    ("AvgPool2d", {}),
    ("Flatten", {}),
    ("Dense", {"units": 120}),
    ("Tanh", {}),
    ("Dense", {"units": 84}),
    ("Tanh", {}),
    ("Dense", {"units": 10}),
    ("Output", {}),
]


def choose(window, param: str, value) -> None:
    """Set a value the way the widget lets a user: spin-box steps, or an entry of the list."""
    editor = window.inspector.rows[param].editor
    if hasattr(editor, "spin"):
        spin = editor.spin
        while spin.value() != value:
            spin.stepBy(1 if value > spin.value() else -1)
    else:
        index = editor.combo.findText(value)
        assert index >= 0, f"{value!r} is not offered for {param}"
        editor.combo.setCurrentIndex(index)
        editor.combo.textActivated.emit(value)


def test_rebuild_lenet5_from_an_empty_canvas(qtbot, window):
    window.document.project.dataset = load_project(EXAMPLE).dataset  # 28×28 digits: the dataset must fit too
    window.view.set_zoom(0.45)
    window.view.centerOn(700, 150)
    ids = []
    for i, (type_, _values) in enumerate(LENET):
        row, col = divmod(i, 7)  # two rows of seven, as a student would lay them out
        ids.append(drop_layer(window, type_, (col * 220.0 + 80, row * 260.0 + 40)))
    for a, b in itertools.pairwise(ids):
        drag_connection(qtbot, window, a, b)
    for node_id, (_type, values) in zip(ids, LENET):
        if values:
            click_node(qtbot, window, node_id)
            for param, value in values.items():
                choose(window, param, value)
    settle(qtbot, window)

    built = window.document.graph
    example = load_project(EXAMPLE).graph
    assert [n.type for n in built.nodes] == [n.type for n in example.nodes]
    assert [n.params for n in built.nodes] == [n.params for n in example.nodes]
    ours, theirs = window.document.report, infer(example)
    assert ours.ok and ours.total_params == theirs.total_params == 61_706
    assert [ours.shape(n.id) for n in built.nodes] == [theirs.shape(n.id) for n in example.nodes]
    # The student sees the shapes along the way: 6×28×28 after c1, 16×5×5 before the flatten, 400 after it.
    labels = [window.scene.edge_items[e][0].label for e in built.edges]
    assert labels[:2] == ["1×28×28", "6×28×28"] and "16×5×5" in labels and "400" in labels
    assert "✔ Valid network" in window.status.validity.text()
