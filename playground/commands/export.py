"""``playground export P.json --to pytorch OUT.py``: a standalone training script."""

from __future__ import annotations

from .common import CommandError, guarded, open_project


def add_parser(sub) -> None:
    p = sub.add_parser("export", help="write the network as a standalone PyTorch script")
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--to", choices=("pytorch",), default="pytorch", help="target format")
    p.add_argument("out", help="output file (.py)")
    p.set_defaults(command="export")


@guarded
def run(args) -> int:
    from ..core.io.export_pytorch import ExportError, export_to_file  # deferred: it imports torch (seconds)

    project = open_project(args.project)
    try:
        path = export_to_file(project, args.out)
    except (ExportError, ValueError) as err:
        raise CommandError(f"error: {project.name}: {err}", 1) from None
    except OSError as err:
        raise CommandError(f"error: cannot write {args.out}: {err.strerror}") from None
    print(f"wrote {path}: run it with `python {path}`")
    return 0
