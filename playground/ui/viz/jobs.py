"""What the Visualize workspace asks for, as plain data, and how one request becomes a
:class:`~playground.core.viz.run.MethodCall` for :func:`~playground.core.viz.run.run_method` (the same call
the command line makes).

No Qt here: the worker thread runs :func:`method_call` and the tests can call it directly. The choices are
made from lists in the panel (layer names, unit numbers, class indices), so a request only holds values
the model has.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...core.viz.errors import VizError
from ...core.viz.methods import METHODS, find_method
from ...core.viz.model import LayerInfo, VizModel
from ...core.viz.run import MethodCall, default_layer
from ...core.viz.samples import bundled_image


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
    method_layers: dict[str, str | None]  # the layer each method takes unless told (None: it has none)
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
    style: str | np.ndarray | None = None  # a bundled style image's name, or an image


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
    # one class per sample (a segmentation dataset labels every pixel: its samples are not named by a class)
    per_sample = labels is not None and labels.ndim == 1 and model.class_names
    names = [model.class_name(int(y)) for y in labels] if per_sample else []
    return ModelInfo(
        model.name,
        model.kind,
        model.trained,
        layers,
        model.conv_layers(),
        spatial,
        default,
        model.dream_layer if spatial else default,
        {m.key: default_layer(model, m) for m in METHODS},
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


def method_call(model: VizModel, req: Request, samples: np.ndarray | None) -> MethodCall:
    """The call :func:`~playground.core.viz.run.run_method` runs for ``req``: the chosen input and style
    image read, the form's parameters as they are."""
    method = find_method(req.method)
    x, photo = None, None
    if method.image == "required":
        x, photo = model_input(model, req.input, samples)
    elif method.image == "optional":  # only to find the predicted class: a class picked needs no input
        with contextlib.suppress(VizError):
            x, photo = model_input(model, req.input, samples)
    style = bundled_image(req.style) if isinstance(req.style, str) else req.style
    return MethodCall(
        method.key,
        dict(req.params),
        image=x,
        photo=photo,
        layer=req.layer,
        channel=req.channel,
        target=req.target,
        style=style if method.style else None,
        samples=samples,
    )
