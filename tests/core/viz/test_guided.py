"""Guided backprop: gradients reach the input only through ReLUs whose input and gradient are positive."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from playground.core.viz import guided_backprop, guided_relus, saliency
from playground.core.viz.guided import GuidedReLU


def _relu_input_gradients(model, x, target, guided: bool):
    """(z, dL/dz) at the input of every ReLU, from hooks on the layers feeding them."""
    feeding = ["conv1", "conv2", "conv3", "fc1"]
    seen: dict[str, torch.Tensor] = {}
    grads: dict[str, torch.Tensor] = {}
    handles = []
    for name in feeding:

        def hook(_m, _i, out, name=name):
            seen[name] = out
            out.register_hook(lambda g, name=name: grads.__setitem__(name, g))

        handles.append(model.submodule(name).register_forward_hook(hook))
    xi = x.clone().requires_grad_(True)
    try:
        if guided:
            with guided_relus(model.module) as count:
                assert count == 4
                model.logits(xi)[0, target].backward()
        else:
            model.logits(xi)[0, target].backward()
    finally:
        for h in handles:
            h.remove()
    return {n: (seen[n].detach(), grads[n]) for n in feeding}


def test_guided_gradients_pass_only_positive_relu_paths(shapes_model, shapes_test):
    x = shapes_test[0][:1]
    target = int(shapes_test[1][0])
    guided = _relu_input_gradients(shapes_model, x, target, guided=True)
    for name, (z, g) in guided.items():
        assert (g >= 0).all(), name  # negative signals were stopped
        assert (g[z <= 0] == 0).all(), name  # nothing flows through an inactive unit
        assert (g > 0).any(), name
    plain = _relu_input_gradients(shapes_model, x, target, guided=False)
    assert any((g < 0).any() for _, g in plain.values())  # the plain backward pass does carry negatives


def test_relus_are_restored_even_after_an_error(shapes_model):
    before = [type(m) for m in shapes_model.module.modules()]
    with pytest.raises(RuntimeError), guided_relus(shapes_model.module):
        assert isinstance(shapes_model.submodule("conv1_relu"), GuidedReLU)
        raise RuntimeError("boom")
    assert [type(m) for m in shapes_model.module.modules()] == before
    assert type(shapes_model.submodule("conv1_relu")) is nn.ReLU


def test_guided_backprop_result(shapes_model, shapes_test):
    x = shapes_test[0][2]
    att = guided_backprop(shapes_model, x)
    plain = saliency(shapes_model, x)
    assert att.target == plain.target and att.score == pytest.approx(plain.score)
    assert att.gradient.shape == (3, 32, 32)
    assert not np.allclose(att.gradient, plain.gradient)


def test_relu6_rule():
    z = torch.tensor([-1.0, 0.5, 3.0, 7.0, 2.0], requires_grad=True)
    y = GuidedReLU(6.0)(z)
    torch.testing.assert_close(y.detach(), torch.tensor([0.0, 0.5, 3.0, 6.0, 2.0]))
    y.backward(torch.tensor([1.0, 1.0, -1.0, 1.0, 2.0]))
    torch.testing.assert_close(z.grad, torch.tensor([0.0, 1.0, 0.0, 0.0, 2.0]))


def test_efficientnet_relu6_modules_are_swapped(effnet):
    n = sum(type(m) is nn.ReLU6 for m in effnet.module.modules())
    with guided_relus(effnet.module) as count:
        assert count == n == 2 + 2 * 16 - 1
        assert not any(type(m) is nn.ReLU6 for m in effnet.module.modules())
    assert sum(type(m) is nn.ReLU6 for m in effnet.module.modules()) == n
