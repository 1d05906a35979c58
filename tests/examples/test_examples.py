"""Every example loads and checks; the small ones train to the accuracy the course promises."""

import json

import pytest

from playground.cli import main
from playground.core.io.project_file import load_project
from playground.core.shapes import infer
from playground.core.training.engine import TrainingRun

ALL = [
    "spiral",
    "spiral_features",
    "xor",
    "regression",
    "digits_mlp",
    "shapes_cnn",
    "lenet5",
    "alexnet",
    "vgg16",
    "mini_resnet",
    "mini_unet",
    "adding_lstm",
    "adding_rnn",
    "thinking_machines",
    "reverse_transformer",
    "char_lstm",
    "tiny_gpt",
    "sine_gru",
]


def test_every_example_is_present_and_valid(examples_dir):
    assert sorted(p.stem for p in examples_dir.glob("*.json")) == sorted(ALL)
    for name in ALL:
        project = load_project(examples_dir / f"{name}.json")
        assert infer(project.graph).ok, name


def test_vgg16_matches_the_course_table(examples_dir, capsys):
    assert main(["info", str(examples_dir / "vgg16.json"), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["total_params"] == 138_357_544
    convs = [n for n in info["nodes"] if n["type"] == "Conv2d"]
    assert [c["output_shape"] for c in convs] == [
        [64, 224, 224],
        [64, 224, 224],
        [128, 112, 112],
        [128, 112, 112],
        [256, 56, 56],
        [256, 56, 56],
        [256, 56, 56],
        [512, 28, 28],
        [512, 28, 28],
        [512, 28, 28],
        [512, 14, 14],
        [512, 14, 14],
        [512, 14, 14],
    ]
    dense = [n for n in info["nodes"] if n["type"] == "Dense"]
    assert [d["output_shape"] for d in dense] == [[4096], [4096], [1000]]
    assert dense[0]["params"] == 25088 * 4096 + 4096  # "almost all" the parameters


@pytest.mark.parametrize(
    "name,threshold", [("spiral", 0.95), ("spiral_features", 0.95), ("digits_mlp", 0.95), ("xor", 0.95)]
)
def test_small_examples_reach_their_accuracy(examples_dir, name, threshold):
    summary = TrainingRun(load_project(examples_dir / f"{name}.json")).run()
    assert summary["val_accuracy"] >= threshold, summary


def test_the_features_spiral_trains_on_the_numpy_backend_too(examples_dir):
    project = load_project(examples_dir / "spiral_features.json")
    summary = TrainingRun(project, backend="numpy").run()
    assert summary["val_accuracy"] >= 0.95, summary


def test_shapes_cnn_reaches_90_percent(shapes_run):
    assert shapes_run.summary_at_end["val_accuracy"] >= 0.90


def test_regression_fits(examples_dir):
    summary = TrainingRun(load_project(examples_dir / "regression.json")).run()
    assert summary["val_loss"] < 0.05, summary  # the targets have variance ≈ 0.16


@pytest.mark.parametrize("name,epochs,threshold", [("lenet5", 2, 0.6), ("mini_resnet", 1, 0.5), ("mini_unet", 1, 0.8)])
def test_bigger_examples_start_learning(examples_dir, name, epochs, threshold):
    project = load_project(examples_dir / f"{name}.json")
    if name == "mini_unet":
        project.dataset = project.dataset.model_copy(update={"params": {**project.dataset.params, "n_samples": 400}})
    summary = TrainingRun(project, epochs=epochs).run()
    assert summary["val_accuracy"] >= threshold, summary


@pytest.mark.parametrize("backend", ["torch", "numpy"])
def test_the_lstm_learns_the_adding_problem_on_both_backends(examples_dir, backend):
    """T = 50: the validation MSE falls below a tenth of what always predicting the mean scores (0.167)."""
    from playground.core.data.sequences import ADDING_BASELINE_MSE

    summary = TrainingRun(load_project(examples_dir / "adding_lstm.json"), backend=backend).run()
    assert summary["val_loss"] < ADDING_BASELINE_MSE / 10, summary
