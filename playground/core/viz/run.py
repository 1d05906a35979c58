"""One way to run a visualization method, for the command line and the Visualize workspace alike.

A :class:`MethodCall` says which method, with which parameters, on what (input image, layer, unit, class,
style image); :func:`run_method` fills in the catalogue's defaults, checks the values, settles what was
left open (the method's usual layer, the predicted class, a unit of a layer) and runs the recipe. One-shot
methods return an :class:`~.recipes.Outcome`; iterative ones a generator of progress whose last item
carries the outcome.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .attribution import UnitTarget
from .catalogue import Method
from .errors import VizError
from .methods import find_method
from .model import VizModel
from .progress import Cancel, Progress
from .recipes import RECIPES, Outcome


@dataclass(frozen=True, eq=False)
class MethodCall:
    """``image``: the input, a photo (H×W×3) or a sample in model space (C×H×W); ``photo``: the original
    photo when there is one (peaks are given in its pixels); ``target``: a class index or name (None: the
    predicted class) or, once settled, a :class:`UnitTarget`; ``samples``: the test images of a project's
    network, searched by top patches. ``params`` may leave out parameters: they take their defaults."""

    method: str
    params: dict[str, Any] = field(default_factory=dict)
    image: Any = None
    photo: np.ndarray | None = None
    layer: str | None = None
    channel: int | None = None
    target: Any = None
    style: np.ndarray | None = None
    samples: np.ndarray | None = None


def default_layer(model: VizModel, method: Method) -> str | None:
    """The layer ``method`` looks at unless told otherwise (None: the network has none it can use)."""
    if method.layers is None:
        return None
    try:
        if method.layer_default == "first_conv":
            convs = model.conv_layers()
            return convs[0] if convs else None
        if method.layer_default == "dream":
            return model.dream_layer
        if method.layer_default == "content":
            return model.content_layer
        return model.default_layer
    except (VizError, IndexError):
        return None


def settle(model: VizModel, call: MethodCall) -> MethodCall:
    """``call`` with every parameter checked and what it left open decided, exactly as the method runs
    (a pretrained network is also set to the call's image size)."""
    method = find_method(call.method)
    params = method.check_params(call.params)
    if model.kind == "zoo" and "size" in params:
        model.photo_size = int(params["size"])
    layer = call.layer if call.layer is not None else default_layer(model, method)
    channel = call.channel
    if method.unit == "required" and channel is None:
        channel = 0
    target = call.target
    if method.unit_or_class and channel is not None:
        target = UnitTarget(model.check_layer(layer, spatial=False), channel)
    elif method.key == "classviz" and target is None:
        if call.image is None:
            raise VizError("class visualization needs a class (or a layer and a unit), or an input to predict one.")
        target = model.class_index(None, model.as_input(call.image))  # the class the input is seen as
    if method.image == "required" and call.image is None:
        raise VizError(f"{method.title} needs an input image.")
    if method.style and call.style is None:
        raise VizError(f"{method.title} needs a style image.")
    return replace(call, params=params, layer=layer, channel=channel, target=target)


def run_method(model: VizModel, call: MethodCall, cancel: Cancel = None) -> Outcome | Iterator[Progress]:
    """Run one method (see the module's description). Bad values raise a :class:`VizError` naming them."""
    call = settle(model, call)
    return RECIPES[call.method](model, call, cancel)
