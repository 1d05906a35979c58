"""What the attribution methods (saliency, guided backprop, Grad-CAM) explain, and what they return.

A *target* is a class (index or name; ``None`` = the predicted class), whose score before the softmax
is differentiated (001 §5.3.3, §5.3.5), or a :class:`UnitTarget`: one unit a^l_mnp of a layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch

from . import images
from .errors import VizError
from .hooks import forward_with
from .model import VizModel


@dataclass(frozen=True)
class UnitTarget:
    """Unit (channel, y, x) of ``layer``; without y and x, the position where the channel is strongest."""

    layer: str
    channel: int
    y: int | None = None
    x: int | None = None


Target = int | str | UnitTarget | None


def check_target(model: VizModel, target: Target) -> int | UnitTarget | None:
    """Validate a target before any computation (a class name or index, or a unit)."""
    if isinstance(target, UnitTarget):
        layer = model.check_layer(target.layer)
        info = model.layer_info(layer)
        if not 0 <= target.channel < info.channels:
            raise VizError(f"{layer} has {info.channels} channels; unit {target.channel} does not exist.")
        if (target.y is None) != (target.x is None):
            raise VizError("give both y and x of the unit, or neither.")
        inside = (
            target.y is None
            or target.x is None
            or not info.spatial
            or (0 <= target.y < info.shape[1] and 0 <= target.x < info.shape[2])
        )
        if not inside:
            raise VizError(f"{layer} is {info.shape[1]}×{info.shape[2]}: position ({target.y}, {target.x}) is outside.")
        return UnitTarget(layer, target.channel, target.y, target.x)
    require = getattr(model, "require_classifier", None)
    if require is not None:
        require()
    if model.num_classes < 1:
        raise VizError(f"{model.name} has no classes: pick a unit instead.")
    return None if target is None else model.class_index(target)


@dataclass
class Pass:
    """One forward pass: the class scores, the captured layers, and the differentiated scores (N,)."""

    logits: torch.Tensor
    acts: dict[str, torch.Tensor]
    target: int | UnitTarget
    scores: torch.Tensor


def run_target(
    model: VizModel, x: torch.Tensor, target: Target | torch.Tensor, layers: tuple[str, ...] | list[str] = ()
) -> Pass:
    """Forward ``x`` once, capturing ``layers`` (and the unit's layer), and pick the target's scores.

    ``target`` None becomes the class predicted for the first sample; a tensor gives one class per sample.
    """
    wanted = list(layers)
    if isinstance(target, UnitTarget):
        wanted.append(target.layer)
    logits, acts = forward_with(model.module, x, wanted, {n: model.submodule(n) for n in wanted})
    if isinstance(target, UnitTarget):
        a = acts[target.layer][:, target.channel]
        if a.ndim == 1:
            scores = a
        elif target.y is not None:
            scores = a[:, target.y, target.x]
        else:
            scores = a.flatten(1).max(dim=1).values
        return Pass(logits, acts, target, scores)
    if isinstance(target, torch.Tensor):
        scores = logits.gather(1, target.view(-1, 1).to(logits.device)).squeeze(1)
        return Pass(logits, acts, -1, scores)
    cls = int(logits[0].argmax()) if target is None else int(target)
    return Pass(logits, acts, cls, logits[:, cls])


def top_from_logits(model: VizModel, logits: torch.Tensor, k: int = 5) -> list[tuple[int, str, float]]:
    if logits.ndim != 2 or logits.shape[1] < 2:
        return []
    probs = torch.softmax(logits[0].detach().float(), dim=0)
    values, index = probs.topk(min(k, probs.numel()))
    return [(int(i), model.class_name(int(i)), float(v)) for v, i in zip(values, index)]


def target_name(model: VizModel, target: int | UnitTarget) -> str:
    if isinstance(target, UnitTarget):
        where = "" if target.y is None else f" at ({target.y}, {target.x})"
        return f"{target.layer} unit {target.channel}{where}"
    return model.class_name(target)


@dataclass
class Attribution:
    """A map over the input image saying which pixels matter for the target.

    ``map`` (H×W, in [0, 1]) has the model input's size; ``peak`` = (x, y) is its maximum in those
    pixel coordinates. ``gradient`` (C×H×W) is kept for methods that produce one.
    """

    method: str
    map: np.ndarray
    image: np.ndarray
    target: int | UnitTarget
    target_name: str
    score: float
    top_classes: list[tuple[int, str, float]]
    gradient: np.ndarray | None = None
    layer: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def peak(self) -> tuple[int, int]:
        y, x = np.unravel_index(int(np.argmax(self.map)), self.map.shape)
        return int(x), int(y)

    def peak_in(self, image_hw: tuple[int, int]) -> tuple[int, int]:
        """The peak in the pixel coordinates of an original photo of size ``image_hw`` (height, width)
        that was resized to the model input."""
        h, w = self.map.shape
        x, y = self.peak
        return min(image_hw[1] - 1, int((x + 0.5) * image_hw[1] / w)), min(
            image_hw[0] - 1, int((y + 0.5) * image_hw[0] / h)
        )

    def picture(self) -> np.ndarray:
        """Input, the map as a heat map, and both overlaid, side by side (the brightest 0.5 % of a
        gradient map saturate, so that the rest stays visible)."""
        shown = self.map if self.method in ("gradcam", "guided_gradcam") else images.robust_normalize(self.map)
        return images.side_by_side([self.image, images.heatmap(shown), images.overlay(self.image, shown)])
