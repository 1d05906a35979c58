"""``playground export P.json --to pytorch OUT.py``: a standalone training script.
``playground export P.json --to onnx OUT.onnx [--weights W]``: the network as ONNX, checked with onnxruntime."""

from __future__ import annotations

from .common import CommandError, guarded, open_project, print_json
from .lab_weights import read_weights


def add_parser(sub) -> None:
    p = sub.add_parser("export", help="write the network as a standalone PyTorch script or an ONNX file")
    p.add_argument("project", help="project file (.json)")
    p.add_argument("--to", choices=("pytorch", "onnx"), default="pytorch", help="target format")
    p.add_argument("out", help="output file (.py for pytorch, .onnx for onnx)")
    p.add_argument("--weights", metavar="W.safetensors", help="onnx: trained weights (default: the initial ones)")
    p.add_argument("--samples", type=int, default=8, help="onnx: random inputs the check compares on")
    p.add_argument("--json", action="store_true", help="onnx: print the file and the check as JSON")
    p.set_defaults(command="export")


@guarded
def run(args) -> int:
    project = open_project(args.project)
    if args.to == "onnx":
        return _run_onnx(args, project)
    if args.weights:
        raise CommandError("error: --weights is for --to onnx; the PyTorch script trains its own weights")
    from ..core.io.export_pytorch import ExportError, export_to_file  # deferred: it imports torch (seconds)

    try:
        path = export_to_file(project, args.out)
    except (ExportError, ValueError) as err:
        raise CommandError(f"error: {project.name}: {err}", 1) from None
    except OSError as err:
        raise CommandError(f"error: cannot write {args.out}: {err.strerror}") from None
    print(f"wrote {path}: run it with `python {path}`, or on 2 processes `torchrun --nproc_per_node 2 {path}`")
    return 0


def _run_onnx(args, project) -> int:
    from ..core.io.export_onnx import OnnxExportError, check_onnx, export_onnx  # deferred: torch (seconds)

    if args.samples < 1:
        raise CommandError(f"error: --samples must be at least 1, not {args.samples}")
    params = read_weights(args.weights, project.graph)
    try:
        path = export_onnx(project, args.out, params)
        check = check_onnx(project, path, params, samples=args.samples)
    except OnnxExportError as err:
        raise CommandError(f"error: {project.name}: {err}", 1) from None
    except OSError as err:
        raise CommandError(f"error: cannot write {args.out}: {err.strerror}") from None
    if args.json:
        print_json(
            {
                "file": str(path),
                "weights": args.weights,
                "samples": check.samples,
                "output_shape": list(check.output_shape),
                "max_abs_diff": check.max_abs_diff,
            }
        )
    else:
        print(f"wrote {path} (input 'input', output 'output', any batch size)")
        print(f"onnxruntime vs PyTorch on {check.samples} random inputs: max abs diff {check.max_abs_diff:.3g}")
    return 0
