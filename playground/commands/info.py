"""``playground info P.json [--json]``: every layer's output shape and parameter count."""

from __future__ import annotations

from ..core.layers import fmt_shape
from ..core.memory import estimate_memory
from ..core.shapes import infer
from .common import guarded, open_project, print_json


def add_parser(sub) -> None:
    p = sub.add_parser("info", help="table of layers: output shape and parameter count")
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(command="info")


@guarded
def run(args) -> int:
    project = open_project(args.project)
    report = infer(project.graph)
    estimate = estimate_memory(project, report)
    rows = []
    order_ids = {n.id for n in report.order}
    nodes = report.order + [n for n in project.graph.nodes if n.id not in order_ids]
    for node in nodes:
        info = report.nodes[node.id]
        rows.append(
            {
                "name": node.name,
                "type": node.type,
                "output_shape": list(info.shape) if info.shape is not None else None,
                "params": info.params,
            }
        )
    if args.json:
        print_json(
            {
                "nodes": rows,
                "total_params": report.total_params,
                "memory_bytes": {**estimate.parts(), "total": estimate.total},
                "problems": [p.message for p in report.problems],
            }
        )
        return 0
    width_name = max([len(r["name"]) for r in rows] + [5])
    width_type = max([len(r["type"]) for r in rows] + [4])
    print(f"{project.name}")
    print(f"{'Layer':<{width_name}}  {'Type':<{width_type}}  {'Output shape':<16} {'Params':>14}")
    print("-" * (width_name + width_type + 36))
    for r in rows:
        shape = fmt_shape(tuple(r["output_shape"])) if r["output_shape"] is not None else "?"
        print(f"{r['name']:<{width_name}}  {r['type']:<{width_type}}  {shape:<16} {r['params']:>14,}")
    print("-" * (width_name + width_type + 36))
    print(f"Total parameters: {report.total_params:,}")
    print(f"Memory to train: {estimate.summary()}")
    for problem in report.problems:
        print(f"{problem.severity}: {problem.message}")
    return 0
