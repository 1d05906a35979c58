"""Layer descriptions as data.

A :class:`LayerSpec` says everything the rest of the program needs to know about a layer type: what it
is called and where it sits in the palette, its input ports, its parameters (type, default, allowed
values, one-line help), how it maps input shapes to an output shape, which arrays it owns (names and
shapes, from which its parameter count follows) and the traits other code asks about (weighted,
rectifier, squashing, sliding window, ...). The palette, the inspector form, shape inference,
initialisation, the probes, receptive fields and both backends read the same spec, so no code needs
to test a layer's type name to know what it is.

Shapes exclude the batch dimension: ``(C, H, W)`` for images, ``(F,)`` for feature vectors, ``(T, D)`` for
sequences (time × features), ``(T,)`` for a sequence of token ids from an Input with a vocabulary.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

Shape = tuple[int, ...]
ParamKind = Literal["int", "float", "bool", "choice", "ints", "padding", "str", "file", "folder"]


class ShapeError(ValueError):
    """A layer cannot accept the shapes it is given. The message is written for a student."""


class ParamError(ValueError):
    """A parameter value is outside what the layer allows."""

    def __init__(self, message: str, param: str):
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class Param:
    """One parameter of a layer, with everything a form needs to edit it."""

    name: str
    kind: ParamKind
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] = ()
    label: str = ""
    # Shown only when another parameter has one of these values, e.g. init_std when init == "normal".
    visible_when: tuple[str, tuple[Any, ...]] | None = None
    # Left out of a project file while it has its default value: a parameter added after files were written,
    # so that those files stay as they were until the parameter is used.
    omit_default: bool = False
    # For kind "file": the name patterns a file picker offers, e.g. ("*.csv", "*.tsv"); empty offers every file.
    patterns: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    def coerce(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise :class:`ParamError`."""
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            raise ParamError(f"'{self.name}' must be true or false, not {_short(value)}", self.name)
        if self.kind == "int":
            return self._check_range(_as_int(self.name, value))
        if self.kind == "float":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ParamError(f"'{self.name}' must be a number, not {_short(value)}", self.name)
            # Compared before converting: a 500-digit whole number would overflow float().
            if not (isinstance(value, int) or math.isfinite(value)) or abs(value) > FLOAT32_MAX:
                raise ParamError(f"'{self.name}' must be a finite number of at most {FLOAT32_MAX:.3g}", self.name)
            return self._check_range(float(value))
        if self.kind == "choice":
            if value not in self.choices:
                options = ", ".join(repr(c) for c in self.choices)
                raise ParamError(f"'{self.name}' must be one of {options}, not {_short(value)}", self.name)
            return value
        if self.kind == "str":
            if not isinstance(value, str):
                raise ParamError(f"'{self.name}' must be text, not {_short(value)}", self.name)
            return value
        if self.kind in ("file", "folder"):
            # Only the form is checked here: whether the path exists is the loader's question, asked when the
            # data is read, so a project naming a file on another machine still opens.
            if not isinstance(value, str):
                raise ParamError(f"'{self.name}' must be the path of a {self.kind}, not {_short(value)}", self.name)
            return value.strip()
        if self.kind == "ints":
            if not isinstance(value, list | tuple) or not value:
                raise ParamError(f"'{self.name}' must be a list of whole numbers, e.g. [1, 28, 28]", self.name)
            items = [_as_int(self.name, v) for v in value]
            for v in items:
                if v == 0 or v < -1 or (self.minimum is not None and v != -1 and v < self.minimum):
                    raise ParamError(f"'{self.name}' entries must be positive, not {v}", self.name)
            return items
        if self.kind == "padding":
            if value in ("same", "valid"):
                return value
            number = _as_int(self.name, value)
            if number < 0:
                raise ParamError(f"'{self.name}' must be 'same', 'valid' or a number ≥ 0", self.name)
            return number
        raise AssertionError(f"unknown parameter kind {self.kind}")

    def _check_range(self, value: float) -> Any:
        if self.minimum is not None and value < self.minimum:
            raise ParamError(f"'{self.name}' must be at least {_fmt(self.minimum)}, not {_fmt(value)}", self.name)
        if self.maximum is not None and value > self.maximum:
            raise ParamError(f"'{self.name}' must be at most {_fmt(self.maximum)}, not {_fmt(value)}", self.name)
        return value


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# Whole-number parameters (units, channels, sizes...) are bounded even when the layer gives no maximum, so no
# value can overflow a C integer in a backend; memory is checked separately, before training.
INT_LIMIT = 2**31 - 1
# The largest float32: a larger value would become infinity in a tensor.
FLOAT32_MAX = 3.4028234663852886e38


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _as_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParamError(f"'{name}' must be a whole number, not {_short(value)}", name)
    if isinstance(value, float) and not value.is_integer():
        raise ParamError(f"'{name}' must be a whole number, not {_short(value)}", name)
    if abs(value) > INT_LIMIT:  # checked before int(): a float like 1e300 would become a 300-digit integer
        raise ParamError(f"'{name}' must be a whole number between -{INT_LIMIT} and {INT_LIMIT}", name)
    return int(value)


