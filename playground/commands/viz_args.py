"""The options of ``playground viz METHOD``, made from the method catalogue: what the method needs (an input,
a layer, a unit, a class, a style image) and one option per parameter, with the catalogue's default, range
and help. :func:`params_from_args` reads the parameters back for :func:`~playground.core.viz.run.run_method`.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..core.viz.catalogue import Method, Param
from ..core.viz.errors import VizError
from ..core.viz.methods import STYLE_DEFAULT
from ..core.viz.samples import PHOTOS, STYLES

LAYER_DEFAULTS = {
    "first_conv": "the first convolution",
    "default": "the last convolutional layer",
    "dream": "the network's dream layer",
    "content": "the network's content layer",
}


def flag(p: Param) -> str:
    return "--" + p.key.replace("_", "-")


def _number_type(p: Param):
    """Parse a number and check it against the catalogue's range (argparse names the option)."""

    def parse(text: str) -> Any:
        if p.auto and text.strip().lower() == "auto":
            return None
        try:
            value: float | int = int(text) if p.kind == "int" else float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"'{text}' is not a {'whole number' if p.kind == 'int' else 'number'}"
            ) from None
        if not p.minimum <= value <= p.maximum:
            raise argparse.ArgumentTypeError(f"must be between {p.shown(p.minimum)} and {p.shown(p.maximum)}")
        return value

    parse.__name__ = p.kind  # argparse's "invalid int value" wording
    return parse


def _help(p: Param) -> str:
    if p.kind == "bool":
        return p.help
    default = f"default {p.shown(p.default)}" + (f": {p.auto}" if p.auto and p.default is None else "")
    if p.kind in ("int", "float"):
        default += f"; {p.shown(p.minimum)} to {p.shown(p.maximum)}"
    if p.any_size:
        default += "; pretrained networks only"
    return f"{p.help.rstrip('.')} ({default})"


def add_param_arguments(parser: argparse.ArgumentParser, method: Method) -> None:
    group = parser.add_argument_group(f"{method.title} parameters")
    for p in method.params:
        if p.kind == "bool":
            action = "store_false" if p.default else "store_true"
            group.add_argument(flag(p), dest=p.key, action=action, help=_help(p))
        elif p.kind == "choice":
            values = [v for v, _title in p.choices]
            group.add_argument(flag(p), dest=p.key, choices=values, default=p.default, help=_help(p))
        else:
            metavar = "N" if p.kind == "int" else "X"
            group.add_argument(
                flag(p), dest=p.key, type=_number_type(p), default=p.default, metavar=metavar, help=_help(p)
            )


def add_need_arguments(parser: argparse.ArgumentParser, method: Method) -> None:
    """The input, layer, unit, class and style image, as far as ``method`` needs them."""
    if method.image != "none":
        use = "only to find the predicted class without --target; " if method.image == "optional" else ""
        parser.add_argument(
            "--image",
            help=f"input image: a file or a bundled photo ({', '.join(PHOTOS)}); {use}"
            "default: chelsea for pretrained networks, a test-set sample for projects",
        )
        parser.add_argument("--sample", type=int, default=0, help="index of the test-set sample (projects; default 0)")
    if method.layers is not None:
        parser.add_argument(
            "--layer",
            help=f"{method.layer_title.lower()} (see 'viz layers'); default: {LAYER_DEFAULTS[method.layer_default]}",
        )
    if method.unit != "none":
        default = "default 0" if method.unit == "required" else "default: " + ("the class" if method.target else "all")
        parser.add_argument("--channel", type=int, help=f"unit (channel) of --layer ({default})")
    if method.target is not None:
        parser.add_argument("--target", help=f"{method.target.lower()}: index or name (default: the predicted class)")
    if method.style:
        parser.add_argument(
            "--style",
            default=STYLE_DEFAULT,
            help=f"style image: a file or a bundled one ({', '.join(STYLES)}; default {STYLE_DEFAULT})",
        )


def params_from_args(method: Method, args: argparse.Namespace) -> dict[str, Any]:
    """The method's parameters as given on the command line (the defaults for the others), checked."""
    try:
        return method.check_params({p.key: getattr(args, p.key) for p in method.params})
    except VizError as err:  # argparse checked the ranges already: this is a bug, said plainly
        raise ValueError(f"the command line gave a bad value: {err}") from None
