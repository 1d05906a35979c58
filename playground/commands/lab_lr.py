"""``playground lab lr``: the learning-rate range test on a project, headless.

playground lab lr examples/spiral.json                     # suggested learning rate and the curve
playground lab lr examples/spiral.json --steps 300 --passes 5 --min 1e-6 --max 1 --json
"""

from __future__ import annotations

import sys

from tqdm import tqdm

from ..core.lab.lr_finder import PASSES, RULE, LRStep, lr_range_test
from ..core.training.engine import TrainingError
from .common import CommandError, open_project, print_json

NAME = "lr"
HELP = "learning-rate range test: train with an exponentially growing rate and suggest one"


def add_arguments(p) -> None:
    p.add_argument("project", metavar="PROJECT.json")
    p.add_argument("--steps", type=int, default=200, help="training steps (default 200)")
    p.add_argument(
        "--passes", type=int, default=PASSES, help=f"passes averaged, in different batch orders (default {PASSES})"
    )
    p.add_argument("--min", dest="lr_min", type=float, default=1e-5, help="first learning rate (default 1e-5)")
    p.add_argument("--max", dest="lr_max", type=float, default=10.0, help="last learning rate (default 10)")
    p.add_argument("--backend", choices=("torch", "numpy"), help="default: the project's")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args) -> int:
    project = open_project(args.project)
    bar = tqdm(total=args.steps * args.passes, file=sys.stderr, disable=args.quiet or None, unit="step", leave=False)

    def report(step: LRStep) -> None:
        bar.update(1)
        bar.set_postfix(lr=f"{step.lr:.2g}", loss=f"{step.smoothed:.3g}")

    try:
        result = lr_range_test(
            project, args.steps, args.lr_min, args.lr_max, passes=args.passes, backend=args.backend, report=report
        )
    except TrainingError as err:
        raise CommandError(f"error: {project.name}: {err}", 1) from None
    except ValueError as err:
        raise CommandError(f"error: {err}") from None
    finally:
        bar.close()
    if args.json:
        print_json(result.summary())
        return 0
    rates = f"learning rate {args.lr_min:g} → {args.lr_max:g}"
    print(f"{project.name}: {len(result.lrs)} steps of {result.optimizer}, {rates}, {result.passes} passes averaged")
    if result.stopped:
        print(f"stopped early: {result.stopped}")
    every = max(1, len(result.lrs) // 15)
    print(f"{'learning rate':>14} {'loss':>9} {'smoothed':>9}")
    for lr, loss, smooth in list(zip(result.lrs, result.losses, result.smoothed, strict=True))[::every]:
        print(f"{lr:>14.3g} {loss:>9.4g} {smooth:>9.4g}")
    if result.suggestion is None:
        print("too few steps to suggest a learning rate")
        return 1
    print(f"suggested learning rate: {result.suggestion:.3g} ({RULE})")
    return 0