@dataclass(frozen=True)
class Port:
    """An input port. A ``multi`` port accepts any number of edges (Add, Concat)."""

    name: str = "in"
    multi: bool = False


Params = Mapping[str, Any]


@dataclass(frozen=True)
class Inputs:
    """The shapes arriving at a node, with the names of the nodes they come from (for messages)."""

    shapes: tuple[Shape, ...]
    names: tuple[str, ...]
    node: str = "this layer"

    @property
    def shape(self) -> Shape:
        return self.shapes[0]

    @property
    def source(self) -> str:
        return self.names[0]


ShapeRule = Callable[[Inputs, Params], Shape]

TensorInit = Literal["weight", "bias", "ones", "zeros"]


@dataclass(frozen=True)
class TensorSpec:
    """One array a layer owns, named as PyTorch names it (``weight``, ``bias``, ``running_mean``...).

    ``init`` says how it starts: "weight" is drawn with the layer's init scheme, its fan-in and fan-out
    read from this shape the way PyTorch reads them; "bias" follows the scheme's rule for biases (its
    bound comes from the layer's "weight" tensor); "ones" and "zeros" are constants. A tensor that is
    not ``trainable`` is a running statistic: saved and loaded, never trained nor counted.
    """

    shape: Shape
    init: TensorInit = "zeros"
    trainable: bool = True

    @property
    def size(self) -> int:
        return numel(self.shape)

    @property
    def decayed(self) -> bool:
        """Weight decay and the L1 penalty act on the weights an init scheme draws, not on biases or
        normalisation scales (the course's regularisation targets the weight matrices)."""
        return self.init == "weight"


Tensors = dict[str, TensorSpec]
TensorRule = Callable[[Inputs, Params], Tensors]


def trainable_count(tensors: Tensors) -> int:
    """How many numbers training adjusts: the sizes of the trainable tensors."""
    return sum(t.size for t in tensors.values() if t.trainable)


def no_tensors(_x: Inputs, _params: Params) -> Tensors:
    return {}


def weight_and_bias(weight: Shape, bias: int | None) -> Tensors:
    """A ``weight`` drawn with the init scheme and, unless ``bias`` is None, a bias of that length."""
    out = {"weight": TensorSpec(weight, "weight")}
    if bias is not None:
        out["bias"] = TensorSpec((bias,), "bias")
    return out


def scale_and_shift(shape: Shape) -> Tensors:
    """A normalisation's learned γ (starting at 1) and β (starting at 0)."""
    return {"weight": TensorSpec(shape, "ones"), "bias": TensorSpec(shape, "zeros")}


@dataclass(frozen=True)
class Window:
    """A window sliding over height and width (a convolution or a pooling), the same on both axes.

    ``padding`` is (before, after) on each axis. For a ``transposed`` convolution it is what is
    cropped from each border of the output instead.
    """

    kernel: int
    stride: int
    padding: tuple[int, int] = (0, 0)
    dilation: int = 1
    transposed: bool = False


