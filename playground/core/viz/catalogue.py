"""The visualization methods as data: what each one needs (an input image, a layer, a unit, a class, a style
image) and its parameters with one default, a range and a sentence of help.

The command line (``playground viz METHOD --help``) and the app's Visualize workspace build their options
and forms from this list, and both run a method through :func:`~.run.run_method`, so a method has the same
defaults wherever it runs. The list itself, and :func:`~.methods.find_method`, are in :mod:`.methods`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import VizError


@dataclass(frozen=True)
class Param:
    """One parameter of a method. ``kind`` is "int", "float", "bool" or "choice"; numbers lie in
    [``minimum``, ``maximum``]. A float with ``auto`` may also be ``None``, which lets the method choose
    (``auto`` says how). Forms show a number times ``form_scale`` (ε in 1/255 steps, say)."""

    key: str
    title: str
    kind: str
    default: Any
    minimum: float = 0
    maximum: float = 0
    step: float = 1
    decimals: int = 3
    choices: tuple[tuple[str, str], ...] = ()  # (value, title)
    help: str = ""
    any_size: bool = False  # only for networks that take any image size (pretrained ones)
    auto: str = ""
    zero: str = ""  # what 0 means, shown instead of it ("off")
    form_scale: float = 1.0

    def check(self, value: Any, method: str) -> Any:
        """``value`` as this parameter's type, or a :class:`VizError` naming the method and the parameter."""
        where = f"{method}: {self.title.lower()} ({self.key})"
        if value is None and self.auto:
            return None
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise VizError(f"{where} must be true or false, not {value!r}.")
            return value
        if self.kind == "choice":
            values = [v for v, _title in self.choices]
            if value not in values:
                raise VizError(f"{where} must be one of {', '.join(values)}, not {value!r}.")
            return value
        number = _number(value, self.kind == "int", where)
        if not self.minimum <= number <= self.maximum:
            raise VizError(f"{where} must be between {self.shown(self.minimum)} and {self.shown(self.maximum)}.")
        return number

    def shown(self, value: Any) -> str:
        """``value`` as the command line writes it."""
        if value is None:
            return "auto"
        if value == 0 and self.zero:
            return f"0 ({self.zero})"
        if self.kind == "float":
            return f"{value:.4g}"
        return str(value)


def _number(value: Any, integer: bool, where: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise VizError(f"{where} must be a number, not {value!r}.")
    if integer:
        if int(value) != value:
            raise VizError(f"{where} must be a whole number, not {value!r}.")
        return int(value)
    return float(value)


@dataclass(frozen=True)
class Method:
    """A visualization method and what it needs.

    ``image``: "required", "optional" (only to find the predicted class) or "none". ``layers``: which
    layers it can look at ("conv", "spatial", "any" or None), ``layer_default`` which one it takes unless
    told ("first_conv", "default", "dream" or "content"). ``unit``: "none", "optional" (the whole layer,
    or the class when the method also has one) or "required". ``target``: the title of the class choice,
    or None. ``style``: needs a style image. ``live``: cheap enough to follow a training run."""

    key: str
    title: str
    help: str
    image: str = "required"
    layers: str | None = None
    layer_default: str = "default"
    layer_title: str = "Layer"
    unit: str = "none"
    target: str | None = None
    style: bool = False
    iterative: bool = False
    live: bool = False
    params: tuple[Param, ...] = ()

    @property
    def unit_or_class(self) -> bool:
        """Explains a class, or one unit of a layer when a unit is picked."""
        return self.unit == "optional" and self.target is not None

    def param(self, key: str) -> Param:
        for p in self.params:
            if p.key == key:
                return p
        raise VizError(f"{self.key} has no parameter '{key}' (it has: {', '.join(self.keys()) or 'none'}).")

    def keys(self) -> list[str]:
        return [p.key for p in self.params]

    def defaults(self) -> dict[str, Any]:
        return {p.key: p.default for p in self.params}

    def check_params(self, values: dict[str, Any]) -> dict[str, Any]:
        """Every parameter, checked: the given values, the defaults for the others. Unknown names are
        an error (a misspelt parameter must not be silently ignored)."""
        unknown = sorted(set(values) - set(self.keys()))
        if unknown:
            raise VizError(
                f"{self.key} has no parameter {', '.join(repr(k) for k in unknown)} "
                f"(it has: {', '.join(self.keys()) or 'none'})."
            )
        return {p.key: p.check(values.get(p.key, p.default), self.key) for p in self.params}
