"""Each visualization method as one call from a model and a settled :class:`~.run.MethodCall` (every
parameter given, the layer and target decided) to a picture and the numbers behind it.

:func:`~.run.run_method` is the way in: it settles the call and picks the recipe from :data:`RECIPES`.
The recipes make the composed pictures and the small-image adjustments. One-shot methods return an
:class:`Outcome`; iterative ones are generators of :class:`Progress` whose last item (``done``) carries the
:class:`Outcome` in ``result``, also when cancelled (the picture then shows how far it got).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import images
from .adversarial import fgsm, pgd
from .attribution import UnitTarget
from .classviz import class_visualization
from .dream import deep_dream
from .errors import VizError
from .features import feature_maps
from .filters import filters
from .gradcam import gradcam
from .guided import gradient_picture, guided_backprop
from .model import VizModel
from .progress import Cancel, Progress
from .saliency import saliency
from .samples import PHOTOS, bundled_image
from .style import style_transfer
from .toppatches import top_patches

if TYPE_CHECKING:
    from .run import MethodCall


@dataclass
class Outcome:
    """What a method produced: a uint8 RGB picture and JSON-friendly numbers (top classes, peak, losses…)."""

    picture: np.ndarray
    data: dict[str, Any] = field(default_factory=dict)
    cancelled: bool = False


def zoom_small(image: np.ndarray, min_side: int = 256) -> np.ndarray:
    """Enlarge small pictures (a 32×32 sample) so that they can be seen; photos stay as they are."""
    return image if min(image.shape[:2]) >= 160 else images.upscale_to(image, min_side)


def classes(top) -> list[list[Any]]:
    return [[i, name, round(p, 6)] for i, name, p in top]


def photo_crops(size: int = 224) -> list[np.ndarray]:
    """Overlapping square crops of the bundled photos: a small 'dataset' for zoo networks (top patches)."""
    crops = []
    for name in PHOTOS:
        photo = bundled_image(name)
        h, w = photo.shape[:2]
        scale = 2 * size / min(h, w)
        photo = images.resize(photo, (round(h * scale), round(w * scale)))
        for y in range(0, photo.shape[0] - size + 1, size // 2):
            for x in range(0, photo.shape[1] - size + 1, size // 2):
                crops.append(np.ascontiguousarray(photo[y : y + size, x : x + size]))
    return crops


def _picture(p: Progress) -> np.ndarray:
    """The picture of a method's last step (every iterative method renders one)."""
    image = p.image
    if image is None:
        raise VizError("the method ended without a picture.")
    return image


def _attribution_data(att, photo: np.ndarray | None) -> dict[str, Any]:
    hw = photo.shape[:2] if photo is not None else att.map.shape
    peak = att.peak_in(hw)
    data: dict[str, Any] = {
        "top_classes": classes(att.top_classes),
        "peak": [peak[0], peak[1]],
        "target": [att.target, att.target_name] if isinstance(att.target, int) else att.target_name,
        "score": att.score,
        "method": att.method,
    }
    if att.layer:
        data["layer"] = att.layer
    return data


# ---------------------------------------------------------------------------- one-shot methods
def run_filters(model: VizModel, call: MethodCall, _cancel: Cancel) -> Outcome:
    view = filters(model, call.layer)
    return Outcome(
        zoom_small(view.picture, 320), {"layer": view.layer, "shape": list(view.weights.shape), "rgb": view.rgb}
    )