WindowRule = Callable[[Params], Window]
# f'(x) / f'(0) written with the output y = f(x): how much gradient still passes, 1 at the centre.
SlopeRule = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class LayerSpec:
    type: str
    category: str
    help: str
    shape_rule: ShapeRule
    params: tuple[Param, ...] = ()
    inputs: tuple[Port, ...] = (Port(),)
    has_output: bool = True
    # The arrays the layer owns, from its input shapes and parameters; the parameter count follows.
    tensors: TensorRule = no_tensors
    key_params: tuple[str, ...] = ()
    icon: str = "layer"
    # Lowest number of incoming edges on a multi port.
    min_inputs: int = 1
    # ---- traits: what other parts of the program ask about a layer, instead of testing its type name
    # Owns a weight drawn with a per-layer init scheme (it carries the init parameters): Dense, convolutions.
    weighted: bool = False
    # Slides a window over height and width (convolutions, pooling): read by receptive fields.
    window: WindowRule | None = None
    # Every output depends on every input position (Dense, Flatten): its units see the whole image.
    whole_input: bool = False
    # Every output depends only on the input at the same position, through a per-channel function
    # (activations, BatchNorm, Dropout): a convolution's feature maps are still "the same maps" after it.
    pointwise: bool = False
    # Zero for every negative input: a unit that stays there passes no gradient ("dead").
    rectifier: bool = False
    # A bounded S-curve that saturates; the rule gives its relative slope from its output.
    squashing: SlopeRule | None = None
    # Its outputs are probabilities, not raw scores (a loss on logits must not follow it).
    probabilities: bool = False
    # Normalises with statistics of the batch while training: it needs more than one value per channel.
    batch_statistics: bool = False
    # Reads token ids (whole numbers naming tokens), not values: the only kind of layer (Embedding) an Input
    # of token ids may feed.
    takes_tokens: bool = False

    def __post_init__(self) -> None:
        if self.weighted and not any(p.name == "init" for p in self.params):
            raise ValueError(f"{self.type} is weighted but has no 'init' parameter: add the init parameters")

    @property
    def multi_input(self) -> bool:
        return any(p.multi for p in self.inputs)

    def param_count(self, x: Inputs, params: Params) -> int:
        """How many numbers training adjusts, derived from :attr:`tensors`."""
        return trainable_count(self.tensors(x, params))

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict[str, Any]:
        return {p.name: _copy(p.default) for p in self.params}

    def resolve_params(self, given: Mapping[str, Any] | None) -> dict[str, Any]:
        """Fill defaults and check every value; unknown names raise :class:`ParamError`."""
        given = dict(given or {})
        known = {p.name for p in self.params}
        for name in given:
            if name not in known:
                allowed = ", ".join(sorted(known)) or "none"
                raise ParamError(f"{self.type} has no parameter '{name}' (it has: {allowed})", name)
        out = {}
        for p in self.params:
            out[p.name] = p.coerce(given[p.name]) if p.name in given else _copy(p.default)
        return out

    def stored_params(self, params: Params) -> dict[str, Any]:
        """The parameters as a project file keeps them (see :attr:`Param.omit_default`)."""
        omitted = {p.name for p in self.params if p.omit_default and params.get(p.name) == p.default}
        return {k: v for k, v in params.items() if k not in omitted}

    def describe(self, params: Params) -> str:
        """A short summary of the key parameters, for the node face."""
        parts = []
        for name in self.key_params:
            value = params.get(name)
            if isinstance(value, list):
                value = "×".join(str(v) for v in value)
            parts.append(f"{name}={value}" if name not in ("units", "out_channels", "shape") else str(value))
        return "  ".join(parts)


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def numel(shape: Shape) -> int:
    return int(math.prod(shape))


def fmt_shape(shape: Shape | None) -> str:
    if shape is None:
        return "?"
    return "×".join(str(d) for d in shape)
