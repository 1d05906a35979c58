"""Each visualization method as one call from a model and its inputs to a picture and the numbers behind it.

The command line (``playground viz``) and the app's Visualize workspace run the methods the same way: the
same defaults, the same small-image adjustments, the same composed pictures. One-shot methods return an
:class:`Outcome`; iterative ones are generators of :class:`Progress` whose last item (``done``) carries the
:class:`Outcome` in ``result``, also when cancelled (the picture then shows how far it got).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import images
from .attribution import Target, UnitTarget
from .errors import VizError
from .model import VizModel
from .progress import Cancel, Progress


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
    from .samples import PHOTOS, bundled_image

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
def run_filters(model: VizModel, layer: str | None = None) -> Outcome:
    from .filters import filters

    view = filters(model, layer)
    return Outcome(
        zoom_small(view.picture, 320), {"layer": view.layer, "shape": list(view.weights.shape), "rgb": view.rgb}
    )


def run_activations(model: VizModel, x, layer: str | None = None, backend: str = "torch") -> Outcome:
    from .features import feature_maps

    fm = feature_maps(model, x, layer or model.default_layer, backend=backend)
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


def run_toppatches(
    model: VizModel,
    data: np.ndarray | Sequence[np.ndarray],
    layer: str | None = None,
    channel: int = 0,
    k: int = 9,
    cancel: Cancel = None,
) -> Outcome:
    """``data``: samples (N, C, H, W) in model space, or photos (see :func:`photo_crops`)."""
    from .toppatches import top_patches

    layer = model.check_layer(layer, spatial=False)
    tp = top_patches(model, data, layer, channel, k=k, cancel=cancel)
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


def run_saliency(
    model: VizModel,
    x,
    photo: np.ndarray | None = None,
    target: Target = None,
    smooth: int = 0,
    noise: float = 0.15,
    backend: str = "torch",
    seed: int = 0,
) -> Outcome:
    from .saliency import saliency

    att = saliency(model, x, target, smooth=smooth, noise=noise, backend=backend, seed=seed)
    data = _attribution_data(att, photo)
    data.update(backend=backend, smooth=smooth)
    return Outcome(zoom_small(att.picture()), data)


def run_guided(model: VizModel, x, photo: np.ndarray | None = None, target: Target = None) -> Outcome:
    from .guided import gradient_picture, guided_backprop

    att = guided_backprop(model, x, target)
    assert att.gradient is not None  # guided backprop always returns its gradient
    return Outcome(
        zoom_small(images.side_by_side([att.image, gradient_picture(att.gradient)])), _attribution_data(att, photo)
    )


def run_gradcam(
    model: VizModel,
    x,
    photo: np.ndarray | None = None,
    target: Target = None,
    layer: str | None = None,
    guided: bool = False,
) -> Outcome:
    from .gradcam import gradcam
    from .guided import gradient_picture

    att = gradcam(model, x, target, layer=layer, guided=guided)
    picture = att.picture()
    if att.gradient is not None:
        picture = images.side_by_side([picture, gradient_picture(att.gradient)])
    return Outcome(zoom_small(picture), _attribution_data(att, photo))


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


def run_fgsm(model: VizModel, x, label=None, epsilon: float = 8 / 255) -> Outcome:
    from .adversarial import fgsm

    result = fgsm(model, x, label, epsilon=epsilon)
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


def run_classviz(
    model: VizModel,
    target: Target,
    steps: int = 200,
    lr: float | None = None,
    size: int | None = None,
    seed: int = 0,
    cancel: Cancel = None,
) -> Iterator[Progress]:
    from .classviz import class_visualization

    options: dict[str, Any] = {"steps": steps, "seed": seed, "cancel": cancel}
    if lr:
        options["lr"] = lr
    if size and model.input_size is None:
        options["size"] = (size, size)
    name = f"{target.layer} unit {target.channel}" if isinstance(target, UnitTarget) else target

    def outcome(last: Progress, _first: Progress) -> Outcome:
        return Outcome(
            zoom_small(_picture(last)), {"target": name, "steps": last.step, "values": last.values}, last.cancelled
        )

    return _finish(class_visualization(model, target, **options), outcome)


def dream_options(
    model: VizModel,
    steps: int = 10,
    octaves: int = 3,
    lr: float | None = None,
    layer: str | None = None,
    channel: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    options: dict[str, Any] = {"steps": steps, "octaves": octaves, "seed": seed, "layer": layer, "channel": channel}
    if lr:
        options["lr"] = lr
    if model.input_size is not None:
        options.update(octaves=1, jitter_px=2)  # small fixed-size images have no room for octaves
    return options


def run_dream(
    model: VizModel,
    x,
    steps: int = 10,
    octaves: int = 3,
    lr: float | None = None,
    layer: str | None = None,
    channel: int | None = None,
    seed: int = 0,
    cancel: Cancel = None,
) -> Iterator[Progress]:
    from .dream import deep_dream

    options = dream_options(model, steps, octaves, lr, layer, channel, seed)
    used = model.check_layer(options["layer"] or model.dream_layer)

    def outcome(last: Progress, first: Progress) -> Outcome:
        return Outcome(
            zoom_small(_picture(last)),
            {
                "layer": used,
                "steps": last.step,
                "objective_first": first.values.get("objective"),
                "objective_last": last.values.get("objective"),
            },
            last.cancelled,
        )

    return _finish(deep_dream(model, x, cancel=cancel, **options), outcome)


def run_style(
    model: VizModel,
    content,
    style: np.ndarray,
    steps: int = 300,
    optimizer: str = "lbfgs",
    init: str = "content",
    style_weight: float = 100.0,
    content_weight: float = 1.0,
    tv_weight: float = 1.0,
    lr: float | None = None,
    size: int | None = None,
    content_layer: str | None = None,
    seed: int = 0,
    cancel: Cancel = None,
) -> Iterator[Progress]:
    """Style transfer; ``size`` (default 256) is the shorter side for networks that take any size."""
    from .style import style_transfer

    options: dict[str, Any] = {
        "steps": steps,
        "optimizer": optimizer,
        "init": init,
        "style_weight": style_weight,
        "content_weight": content_weight,
        "tv_weight": tv_weight,
        "seed": seed,
        "lr": lr,
    }
    if model.input_size is None:
        options["size"] = size or 256
    if content_layer:
        options["content_layer"] = content_layer

    def outcome(last: Progress, first: Progress) -> Outcome:
        content_img = model.to_image(model.as_input(content))
        picture = images.side_by_side([content_img, images.as_rgb(style), _picture(last)])
        return Outcome(
            zoom_small(picture),
            {
                "steps": last.step,
                "first": first.values,
                "last": last.values,
                "style_layers": model.style_layers,
                "content_layer": options.get("content_layer", model.content_layer),
            },
            last.cancelled,
        )

    return _finish(style_transfer(model, content, style, cancel=cancel, **options), outcome)


def run_pgd(
    model: VizModel, x, label=None, epsilon: float = 8 / 255, steps: int = 20, seed: int = 0, cancel: Cancel = None
) -> Iterator[Progress]:
    from .adversarial import pgd

    def outcome(last: Progress, _first: Progress) -> Outcome:
        return Outcome(last.result.picture(), adversarial_data(last.result), last.cancelled)

    return _finish(pgd(model, x, label, epsilon=epsilon, steps=steps, seed=seed, cancel=cancel), outcome)
