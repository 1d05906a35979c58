"""The methods the Visualize workspace offers, as data: what each one needs (an input, a layer, a unit, a
class, a style image) and its parameters with defaults, ranges and a sentence of help."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Param:
    key: str
    title: str
    kind: str  # "int", "float", "bool" or "choice"
    default: object
    minimum: float = 0
    maximum: float = 0
    step: float = 1
    decimals: int = 3
    choices: tuple[tuple[str, str], ...] = ()  # (value, title)
    help: str = ""
    zoo_only: bool = False  # only for networks that take any image size


@dataclass(frozen=True)
class Method:
    key: str
    title: str
    help: str
    layers: str | None = None  # which layers the layer list offers: "conv", "spatial", "any" or None
    layer_default: str = "default"  # "first_conv", "default", "dream" or "content"
    layer_title: str = "Layer"
    unit: str = "none"  # "none", "optional" (a whole layer / the class otherwise) or "required"
    target: str | None = None  # title of the class list, or None
    needs_input: bool = True
    iterative: bool = False
    style: bool = False
    params: tuple[Param, ...] = ()


SEED = Param(
    "seed", "Seed", "int", 0, 0, 10_000, help="Random seed (jitter, noise): the same seed gives the same picture."
)
SIZE = Param(
    "size",
    "Image size",
    "int",
    224,
    64,
    512,
    16,
    help="Shorter side of the image in pixels (larger is slower).",
    zoo_only=True,
)
BACKEND = Param(
    "backend",
    "Backend",
    "choice",
    "torch",
    choices=(("torch", "PyTorch"), ("numpy", "NumPy")),
    help="Compute with PyTorch or with the app's own NumPy layers (the project's network only).",
)
EPSILON = Param(
    "epsilon",
    "ε (pixels /255)",
    "float",
    8.0,
    0.5,
    64.0,
    0.5,
    1,
    help="Largest change of any pixel, in 1/255 steps: 8 is invisible to people.",
)

METHODS: tuple[Method, ...] = (
    Method(
        "filters",
        "Filters",
        "The weights of a convolution as small pictures: what each filter looks for. Follows a training run live.",
        layers="conv",
        layer_default="first_conv",
        needs_input=False,
    ),
    Method(
        "activations",
        "Feature maps",
        "What every channel of a layer computes for this input (bright = strong). Follows a training run live.",
        layers="any",
        params=(BACKEND,),
    ),
    Method(
        "toppatches",
        "Top patches",
        "The pieces of the test images (or the bundled photos) that excite one "
        "unit the most: exactly the pixels it can see.",
        layers="any",
        unit="required",
        params=(Param("k", "Patches", "int", 9, 1, 36, help="How many patches to show."),),
    ),
    Method(
        "saliency",
        "Saliency",
        "How much each pixel moves the class score (before the softmax). SmoothGrad "
        "averages noisy copies and removes speckle.",
        layers="any",
        unit="optional",
        target="Class",
        layer_title="Or a unit of",
        params=(
            Param("smooth", "SmoothGrad", "bool", False, help="Average the gradients of noisy copies."),
            Param("samples", "Noisy copies", "int", 20, 2, 100, help="SmoothGrad: how many copies."),
            Param(
                "noise",
                "Noise σ",
                "float",
                0.15,
                0.01,
                0.5,
                0.01,
                2,
                help="SmoothGrad: noise as a share of the input range.",
            ),
            BACKEND,
            SEED,
        ),
    ),
    Method(
        "guided",
        "Guided backprop",
        "The gradient with only positive evidence let through the ReLUs: sharp "
        "edges of what the class (or unit) responds to.",
        layers="any",
        unit="optional",
        target="Class",
        layer_title="Or a unit of",
    ),
    Method(
        "gradcam",
        "Grad-CAM",
        "Where in the image the evidence for a class lies, from a convolutional layer's "
        "maps weighted by their gradients.",
        layers="spatial",
        target="Class",
        params=(
            Param(
                "guided",
                "Guided Grad-CAM",
                "bool",
                False,
                help="Also multiply guided backprop by the map: sharp detail, only where the class is.",
            ),
        ),
    ),
    Method(
        "classviz",
        "Class visualization",
        "Gradient ascent on the image from faint noise: what the network thinks a class (or a unit) looks like.",
        layers="any",
        unit="optional",
        target="Class",
        layer_title="Or a unit of",
        needs_input=False,
        iterative=True,
        params=(
            Param("steps", "Steps", "int", 100, 1, 2000, 10),
            Param(
                "lr",
                "Step size",
                "float",
                0.02,
                0.001,
                0.5,
                0.005,
                3,
                help="Mean change of a pixel per step (pixels in 0–1).",
            ),
            SIZE,
            SEED,
        ),
    ),
    Method(
        "dream",
        "Deep Dream",
        "Make a layer's active units even more active: patterns the layer likes grow "
        "in the image, at several scales (octaves).",
        layers="spatial",
        layer_default="dream",
        unit="optional",
        iterative=True,
        params=(
            Param("steps", "Steps per octave", "int", 10, 1, 100),
            Param(
                "octaves",
                "Octaves",
                "int",
                3,
                1,
                6,
                help="Scales from small to full size (fixed-size networks use one).",
            ),
            Param(
                "lr",
                "Step size",
                "float",
                0.02,
                0.001,
                0.2,
                0.005,
                3,
                help="Mean change of a pixel per step (pixels in 0–1).",
            ),
            SIZE,
            SEED,
        ),
    ),
    Method(
        "style",
        "Style transfer",
        "The content of the input painted in the style of another image (Gram matrices of the feature maps).",
        layers="spatial",
        layer_default="content",
        layer_title="Content layer",
        iterative=True,
        style=True,
        params=(
            Param("steps", "Steps", "int", 100, 1, 1000, 10),
            Param("optimizer", "Optimizer", "choice", "lbfgs", choices=(("lbfgs", "L-BFGS"), ("adam", "Adam"))),
            Param("init", "Start from", "choice", "content", choices=(("content", "the input"), ("noise", "noise"))),
            Param("style_weight", "Style weight", "float", 100.0, 0.0, 1e6, 10.0, 1),
            Param("content_weight", "Content weight", "float", 1.0, 0.0, 1e4, 0.5, 2),
            Param("tv_weight", "Smoothness (TV)", "float", 1.0, 0.0, 1e4, 0.5, 2),
            Param(
                "size",
                "Image size",
                "int",
                256,
                64,
                512,
                16,
                zoo_only=True,
                help="Shorter side of the result in pixels (larger is much slower).",
            ),
            SEED,
        ),
    ),
    Method(
        "fgsm",
        "FGSM attack",
        "One step along the sign of the loss gradient: an invisible change that can flip the prediction.",
        target="Class to attack",
        params=(EPSILON,),
    ),
    Method(
        "pgd",
        "PGD attack",
        "Many small FGSM steps, each kept within ε of the input: a stronger attack.",
        target="Class to attack",
        iterative=True,
        params=(EPSILON, Param("steps", "Steps", "int", 20, 1, 200), SEED),
    ),
)
BY_KEY = {m.key: m for m in METHODS}
