"""The exported PyTorch script and the code panel read like hand-written code."""

from __future__ import annotations

import re

import pytest

from playground.core.io.export_pytorch import export_script, readable_forward
from playground.core.io.project_file import load_project
from tests.paths import EXAMPLES


def test_the_forward_has_no_freeing_statements():
    fx = "def forward(self, x):\n    a = self.a(x);  x = None\n    b = self.b(a);  a = None\n    return b\n"
    assert readable_forward(fx) == "def forward(self, x):\n    a = self.a(x)\n    b = self.b(a)\n    return b"


def test_the_spiral_script_has_no_placeholder_code():
    script = export_script(load_project(EXAMPLES / "spiral.json"))
    assert not re.search(r"\b\w+ = None\b", script)
    assert not re.search(r"^\s*pass\s*$", script, re.MULTILINE)
    assert "init_weights" not in script  # every layer keeps PyTorch's default: no function to call
    compile(script, "spiral.py", "exec")


def test_a_chosen_initialisation_is_written_out():
    project = load_project(EXAMPLES / "spiral.json")
    hidden = project.graph.by_name("hidden1")
    hidden.params["init"] = "kaiming_normal"
    script = export_script(project)
    assert "def init_weights(model):" in script and "init_weights(model)\n" in script
    assert "nn.init.kaiming_normal_(model.hidden1.weight" in script
    compile(script, "spiral.py", "exec")


def test_the_adding_problem_exports_with_its_data_and_lstm():
    """The script makes the same sequences as the app and builds the LSTM of the project."""
    import numpy as np

    from playground.core.data.registry import load_dataset

    project = load_project(EXAMPLES / "adding_lstm.json")
    namespace: dict = {"__name__": "exported"}
    exec(compile(export_script(project), "adding_lstm.py", "exec"), namespace)
    x, y = namespace["load_data"]()
    data = load_dataset("adding", project.dataset.params, project.dataset.seed)
    np.testing.assert_array_equal(x, data.x)
    np.testing.assert_array_equal(y, data.y)
    model = namespace["Network"]()
    assert tuple(model(namespace["torch"].from_numpy(x[:3])).shape) == (3, 1)


def test_a_loss_per_time_step_exports_and_trains(tmp_path):
    """Reverse a digit string: token ids in, a class per step out; the script puts PyTorch's class axis first."""
    import subprocess
    import sys

    from playground.core.config import DatasetConfig
    from playground.core.graph.model import Graph
    from playground.core.project import Project

    graph = Graph.chain(
        [
            ("Input", {"shape": [4], "vocabulary": 10}),
            ("Embedding", {"vocabulary": 10, "dim": 8}),
            ("GRU", {"hidden": 8, "bidirectional": True}),
            ("Dense", {"units": 10}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    dataset = DatasetConfig(name="reverse", params={"n_samples": 200, "steps": 4})
    project = Project(graph=graph, dataset=dataset, name="reverse")
    project.training.epochs = 2
    script = tmp_path / "reverse.py"
    script.write_text(export_script(project))
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("val accuracy") == 2


def test_the_brackets_data_exports_identically():
    import numpy as np

    from playground.core.config import DatasetConfig
    from playground.core.data.registry import load_dataset
    from playground.core.graph.model import Graph
    from playground.core.project import Project

    graph = Graph.chain(
        [
            ("Input", {"shape": [8], "vocabulary": 2}),
            ("Embedding", {"vocabulary": 2, "dim": 4}),
            ("RNN", {"hidden": 4, "output": "last"}),
            ("Dense", {"units": 2}),
            ("Output", {"loss": "cross_entropy"}),
        ]
    )
    dataset = DatasetConfig(name="brackets", params={"n_samples": 60, "steps": 8})
    namespace: dict = {"__name__": "exported"}
    exec(compile(export_script(Project(graph=graph, dataset=dataset, name="b")), "b.py", "exec"), namespace)
    x, y = namespace["load_data"]()
    data = load_dataset("brackets", dataset.params, dataset.seed)
    np.testing.assert_array_equal(x, data.x)
    np.testing.assert_array_equal(y, data.y)


@pytest.mark.parametrize(
    "example,name,params",
    [
        ("reverse_transformer", "copy", {"n_samples": 30}),
        ("reverse_transformer", "sort", {"n_samples": 30}),
        ("sine_gru", "sine", {"n_samples": 30, "noise": 0.3}),
    ],
)
def test_the_digit_and_sine_data_export_identically(example, name, params):
    import numpy as np

    from playground.core.config import DatasetConfig
    from playground.core.data.registry import load_dataset

    project = load_project(EXAMPLES / f"{example}.json")
    project.dataset = DatasetConfig(name=name, params=params, seed=3)
    namespace: dict = {"__name__": "exported"}
    exec(compile(export_script(project), f"{name}.py", "exec"), namespace)
    x, y = namespace["load_data"]()
    data = load_dataset(name, params, 3)
    np.testing.assert_array_equal(x, data.x)
    np.testing.assert_array_equal(y, data.y)
