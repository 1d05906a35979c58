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
from .layers import numel
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


def weight_shape(node: Node, in_shape: tuple[int, ...]) -> tuple[int, ...]:
    p = node.params
    if node.type == "Dense":
        return (p["units"], in_shape[0])
    if node.type == "Conv2d":
        return (p["out_channels"], in_shape[0] // p["groups"], p["kernel"], p["kernel"])
    if node.type == "ConvTranspose2d":
        return (in_shape[0], p["out_channels"], p["kernel"], p["kernel"])
    raise ValueError(f"{node.type} has no weight matrix")


def node_rng(seed: int, node: Node) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(node.name.encode())])


def init_node(
    node: Node, in_shape: tuple[int, ...], rng: np.random.Generator, override: str | None = None
) -> ParamDict:
    """Parameters (and running statistics) of one node, named as PyTorch names them."""
    p = node.params
    if node.spec.has_weights:
        shape = weight_shape(node, in_shape)
        scheme = override or p["init"]
        out: ParamDict = {"weight": init_weight(shape, scheme, rng, p.get("init_std", 0.01))}
        if p["bias"]:
            bias_len = shape[1] if node.type == "ConvTranspose2d" else shape[0]
            if scheme == "default":
                fan_in, _ = fans(shape)
                bound = 1.0 / math.sqrt(fan_in) if fan_in else 0.0
                out["bias"] = rng.uniform(-bound, bound, (bias_len,))
            else:
                out["bias"] = np.full((bias_len,), p["bias_init"])
        return _f32(out)
    if node.type in ("BatchNorm", "GroupNorm", "LayerNorm"):
        affine_shape = in_shape if node.type == "LayerNorm" else (in_shape[0],)
        out = {}
        if p["affine"]:
            out = {"weight": np.ones(affine_shape), "bias": np.zeros(affine_shape)}
        if node.type == "BatchNorm":
            out["running_mean"] = np.zeros((in_shape[0],))
            out["running_var"] = np.ones((in_shape[0],))
        return _f32(out)
    return {}


def _f32(d: Mapping[str, Any]) -> ParamDict:
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in d.items()}


def initial_parameters(
    graph: Graph, seed: int = 0, override: str | None = None, report: ShapeReport | None = None
) -> dict[str, ParamDict]:
    """Starting parameters of every node, keyed by node name. ``override`` forces one scheme on all."""
    report = report or infer(graph)
    params: dict[str, ParamDict] = {}
    for node in report.order:
        edges = graph.in_edges(node.id)
        if not edges:
            continue
        in_shape = report.shape(edges[0].source)
        if in_shape is None:
            continue
        values = init_node(node, in_shape, node_rng(seed, node), None if override in (None, "per_layer") else override)
        if values:
            params[node.name] = values
    return params


# Parameters that L2 weight decay and the L1 penalty apply to: weights of Dense and convolutions only
# (not biases or normalisation scales, which the course's regularisation does not target).
def is_decayed(node_type: str, param_name: str) -> bool:
    return param_name == "weight" and node_type in ("Dense", "Conv2d", "ConvTranspose2d")


TRAINABLE = ("weight", "bias")
