"""Neural style transfer (001 §5.5, Gatys et al. 2016): the content of one image, the style of another.

Style at layer l is the Gram matrix of its feature maps, G_km = E[f_k f_m] over positions (001 §5.5.1):
which features occur together, wherever they are. Content is the feature maps themselves at one
layer (§5.5.2). The image x minimizes (§5.5.3)

    L(x) = w_content · Lc(x) + w_style · Σ_l w_l · Ls_l(x) + w_tv · TV(x)

To make the weights mean the same on every network and layer, each term is relative to its target:
Ls_l = ‖G_l(x) − G_l(style)‖² / ‖G_l(style)‖² and Lc = ‖F(x) − F(content)‖² / ‖F(content)‖². TV
(total variation) penalizes differences between neighbouring pixels and keeps the result smooth.
The image is optimized by L-BFGS (one iteration per step) or Adam, starting from the content image or
from noise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import torch

from .errors import VizError
from .hooks import layer_outputs
from .model import VizModel
from .ops import clamp_to, gram, resize, total_variation
from .progress import Cancel, Progress, is_cancelled


@dataclass
class StyleLoss:
    total: torch.Tensor
    content: torch.Tensor
    style: torch.Tensor
    tv: torch.Tensor

    def values(self) -> dict[str, float]:
        return {
            "loss": float(self.total.detach()),
            "content": float(self.content.detach()),
            "style": float(self.style.detach()),
            "tv": float(self.tv.detach()),
        }


class StyleObjective:
    """The loss of one style transfer problem, with its targets computed once."""

    def __init__(
        self,
        model: VizModel,
        content: torch.Tensor,
        style: torch.Tensor,
        style_layers: dict[str, float],
        content_layer: str,
        content_weight: float,
        style_weight: float,
        tv_weight: float,
    ):
        self.model = model
        self.style_layers = style_layers
        self.content_layer = content_layer
        self.weights = (content_weight, style_weight, tv_weight)
        self.layers = list(dict.fromkeys([*style_layers, content_layer]))
        self.modules = {name: model.submodule(name) for name in self.layers}
        with torch.no_grad():
            c = self.features(content)
            s = self.features(style)
        self.content_target = c[content_layer]
        self.content_norm = self.content_target.pow(2).sum().clamp_min(1e-12)
        self.gram_targets = {name: gram(s[name]) for name in style_layers}
        self.gram_norms = {name: g.pow(2).sum().clamp_min(1e-12) for name, g in self.gram_targets.items()}

    def features(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        return layer_outputs(self.model.module, x, self.layers, self.modules)

    def __call__(self, x: torch.Tensor) -> StyleLoss:
        f = self.features(x)
        content = (f[self.content_layer] - self.content_target).pow(2).sum() / self.content_norm
        style = x.new_zeros(())
        for name, weight in self.style_layers.items():
            style = style + weight * (gram(f[name]) - self.gram_targets[name]).pow(2).sum() / self.gram_norms[name]
        tv = total_variation(x)
        cw, sw, tw = self.weights
        return StyleLoss(cw * content + sw * style + tw * tv, content, style, tv)


def _check_layers(model: VizModel, names) -> list[str]:
    return [model.check_layer(n, spatial=True) for n in names]


def style_transfer(
    model: VizModel,
    content,
    style,
    *,
    steps: int = 300,
    style_layers: dict[str, float] | None = None,
    content_layer: str | None = None,
    content_weight: float = 1.0,
    style_weight: float = 100.0,
    tv_weight: float = 1.0,
    optimizer: str = "lbfgs",
    lr: float | None = None,
    init: str = "content",
    size: int | None = None,
    seed: int = 0,
    device: str | torch.device | None = None,
    cancel: Cancel = None,
) -> Iterator[Progress]:
    """Yield a :class:`Progress` per step with the losses in ``values`` (total, content, style, tv).

    ``size`` sets the shorter side of the result (the style image is scaled to match); ``optimizer`` is
    "lbfgs" (one iteration per step) or "adam" (``lr`` in model units, default 0.05 per pixel unit).
    """
    model.on(device)
    if optimizer not in ("lbfgs", "adam"):
        raise VizError(f"unknown optimizer '{optimizer}' (choose lbfgs or adam).")
    if init not in ("content", "noise"):
        raise VizError(f"unknown init '{init}' (choose content or noise).")
    if steps < 1:
        raise VizError("steps must be at least 1.")
    layers = style_layers if style_layers is not None else model.style_layers
    names = _check_layers(model, layers)
    layers = {name: float(w) for name, w in zip(names, layers.values())}
    content_layer = _check_layers(model, [content_layer or model.content_layer])[0]
    c = model.as_input(content)
    s = model.as_input(style)
    if size is not None:
        h, w = c.shape[-2:]
        c = resize(c, (max(8, round(h * size / min(h, w))), max(8, round(w * size / min(h, w)))))
    if model.input_size is None:
        ratio = min(c.shape[-2:]) / min(s.shape[-2:])
        s = resize(s, (max(8, round(s.shape[-2] * ratio)), max(8, round(s.shape[-1] * ratio))))
    objective = StyleObjective(model, c, s, layers, content_layer, content_weight, style_weight, tv_weight)
    lo, hi = model.bounds()
    if init == "content":
        x = c.clone()
    else:
        gen = torch.Generator().manual_seed(seed)
        x = clamp_to(
            (lo + hi) / 2 + 0.2 * model.pixel_scale() * torch.randn(c.shape, generator=gen).to(c.device), lo, hi
        )
    x.requires_grad_(True)
    if optimizer == "lbfgs":
        opt: torch.optim.Optimizer = torch.optim.LBFGS([x], lr=1.0 if lr is None else lr, max_iter=1, history_size=50)
    else:
        opt = torch.optim.Adam([x], lr=0.05 * float(model.pixel_scale().mean()) if lr is None else lr)
    last: dict[str, StyleLoss] = {}

    def closure() -> float:
        opt.zero_grad()
        loss = objective(x)
        loss.total.backward()
        last["loss"] = loss
        return float(loss.total.detach())

    for step in range(1, steps + 1):
        if is_cancelled(cancel):
            yield Progress(step - 1, steps, done=True, cancelled=True, tensor=x.detach().clone(), render=model.to_image)
            return
        opt.step(closure)
        with torch.no_grad():
            x.copy_(clamp_to(x, lo, hi))
        yield Progress(
            step, steps, last["loss"].values(), done=step == steps, tensor=x.detach().clone(), render=model.to_image
        )


def style_losses(
    model: VizModel, x, content, style, style_layers: dict[str, float] | None = None, content_layer: str | None = None
) -> dict[str, float]:
    """The loss terms of an image ``x`` (e.g. to compare a result with its starting point)."""
    layers = style_layers if style_layers is not None else model.style_layers
    c, s = model.as_input(content), model.as_input(style)
    objective = StyleObjective(model, c, s, layers, content_layer or model.content_layer, 1.0, 1.0, 1.0)
    with torch.no_grad():
        return objective(model.as_input(x)).values()
