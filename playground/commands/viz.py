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

import numpy as np

from .common import CommandError, guarded, open_project, print_json

METHODS = ("filters", "activations", "toppatches", "saliency", "guided", "gradcam", "classviz", "dream", "style",
           "fgsm", "pgd", "layers")
ZOO_CHOICES = ("efficientnet-lite0", "vgg16", "vgg19")


def add_parser(sub) -> None:
    p = sub.add_parser("viz", help="visualize a network: filters, saliency, Grad-CAM, Deep Dream, style…",
                       description="Look inside a convolutional network (a project's or a pretrained one).")
    p.add_argument("method", choices=METHODS, help="what to show ('layers' lists the layer names)")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--project", metavar="P.json", help="a project file")
    src.add_argument("--zoo", choices=ZOO_CHOICES, help="a pretrained network")
    p.add_argument("--weights", metavar="W.safetensors", help="trained weights of the project (playground train "
                   "--save-weights)")
    p.add_argument("--weights-file", metavar="F", help="a local weights file for the zoo network (no download)")
    p.add_argument("--image", help="input image: a file or a bundled photo (chelsea, astronaut, coffee, rocket); "
                   "default: chelsea for zoo networks, a test-set sample for projects")
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
    p.add_argument("--backend", choices=("torch", "numpy"), default="torch",
                   help="activations and saliency: compute with PyTorch or the NumPy backend")
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
                print(f"warning: {project.name} is used untrained (no --weights): the pictures show random "
                      f"weights. Train it first: playground train {args.project} --save-weights W.safetensors",
                      file=sys.stderr)
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


def _zoom(image: np.ndarray, min_side: int = 256) -> np.ndarray:
    """Enlarge small pictures (a 32×32 sample) so that they can be seen; photos stay as they are."""
    from ..core.viz.images import upscale_to

    return image if min(image.shape[:2]) >= 160 else upscale_to(image, min_side)


def _classes(top) -> list[list[Any]]:
    return [[i, name, round(p, 6)] for i, name, p in top]


def _attribution_data(ctx: _Context, att, photo) -> dict[str, Any]:
    hw = photo.shape[:2] if photo is not None else att.map.shape
    peak = att.peak_in(hw)
    data: dict[str, Any] = {"top_classes": _classes(att.top_classes), "peak": [peak[0], peak[1]],
                            "target": [att.target, att.target_name] if isinstance(att.target, int)
                            else att.target_name, "score": att.score, "method": att.method}
    if att.layer:
        data["layer"] = att.layer
    return data


def _run_layers(ctx: _Context) -> dict[str, Any]:
    rows = [{"name": layer.name, "type": layer.type, "shape": list(layer.shape), "params": layer.params}
            for layer in ctx.model.layers()]
    return {"model": ctx.model.name, "layers": rows, "conv_layers": ctx.model.conv_layers(),
            "default_layer": ctx.model.default_layer, "aliases": ctx.model.aliases}


