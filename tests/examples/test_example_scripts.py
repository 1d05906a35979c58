"""The short Python-API scripts in examples/ run as a user would run them (as __main__, with arguments)."""

from __future__ import annotations

import runpy
import sys

import pytest


def run_script(examples_dir, monkeypatch, name: str, *args: str) -> None:
    monkeypatch.setattr(sys, "argv", [name, *args])
    runpy.run_path(str(examples_dir / name), run_name="__main__")


def test_two_backends_agree_on_the_spiral(examples_dir, monkeypatch, capsys):
    run_script(examples_dir, monkeypatch, "two_backends.py", "5")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == ["torch", "numpy"]
    losses = [float(line.split("train loss")[1].split()[0]) for line in lines]
    assert losses[0] == pytest.approx(losses[1], rel=1e-4)  # same seed, same batches, same arithmetic


def test_gradcam_on_a_bundled_photo_finds_the_cat(examples_dir, monkeypatch, capsys, tmp_path):
    out = tmp_path / "cam.png"
    run_script(examples_dir, monkeypatch, "gradcam_photo.py", "chelsea", str(out))
    printed = capsys.readouterr().out
    assert printed.splitlines()[0].endswith("Egyptian cat (285)")
    assert out.stat().st_size > 10_000
