"""``playground lab race``: optimizers racing on a 2D function, headless.

playground lab race --function rosenbrock --steps 500
playground lab race --formula "x**2 + 10*y**2" --start 2,1 --optimizers gd,momentum,newton --set gd.lr=0.05
playground lab race --function saddle --json --points       # every point of every trajectory
"""

from __future__ import annotations

from typing import Any

from ..core.lab.expression import ExpressionError
from ..core.lab.race import KINDS, Racer, race, racer_for, trajectory_summary
from ..core.lab.surfaces import SURFACES, Surface, custom_surface
from .common import CommandError, print_json

NAME = "race"
HELP = "race optimizers (GD, momentum, Nesterov, RMSProp, AdaGrad, Adam, AdamW, Newton) on a 2D function"


def add_arguments(p) -> None:
    what = p.add_mutually_exclusive_group()
    what.add_argument("--function", choices=tuple(SURFACES), default="rosenbrock", help="a built-in test function")
    what.add_argument("--formula", metavar="F", help='your own function of x and y, e.g. "x**2 + 10*y**2"')
    p.add_argument("--x-range", metavar="LO,HI", default="-3,3", help="x range of --formula (default -3,3)")
    p.add_argument("--y-range", metavar="LO,HI", default="-3,3", help="y range of --formula (default -3,3)")
    p.add_argument("--start", metavar="X,Y", help="start point (default: the function's own)")
    p.add_argument(
        "--optimizers", metavar="LIST", default=",".join(KINDS), help=f"comma-separated, from {', '.join(KINDS)}"
    )
    p.add_argument(
        "--set",
        metavar="OPT.NAME=V",
        action="append",
        default=[],
        help="an optimizer's setting, e.g. adam.lr=0.1 or momentum.momentum=0.5 (repeatable)",
    )
    p.add_argument("--steps", type=int, default=300, help="steps per optimizer (default 300)")
    p.add_argument("--points", action="store_true", help="with --json: every point and loss of each trajectory")


def _pair(text: str, option: str) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in text.split(","))
    except ValueError:
        raise CommandError(f"error: {option} must be two numbers separated by a comma, not {text!r}") from None
    return a, b


def _settings(items: list[str]) -> dict[str, dict[str, float | bool]]:
    out: dict[str, dict[str, float | bool]] = {}
    for item in items:
        key, _, value = item.partition("=")
        kind, _, name = key.partition(".")
        if not (kind and name and value):
            raise CommandError(f"error: --set {item!r}: write OPTIMIZER.SETTING=VALUE, e.g. adam.lr=0.1")
        try:
            number: float | bool = value.lower() == "true" if value.lower() in ("true", "false") else float(value)
        except ValueError:
            raise CommandError(f"error: --set {item!r}: {value!r} is not a number") from None
        out.setdefault(kind, {})[name] = number
    return out


def _surface(args) -> Surface:
    if args.formula is None:
        return SURFACES[args.function]
    try:
        return custom_surface(args.formula, _pair(args.x_range, "--x-range"), _pair(args.y_range, "--y-range"))
    except ExpressionError as err:
        raise CommandError(f"error: --formula: {err}") from None
    except ValueError as err:
        raise CommandError(f"error: {err}") from None


def run(args) -> int:
    surface = _surface(args)
    start = _pair(args.start, "--start") if args.start else surface.start
    kinds = [k.strip() for k in args.optimizers.split(",") if k.strip()]
    settings = _settings(args.set)
    stray = set(settings) - set(kinds)
    if stray:
        raise CommandError(f"error: --set names {', '.join(sorted(stray))}, which is not in --optimizers")
    try:
        racers: list[Racer] = [racer_for(k, surface, **settings.get(k, {})) for k in kinds]
        trajectories = race(surface, start, racers, args.steps)
    except ValueError as err:
        raise CommandError(f"error: {err}") from None
    if args.json:
        data: dict[str, Any] = {
            "function": surface.key,
            "formula": surface.formula,
            "start": list(start),
            "minimum": list(surface.minimum) if surface.minimum else None,
            "optimizers": [trajectory_summary(t) for t in trajectories],
        }
        if args.points:
            for entry, t in zip(data["optimizers"], trajectories, strict=True):
                entry["points"], entry["losses"] = t.points.tolist(), t.losses.tolist()
        print_json(data)
        return 0
    print(f"{surface.title}: f(x, y) = {surface.formula}, from ({start[0]:g}, {start[1]:g})")
    print(f"{'optimizer':<18} {'lr':>8} {'steps':>6} {'final point':>24} {'final f':>12}  note")
    for t in trajectories:
        x, y = t.points[-1]
        point = f"({x:.4g}, {y:.4g})"
        lr = t.racer.settings["lr"]
        print(f"{t.racer.title:<18} {lr:>8g} {len(t.points) - 1:>6} {point:>24} {t.losses[-1]:>12.4g}  {t.stopped}")
    return 0
