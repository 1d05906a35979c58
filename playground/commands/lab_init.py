"""``playground lab init``: a deep MLP at step 0 under each initialization scheme, headless.

playground lab init --activation tanh --depth 10               # every scheme, side by side
playground lab init --scheme normal --std 0.01 --json          # one scheme, the numbers per layer
"""

from __future__ import annotations

from ..core.lab.init_explorer import ACTIVATIONS, SCHEMES, explore
from .common import CommandError, print_json

NAME = "init"
HELP = "activations and gradients of a deep MLP at step 0 under each weight initialization (001 §4.4)"


def add_arguments(p) -> None:
    p.add_argument("--scheme", choices=tuple(SCHEMES), help="one scheme (default: all of them)")
    p.add_argument("--std", type=float, default=0.01, help="σ of the normal scheme (default 0.01)")
    p.add_argument("--activation", choices=tuple(ACTIVATIONS), default="tanh", help="default tanh")
    p.add_argument("--depth", type=int, default=10, help="Dense layers (default 10)")
    p.add_argument("--width", type=int, default=100, help="units per layer (default 100)")
    p.add_argument("--samples", type=int, default=256, help="inputs drawn from N(0, 1) (default 256)")
    p.add_argument("--seed", type=int, default=0)


def run(args) -> int:
    schemes = [args.scheme] if args.scheme else list(SCHEMES)
    try:
        results = [
            explore(s, args.activation, args.depth, args.width, args.std, args.samples, args.seed) for s in schemes
        ]
    except ValueError as err:
        raise CommandError(f"error: {err}") from None
    if args.json:
        print_json({"width": args.width, "samples": args.samples, "schemes": [r.summary() for r in results]})
        return 0
    print(f"{args.depth} Dense layers of {args.width} units, {args.activation}, inputs N(0, 1): std per layer")
    for r in results:
        title = r.scheme.title.replace("σ", f"{args.std:g}")
        print(f"\n{title} — {r.scheme.help}")
        print("  activations: " + " ".join(f"{v:8.2g}" for v in r.activation_stds))
        print("  gradients:   " + " ".join(f"{v:8.2g}" for v in r.gradient_stds))
        ratio = r.summary()["last_over_first_activation_std"]
        if ratio is not None:
            print(f"  last layer / first layer: {ratio:.3g}")
    return 0
