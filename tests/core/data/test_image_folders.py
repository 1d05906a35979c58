"""Image folders and path,label lists: decoding, centre crops, grey/RGB, bad files named and skipped."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from playground.core.data import load_dataset
from playground.core.data.folders import ImageFolderError, decode
from tests.core.data.image_folders import make_image_folder


def test_a_folder_of_class_folders_loads_as_uint8_with_bad_files_named(tmp_path):
    make_image_folder(tmp_path, per_class=6)
    data = load_dataset("image_folder", {"folder": str(tmp_path), "size": 16})
    assert data.x.dtype == np.uint8 and data.x.shape == (12, 3, 16, 16)
    assert data.class_names == ["bright", "dark"] and np.bincount(data.y).tolist() == [6, 6]
    assert data.x[data.y == 0].mean() > 150 > 100 > data.x[data.y == 1].mean()
    description = data.description
    assert "Skipped 3 files" in description
    assert "bright/notes.txt (not an image Pillow can read)" in description
    assert "dark/broken.png (corrupt or unreadable" in description
    assert "README.md (not in a class sub-folder)" in description


def test_centre_crop_and_channels(tmp_path):
    pixels = np.zeros((20, 60, 3), np.uint8)
    pixels[:, 20:40] = 255  # a white band in the middle third of a wide image
    Image.fromarray(pixels).save(tmp_path / "wide.png")
    rgb = decode(tmp_path / "wide.png", 10, grey=False)
    assert rgb.shape == (3, 10, 10) and rgb.min() > 200  # the centre square is the band
    grey = decode(tmp_path / "wide.png", 10, grey=True)
    assert grey.shape == (1, 10, 10)
    Image.fromarray(pixels[..., 0]).save(tmp_path / "grey.png")
    make_image_folder(tmp_path / "set", per_class=2, bad_files=False)
    data = load_dataset("image_folder", {"folder": str(tmp_path / "set"), "size": 8, "channels": "grey"})
    assert data.x.shape == (4, 1, 8, 8)
    assert load_dataset("image_folder", {"folder": str(tmp_path / "set"), "size": 8}).x.shape == (4, 3, 8, 8)


def test_a_csv_of_paths_and_labels(tmp_path):
    make_image_folder(tmp_path / "pics", per_class=3, bad_files=False)
    rows = ["path,label"] + [f"pics/bright/bright_{i:03d}.png,sunny" for i in range(3)]
    rows += [f"{tmp_path}/pics/dark/dark_{i:03d}.png,night" for i in range(3)] + ["pics/missing.png,night"]
    (tmp_path / "list.csv").write_text("\n".join(rows) + "\n")
    data = load_dataset("image_list", {"file": str(tmp_path / "list.csv"), "size": 8})
    assert data.class_names == ["night", "sunny"] and data.y.tolist() == [1, 1, 1, 0, 0, 0]
    assert "missing.png (corrupt or unreadable" in data.description


def test_clear_messages(tmp_path):
    with pytest.raises(ImageFolderError, match="no folder chosen"):
        load_dataset("image_folder", {})
    with pytest.raises(ImageFolderError, match="no folder at"):
        load_dataset("image_folder", {"folder": str(tmp_path / "nowhere")})
    (tmp_path / "only").mkdir()
    with pytest.raises(ImageFolderError, match="has 1 sub-folder: put each class"):
        load_dataset("image_folder", {"folder": str(tmp_path)})
    (tmp_path / "list.csv").write_text("file,class\na.png,x\n")
    with pytest.raises(ImageFolderError, match="needs a 'path' and a 'label' column"):
        load_dataset("image_list", {"file": str(tmp_path / "list.csv")})
    (tmp_path / "other").mkdir()
    (tmp_path / "only" / "a.txt").write_text("text")
    with pytest.raises(
        ValueError, match=r"no readable image in .*Skipped 2 files: list.csv .*; only/a.txt \(not an image"
    ):
        load_dataset("image_folder", {"folder": str(tmp_path)})