def _run_filters(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.filters import filters

    view = filters(ctx.model, ctx.args.layer)
    return {"picture": _zoom(view.picture, 320), "layer": view.layer, "shape": list(view.weights.shape),
            "rgb": view.rgb}


def _run_activations(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.features import feature_maps
    from ..core.viz.images import side_by_side

    x, _ = ctx.image()
    layer = ctx.args.layer or ctx.model.default_layer
    fm = feature_maps(ctx.model, x, layer, backend=ctx.args.backend)
    grid = fm.picture()
    picture = side_by_side([_zoom(fm.image, grid.shape[0] // 2), grid])
    return {"picture": picture, "layer": fm.layer, "shape": list(fm.maps.shape), "backend": fm.backend,
            "strongest": fm.strongest[:10], "mean": float(fm.maps.mean()), "max": float(fm.maps.max())}


def _photo_crops(size: int = 224) -> list[np.ndarray]:
    """Overlapping square crops of the bundled photos: a small 'dataset' for zoo networks."""
    from ..core.viz.images import resize
    from ..core.viz.samples import PHOTOS, bundled_image

    crops = []
    for name in PHOTOS:
        photo = bundled_image(name)
        h, w = photo.shape[:2]
        scale = 2 * size / min(h, w)
        photo = resize(photo, (round(h * scale), round(w * scale)))
        for y in range(0, photo.shape[0] - size + 1, size // 2):
            for x in range(0, photo.shape[1] - size + 1, size // 2):
                crops.append(np.ascontiguousarray(photo[y:y + size, x:x + size]))
    return crops


def _run_toppatches(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.toppatches import top_patches

    layer = ctx.model.check_layer(ctx.args.layer, spatial=False)
    channel = ctx.args.channel if ctx.args.channel is not None else 0
    data = ctx.splits.test.x if ctx.splits is not None else _photo_crops()
    tp = top_patches(ctx.model, data, layer, channel, k=ctx.args.k)
    rf = tp.field
    return {"picture": tp.picture(), "layer": tp.layer, "channel": channel,
            "receptive_field": None if rf is None else {"size": list(rf.size), "jump": list(rf.jump),
                                                        "start": list(rf.start)},
            "patches": [{"image": i, "score": s, "position": list(p), "box": list(b)}
                        for i, s, p, b in zip(tp.image_index, tp.scores, tp.positions, tp.boxes)]}


def _run_saliency(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.saliency import saliency

    x, photo = ctx.image()
    att = saliency(ctx.model, x, ctx.unit() or ctx.target(), smooth=ctx.args.smooth, backend=ctx.args.backend,
                   seed=ctx.args.seed)
    data = _attribution_data(ctx, att, photo)
    data.update(picture=_zoom(att.picture()), backend=ctx.args.backend, smooth=ctx.args.smooth)
    return data


def _run_guided(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.guided import gradient_picture, guided_backprop
    from ..core.viz.images import side_by_side

    x, photo = ctx.image()
    att = guided_backprop(ctx.model, x, ctx.unit() or ctx.target())
    data = _attribution_data(ctx, att, photo)
    data["picture"] = _zoom(side_by_side([att.image, gradient_picture(att.gradient)]))
    return data


def _run_gradcam(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.gradcam import gradcam
    from ..core.viz.guided import gradient_picture
    from ..core.viz.images import side_by_side

    x, photo = ctx.image()
    att = gradcam(ctx.model, x, ctx.target(), layer=ctx.args.layer, guided=ctx.args.guided)
    data = _attribution_data(ctx, att, photo)
    picture = att.picture()
    if att.gradient is not None:
        picture = side_by_side([picture, gradient_picture(att.gradient)])
    data["picture"] = _zoom(picture)
    return data


def _run_classviz(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.classviz import class_visualization

    target = ctx.unit() or ctx.target()
    if target is None:
        raise CommandError("error: classviz needs --target CLASS (or --layer and --channel)")
    options: dict[str, Any] = {"steps": ctx.args.steps or 200, "seed": ctx.args.seed, "device": ctx.device}
    if ctx.args.lr:
        options["lr"] = ctx.args.lr
    if ctx.args.size and ctx.model.input_size is None:
        options["size"] = (ctx.args.size, ctx.args.size)
    last = ctx.progress(class_visualization(ctx.model, target, **options), "classviz")
    name = target.layer + f" unit {target.channel}" if not isinstance(target, str) else target
    return {"picture": _zoom(last.image), "target": name, "steps": last.step, "values": last.values}


def _run_dream(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.dream import deep_dream

    x, _ = ctx.image()
    options: dict[str, Any] = {"steps": ctx.args.steps or 10, "octaves": ctx.args.octaves, "seed": ctx.args.seed,
                               "layer": ctx.args.layer, "channel": ctx.args.channel}
    if ctx.args.lr:
        options["lr"] = ctx.args.lr
    if ctx.model.input_size is not None:
        options.update(octaves=1, jitter_px=2)  # small fixed-size images have no room for octaves
    first: dict[str, float] = {}

    def record(steps):
        for p in steps:
            first.setdefault("objective", p.values.get("objective", 0.0))
            yield p

    last = ctx.progress(record(deep_dream(ctx.model, x, **options)), "dream")
    return {"picture": _zoom(last.image), "layer": ctx.model.check_layer(options["layer"] or ctx.model.dream_layer),
            "steps": last.step, "objective_first": first.get("objective"),
            "objective_last": last.values.get("objective")}


def _run_style(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.images import side_by_side
    from ..core.viz.samples import image_from
    from ..core.viz.style import style_transfer

    content, _ = ctx.image()
    style = image_from(ctx.args.style)
    options: dict[str, Any] = {"steps": ctx.args.steps or 300, "optimizer": ctx.args.optimizer, "init": ctx.args.init,
                               "style_weight": ctx.args.style_weight, "content_weight": ctx.args.content_weight,
                               "tv_weight": ctx.args.tv_weight, "seed": ctx.args.seed, "lr": ctx.args.lr}
    if ctx.model.input_size is None:
        options["size"] = ctx.args.size or 256
    if ctx.args.layer:
        options["content_layer"] = ctx.args.layer
    first: dict[str, float] = {}

    def record(steps):
        for p in steps:
            if not first:
                first.update(p.values)
            yield p

    last = ctx.progress(record(style_transfer(ctx.model, content, style, **options)), "style")
    content_img = ctx.model.to_image(ctx.model.as_input(content))
    picture = side_by_side([content_img, image_from(ctx.args.style), last.image])
    return {"picture": _zoom(picture), "steps": last.step, "first": first, "last": last.values,
            "style_layers": ctx.model.style_layers, "content_layer": options.get("content_layer",
                                                                                ctx.model.content_layer)}


def _adversarial_data(result) -> dict[str, Any]:
    return {"picture": result.picture(),
            "method": result.method, "epsilon": result.epsilon, "amplify": result.amplify, "label": result.label,
            "before": _classes(result.before), "after": _classes(result.after), "flipped": result.flipped,
            "linf": result.linf}


def _run_fgsm(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.adversarial import fgsm

    x, _ = ctx.image()
    return _adversarial_data(fgsm(ctx.model, x, ctx.target(), epsilon=ctx.args.epsilon))


def _run_pgd(ctx: _Context) -> dict[str, Any]:
    from ..core.viz.adversarial import pgd

    x, _ = ctx.image()
    last = ctx.progress(pgd(ctx.model, x, ctx.target(), epsilon=ctx.args.epsilon, steps=ctx.args.steps or 20,
                            seed=ctx.args.seed), "pgd")
    return _adversarial_data(last.result)


METHOD_RUNNERS = {
    "layers": _run_layers, "filters": _run_filters, "activations": _run_activations, "toppatches": _run_toppatches,
    "saliency": _run_saliency, "guided": _run_guided, "gradcam": _run_gradcam, "classviz": _run_classviz,
    "dream": _run_dream, "style": _run_style, "fgsm": _run_fgsm, "pgd": _run_pgd,
}
