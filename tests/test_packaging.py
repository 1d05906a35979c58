"""An installed Playground carries its assets: build the wheel, install it into a fresh virtual environment, and
open an asset from there, found the same way as in a checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib

from tests.paths import ROOT


def declared_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["packages"]


def test_every_package_is_declared():
    found = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in (ROOT / "playground").rglob("*")
        if folder.is_dir() and any(folder.glob("*.py"))
    }
    found.add("playground")
    assert set(declared_packages()) == found | {"playground.assets"}


def test_a_wheel_installs_the_assets(tmp_path):
    source = tmp_path / "source"  # a copy, so that the build leaves the checkout clean
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "playground", source / "playground", ignore=ignore)
    shutil.copytree(ROOT / "assets", source / "assets", ignore=ignore)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "dist", source], check=True)
    (wheel,) = (tmp_path / "dist").glob("playground-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    subprocess.run([*pip, "--python", python, "install", "--no-deps", "--no-index", wheel], check=True)

    # The dependencies come from the environment running the tests; Playground itself only from the wheel.
    paths = sysconfig.get_paths()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join({paths["purelib"], paths["platlib"]}), "PYTHONNOUSERSITE": "1"}
    probe = (
        "import playground, playground.core.assets as a; from playground.core.zoo import imagenet_classes;"
        "print(playground.__file__); print(a.asset_path('icons', 'playground.svg'));"
        "print(len(imagenet_classes())); print(a.asset('styles', 'mosaic.png').read_bytes()[1:4].decode())"
    )
    done = subprocess.run([python, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    out = done.stdout.split()
    site = venv / "lib"
    assert out[0].startswith(str(site)) and out[1].startswith(str(site))
    assert out[1].endswith("playground/assets/icons/playground.svg")
    assert out[2:] == ["1000", "PNG"]
