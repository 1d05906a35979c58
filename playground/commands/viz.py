"""``playground viz METHOD``: look inside a project's network or a pretrained one, headless.

    playground viz gradcam --zoo efficientnet-lite0 --image cat.jpg --out cam.png --json
    playground viz saliency --project shapes_cnn.json --weights shapes.safetensors --sample 3
    playground viz style --zoo efficientnet-lite0 --image chelsea --style mosaic --steps 200
    playground viz dream --help                              # a method's options and their defaults
    playground viz layers --zoo vgg16                       # the layer names --layer accepts
    playground viz attention --project P.json --weights W.safetensors --json   # self-attention, step by step
    playground viz hidden|gates|gradient-through-time P.json --weights W.safetensors --json   # recurrent layers

Every method saves a PNG (``--out``) and with ``--json`` prints the numbers behind it. Iterative
methods show their progress on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..core.backends.torch.device import resolve_device
from ..core.viz.errors import VizError
from ..core.viz.graph_model import GraphVizModel, project_splits
from ..core.viz.images import save_png
from ..core.viz.methods import METHODS, find_method
from ..core.viz.recipes import Outcome
from ..core.viz.run import MethodCall, run_method
from ..core.viz.samples import image_from
from ..core.zoo import load_zoo_model
from ..core.zoo.weights import ZooError
from . import viz_attention, viz_recurrent
from .common import CommandError, guarded, open_project, print_json
from .viz_args import add_need_arguments, add_param_arguments, params_from_args

ZOO_CHOICES = ("efficientnet-lite0", "vgg16", "vgg19")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "viz",
        help="visualize a network: filters, saliency, Grad-CAM, Deep Dream, style…",
        description="Look inside a convolutional network (a project's or a pretrained one). "
        "'playground viz METHOD --help' lists a method's options and their defaults.",
    )
    methods = p.add_subparsers(dest="method", metavar="METHOD", required=True)
    for method in METHODS:
        mp = methods.add_parser(method.key, help=method.title, description=method.help)
        _add_source_arguments(mp)
        add_need_arguments(mp, method)
        add_param_arguments(mp, method)
        _add_output_arguments(mp)
    layers = methods.add_parser("layers", help="the layer names --layer accepts", description="List the layers.")
    _add_source_arguments(layers)
    _add_output_arguments(layers)
    viz_attention.add_parser(methods)
    viz_recurrent.add_parsers(methods)
    p.set_defaults(command="viz")


def _add_source_arguments(p) -> None:
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--project", metavar="P.json", help="a project file")
    src.add_argument("--zoo", choices=ZOO_CHOICES, help="a pretrained network")
    p.add_argument(
        "--weights", metavar="W.safetensors", help="trained weights of the project (playground train --save-weights)"
    )
    p.add_argument("--weights-file", metavar="F", help="a local weights file for the zoo network (no download)")
    p.add_argument("--device", choices=("cpu", "cuda", "mps", "auto"), default="cpu", help="torch device")


def _add_output_arguments(p) -> None:
    p.add_argument("--out", metavar="OUT.png", help="where to save the picture (default: METHOD.png)")
    p.add_argument("--json", action="store_true", help="print the numbers behind the picture as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _fail(err: Exception) -> CommandError:
    return CommandError(f"error: {err}")


def run(args) -> int:
    if args.method == "attention":  # numbers for a sequence model, no picture: its own options
        return viz_attention.run(args)
    if args.method in viz_recurrent.METHODS:  # numbers over time for a recurrent network
        return viz_recurrent.run(args)
    return _run_picture(args)


@guarded
def _run_picture(args) -> int:
    try:
        device = resolve_device(args.device)
    except RuntimeError as err:
        raise _fail(err) from None
    try:
        ctx = _Context(args, device)
        data = _run_layers(ctx) if args.method == "layers" else _run_method(ctx)
    except (VizError, ZooError, ValueError) as err:
        raise _fail(err) from None
    except KeyboardInterrupt:
        raise CommandError("stopped.", 1) from None
    if data.get("picture") is not None:
        out = Path(args.out or f"{args.method}.png")
        try:
            save_png(data.pop("picture"), out)
        except OSError as err:
            raise CommandError(f"error: cannot write {out}: {err}") from None
        data["out"] = str(out)
    data.pop("picture", None)
    if args.json:
        print_json(data)
    else:
        _print_summary(data)
    return 0


def _print_summary(data: dict[str, Any]) -> None:
    if "layers" in data:
        for layer in data["layers"]:
            shape = "×".join(str(s) for s in layer["shape"])
            print(f"{layer['name']:<34} {layer['type']:<18} {shape:<16} {layer['params']:>12,}")
        return
    for key, value in data.items():
        if key in ("top_classes", "before", "after"):
            print(f"{key.replace('_', ' ') + ':':<13} " + ", ".join(f"{name} ({p:.1%})" for _i, name, p in value[:3]))
        elif not isinstance(value, list | dict) or key in ("peak",):
            print(f"{key + ':':<13} {value}")


class _Context:
    """What every method needs: the model, its inputs and the options, loaded once with clear errors."""

    def __init__(self, args, device):
        self.args = args
        self.device = device
        self.splits = None
        if args.project:
            if args.weights_file:
                raise CommandError("error: --weights-file is for zoo networks; a project takes --weights")
            project = open_project(args.project)
            self.project = project
            self.model = GraphVizModel.from_project(project, args.weights, device=device)
            if not args.weights and args.method != "layers":
                print(
                    f"warning: {project.name} is used untrained (no --weights): the pictures show random "
                    f"weights. Train it first: playground train {args.project} --save-weights W.safetensors",
                    file=sys.stderr,
                )
            self.splits = project_splits(project)
        else:
            if args.weights:
                raise CommandError("error: --weights is for projects; a zoo network takes --weights-file")
            self.model = load_zoo_model(args.zoo, args.weights_file, progress=self._download_bar(), device=device)

    def _download_bar(self):
        if self.args.quiet:
            return None
        state: dict[str, Any] = {}

        def report(done: int, total: int | None) -> None:
            if "bar" not in state:
                state["bar"] = tqdm(total=total, unit="B", unit_scale=True, file=sys.stderr, desc="download")
            bar = state["bar"]
            bar.update(done - bar.n)
            if total is not None and done >= total:
                bar.close()

        return report

    # ------------------------------------------------------------------ inputs
    def image(self):
        """(input for the model, original photo or None): a file, a bundled photo or a test sample."""
        if self.args.image:
            photo = image_from(self.args.image)
            return photo, photo
        if self.splits is None:
            if self.model.kind == "graph":
                raise CommandError("error: this project has no dataset: give an --image")
            photo = image_from("chelsea")
            return photo, photo
        test = self.splits.test
        if not 0 <= self.args.sample < len(test):
            raise CommandError(f"error: --sample must be between 0 and {len(test) - 1}")
        return test.inputs(slice(self.args.sample, self.args.sample + 1))[0], None

    def progress(self, steps, title: str):
        """Iterate ``steps`` with a progress bar on stderr; returns the last progress."""
        bar = None if self.args.quiet else tqdm(unit="step", file=sys.stderr, desc=title, dynamic_ncols=True)
        last = None
        try:
            for last in steps:
                if bar is not None:
                    bar.total = last.total
                    bar.update(last.step - bar.n)
                    shown = ", ".join(f"{k} {v:.4g}" for k, v in last.values.items())
                    bar.set_postfix_str((last.stage + " " if last.stage else "") + shown)
        finally:
            if bar is not None:
                bar.close()
        return last


def _run_layers(ctx: _Context) -> dict[str, Any]:
    rows = [
        {"name": layer.name, "type": layer.type, "shape": list(layer.shape), "params": layer.params}
        for layer in ctx.model.layers()
    ]
    return {
        "model": ctx.model.name,
        "layers": rows,
        "conv_layers": ctx.model.conv_layers(),
        "default_layer": ctx.model.default_layer,
        "aliases": ctx.model.aliases,
    }


def _run_method(ctx: _Context) -> dict[str, Any]:
    """Run the method the way the Visualize workspace does: one :func:`run_method` with the catalogue's
    parameters; only the input, layer, unit, class and style image come from the command line."""
    args = ctx.args
    method = find_method(args.method)
    x, photo = ctx.image() if method.image != "none" else (None, None)
    call = MethodCall(
        method.key,
        params_from_args(method, args),
        image=x,
        photo=photo,
        layer=getattr(args, "layer", None),
        channel=getattr(args, "channel", None),
        target=getattr(args, "target", None),
        style=image_from(args.style) if method.style else None,
        samples=ctx.splits.test.inputs() if ctx.splits is not None else None,
    )
    result = run_method(ctx.model, call)
    outcome = result if isinstance(result, Outcome) else ctx.progress(result, method.key).result
    return {"picture": outcome.picture, **outcome.data}
