"""The weight-initialisation parameters every layer with weights carries (course notes 001 §4.4)."""

from __future__ import annotations

from .spec import Param

INIT_SCHEMES = (
    "default",
    "normal",
    "lecun_normal",
    "xavier_uniform",
    "xavier_normal",
    "kaiming_normal",
    "kaiming_uniform",
    "orthogonal",
)

INIT_HELP = {
    "default": "PyTorch's default: U(±1/√fan_in) for weights and biases",
    "normal": "N(0, σ²) with the σ you choose; a tiny σ makes activations vanish layer after layer",
    "lecun_normal": "N(0, 1/fan_in): keeps the activation variance constant (the course's Xavier derivation)",
    "xavier_uniform": "Glorot: U(±√(6/(fan_in+fan_out)))",
    "xavier_normal": "Glorot: N(0, 2/(fan_in+fan_out))",
    "kaiming_normal": "He: N(0, 2/fan_in), made for ReLU, which halves the variance",
    "kaiming_uniform": "He: U(±√(6/fan_in)), made for ReLU",
    "orthogonal": "A random orthogonal matrix (from the SVD of a Gaussian one): keeps gradient norms",
}

_NOT_DEFAULT = tuple(s for s in INIT_SCHEMES if s != "default")

INIT_PARAMS = (
    Param(
        "init",
        "choice",
        "default",
        "How the weights start: " + "; ".join(f"{k}: {v}" for k, v in INIT_HELP.items()),
        choices=INIT_SCHEMES,
        label="Weight init",
    ),
    Param(
        "init_std",
        "float",
        0.01,
        "Standard deviation σ of the normal initialisation",
        minimum=0.0,
        maximum=10.0,
        label="Init σ",
        visible_when=("init", ("normal",)),
    ),
    Param(
        "bias_init",
        "float",
        0.0,
        "Constant the biases start at (0.1 keeps fresh ReLUs alive)",
        minimum=-10.0,
        maximum=10.0,
        label="Bias init",
        visible_when=("init", _NOT_DEFAULT),
    ),
)
