"""Initial parameters for every layer, computed once in NumPy so both backends start identical.

Each scheme follows course notes 001 §4.4 and 004 (Kaiming). Fans are computed the way PyTorch does,
so "default" reproduces PyTorch's own initialisation distribution. Every node draws from its own
random stream, derived from the seed and the node's name: adding a layer elsewhere does not change
the starting weights of the others.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np

from .graph.model import Graph, Node
from .layers import TensorSpec, numel
from .shapes import ShapeReport, infer

ParamDict = dict[str, np.ndarray]


def fans(weight_shape: tuple[int, ...]) -> tuple[int, int]:
    """fan_in and fan_out as PyTorch computes them: dims 1 and 0 times the receptive field."""
    receptive = numel(weight_shape[2:]) if len(weight_shape) > 2 else 1
    return weight_shape[1] * receptive, weight_shape[0] * receptive


def init_weight(shape: tuple[int, ...], scheme: str, rng: np.random.Generator, std: float = 0.01) -> np.ndarray:
    fan_in, fan_out = fans(shape)
    if scheme == "default":
        # PyTorch: kaiming_uniform_(a=√5) gives bound = √(6 / ((1 + 5) · fan_in)) = 1/√fan_in.
        bound = 1.0 / math.sqrt(fan_in) if fan_in else 0.0
        return rng.uniform(-bound, bound, shape)
    if scheme == "normal":
        return rng.normal(0.0, std, shape)
    if scheme == "lecun_normal":
        return rng.normal(0.0, math.sqrt(1.0 / fan_in), shape)
    if scheme == "xavier_uniform":
        bound = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-bound, bound, shape)
    if scheme == "xavier_normal":
        return rng.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), shape)
    if scheme == "kaiming_normal":
        return rng.normal(0.0, math.sqrt(2.0 / fan_in), shape)
    if scheme == "kaiming_uniform":
        bound = math.sqrt(6.0 / fan_in)
        return rng.uniform(-bound, bound, shape)
    if scheme == "orthogonal":
        rows = shape[0]
        cols = numel(shape) // rows
        gaussian = rng.normal(0.0, 1.0, (rows, cols))
        # The SVD of a Gaussian matrix: U (rows×k) and Vᵀ (k×cols) have orthonormal columns/rows;
        # keep whichever has the shape we need (course notes 001 §4.4.4).
        u, _s, vt = np.linalg.svd(gaussian, full_matrices=False)
        q = u if u.shape == (rows, cols) else vt
        return q.reshape(shape)
    raise ValueError(f"unknown init scheme '{scheme}'")


def node_rng(seed: int, node: Node) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(node.name.encode())])


def weight_of(bias: str, tensors: Mapping[str, TensorSpec]) -> TensorSpec | None:
    """The weight a bias belongs to: bias_ih_l0 → weight_ih_l0, q_bias → q_weight, or else ``weight``."""
    return tensors.get(bias.replace("bias", "weight"), tensors.get("weight"))


def init_node(
    node: Node, tensors: Mapping[str, TensorSpec], rng: np.random.Generator, override: str | None = None
) -> ParamDict:
    """Starting values of the arrays one node owns (its spec's tensors), named as PyTorch names them."""
    p = node.params
    scheme = override or p.get("init", "default")
    out: dict[str, np.ndarray] = {}
    for name, tensor in tensors.items():
        if tensor.init == "weight":
            out[name] = init_weight(tensor.shape, scheme, rng, p.get("init_std", 0.01))
        elif tensor.init == "bias":
            weight = weight_of(name, tensors)
            if weight is None or weight.init != "weight":
                raise ValueError(f"{node.type}: a 'bias' tensor needs a 'weight' drawn by the init scheme")
            out[name] = _init_bias(tensor.shape, weight.shape, scheme, p.get("bias_init", 0.0), rng)
        else:
            out[name] = np.ones(tensor.shape) if tensor.init == "ones" else np.zeros(tensor.shape)
    return _f32(out)


def _init_bias(
    shape: tuple[int, ...], weight_shape: tuple[int, ...], scheme: str, constant: float, rng: np.random.Generator
) -> np.ndarray:
    if scheme != "default":
        return np.full(shape, constant)
    # PyTorch's default: U(±1/√fan_in), the fan-in of the layer's weight
    fan_in, _ = fans(weight_shape)
    bound = 1.0 / math.sqrt(fan_in) if fan_in else 0.0
    return rng.uniform(-bound, bound, shape)


def _f32(d: Mapping[str, Any]) -> ParamDict:
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in d.items()}


def initial_parameters(
    graph: Graph, seed: int = 0, override: str | None = None, report: ShapeReport | None = None
) -> dict[str, ParamDict]:
    """Starting parameters of every node, keyed by node name. ``override`` forces one scheme on all."""
    report = report or infer(graph)
    forced = None if override in (None, "per_layer") else override
    params: dict[str, ParamDict] = {}
    for node in report.order:
        tensors = report.nodes[node.id].tensors
        if tensors:
            params[node.name] = init_node(node, tensors, node_rng(seed, node), forced)
    return params


def decayed_parameters(report: ShapeReport) -> set[tuple[str, str]]:
    """(node name, parameter name) of every tensor that L2 weight decay and the L1 penalty act on."""
    return {
        (node.name, name)
        for node in report.order
        for name, tensor in report.nodes[node.id].tensors.items()
        if tensor.decayed
    }
