"""What the Visualize workspace asks for, as plain data, and how one request becomes a core recipe call.

No Qt here: the worker thread runs :func:`start_job` and the tests can call it directly. The choices are
made from lists in the panel (layer names, unit numbers, class indices), so a request only holds values
the model has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...core.viz import recipes
from ...core.viz.attribution import UnitTarget
from ...core.viz.errors import VizError
from ...core.viz.model import LayerInfo, VizModel
from ...core.viz.progress import Cancel
from ...core.viz.samples import bundled_image

# Methods whose picture depends on the weights only (or one input): cheap enough to follow a training run.
LIVE_METHODS = ("filters", "activations")
# Methods that explain a class, or a unit when one is picked.
UNIT_OR_CLASS = ("saliency", "guided", "classviz")


@dataclass(frozen=True)
class ModelChoice:
    """``run``: the current network with the Training area's weights (untrained if there is no run);
    ``untrained``: the current network with fresh weights; ``zoo``: a pretrained network."""

    kind: str
    zoo: str | None = None
    weights_file: str | None = None
    download: bool = False


@dataclass(frozen=True, eq=False)
class InputChoice:
    """``sample``: test-set sample ``index`` of the project's dataset; ``photo``: a bundled photo ``name``;
    ``image``: an image read from a file or dropped on the panel (``name`` is the file name)."""

    kind: str
    index: int = 0
    name: str = ""
    image: np.ndarray | None = None


@dataclass
class ModelInfo:
    """What the panel needs to fill its lists, sent by the worker once a model is loaded."""

    name: str
    kind: str  # "graph" or "zoo"
    trained: bool
    layers: list[LayerInfo]
    conv_layers: list[str]
    spatial_layers: list[str]
    default_layer: str
    dream_layer: str
    content_layer: str | None
    class_names: list[str]
    fixed_size: tuple[int, int] | None
    samples: np.ndarray | None = None  # the test split (N, C, H, W), graph models with a dataset
    sample_labels: list[str] = field(default_factory=list)
    note: str = ""

    def layer(self, name: str) -> LayerInfo | None:
        return next((layer for layer in self.layers if layer.name == name), None)


@dataclass
class Request:
    method: str
    input: InputChoice | None = None
    layer: str | None = None
    channel: int | None = None
    target: int | None = None  # class index; None: the predicted class
    params: dict[str, Any] = field(default_factory=dict)


def describe(
    model: VizModel, samples: np.ndarray | None = None, labels: np.ndarray | None = None, note: str = ""
) -> ModelInfo:
    """Everything the pickers show (computed on the worker: describing a zoo network runs it once)."""
    layers = model.layers()
    spatial = model.spatial_layers()
    try:
        default = model.default_layer
    except VizError:
        default = spatial[-1] if spatial else layers[-1].name
    try:
        content = model.content_layer if model.conv_layers() else None
    except (VizError, IndexError):
        content = None
    names = [model.class_name(int(y)) for y in labels] if labels is not None and model.class_names else []
    return ModelInfo(
        model.name,
        model.kind,
        model.trained,
        layers,
        model.conv_layers(),
        spatial,
        default,
        model.dream_layer if spatial else default,
        content,
        list(model.class_names),
        model.input_size,
        samples,
        names,
        note,
    )


def model_input(
    model: VizModel, choice: InputChoice | None, samples: np.ndarray | None
) -> tuple[Any, np.ndarray | None]:
    """(what the method is given, the original photo or None) for the chosen input."""
    if choice is None:
        raise VizError("pick an input: a dataset sample, a bundled photo or an image file.")
    if choice.kind == "sample":
        if model.kind != "graph":
            raise VizError("dataset samples are for the project's own network: pick a photo for a pretrained one.")
        if samples is None or len(samples) == 0:
            raise VizError("this project has no dataset: pick a bundled photo or an image file.")
        return samples[min(max(choice.index, 0), len(samples) - 1)], None
    photo = bundled_image(choice.name) if choice.kind == "photo" else choice.image
    if photo is None:
        raise VizError("no image: open an image file or drop one on the panel.")
    return photo, photo


def _target(req: Request):
    if req.method in UNIT_OR_CLASS and req.channel is not None and req.layer:
        return UnitTarget(req.layer, req.channel)
    return req.target


def start_job(model: VizModel, req: Request, samples: np.ndarray | None, cancel: Cancel = None):
    """Run ``req``: an :class:`~playground.core.viz.recipes.Outcome`, or a generator of progress for the
    iterative methods (its last item carries the outcome). ``req.params`` holds every parameter of the
    method (the panel's form, whose defaults are in :mod:`.methods`)."""
    p = req.params
    m = req.method
    if model.kind == "zoo":
        model.photo_size = int(p.get("size", 224))
    if m == "filters":
        return recipes.run_filters(model, req.layer)
    if m == "toppatches":
        data = samples if model.kind == "graph" else recipes.photo_crops()
        if data is None:
            raise VizError("top patches search the project's test images, and this project has no dataset.")
        return recipes.run_toppatches(model, data, req.layer, req.channel or 0, k=int(p["k"]), cancel=cancel)
    if m == "classviz" and _target(req) is None:
        # "the predicted class" of a class visualization: the class the current input is seen as
        x, _ = model_input(model, req.input, samples)
        req = Request(m, req.input, req.layer, req.channel, model.class_index(None, model.as_input(x)), p)
    if m == "classviz":
        return recipes.run_classviz(
            model,
            _target(req),
            steps=int(p["steps"]),
            lr=p["lr"],
            size=int(p["size"]),
            seed=int(p["seed"]),
            cancel=cancel,
        )
    x, photo = model_input(model, req.input, samples)
    if m == "activations":
        return recipes.run_activations(model, x, req.layer, backend=p["backend"])
    if m == "saliency":
        smooth = int(p["samples"]) if p["smooth"] else 0
        return recipes.run_saliency(
            model,
            x,
            photo,
            _target(req),
            smooth=smooth,
            noise=float(p["noise"]),
            backend=p["backend"],
            seed=int(p["seed"]),
        )
    if m == "guided":
        return recipes.run_guided(model, x, photo, _target(req))
    if m == "gradcam":
        return recipes.run_gradcam(model, x, photo, req.target, layer=req.layer, guided=bool(p["guided"]))
    if m == "dream":
        return recipes.run_dream(
            model,
            x,
            steps=int(p["steps"]),
            octaves=int(p["octaves"]),
            lr=p["lr"],
            layer=req.layer,
            channel=req.channel,
            seed=int(p["seed"]),
            cancel=cancel,
        )
    if m == "style":
        style = p["style"]
        style_image = bundled_image(style) if isinstance(style, str) else style
        return recipes.run_style(
            model,
            x,
            style_image,
            steps=int(p["steps"]),
            optimizer=p["optimizer"],
            init=p["init"],
            style_weight=float(p["style_weight"]),
            content_weight=float(p["content_weight"]),
            tv_weight=float(p["tv_weight"]),
            size=int(p["size"]),
            content_layer=req.layer,
            seed=int(p["seed"]),
            cancel=cancel,
        )
    epsilon = float(p["epsilon"]) / 255.0
    if m == "fgsm":
        return recipes.run_fgsm(model, x, req.target, epsilon=epsilon)
    if m == "pgd":
        return recipes.run_pgd(
            model, x, req.target, epsilon=epsilon, steps=int(p["steps"]), seed=int(p["seed"]), cancel=cancel
        )
    raise VizError(f"unknown method '{m}'.")
