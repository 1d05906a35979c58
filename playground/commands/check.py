"""``playground check P.json``: one line per problem, naming the node; exit 1 if any error."""

from __future__ import annotations

from ..core.memory import MemoryLimitError, check_memory
from ..core.shapes import infer
from .common import guarded, open_project


def add_parser(sub) -> None:
    p = sub.add_parser("check", help="validate the graph; one line per problem")
    p.add_argument("project", help="project file (.json)")
    p.set_defaults(command="check")


@guarded
def run(args) -> int:
    project = open_project(args.project)
    report = infer(project.graph)
    for problem in report.problems:
        print(f"{problem.severity}: {problem.message}")
    if not report.ok:
        return 1
    try:
        estimate = check_memory(project, report)
    except MemoryLimitError as err:
        print(f"error: {err}")
        return 1
    print(f"{project.name}: the network is valid ({report.total_params:,} parameters).")
    print(f"Memory to train: {estimate.summary()}.")
    return 0
