"""The optimizer race: closed-form steps on a quadratic, the backend's own optimizers, the built-in functions."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.lab.race import KINDS, Racer, race, racer_for, run_racer
from playground.core.lab.surfaces import SURFACES, custom_surface


def test_newton_converges_in_one_step_on_a_quadratic():
    surface = custom_surface("3*x**2 + 2*x*y + 5*y**2 - 4*x + 7*y + 1")
    t = run_racer(surface, (2.5, -1.0), Racer("newton"), 1)
    # the minimum solves H θ = −b: [[6, 2], [2, 10]] θ = [4, −7]
    expected = np.linalg.solve([[6.0, 2.0], [2.0, 10.0]], [4.0, -7.0])
    np.testing.assert_allclose(t.points[1], expected, atol=1e-12)
    np.testing.assert_allclose(surface.gradient(t.points[1]), 0.0, atol=1e-12)


def test_momentum_trajectory_is_the_hand_formula():
    # f = ½(x² + 25 y²): ∇f = (x, 25 y). 001 §3.3.1: g_k = ∇f(θ_k) + μ g_{k−1}, θ_{k+1} = θ_k − α g_k
    surface = custom_surface("0.5*(x**2 + 25*y**2)")
    lr, mu = 0.02, 0.8
    t = run_racer(surface, (-2.0, 1.0), Racer("momentum", {"lr": lr, "momentum": mu}), 30)
    theta, g = np.array([-2.0, 1.0]), np.zeros(2)
    expected = [theta.copy()]
    for _ in range(30):
        g = np.array([theta[0], 25 * theta[1]]) + mu * g
        theta = theta - lr * g
        expected.append(theta.copy())
    np.testing.assert_allclose(t.points, np.array(expected), rtol=1e-12, atol=1e-15)


def test_gradient_descent_on_a_quadratic_contracts_each_axis_by_one_minus_lr_times_curvature():
    surface = SURFACES["quadratic"]  # curvatures 1 and 25
    t = run_racer(surface, (-2.5, 1.5), Racer("gd", {"lr": 0.07}), 5)
    k = np.arange(6)
    np.testing.assert_allclose(t.points[:, 0], -2.5 * (1 - 0.07) ** k)
    np.testing.assert_allclose(t.points[:, 1], 1.5 * (1 - 0.07 * 25) ** k)  # |1 − 1.75| < 1: zig-zags, converges


def test_adam_first_step_is_lr_times_the_gradient_sign():
    # bias correction makes Adam's first step α·g/(|g| + ε) in each coordinate (001 §3.3.4)
    surface = SURFACES["rosenbrock"]
    start = np.array([-1.5, 2.5])
    t = run_racer(surface, start, Racer("adam", {"lr": 0.1}), 1)
    np.testing.assert_allclose(t.points[1], start - 0.1 * np.sign(surface.gradient(start)), rtol=1e-6)


def test_adamw_shrinks_the_weights_outside_the_adaptive_step():
    flat = custom_surface("0*x + 0*y + 1")  # no gradient: only the decay moves θ
    t = run_racer(flat, (2.0, -1.0), Racer("adamw", {"lr": 0.1, "weight_decay": 0.5}), 3)
    np.testing.assert_allclose(t.points[-1], np.array([2.0, -1.0]) * (1 - 0.1 * 0.5) ** 3)


def test_every_optimizer_descends_on_the_built_in_functions_and_newton_finds_a_critical_point():
    for surface in SURFACES.values():
        trajectories = race(surface, surface.start, [racer_for(k, surface) for k in KINDS], 300)
        for t in trajectories:
            assert not t.stopped, (surface.key, t.racer.kind, t.stopped)
            if t.racer.kind == "newton":  # it solves ∇f = 0: a minimum, a maximum or a saddle
                np.testing.assert_allclose(surface.gradient(t.points[-1]), 0.0, atol=1e-8)
            else:
                assert t.losses[-1] < t.losses[0], (surface.key, t.racer.kind)
    beale = SURFACES["beale"]
    assert run_racer(beale, beale.start, racer_for("newton", beale), 300).points[-1] == pytest.approx([0.0, 1.0])
    saddle = SURFACES["saddle"]
    newton = run_racer(saddle, saddle.start, racer_for("newton", saddle), 50)
    np.testing.assert_allclose(newton.points[-1], 0.0, atol=1e-6)  # Newton goes to any critical point


def test_divergence_stops_the_trajectory_and_says_when():
    surface = SURFACES["quadratic"]
    t = run_racer(surface, (1.0, 1.0), Racer("gd", {"lr": 1.0}), 500)  # |1 − 25| > 1 on y
    assert t.stopped.startswith("diverged at step")
    assert np.isfinite(t.losses).all() and len(t.points) < 501


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="adam has no setting momentum"):
        Racer("adam", {"momentum": 0.9})
    with pytest.raises(ValueError, match="unknown optimizer 'lbfgs'"):
        Racer("lbfgs")
    with pytest.raises(ValueError, match="learning rate must be a positive"):
        Racer("gd", {"lr": -1.0})
    with pytest.raises(ValueError, match="nesterov"):
        run_racer(SURFACES["quadratic"], (1, 1), Racer("nesterov", {"momentum": 0.0}), 1)
    with pytest.raises(ValueError, match="not defined at the start point"):
        race(custom_surface("log(x)"), (-1.0, 0.0), [Racer("gd")], 1)
