"""``playground lab landscape``: the loss landscape of the project's network (Li et al. 2018).

playground lab landscape examples/xor.json --epochs 150              # trains, then every view
playground lab landscape examples/mini_resnet.json --no-skips --grid 11 --epochs 2 --batch 128
playground lab landscape P.json --weights trained.safetensors --json  # around given weights (no trajectory)
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np
from tqdm import tqdm

from ..core.lab.landscape import Landscape, LandscapeError, LandscapeOptions, landscape
from ..core.lab.skips import SkipsError, without_skips
from .common import CommandError, open_project, print_json
from .lab_weights import read_weights

NAME = "landscape"
HELP = "the loss landscape: 1D interpolation, filter-normalized 2D slice, training trajectory on its PCA plane"


def add_arguments(p) -> None:
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--weights", metavar="W.safetensors", help="trained weights (default: train here, recording)")
    p.add_argument("--start", metavar="W0.safetensors", help="the 1D line's other end (default: initial weights)")
    p.add_argument("--no-skips", action="store_true", help="take the skip connections (Add layers) out first")
    p.add_argument("--epochs", type=int, help="epochs of the training run made here (default: the project's)")
    p.add_argument("--grid", type=int, default=21, help="points per side of the 2D slices (default 21)")
    p.add_argument("--span", type=float, default=1.0, help="α and β from −SPAN to SPAN (default 1)")
    p.add_argument("--batch", type=int, default=256, help="training samples the loss is measured on (default 256)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random directions")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _print(result: Landscape) -> None:
    print(f"Loss landscape on {result.batch} training samples; weights: {result.source}.")
    print(f"Loss at the trained weights: {result.trained_loss:.4g}")
    i = int(np.nanargmin(result.line_loss))
    print(f"1D line (1 − t)·θ_start + t·θ_trained: lowest {result.line_loss[i]:.4g} at t = {result.line_t[i]:.2f}")
    centre = len(result.alphas) // 2
    row, col = np.unravel_index(np.nanargmin(result.surface), result.surface.shape)
    print(
        f"Filter-normalized random slice, α, β in ±{result.alphas[-1]:g}: lowest {result.surface[row, col]:.4g} "
        f"at α = {result.alphas[col]:.2f}, β = {result.alphas[row]:.2f}; at the corners "
        f"{np.nanmean(result.surface[[0, 0, -1, -1], [0, -1, 0, -1]]):.4g} on average "
        f"(centre {result.surface[centre, centre]:.4g})"
    )
    if len(result.trajectory):
        print(
            f"Trajectory of {len(result.trajectory)} recorded weights on its PCA plane "
            f"({result.explained[0]:.0%} and {result.explained[1]:.0%} of its variance): "
            f"loss {result.trajectory_loss[0]:.4g} → {result.trajectory_loss[-1]:.4g}"
        )
    for note in result.notes:
        print(note)


def run(args) -> int:
    project = open_project(args.project)
    if args.no_skips:
        try:
            project = dataclasses.replace(project, graph=without_skips(project.graph))
        except SkipsError as err:
            raise CommandError(f"error: {project.name}: {err}") from None
    trained = read_weights(args.weights, project.graph)
    start = read_weights(args.start, project.graph, "--start")
    options = LandscapeOptions(grid=args.grid, span=args.span, batch=args.batch, epochs=args.epochs, seed=args.seed)
    bar = None if args.quiet or args.json else tqdm(total=1, file=sys.stderr, unit="step", dynamic_ncols=True)
    result = None
    try:
        for progress in landscape(project, options, trained, start):
            if bar is not None:
                bar.total = progress.total
                bar.set_description(progress.stage)
                bar.n = progress.done
                bar.refresh()
            result = progress.result
    except LandscapeError as err:
        raise CommandError(f"error: {project.name}: {err}", 1) from None
    finally:
        if bar is not None:
            bar.close()
    assert result is not None
    if args.json:
        print_json(result.to_json())
    else:
        _print(result)
    return 0
