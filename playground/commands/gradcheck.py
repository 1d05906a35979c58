"""``playground gradcheck P.json``: check the NumPy backend's backprop against PyTorch and against
finite differences, node by node; exit 1 if any error exceeds the tolerance."""

from __future__ import annotations

import math

from .common import CommandError, guarded, open_project, print_json


def add_parser(sub) -> None:
    p = sub.add_parser("gradcheck", help="check the NumPy backprop against PyTorch and finite differences")
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--batch", type=int, help="number of samples to check with (default: 4, or 2 without a dataset)")
    p.add_argument("--seed", type=int, help="seed for the weights and random choices (default: the project's)")
    p.add_argument("--json", action="store_true", help="print one JSON object with the results")
    p.set_defaults(command="gradcheck")


@guarded
def run(args) -> int:
    # deferred: it loads the NumPy backend and the datasets, which parsing the arguments does not need
    from ..core.training.gradcheck import FD_TOLERANCE, TOLERANCE, GradcheckError, gradcheck

    project = open_project(args.project)
    if args.batch is not None and args.batch < 1:
        raise CommandError("error: --batch must be at least 1")
    try:
        result = gradcheck(project, batch_size=args.batch, seed=args.seed)
    except GradcheckError as err:
        raise CommandError(f"error: {project.name}: {err}", 1) from None
    if args.json:
        print_json(result.to_json())
        return 0 if result.passed else 1

    def fmt(x: float | None) -> str:
        if x is None:
            return "–"
        return "inf" if not math.isfinite(x) else f"{x:.1e}"

    print(f"{project.name}: gradient check on {result.batch_source}, float64")
    print(
        "Relative errors. activation, gradient: NumPy vs PyTorch for each node's output and the gradients of\n"
        "its output and parameters. finite diff.: our backward vs the slope of the loss itself, for the\n"
        "input and each layer with parameters."
    )
    width = max(len(n.name) for n in result.nodes)
    print(f"  {'node':<{width}}  {'type':<15} {'activation':>10} {'gradient':>10} {'finite diff':>11}")
    for n in result.nodes:
        print(
            f"  {n.name:<{width}}  {n.type:<15} {fmt(n.max_rel_err_activation):>10} {fmt(n.max_rel_err_grad):>10} "
            f"{fmt(n.finite_difference_rel_err):>11}"
        )
    print(f"largest error NumPy vs PyTorch   {fmt(result.max_rel_err)} (tolerance {TOLERANCE:g})")
    print(f"largest error vs finite diff.    {fmt(result.finite_difference_max_rel_err)} (tolerance {FD_TOLERANCE:g})")
    print(
        "PASSED: the NumPy backprop agrees."
        if result.passed
        else "FAILED: some layer's forward or backward disagrees (see the errors above)."
    )
    return 0 if result.passed else 1
