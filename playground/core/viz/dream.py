"""Deep Dream (001 §5.4, 004 "DeepDream"): make a layer's active units even more active.

    1. pick a layer;  2. jitter the image a little;  3. forward to the layer;
    4. set δ to the activations themselves (the gradient of ½‖a‖²);  5. backprop and step up the
    gradient, normalized by its mean size;  6. undo the jitter;  7. repeat.

Octaves run the same loop from a small copy of the image up to full size, carrying the added detail
from one scale to the next, so the patterns appear at several sizes.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch

from .errors import VizError
from .hooks import layer_outputs
from .model import VizModel
from .ops import clamp_to, jitter, resize
from .progress import Cancel, Progress, is_cancelled


def dream_objective(act: torch.Tensor, channel: int | None = None) -> torch.Tensor:
    """½·mean(a²) over the layer (or one channel): its gradient with respect to a is a itself."""
    a = act if channel is None else act[:, channel]
    return 0.5 * (a * a).mean()


def octave_sizes(h: int, w: int, octaves: int, scale: float) -> list[tuple[int, int]]:
    sizes = [(max(8, round(h / scale**i)), max(8, round(w / scale**i))) for i in range(octaves)]
    return sizes[::-1]


def deep_dream(
    model: VizModel,
    image,
    *,
    layer: str | None = None,
    channel: int | None = None,
    steps: int = 10,
    octaves: int = 3,
    octave_scale: float = 1.4,
    lr: float = 0.02,
    jitter_px: int = 16,
    seed: int = 0,
    device: str | torch.device | None = None,
    cancel: Cancel = None,
) -> Iterator[Progress]:
    """Yield a :class:`Progress` per step (``steps`` per octave); ``values["objective"]`` is ½·mean(a²)
    at the layer. ``lr`` is the mean change of a pixel per step (pixels in [0, 1])."""
    model.on(device)
    if steps < 1 or octaves < 1:
        raise VizError("steps and octaves must be at least 1.")
    if octave_scale <= 1.0 and octaves > 1:
        raise VizError("octave_scale must be above 1.")
    layer = model.check_layer(layer or model.dream_layer)
    info = model.layer_info(layer)
    if channel is not None and not 0 <= channel < info.channels:
        raise VizError(f"{layer} has {info.channels} channels; there is no channel {channel}.")
    module = {layer: model.submodule(layer)}
    base = model.as_input(image)
    lo, hi = model.bounds()
    scale = model.pixel_scale()
    gen = torch.Generator().manual_seed(seed)
    sizes = octave_sizes(base.shape[-2], base.shape[-1], octaves, octave_scale)
    total = steps * len(sizes)
    detail = torch.zeros_like(resize(base, sizes[0]))
    step = 0
    x = base
    for o, size in enumerate(sizes):
        shrunk = resize(base, size)
        x = shrunk + resize(detail, size)
        for _ in range(steps):
            if is_cancelled(cancel):
                yield Progress(
                    step,
                    total,
                    stage=f"octave {o + 1}/{len(sizes)}",
                    done=True,
                    cancelled=True,
                    tensor=x.detach(),
                    render=model.to_image,
                )
                return
            dy, dx = torch.randint(-jitter_px, jitter_px + 1, (2,), generator=gen).tolist() if jitter_px else (0, 0)
            xj = jitter(x, dy, dx).requires_grad_(True)
            objective = dream_objective(layer_outputs(model.module, xj, [layer], module)[layer], channel)
            (g,) = torch.autograd.grad(objective, xj)
            with torch.no_grad():
                g = jitter(g, -dy, -dx)
                x = clamp_to(x + lr * scale * g / (g.abs().mean() + 1e-12), lo, hi)
            step += 1
            yield Progress(
                step,
                total,
                {"objective": float(objective.detach())},
                stage=f"octave {o + 1}/{len(sizes)}",
                done=step == total,
                tensor=x,
                render=model.to_image,
            )
        detail = x - shrunk
