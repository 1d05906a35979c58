"""``playground augment``: the project's augmentation, or changed settings, shown as numbers and a picture."""

from __future__ import annotations

import json

from PIL import Image

from playground.cli import main
from tests.paths import EXAMPLES

SHAPES = str(EXAMPLES / "shapes_cnn.json")


def test_a_grid_of_images_and_their_augmented_copies(tmp_path, capsys):
    out = tmp_path / "grid.png"
    code = main(["augment", SHAPES, "--set", "flip_horizontal=true", "--set", "cutout=8", "--out", str(out), "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["augmentation"] == {"flip_horizontal": True, "cutout": 8}
    assert report["mean_abs_pixel_change"] > 0.01
    with Image.open(out) as grid:
        assert grid.size == (4 * 64, 4 * 64)


def test_without_augmentation_nothing_changes(capsys):
    assert main(["augment", SHAPES, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["augmentation"] == {} and report["mean_abs_pixel_change"] == 0.0


def test_bad_settings_and_point_data_are_explained(capsys):
    assert main(["augment", SHAPES, "--set", "rotaton=3"]) == 2
    assert "NAME one of crop_padding" in capsys.readouterr().err
    assert main(["augment", SHAPES, "--set", "rotation=400"]) == 2
    assert "rotation" in capsys.readouterr().err
    assert main(["augment", str(EXAMPLES / "spiral.json"), "--set", "cutout=3"]) == 2
    assert "samples are 2" in capsys.readouterr().err
