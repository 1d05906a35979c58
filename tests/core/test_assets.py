"""The files shipped in assets/ are found by name, read the same way whatever they are, and a missing one is named."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.assets import asset, asset_path, assets_folder
from playground.core.viz.samples import STYLES, bundled_image
from playground.core.zoo import imagenet_classes
from tests.paths import ROOT


def test_a_checkout_reads_the_top_level_assets_folder():
    assert assets_folder() == ROOT / "assets"
    assert asset_path("icons", "playground.svg") == ROOT / "assets" / "icons" / "playground.svg"


def test_the_shipped_files_are_what_the_app_expects():
    assert asset("icons", "playground.svg").read_text(encoding="utf-8").lstrip().startswith("<svg")
    names = imagenet_classes()
    assert len(names) == 1000 and names[281] == "tabby"
    for name in ("mosaic", "waves"):
        image = bundled_image(name)
        assert name in STYLES and image.shape == (256, 256, 3) and image.dtype == np.uint8
        assert len(np.unique(image.reshape(-1, 3), axis=0)) > 50  # a picture, not a flat colour


def test_a_missing_asset_names_the_file():
    with pytest.raises(FileNotFoundError, match=r"assets/icons/nothing\.svg is missing"):
        asset("icons", "nothing.svg")


def test_the_desktop_entry_names_the_icon_and_the_command():
    entry = asset("playground.desktop").read_text(encoding="utf-8").splitlines()
    assert entry[0] == "[Desktop Entry]"
    assert "Icon=playground" in entry and "Exec=playground %f" in entry
