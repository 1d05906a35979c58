"""One torch module per layer type, built from the node's parameters and input shapes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from ...graph.model import Node
from ...layers.input_features import enabled_features
from ...layers.normalization import batchnorm_dims, layernorm_shape
from .sequence_modules import (
    SEQUENCE_MODULES,
    GRULayer,
    LSTMLayer,
    MultiHeadAttention,
    PoolOverTime,
    PositionalEncoding,
    RNNLayer,
    TokenEmbedding,
)


class AddN(nn.Module):
    """Element-wise sum of any number of inputs (a residual connection)."""

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out


class Concat(nn.Module):
    """Concatenation along the channels, in the order the inputs were connected."""

    def forward(self, *xs: torch.Tensor) -> torch.Tensor:
        return torch.cat(xs, dim=1)


class Reshape(nn.Module):
    def __init__(self, shape: tuple[int, ...]):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.shape[0], *self.shape)

    def extra_repr(self) -> str:
        return f"shape={self.shape}"


class Features(nn.Module):
    """TensorFlow Playground's input features of 2D points (x1, x2), those named in ``names``, as columns."""

    def __init__(self, names: tuple[str, ...]):
        super().__init__()
        self.names = tuple(names)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1, x2 = x[:, 0], x[:, 1]
        every = {
            "x1": x1,
            "x2": x2,
            "x1_squared": x1 * x1,
            "x2_squared": x2 * x2,
            "x1_x2": x1 * x2,
            "sin_x1": torch.sin(x1),
            "sin_x2": torch.sin(x2),
        }
        return torch.stack([every[name] for name in self.names], dim=1)

    def extra_repr(self) -> str:
        return f"names={self.names}"


