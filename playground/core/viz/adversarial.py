"""Adversarial examples (004 "Adversarial Examples"): tiny perturbations that change the prediction.

FGSM (Goodfellow et al. 2015) takes one step of size ε along the sign of the loss gradient:
x' = x + ε·sign(∇x L(x, y)). PGD (Madry et al. 2018) repeats smaller steps and projects back into the
ε-ball around x after each. Both keep pixels valid. ε is in pixel units (pixels in [0, 1]): 8/255 is
invisible to people. The perturbation is shown amplified, as in the course's "10× perturbation".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from . import images
from .attribution import check_target
from .errors import VizError
from .model import VizModel
from .ops import clamp_to
from .progress import Cancel, Progress, is_cancelled


@dataclass
class AdversarialResult:
    method: str
    original: np.ndarray  # uint8 RGB
    adversarial: np.ndarray  # uint8 RGB
    perturbation: np.ndarray  # uint8 RGB: 0.5 + amplify·(x' − x), grey = unchanged
    amplify: float
    epsilon: float
    label: int  # the class attacked (the prediction before, unless given)
    target: int | None  # for a targeted attack, the class aimed at
    before: list[tuple[int, str, float]]
    after: list[tuple[int, str, float]]
    linf: float  # the largest pixel change, pixel units
    input: torch.Tensor  # the adversarial input in model units

    @property
    def flipped(self) -> bool:
        """The prediction changed (for a targeted attack: it became the target)."""
        top = self.after[0][0]
        return top == self.target if self.target is not None else top != self.label

    def picture(self, min_side: int = 224) -> np.ndarray:
        """Original, amplified perturbation and adversarial image, each captioned."""

        def top(classes):
            return f"{classes[0][1]} {classes[0][2]:.0%}"

        big = [images.upscale_to(i, min_side) for i in (self.original, self.perturbation, self.adversarial)]
        return images.side_by_side(
            [
                images.caption(big[0], top(self.before)),
                images.caption(big[1], f"perturbation x{self.amplify:g}"),
                images.caption(big[2], top(self.after)),
            ]
        )


def _classes(model: VizModel, x: torch.Tensor, label, target):
    require = getattr(model, "require_classifier", None)
    if require is not None:
        require()
    label_i = model.class_index(label, x)
    target_i = None if target is None else check_target(model, target)
    return label_i, target_i


def _loss(model: VizModel, x: torch.Tensor, label: torch.Tensor, target: torch.Tensor | None) -> torch.Tensor:
    logits = model.logits(x)
    if target is None:
        return F.cross_entropy(logits, label)  # go up the loss of the true class
    return -F.cross_entropy(logits, target)  # go down the loss of the target class


def fgsm_batch(
    model: VizModel, x: torch.Tensor, labels: torch.Tensor, epsilon: float, target: torch.Tensor | None = None
) -> torch.Tensor:
    """FGSM for a batch (N, C, H, W) with one label each; returns the adversarial inputs."""
    lo, hi = model.bounds()
    xi = x.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(_loss(model, xi, labels, target) * len(x), xi)
    return clamp_to(x + epsilon * model.pixel_scale() * g.sign(), lo, hi).detach()


def _result(
    model: VizModel,
    method: str,
    x: torch.Tensor,
    adv: torch.Tensor,
    epsilon: float,
    label: int,
    target: int | None,
    amplify: float | None,
) -> AdversarialResult:
    delta = ((adv - x) / model.pixel_scale())[0]
    amp = amplify if amplify is not None else 0.5 / max(epsilon, 1e-6)
    pert = images.to_uint8((0.5 + amp * delta).cpu().numpy().transpose(1, 2, 0))
    if pert.shape[2] == 1:
        pert = np.repeat(pert, 3, axis=2)
    return AdversarialResult(
        method,
        model.to_image(x),
        model.to_image(adv),
        pert,
        amp,
        epsilon,
        label,
        target,
        model.top_classes(x),
        model.top_classes(adv),
        float(delta.abs().max()),
        adv,
    )


def fgsm(
    model: VizModel,
    x,
    label=None,
    *,
    epsilon: float = 8 / 255,
    target=None,
    amplify: float | None = None,
    device: str | torch.device | None = None,
) -> AdversarialResult:
    """One FGSM step against ``label`` (default: the predicted class), or towards ``target``."""
    model.on(device)
    if epsilon <= 0:
        raise VizError("epsilon must be positive.")
    xt = model.as_input(x)
    label_i, target_i = _classes(model, xt, label, target)
    dev = model.device
    adv = fgsm_batch(
        model,
        xt,
        torch.tensor([label_i], device=dev),
        epsilon,
        None if target_i is None else torch.tensor([target_i], device=dev),
    )
    return _result(model, "fgsm", xt, adv, epsilon, label_i, target_i, amplify)


def pgd(
    model: VizModel,
    x,
    label=None,
    *,
    epsilon: float = 8 / 255,
    step_size: float | None = None,
    steps: int = 20,
    random_start: bool = True,
    target=None,
    amplify: float | None = None,
    seed: int = 0,
    device: str | torch.device | None = None,
    cancel: Cancel = None,
) -> Iterator[Progress]:
    """Yield a :class:`Progress` per step (values: loss and the probability of the label); the last one's
    ``result`` is the :class:`AdversarialResult`. ``step_size`` defaults to ε/4."""
    model.on(device)
    if epsilon <= 0 or steps < 1:
        raise VizError("epsilon must be positive and steps at least 1.")
    xt = model.as_input(x)
    label_i, target_i = _classes(model, xt, label, target)
    dev = model.device
    lab = torch.tensor([label_i], device=dev)
    tgt = None if target_i is None else torch.tensor([target_i], device=dev)
    lo, hi = model.bounds()
    scale = model.pixel_scale()
    eps = epsilon * scale
    alpha = (step_size if step_size is not None else epsilon / 4) * scale
    adv = xt.clone()
    if random_start:
        gen = torch.Generator().manual_seed(seed)
        adv = clamp_to(xt + eps * (2 * torch.rand(xt.shape, generator=gen).to(dev) - 1), lo, hi)
    for step in range(1, steps + 1):
        if is_cancelled(cancel):
            yield Progress(
                step - 1,
                steps,
                done=True,
                cancelled=True,
                tensor=adv,
                render=model.to_image,
                result=_result(model, "pgd", xt, adv, epsilon, label_i, target_i, amplify),
            )
            return
        xi = adv.detach().requires_grad_(True)
        logits = model.logits(xi)
        loss = F.cross_entropy(logits, lab) if tgt is None else -F.cross_entropy(logits, tgt)
        (g,) = torch.autograd.grad(loss, xi)
        with torch.no_grad():
            adv = adv + alpha * g.sign()
            adv = clamp_to(torch.maximum(torch.minimum(adv, xt + eps), xt - eps), lo, hi)
            prob = float(torch.softmax(logits, 1)[0, label_i])
        done = step == steps
        yield Progress(
            step,
            steps,
            {"loss": float(loss.detach()), "p_label": prob},
            done=done,
            tensor=adv,
            render=model.to_image,
            result=_result(model, "pgd", xt, adv, epsilon, label_i, target_i, amplify) if done else None,
        )
