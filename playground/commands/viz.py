"""``playground viz METHOD``: look inside a project's network or a pretrained one, headless.

    playground viz gradcam --zoo efficientnet-lite0 --image cat.jpg --out cam.png --json
    playground viz saliency --project shapes_cnn.json --weights shapes.safetensors --sample 3
    playground viz style --zoo efficientnet-lite0 --image chelsea --style mosaic --steps 200
    playground viz layers --zoo vgg16                       # the layer names --layer accepts

Every method saves a PNG (``--out``) and with ``--json`` prints the numbers behind it. Iterative
methods show their progress on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .common import CommandError, guarded, open_project, print_json

METHODS = (
    "filters",
    "activations",
    "toppatches",
    "saliency",
    "guided",
    "gradcam",
    "classviz",
    "dream",
    "style",
    "fgsm",
    "pgd",
    "layers",
)
ZOO_CHOICES = ("efficientnet-lite0", "vgg16", "vgg19")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "viz",
        help="visualize a network: filters, saliency, Grad-CAM, Deep Dream, style…",
        description="Look inside a convolutional network (a project's or a pretrained one).",
    )
    p.add_argument("method", choices=METHODS, help="what to show ('layers' lists the layer names)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--project", metavar="P.json", help="a project file")
    src.add_argument("--zoo", choices=ZOO_CHOICES, help="a pretrained network")
    p.add_argument(
        "--weights", metavar="W.safetensors", help="trained weights of the project (playground train --save-weights)"
    )
    p.add_argument("--weights-file", metavar="F", help="a local weights file for the zoo network (no download)")
    p.add_argument(
        "--image",
        help="input image: a file or a bundled photo (chelsea, astronaut, coffee, rocket); "
        "default: chelsea for zoo networks, a test-set sample for projects",
    )
    p.add_argument("--sample", type=int, default=0, help="index of the test-set sample (projects; default 0)")
    p.add_argument("--style", default="mosaic", help="style image for 'style': a file or mosaic, waves, stain")
    p.add_argument("--layer", help="layer name (see 'viz layers'); default: the method's usual layer")
    p.add_argument("--target", help="class index or name (default: the predicted class)")
    p.add_argument("--channel", type=int, help="channel (unit) of --layer, for toppatches, dream and classviz")
    p.add_argument("--out", metavar="OUT.png", help="where to save the picture (default: METHOD.png)")
    p.add_argument("--steps", type=int, help="iterations of classviz, dream (per octave), style and pgd")
    p.add_argument("--size", type=int, help="shorter side of zoo inputs in pixels (default 224; style 256)")
    p.add_argument("--lr", type=float, help="step size of classviz, dream, style (Adam)")
    p.add_argument("--smooth", type=int, default=0, help="saliency: SmoothGrad with this many noisy copies")
    p.add_argument("--guided", action="store_true", help="gradcam: also guided Grad-CAM")
    p.add_argument(
        "--backend",
        choices=("torch", "numpy"),
        default="torch",
        help="activations and saliency: compute with PyTorch or the NumPy backend",
    )
    p.add_argument("--epsilon", type=float, default=8 / 255, help="fgsm/pgd: largest pixel change (pixels in 0–1)")
    p.add_argument("--k", type=int, default=9, help="toppatches: how many patches")
    p.add_argument("--octaves", type=int, default=3, help="dream: number of scales")
    p.add_argument("--optimizer", choices=("lbfgs", "adam"), default="lbfgs", help="style: optimizer")
    p.add_argument("--init", choices=("content", "noise"), default="content", help="style: starting image")
    p.add_argument("--style-weight", type=float, default=100.0, help="style: weight of the style loss")
    p.add_argument("--content-weight", type=float, default=1.0, help="style: weight of the content loss")
    p.add_argument("--tv-weight", type=float, default=1.0, help="style: weight of total variation")
    p.add_argument("--seed", type=int, default=0, help="random seed of the iterative methods")
    p.add_argument("--device", choices=("cpu", "cuda", "mps", "auto"), default="cpu", help="torch device")
    p.add_argument("--json", action="store_true", help="print the numbers behind the picture as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(command="viz")


def _fail(err: Exception) -> CommandError:
    return CommandError(f"error: {err}")


@guarded
def run(args) -> int:
    from ..core.viz.errors import VizError
    from ..core.zoo.weights import ZooError

    try:
        from ..core.backends.torch.device import resolve_device

        device = resolve_device(args.device)
    except RuntimeError as err:
        raise _fail(err) from None
    for name in ("steps", "k", "octaves", "size"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise CommandError(f"error: --{name} must be at least 1")
    if args.epsilon <= 0:
        raise CommandError("error: --epsilon must be positive")
    try:
        ctx = _Context(args, device)
        data = METHOD_RUNNERS[args.method](ctx)
    except (VizError, ZooError, ValueError) as err:
        raise _fail(err) from None
    except KeyboardInterrupt:
        raise CommandError("stopped.", 1) from None
    if data.get("picture") is not None:
        from ..core.viz.images import save_png

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
        from ..core.viz.graph_model import GraphVizModel, project_splits

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
            from ..core.zoo import load_zoo_model

            self.model = load_zoo_model(args.zoo, args.weights_file, progress=self._download_bar(), device=device)
            if args.size:
                self.model.photo_size = args.size

    def _download_bar(self):
        if self.args.quiet:
            return None
        state: dict[str, Any] = {}

        def report(done: int, total: int | None) -> None:
            from tqdm import tqdm

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
        from ..core.viz.samples import image_from

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
        return test.x[self.args.sample], None

    def target(self):
        return self.args.target

    def unit(self):
        from ..core.viz.attribution import UnitTarget

        if self.args.channel is None:
            return None
        return UnitTarget(self.model.check_layer(self.args.layer, spatial=False), self.args.channel)

    def progress(self, steps, title: str):
        """Iterate ``steps`` with a progress bar on stderr; returns the last progress."""
        from tqdm import tqdm

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


def _outcome(outcome) -> dict[str, Any]:
    return {"picture": outcome.picture, **outcome.data}


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


def _run_filters(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import run_filters

    return _outcome(run_filters(ctx.model, ctx.args.layer))


def _run_activations(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import run_activations

    x, _ = ctx.image()
    return _outcome(run_activations(ctx.model, x, ctx.args.layer, backend=ctx.args.backend))


def _run_toppatches(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import photo_crops, run_toppatches

    channel = ctx.args.channel if ctx.args.channel is not None else 0
    data = ctx.splits.test.x if ctx.splits is not None else photo_crops()
    return _outcome(run_toppatches(ctx.model, data, ctx.args.layer, channel, k=ctx.args.k))


def _run_saliency(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import run_saliency

    x, photo = ctx.image()
    return _outcome(
        run_saliency(
            ctx.model,
            x,
            photo,
            ctx.unit() or ctx.target(),
            smooth=ctx.args.smooth,
            backend=ctx.args.backend,
            seed=ctx.args.seed,
        )
    )


def _run_guided(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import run_guided

    x, photo = ctx.image()
    return _outcome(run_guided(ctx.model, x, photo, ctx.unit() or ctx.target()))


def _run_gradcam(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import run_gradcam

    x, photo = ctx.image()
    return _outcome(run_gradcam(ctx.model, x, photo, ctx.target(), layer=ctx.args.layer, guided=ctx.args.guided))


def _run_classviz(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import run_classviz

    target = ctx.unit() or ctx.target()
    if target is None:
        raise CommandError("error: classviz needs --target CLASS (or --layer and --channel)")
    last = ctx.progress(
        run_classviz(
            ctx.model, target, steps=ctx.args.steps or 200, lr=ctx.args.lr, size=ctx.args.size, seed=ctx.args.seed
        ),
        "classviz",
    )
    return _outcome(last.result)


def _run_dream(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import run_dream

    x, _ = ctx.image()
    last = ctx.progress(
        run_dream(
            ctx.model,
            x,
            steps=ctx.args.steps or 10,
            octaves=ctx.args.octaves,
            lr=ctx.args.lr,
            layer=ctx.args.layer,
            channel=ctx.args.channel,
            seed=ctx.args.seed,
        ),
        "dream",
    )
    return _outcome(last.result)


def _run_style(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import run_style
    from ..core.viz.samples import image_from

    content, _ = ctx.image()
    last = ctx.progress(
        run_style(
            ctx.model,
            content,
            image_from(ctx.args.style),
            steps=ctx.args.steps or 300,
            optimizer=ctx.args.optimizer,
            init=ctx.args.init,
            style_weight=ctx.args.style_weight,
            content_weight=ctx.args.content_weight,
            tv_weight=ctx.args.tv_weight,
            lr=ctx.args.lr,
            size=ctx.args.size,
            content_layer=ctx.args.layer,
            seed=ctx.args.seed,
        ),
        "style",
    )
    return _outcome(last.result)


def _run_fgsm(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import run_fgsm

    x, _ = ctx.image()
    return _outcome(run_fgsm(ctx.model, x, ctx.target(), epsilon=ctx.args.epsilon))


def _run_pgd(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.recipes import run_pgd

    x, _ = ctx.image()
    last = ctx.progress(
        run_pgd(ctx.model, x, ctx.target(), epsilon=ctx.args.epsilon, steps=ctx.args.steps or 20, seed=ctx.args.seed),
        "pgd",
    )
    return _outcome(last.result)


METHOD_RUNNERS = {
    "layers": _run_layers,
    "filters": _run_filters,
    "activations": _run_activations,
    "toppatches": _run_toppatches,
    "saliency": _run_saliency,
    "guided": _run_guided,
    "gradcam": _run_gradcam,
    "classviz": _run_classviz,
    "dream": _run_dream,
    "style": _run_style,
    "fgsm": _run_fgsm,
    "pgd": _run_pgd,
}
