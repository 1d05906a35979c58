"""``playground lab backprop``: one sample through the network forward, then backward node by node.

playground lab backprop --seeds                               # f(x, y, z) = (x + y)·z at x=−2, y=5, z=−4
playground lab backprop examples/spiral.json --sample 3       # the NumPy backend's numbers, float64
playground lab backprop examples/xor.json --check --json      # … and each node against PyTorch autograd
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core.lab.backprop_steps import BackpropStepsError, BackpropTrace, backprop_trace, seeds_example
from .common import CommandError, open_project, print_json
from .lab_weights import read_weights

NAME = "backprop"
HELP = "backprop step by step on one sample: each node's upstream gradient, local gradient and their product"


def add_arguments(p) -> None:
    p.add_argument("project", nargs="?", help="project file (.json); leave out with --seeds")
    p.add_argument("--seeds", action="store_true", help="the course's f(x, y, z) = (x + y)·z instead of a project")
    p.add_argument("--sample", type=int, default=0, help="training sample number (default 0)")
    p.add_argument("--weights", metavar="W.safetensors", help="weights to use (default: the initial ones)")
    p.add_argument("--check", action="store_true", help="compare every node with PyTorch autograd (float64)")
    p.add_argument("--limit", type=int, default=64, help="show arrays of at most this many values in full")


def _fmt(a: np.ndarray, limit: int) -> str:
    a = np.asarray(a)
    if a.size <= min(limit, 8):
        return np.array2string(a, precision=4, suppress_small=True, separator=", ").replace("\n", "")
    return f"{'×'.join(map(str, a.shape))} values, norm {np.linalg.norm(a):.4g}"


def _print(trace: BackpropTrace, limit: int, errors: dict[str, float] | None) -> None:
    print(f"Backprop on {trace.source}: loss {trace.loss:.6g}")
    print("Forward, node by node:")
    for s in trace.forward:
        print(f"  {s.node:<14} {s.type:<12} {s.formula:<28} = {_fmt(s.output, limit)}")
    print("Backward: dL/d(input) = local gradient × upstream dL/d(output)")
    for s in trace.backward:
        err = f"   (vs autograd {errors[s.node]:.1e})" if errors and s.node in errors else ""
        print(f"  {s.node:<14} upstream {_fmt(s.upstream, limit)}{err}")
        for g in s.inputs:
            local = "not formed (too large)" if g.local is None else _fmt(g.local, limit)
            print(f"      → {g.source:<12} local ({g.local_kind}) {local};  product {_fmt(g.product, limit)}")
        for k, v in s.params.items():
            print(f"      dL/d{k:<8} {_fmt(v, limit)}")


def run(args) -> int:
    if args.seeds:
        trace, errors = seeds_example(), None
    else:
        if args.project is None:
            raise CommandError("error: give a project file, or --seeds for the course's example")
        project = open_project(args.project)
        params = read_weights(args.weights, project.graph)
        try:
            trace = backprop_trace(project, args.sample, params)
        except BackpropStepsError as err:
            raise CommandError(f"error: {project.name}: {err}") from None
        errors = None
        if args.check:
            from ..core.lab.backprop_check import autograd_errors  # deferred: imports torch

            errors = autograd_errors(project, trace)
    worst = max(errors.values()) if errors else None
    if args.json:
        data: dict[str, Any] = trace.to_json(args.limit)
        if errors is not None:
            data["autograd_errors"] = errors
            data["autograd_max_error"] = worst
        print_json(data)
    else:
        _print(trace, args.limit, errors)
        if worst is not None:
            print(f"Largest relative difference from PyTorch autograd: {worst:.1e}")
    return 0 if worst is None or worst <= 1e-6 else 1