class GlobalAvgPool(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.mean(dim=(2, 3))


@dataclass(frozen=True)
class Recipe:
    """How to construct a node's module: a class and its arguments. Used to build the model and to
    write it out as code, so the two can never disagree."""

    cls: type[nn.Module]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def build(self) -> nn.Module:
        return self.cls(*self.args, **self.kwargs)

    @property
    def class_expr(self) -> str:
        return f"nn.{self.cls.__name__}" if getattr(nn, self.cls.__name__, None) is self.cls else self.cls.__name__

    def code(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.class_expr}({', '.join(parts)})"


RecipeFn = Callable[[Node, list[tuple[int, ...]], tuple[int, ...]], Recipe]


def _dense(node: Node, ins: list[tuple[int, ...]], _out: tuple[int, ...]) -> Recipe:
    return Recipe(nn.Linear, (ins[0][-1], node.params["units"]), {"bias": node.params["bias"]})


def _conv(node: Node, ins: list[tuple[int, ...]], _out: tuple[int, ...]) -> Recipe:
    p = node.params
    kwargs: dict[str, Any] = {"kernel_size": p["kernel"]}
    for key, default in (("stride", 1), ("padding", 0), ("dilation", 1), ("groups", 1), ("bias", True)):
        if p[key] != default:
            kwargs[key] = p[key]
    return Recipe(nn.Conv2d, (ins[0][0], p["out_channels"]), kwargs)


def _convt(node: Node, ins: list[tuple[int, ...]], _out: tuple[int, ...]) -> Recipe:
    p = node.params
    kwargs: dict[str, Any] = {"kernel_size": p["kernel"], "stride": p["stride"]}
    for key, default in (("padding", 0), ("output_padding", 0), ("bias", True)):
        if p[key] != default:
            kwargs[key] = p[key]
    return Recipe(nn.ConvTranspose2d, (ins[0][0], p["out_channels"]), kwargs)


def _batchnorm(node: Node, ins: list[tuple[int, ...]], _out: tuple[int, ...]) -> Recipe:
    p = node.params
    cls = nn.BatchNorm2d if batchnorm_dims(ins[0]) == 2 else nn.BatchNorm1d
    return Recipe(cls, (ins[0][0],), {"eps": p["eps"], "momentum": p["momentum"], "affine": p["affine"]})


def _pool(cls: type[nn.Module]) -> RecipeFn:
    return lambda n, i, o: Recipe(cls, (n.params["kernel"], n.params["stride"], n.params["padding"]))


def _plain(cls: type[nn.Module]) -> RecipeFn:
    return lambda n, i, o: Recipe(cls)


RECIPES: dict[str, RecipeFn] = {
    "Output": _plain(nn.Identity),
    "Features": lambda n, i, o: Recipe(Features, (enabled_features(n.params),)),
    "Dense": _dense,
    "Conv2d": _conv,
    "ConvTranspose2d": _convt,
    "MaxPool2d": _pool(nn.MaxPool2d),
    "AvgPool2d": _pool(nn.AvgPool2d),
    "GlobalAvgPool": _plain(GlobalAvgPool),
    "Flatten": _plain(nn.Flatten),
    "Reshape": lambda n, i, o: Recipe(Reshape, (tuple(o),)),
    "Dropout": lambda n, i, o: Recipe(nn.Dropout, (n.params["p"],)),
    "BatchNorm": _batchnorm,
    "LayerNorm": lambda n, i, o: Recipe(
        nn.LayerNorm, (list(layernorm_shape(i[0])),), {"eps": n.params["eps"], "elementwise_affine": n.params["affine"]}
    ),
    "GroupNorm": lambda n, i, o: Recipe(
        nn.GroupNorm, (n.params["groups"], i[0][0]), {"eps": n.params["eps"], "affine": n.params["affine"]}
    ),
    "ReLU": _plain(nn.ReLU),
    "LeakyReLU": lambda n, i, o: Recipe(nn.LeakyReLU, (n.params["negative_slope"],)),
    "ELU": lambda n, i, o: Recipe(nn.ELU, (n.params["alpha"],)),
    "GELU": lambda n, i, o: Recipe(nn.GELU, (), {"approximate": n.params["approximate"]}),
    "Sigmoid": _plain(nn.Sigmoid),
    "Tanh": _plain(nn.Tanh),
    "ReLU6": _plain(nn.ReLU6),
    # over the channels; over each time step's features for a sequence
    "Softmax": lambda n, i, o: Recipe(nn.Softmax, (), {"dim": 2 if len(i[0]) == 2 else 1}),
    "Add": _plain(AddN),
    "Concat": _plain(Concat),
}


def _recurrent(cls: type[nn.Module]) -> RecipeFn:
    def recipe(node: Node, ins: list[tuple[int, ...]], _out: tuple[int, ...]) -> Recipe:
        p = node.params
        kwargs = {"num_layers": p["layers"], "bias": p["bias"], "bidirectional": p["bidirectional"]}
        return Recipe(cls, (ins[0][1], p["hidden"]), {**kwargs, "last": p["output"] == "last"})

    return recipe


def _attention(node: Node, ins: list[tuple[int, ...]], _out: tuple[int, ...]) -> Recipe:
    p = node.params
    kwargs = {"causal": p["causal"], "dropout": p["dropout"], "bias": p["bias"]}
    return Recipe(MultiHeadAttention, (ins[0][1], p["heads"], p["d_k"]), kwargs)


RECIPES.update(
    {
        "Embedding": lambda n, i, o: Recipe(TokenEmbedding, (n.params["vocabulary"], n.params["dim"])),
        "PositionalEncoding": lambda n, i, o: Recipe(
            PositionalEncoding, (i[0][0], i[0][1]), {"learned": n.params["kind"] == "learned"}
        ),
        "PoolOverTime": lambda n, i, o: Recipe(PoolOverTime, (n.params["mode"],)),
        "RNN": _recurrent(RNNLayer),
        "LSTM": _recurrent(LSTMLayer),
        "GRU": _recurrent(GRULayer),
        "MultiHeadAttention": _attention,
    }
)

# Our own module classes, whose source an exported script must include.
CUSTOM_MODULES = (AddN, Concat, Reshape, GlobalAvgPool, Features, *SEQUENCE_MODULES)


def register_recipe(type_: str, recipe: RecipeFn) -> None:
    RECIPES[type_] = recipe
