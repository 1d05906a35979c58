"""``playground lab layer-code``: a layer's NumPy forward and backward, the PyTorch module it is checked against,
and how far apart the two are on one input.

playground lab layer-code examples/spiral.json hidden1
playground lab layer-code examples/mini_resnet.json stem_bn --json
"""

from __future__ import annotations

from ..core.lab.layer_source import LayerCodeError, layer_code
from .common import CommandError, open_project, print_json
from .lab_weights import read_weights

NAME = "layer-code"
HELP = "a layer's own code: NumPy forward/backward beside the PyTorch call, run on one input, max difference"


def add_arguments(p) -> None:
    p.add_argument("project", help="project file (.json)")
    p.add_argument("layer", help="the layer's name")
    p.add_argument("--weights", metavar="W.safetensors", help="weights to use (default: the initial ones)")
    p.add_argument("--seed", type=int, default=0, help="seed of the initial weights and the random input")


def run(args) -> int:
    project = open_project(args.project)
    params = read_weights(args.weights, project.graph)
    try:
        code = layer_code(project.graph, args.layer, params, seed=args.seed)
    except LayerCodeError as err:
        raise CommandError(f"error: {project.name}: {err}") from None
    if args.json:
        print_json(code.to_json())
        return 0
    print(f"{code.node} ({code.type}): NumPy class {code.numpy_class} in {code.numpy_file}")
    print(f"\n{code.forward_source}\n\n{code.backward_source}\n")
    print(f"checked against PyTorch: {code.torch_call}")
    shapes = ", ".join("×".join(map(str, s)) for s in code.input_shapes)
    print(f"on a {code.input_source} input of {shapes} (float64, evaluation mode), max |NumPy − PyTorch|:")
    print(f"  output {code.output_diff:.1e}   dL/d(input) {code.input_grad_diff:.1e}")
    for k, v in code.param_grad_diffs.items():
        print(f"  dL/d{k} {v:.1e}")
    return 0
