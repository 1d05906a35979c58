"""Each optimizer's first steps equal torch.optim's, with weight decay on the decayed weights only."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from playground.core.backends.numpy.optimizers import make_optimizer
from playground.core.backends.torch.trainer import make_optimizer as make_torch_optimizer
from playground.core.config import OptimizerConfig, TrainingConfig

SETTINGS = [
    ("sgd", {}, 0.0),
    ("sgd", {"momentum": 0.9}, 0.01),
    ("sgd", {"momentum": 0.8, "nesterov": True}, 0.1),
    ("rmsprop", {}, 0.0),
    ("rmsprop", {"alpha": 0.9, "eps": 1e-6, "momentum": 0.5}, 0.05),
    ("adagrad", {}, 0.01),
    ("adam", {}, 0.0),
    ("adam", {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6}, 0.1),
    ("adamw", {}, 0.1),
]


def _gradient(p: np.ndarray, target: np.ndarray) -> np.ndarray:
    """A non-quadratic loss ½‖p − t‖² + ¼Σp⁴, so every step sees a new gradient."""
    return (p - target) + p**3


@pytest.mark.parametrize(("name", "extra", "weight_decay"), SETTINGS)
def test_first_ten_steps_equal_torch_optim(name, extra, weight_decay):
    rng = np.random.default_rng(0)
    decayed, other = rng.standard_normal(12), rng.standard_normal(5)
    target = rng.standard_normal(17)
    settings = OptimizerConfig(name=name, lr=0.05, **extra)
    config = TrainingConfig(optimizer=settings, weight_decay=weight_decay)

    params = np.concatenate([decayed, other])  # our layout: the decayed weights first
    grads = np.zeros_like(params)
    ours = make_optimizer(params, grads, len(decayed), settings, weight_decay)

    tp = [torch.tensor(decayed, requires_grad=True), torch.tensor(other, requires_grad=True)]
    theirs = make_torch_optimizer(
        [{"params": [tp[0]], "weight_decay": weight_decay}, {"params": [tp[1]], "weight_decay": 0.0}], config
    )
    for step in range(10):
        lr = 0.05 * 0.9**step  # a schedule: the lr is handed over at every step
        grads[:] = _gradient(params, target)
        handed = grads.copy()
        ours.step(lr)
        np.testing.assert_array_equal(grads, handed)  # weight decay is not added to the gradients in place
        for group in theirs.param_groups:
            group["lr"] = lr
        joined = torch.cat([t.detach() for t in tp]).numpy()
        tgrad = _gradient(joined, target)
        tp[0].grad, tp[1].grad = torch.tensor(tgrad[:12]), torch.tensor(tgrad[12:])
        theirs.step()
        np.testing.assert_allclose(
            params, torch.cat([t.detach() for t in tp]).numpy(), rtol=1e-12, atol=1e-14, err_msg=f"step {step + 1}"
        )


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("sgd", {"momentum": 0.5}),
        ("rmsprop", {"alpha": 0.5}),
        ("adam", {"beta1": 0.5, "beta2": 0.9, "eps": 1e-4}),
        ("adamw", {"weight_decay": 0.3}),
    ],
)
def test_settings_changed_between_steps_take_effect_like_torch(name, change):
    rng = np.random.default_rng(1)
    p0, target = rng.standard_normal(6), rng.standard_normal(6)
    momentum = {"momentum": 0.9} if name == "sgd" else {}
    settings = OptimizerConfig(name=name, lr=0.05, **momentum)
    config = TrainingConfig(optimizer=settings, weight_decay=0.01)
    params, grads = p0.copy(), np.zeros(6)
    ours = make_optimizer(params, grads, 6, settings, 0.01)
    tp = torch.tensor(p0, requires_grad=True)
    theirs = make_torch_optimizer([{"params": [tp], "weight_decay": 0.01}], config)
    for step in range(6):
        if step == 3:
            ours.set(**change)
            for group in theirs.param_groups:
                for key, value in change.items():
                    if key in ("beta1", "beta2"):
                        betas = list(group["betas"])
                        betas[0 if key == "beta1" else 1] = value
                        group["betas"] = tuple(betas)
                    else:
                        group[key] = value
        grads[:] = _gradient(params, target)
        ours.step(0.05)
        tp.grad = torch.tensor(_gradient(tp.detach().numpy(), target))
        theirs.step()
        np.testing.assert_allclose(params, tp.detach().numpy(), rtol=1e-12, atol=1e-14)
