"""``playground augment``: what a project's augmentation does to its training images, headless.

playground augment P.json --out grid.png                      # each image, then augmented copies of it
playground augment P.json --set flip_horizontal=true --set rotation=15 --out grid.png
playground augment P.json --json                              # the settings and how much the pixels change
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from ..core.config import AugmentationConfig
from ..core.data.augment import PARAMS, augment, check_augmentation
from ..core.data.registry import DatasetError, load_dataset
from .common import CommandError, guarded, open_project, print_json


def add_parser(sub) -> None:
    p = sub.add_parser("augment", help="show what the project's augmentation does to its training images")
    p.add_argument("project", help="project file (.json)")
    names = ", ".join(p.name for p in PARAMS)
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help=f"change one setting ({names})")
    p.add_argument("--out", metavar="GRID.png", help="write the images and their augmented copies as a picture")
    p.add_argument("--images", type=int, default=4, help="images shown (default 4)")
    p.add_argument("--copies", type=int, default=3, help="augmented copies of each (default 3)")
    p.add_argument("--seed", type=int, default=0, help="seed of the random changes")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _settings(base: AugmentationConfig, assignments: list[str]) -> AugmentationConfig:
    values = base.model_dump()
    for item in assignments:
        name, sep, text = item.partition("=")
        if not sep or name.strip() not in values:
            raise CommandError(f"error: --set {item}: write NAME=VALUE with NAME one of {', '.join(values)}")
        try:
            values[name.strip()] = json.loads(text.strip().lower() if text.strip() in ("True", "False") else text)
        except json.JSONDecodeError:
            raise CommandError(f"error: --set {item}: '{text}' is not a number or true/false") from None
    try:
        return AugmentationConfig.model_validate(values)
    except ValidationError as err:
        first = err.errors()[0]
        raise CommandError(f"error: augmentation {'.'.join(map(str, first['loc']))}: {first['msg']}") from None


@guarded
def run(args) -> int:
    project = open_project(args.project)
    config = _settings(project.dataset.augmentation, args.set)
    ds = project.dataset
    try:
        data = load_dataset(ds.name, ds.params, ds.seed)
        check_augmentation(config, data.sample_shape)
    except (DatasetError, ValueError) as err:
        raise CommandError(f"error: {project.name}: dataset: {err}") from None
    if data.x.ndim != 4:
        raise CommandError(f"error: {project.name}: augmentation changes images; '{ds.name}' has none", 1)
    if args.images < 1 or args.copies < 1:
        raise CommandError("error: --images and --copies must be at least 1")
    originals = np.asarray(data.inputs(slice(0, args.images)), np.float32)  # uint8 pixels scaled to [0, 1]
    rng = np.random.default_rng(args.seed)
    copies = [augment(originals, config, rng) for _ in range(args.copies)]
    change = float(np.mean([np.abs(c - originals).mean() for c in copies]))
    if args.out:
        _write_grid(Path(args.out), originals, copies)
    if args.json:
        on = config.model_dump(exclude_defaults=True)
        print_json({"dataset": ds.name, "augmentation": on, "mean_abs_pixel_change": change, "out": args.out})
    else:
        on = ", ".join(f"{k} {v}" for k, v in config.model_dump(exclude_defaults=True).items()) or "off"
        print(f"{project.name}: augmentation {on}; pixels change by {change:.3f} on average")
        if args.out:
            print(f"wrote {args.out}: each row an image, then {args.copies} augmented copies")
    return 0


def _write_grid(path: Path, originals: np.ndarray, copies: list[np.ndarray], cell: int = 64) -> None:
    from PIL import Image  # deferred: only pictures need Pillow

    lo, hi = float(originals.min()), float(originals.max())
    columns = 1 + len(copies)
    grid = Image.new("RGB", (columns * cell, len(originals) * cell), (40, 40, 40))
    for row in range(len(originals)):
        for col, batch in enumerate([originals, *copies]):
            x = (batch[row] - lo) / (hi - lo) if hi > lo else np.zeros_like(batch[row])
            pixels = (np.clip(np.moveaxis(x, 0, -1), 0, 1) * 255).astype(np.uint8)
            picture = Image.fromarray(pixels[..., 0] if pixels.shape[2] != 3 else pixels).convert("RGB")
            grid.paste(picture.resize((cell - 2, cell - 2), Image.Resampling.NEAREST), (col * cell + 1, row * cell + 1))
    try:
        grid.save(path)
    except OSError as err:
        raise CommandError(f"error: cannot write {path}: {err}", 1) from None
