"""Class visualization by gradient ascent on the input (001 §5.3.4–5.3.5, 004 "Gradient Ascent on Images").

Solve x ← argmax_x S_c(x) − λ‖x‖² for the class score S_c *before* the softmax (after it, the ascent
could just as well lower the other classes), starting from faint noise. Each step:

1. shift the image by a random jitter (so no single pixel pattern is rewarded), take the gradient of
   the regularized score, shift back;
2. update the image with the gradient (normalized, so the step size is in pixel units);
3. every few steps blur the image a little (no high-frequency tricks) and zero out the pixels of
   small value (no faint noise confusing the network);
4. keep pixels in the valid range; repeat.

The same loop maximizes a unit or a whole channel of any layer instead of a class (``UnitTarget``).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch

from .attribution import Target, UnitTarget, check_target, run_target
from .errors import VizError
from .model import VizModel
from .ops import clamp_to, gaussian_blur, jitter
from .progress import Cancel, Progress, is_cancelled


def neutral(model: VizModel) -> torch.Tensor:
    """Mid-grey in model units (1, C, 1, 1): the 'zero' the L2 penalty and clipping pull towards."""
    lo, hi = model.bounds()
    return (lo + hi) / 2


def class_visualization(
    model: VizModel,
    target: Target,
    *,
    steps: int = 200,
    lr: float = 0.02,
    l2: float = 0.02,
    blur_every: int = 4,
    blur_sigma: float | None = None,
    jitter_px: int | None = None,
    clip_percentile: float = 10.0,
    size: tuple[int, int] | None = None,
    init=None,
    seed: int = 0,
    device: str | torch.device | None = None,
    cancel: Cancel = None,
) -> Iterator[Progress]:
    """Yield a :class:`Progress` per step; the image is the current visualization of ``target``.

    ``lr`` is the mean change of a pixel per step (pixels in [0, 1]); ``l2`` is λ (per step, it pulls the
    image towards grey by a factor 1 − 2·lr·λ); ``clip_percentile`` zeroes that percentage of weakest
    pixels at every blur. ``blur_sigma`` defaults to 1.5 px per 160 px of image side (0.5 to 2);
    ``jitter_px`` to 1/12 of the side. ``init`` may be an image to start from instead of noise.
    """
    model.on(device)
    if steps < 1:
        raise VizError("steps must be at least 1.")
    target = check_target(model, target)
    if target is None:
        raise VizError("class visualization needs a target class (or unit).")
    h, w = size or model.input_size or (model.photo_size, model.photo_size)
    gen = torch.Generator().manual_seed(seed)
    lo, hi = model.bounds()
    grey = neutral(model)
    scale = model.pixel_scale()
    if init is None:
        x = grey + 0.05 * scale * torch.randn(1, model.channels, h, w, generator=gen).to(model.device)
    else:
        x = model.as_input(init).clone()
        h, w = x.shape[-2:]
    jitter_px = max(1, min(h, w) // 12) if jitter_px is None else jitter_px
    if blur_sigma is None:
        blur_sigma = min(2.0, max(0.5, 1.5 * min(h, w) / 160))
    for step in range(1, steps + 1):
        if is_cancelled(cancel):
            yield Progress(
                step - 1, steps, done=True, cancelled=True, tensor=x.detach(), render=lambda t: stretched(model, t)
            )
            return
        dy, dx = torch.randint(-jitter_px, jitter_px + 1, (2,), generator=gen).tolist() if jitter_px else (0, 0)
        xj = jitter(x, dy, dx).requires_grad_(True)
        score = run_target(model, xj, target).scores[0]
        (g,) = torch.autograd.grad(score, xj)
        g = jitter(g, -dy, -dx)
        with torch.no_grad():
            ascent = g / (g.abs().mean() + 1e-12) * scale
            x = x + lr * ascent - 2 * lr * l2 * (x - grey)
            if blur_every and step % blur_every == 0:
                x = gaussian_blur(x, blur_sigma)
                if clip_percentile > 0:
                    strength = ((x - grey) / scale).norm(dim=1, keepdim=True)
                    cut = torch.quantile(strength.flatten(), clip_percentile / 100.0)
                    x = torch.where(strength < cut, grey.expand_as(x), x)
            x = clamp_to(x, lo, hi)
        yield Progress(
            step,
            steps,
            {"score": float(score.detach())},
            done=step == steps,
            tensor=x,
            render=lambda t: stretched(model, t),
            result=target,
        )


def stretched(model: VizModel, x: torch.Tensor) -> np.ndarray:
    """The image with its contrast stretched around grey: the L2 penalty keeps the raw result faint."""
    grey = neutral(model)
    dev = (x - grey) / model.pixel_scale()
    span = float(torch.quantile(dev.abs().flatten(), 0.99)) or 1.0
    return model.to_image(grey + 0.5 * dev / span * model.pixel_scale())


def maximize_unit(model: VizModel, layer: str, channel: int, **options) -> Iterator[Progress]:
    """Activation maximization of a whole channel of ``layer`` (its strongest position each step)."""
    return class_visualization(model, UnitTarget(layer, channel), **options)
