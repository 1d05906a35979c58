"""``playground viz``: pictures, the numbers behind them, and clear errors (exit 2) for bad input."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from playground.cli import build_parser, main
from playground.commands.viz_args import params_from_args
from playground.core.io.checkpoint import save_weights
from playground.core.viz import load_image
from playground.core.viz.methods import METHODS, find_method
from tests.paths import ROOT


@pytest.fixture(scope="session")
def shapes_weights(shapes_run, tmp_path_factory):
    path = tmp_path_factory.mktemp("weights") / "shapes.safetensors"
    save_weights(shapes_run.trainer.parameters(), path)
    return path


def _run(capsys, *argv):
    code = main(["viz", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_gradcam_on_efficientnet_json(capsys, tmp_path):
    out_png = tmp_path / "cam.png"
    code, out, _ = _run(capsys, "gradcam", "--zoo", "efficientnet-lite0", "--json", "--out", str(out_png))
    assert code == 0
    data = json.loads(out)
    assert data["top_classes"][0][0] in (281, 282, 285) and isinstance(data["top_classes"][0][1], str)
    assert 0 < data["top_classes"][0][2] <= 1 and len(data["top_classes"]) == 5
    x, y = data["peak"]
    assert 0 <= x < 451 and 0 <= y < 300  # pixel coordinates of the original photo
    assert load_image(out_png).shape[2] == 3


def test_saliency_on_a_trained_project(capsys, tmp_path, shapes_weights, examples_dir):
    project = str(examples_dir / "shapes_cnn.json")
    code, out, err = _run(
        capsys,
        "saliency",
        "--project",
        project,
        "--weights",
        str(shapes_weights),
        "--sample",
        "4",
        "--json",
        "--out",
        str(tmp_path / "s.png"),
        "--backend",
        "numpy",
    )
    assert code == 0 and "untrained" not in err
    data = json.loads(out)
    assert set(data) >= {"top_classes", "peak"} and data["backend"] == "numpy"
    assert all(0 <= v < 32 for v in data["peak"]) and data["top_classes"][0][2] > 0.9


@pytest.mark.parametrize(
    "method,extra",
    [
        ("filters", []),
        ("activations", ["--layer", "conv2_relu"]),
        ("toppatches", ["--layer", "conv3", "--channel", "2"]),
        ("guided", []),
        ("gradcam", ["--guided"]),
        ("fgsm", ["--epsilon", "0.1"]),
        ("pgd", ["--steps", "3"]),
        ("classviz", ["--target", "square", "--steps", "3"]),
        ("dream", ["--steps", "2", "--layer", "conv2_relu"]),
        ("style", ["--steps", "2"]),
        ("layers", []),
    ],
)
def test_every_method_runs_on_a_project(capsys, tmp_path, shapes_weights, examples_dir, method, extra):
    out_png = tmp_path / f"{method}.png"
    code, out, err = _run(
        capsys,
        method,
        "--project",
        str(examples_dir / "shapes_cnn.json"),
        "--weights",
        str(shapes_weights),
        "--out",
        str(out_png),
        "--json",
        *extra,
    )
    assert code == 0, err
    data = json.loads(out)
    if method == "layers":
        assert data["default_layer"] == "conv3_relu" and data["layers"][0]["name"] == "conv1"
    else:
        assert load_image(out_png).ndim == 3 and data["out"] == str(out_png)
    if method in ("pgd", "classviz", "dream", "style"):
        assert "step" in err  # progress on stderr
    if method == "fgsm":
        assert data["before"][0][0] == data["label"] and "after" in data


def test_untrained_project_warns(capsys, tmp_path, examples_dir):
    code, _, err = _run(
        capsys, "filters", "--project", str(examples_dir / "shapes_cnn.json"), "--out", str(tmp_path / "f.png")
    )
    assert code == 0 and "untrained" in err and "--save-weights" in err


def test_bad_input_exits_2_with_a_clear_message(capsys, tmp_path, examples_dir):
    code, _, err = _run(capsys, "gradcam", "--zoo", "efficientnet-lite0", "--image", str(tmp_path / "nope.jpg"))
    assert code == 2 and "no such image file" in err
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG not really")
    code, _, err = _run(capsys, "saliency", "--zoo", "efficientnet-lite0", "--image", str(bad))
    assert code == 2 and "bad.png is not a readable image" in err
    code, _, err = _run(capsys, "gradcam", "--project", str(examples_dir / "shapes_cnn.json"), "--layer", "conv7")
    assert code == 2 and "unknown spatial layer 'conv7'" in err and "conv3_relu" in err
    code, _, err = _run(capsys, "saliency", "--project", str(examples_dir / "shapes_cnn.json"), "--target", "star")
    assert code == 2 and "star" in err and "circle" in err
    code, _, err = _run(
        capsys,
        "saliency",
        "--project",
        str(examples_dir / "shapes_cnn.json"),
        "--weights",
        str(tmp_path / "missing.safetensors"),
    )
    assert code == 2 and "missing.safetensors" in err
    code, _, err = _run(capsys, "gradcam", "--zoo", "efficientnet-lite0", "--weights-file", str(bad))
    assert code == 2 and "not a readable PyTorch weights file" in err


def test_every_method_takes_the_catalogue_defaults_and_checks_ranges(capsys):
    parser, _ = build_parser()
    for method in METHODS:
        args = parser.parse_args(["viz", method.key, "--zoo", "efficientnet-lite0"])
        assert params_from_args(method, args) == method.defaults(), method.key
    with pytest.raises(SystemExit) as stop:
        parser.parse_args(["viz", "dream", "--zoo", "vgg16", "--steps", "0"])
    assert stop.value.code == 2 and "--steps: must be between 1 and 100" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser.parse_args(["viz", "filters", "--zoo", "vgg16", "--steps", "3"])  # filters have no steps
    assert "unrecognized arguments: --steps" in capsys.readouterr().err
    args = parser.parse_args(["viz", "style", "--zoo", "vgg16", "--lr", "auto", "--optimizer", "adam"])
    assert params_from_args(find_method("style"), args)["lr"] is None


def test_the_readme_gallery_commands_parse():
    commands = re.findall(r"`(viz [^`]*)`", (ROOT / "README.md").read_text())
    assert len(commands) >= 11
    parser, _ = build_parser()
    for command in commands:
        argv = shlex.split(command.replace("…", "--project p.json"))
        args = parser.parse_args(argv)
        if args.method != "layers":
            params_from_args(find_method(args.method), args)