def run_activations(model: VizModel, call: MethodCall, _cancel: Cancel) -> Outcome:
    fm = feature_maps(model, call.image, call.layer or model.default_layer, backend=call.params["backend"])
    grid = fm.picture()
    picture = images.side_by_side([zoom_small(fm.image, grid.shape[0] // 2), grid])
    return Outcome(
        picture,
        {
            "layer": fm.layer,
            "shape": list(fm.maps.shape),
            "backend": fm.backend,
            "strongest": fm.strongest[:10],
            "mean": float(fm.maps.mean()),
            "max": float(fm.maps.max()),
        },
    )


def run_toppatches(model: VizModel, call: MethodCall, cancel: Cancel) -> Outcome:
    """Searches the project's test images, or crops of the bundled photos for a pretrained network."""
    data = call.samples if model.kind == "graph" else photo_crops()
    if data is None:
        raise VizError("top patches search the project's test images, and this project has no dataset.")
    layer = model.check_layer(call.layer, spatial=False)
    channel = call.channel or 0
    tp = top_patches(model, data, layer, channel, k=call.params["k"], cancel=cancel)
    rf = tp.field
    return Outcome(
        tp.picture(),
        {
            "layer": tp.layer,
            "channel": channel,
            "receptive_field": None
            if rf is None
            else {"size": list(rf.size), "jump": list(rf.jump), "start": list(rf.start)},
            "patches": [
                {"image": i, "score": s, "position": list(p), "box": list(b)}
                for i, s, p, b in zip(tp.image_index, tp.scores, tp.positions, tp.boxes)
            ],
        },
    )


def run_saliency(model: VizModel, call: MethodCall, _cancel: Cancel) -> Outcome:
    p = call.params
    att = saliency(
        model, call.image, call.target, smooth=p["smooth"], noise=p["noise"], backend=p["backend"], seed=p["seed"]
    )
    data = _attribution_data(att, call.photo)
    data.update(backend=p["backend"], smooth=p["smooth"])
    return Outcome(zoom_small(att.picture()), data)


def run_guided(model: VizModel, call: MethodCall, _cancel: Cancel) -> Outcome:
    att = guided_backprop(model, call.image, call.target)
    assert att.gradient is not None  # guided backprop always returns its gradient
    return Outcome(
        zoom_small(images.side_by_side([att.image, gradient_picture(att.gradient)])),
        _attribution_data(att, call.photo),
    )


def run_gradcam(model: VizModel, call: MethodCall, _cancel: Cancel) -> Outcome:
    att = gradcam(model, call.image, call.target, layer=call.layer, guided=call.params["guided"])
    picture = att.picture()
    if att.gradient is not None:
        picture = images.side_by_side([picture, gradient_picture(att.gradient)])
    return Outcome(zoom_small(picture), _attribution_data(att, call.photo))


def adversarial_data(result) -> dict[str, Any]:
    return {
        "method": result.method,
        "epsilon": result.epsilon,
        "amplify": result.amplify,
        "label": result.label,
        "before": classes(result.before),
        "after": classes(result.after),
        "flipped": result.flipped,
        "linf": result.linf,
    }


def run_fgsm(model: VizModel, call: MethodCall, _cancel: Cancel) -> Outcome:
    result = fgsm(model, call.image, call.target, epsilon=call.params["epsilon"])
    return Outcome(result.picture(), adversarial_data(result))


# ---------------------------------------------------------------------------- iterative methods
def _finish(steps: Iterator[Progress], outcome) -> Iterator[Progress]:
    """Pass the steps on; the last one gets ``result`` = ``outcome(last, first)``."""
    first: Progress | None = None
    for p in steps:
        if first is None:
            first = p
        if p.done:
            p.result = outcome(p, first)
        yield p


def run_classviz(model: VizModel, call: MethodCall, cancel: Cancel) -> Iterator[Progress]:
    p = call.params
    options: dict[str, Any] = {"steps": p["steps"], "lr": p["lr"], "seed": p["seed"], "cancel": cancel}
    if model.input_size is None:
        options["size"] = (p["size"], p["size"])
    target = call.target
    name = f"{target.layer} unit {target.channel}" if isinstance(target, UnitTarget) else target

    def outcome(last: Progress, _first: Progress) -> Outcome:
        return Outcome(
            zoom_small(_picture(last)), {"target": name, "steps": last.step, "values": last.values}, last.cancelled
        )

    return _finish(class_visualization(model, target, **options), outcome)


def dream_options(model: VizModel, call: MethodCall) -> dict[str, Any]:
    p = call.params
    options: dict[str, Any] = {
        "steps": p["steps"],
        "octaves": p["octaves"],
        "lr": p["lr"],
        "seed": p["seed"],
        "layer": call.layer,
        "channel": call.channel,
    }
    if model.input_size is not None:
        options.update(octaves=1, jitter_px=2)  # small fixed-size images have no room for octaves
    return options


def run_dream(model: VizModel, call: MethodCall, cancel: Cancel) -> Iterator[Progress]:
    options = dream_options(model, call)
    used = model.check_layer(options["layer"] or model.dream_layer)

    def outcome(last: Progress, first: Progress) -> Outcome:
        return Outcome(
            zoom_small(_picture(last)),
            {
                "layer": used,
                "steps": last.step,
                "octaves": options["octaves"],
                "objective_first": first.values.get("objective"),
                "objective_last": last.values.get("objective"),
            },
            last.cancelled,
        )

    return _finish(deep_dream(model, call.image, cancel=cancel, **options), outcome)


def run_style(model: VizModel, call: MethodCall, cancel: Cancel) -> Iterator[Progress]:
    """Style transfer; ``size`` is the shorter side of the result for networks that take any size."""
    p = call.params
    assert call.style is not None  # settled: a style image is there
    style = call.style
    options: dict[str, Any] = {
        key: p[key] for key in ("steps", "optimizer", "init", "style_weight", "content_weight", "tv_weight", "lr")
    }
    options.update(seed=p["seed"], content_layer=call.layer)
    if model.input_size is None:
        options["size"] = p["size"]

    def outcome(last: Progress, first: Progress) -> Outcome:
        content_img = model.to_image(model.as_input(call.image))
        picture = images.side_by_side([content_img, images.as_rgb(style), _picture(last)])
        return Outcome(
            zoom_small(picture),
            {
                "steps": last.step,
                "first": first.values,
                "last": last.values,
                "style_layers": model.style_layers,
                "content_layer": call.layer or model.content_layer,
            },
            last.cancelled,
        )

    return _finish(style_transfer(model, call.image, style, cancel=cancel, **options), outcome)


def run_pgd(model: VizModel, call: MethodCall, cancel: Cancel) -> Iterator[Progress]:
    p = call.params

    def outcome(last: Progress, _first: Progress) -> Outcome:
        return Outcome(last.result.picture(), adversarial_data(last.result), last.cancelled)

    steps = pgd(model, call.image, call.target, epsilon=p["epsilon"], steps=p["steps"], seed=p["seed"], cancel=cancel)
    return _finish(steps, outcome)


RECIPES: dict[str, Callable[..., Outcome | Iterator[Progress]]] = {
    "filters": run_filters,
    "activations": run_activations,
    "toppatches": run_toppatches,
    "saliency": run_saliency,
    "guided": run_guided,
    "gradcam": run_gradcam,
    "classviz": run_classviz,
    "dream": run_dream,
    "style": run_style,
    "fgsm": run_fgsm,
    "pgd": run_pgd,
}
