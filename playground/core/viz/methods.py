"""The catalogue of visualization methods: every method the command line and the Visualize workspace offer,
with one default per parameter (see :mod:`.catalogue` for what the fields mean)."""

from __future__ import annotations

from .catalogue import Method, Param
from .errors import VizError

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
    help="Shorter side of the input image in pixels (larger is slower).",
    any_size=True,
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
    8 / 255,
    0.5 / 255,
    64 / 255,
    0.5,
    1,
    help="Largest change of any pixel, pixels counted from 0 to 1 (the form counts in 1/255): "
    "8/255 ≈ 0.031 is invisible to people.",
    form_scale=255.0,
)
STEP_SIZE = "Mean change of a pixel per step (pixels in 0–1)."

METHODS: tuple[Method, ...] = (
    Method(
        "filters",
        "Filters",
        "The weights of a convolution as small pictures: what each filter looks for. Follows a training run live.",
        image="none",
        layers="conv",
        layer_default="first_conv",
        live=True,
    ),
    Method(
        "activations",
        "Feature maps",
        "What every channel of a layer computes for this input (bright = strong). Follows a training run live.",
        layers="any",
        live=True,
        params=(BACKEND, SIZE),
    ),
    Method(
        "toppatches",
        "Top patches",
        "The pieces of the test images (or the bundled photos) that excite one "
        "unit the most: exactly the pixels it can see.",
        image="none",
        layers="any",
        unit="required",
        params=(Param("k", "Patches", "int", 9, 1, 36, help="How many patches to show."), SIZE),
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
            Param(
                "smooth",
                "SmoothGrad copies",
                "int",
                0,
                0,
                100,
                help="SmoothGrad: average the gradients of this many noisy copies (0: the plain gradient).",
                zero="off",
            ),
            Param(
                "noise",
                "Noise σ",
                "float",
                0.15,
                0.01,
                0.5,
                0.01,
                2,
                help="SmoothGrad: noise, a share of the input range.",
            ),
            BACKEND,
            SEED,
            SIZE,
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
        params=(SIZE,),
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
            SIZE,
        ),
    ),
    Method(
        "classviz",
        "Class visualization",
        "Gradient ascent on the image from faint noise: what the network thinks a class (or a unit) looks like.",
        image="optional",
        layers="any",
        unit="optional",
        target="Class",
        layer_title="Or a unit of",
        iterative=True,
        params=(
            Param("steps", "Steps", "int", 100, 1, 2000, 10, help="Gradient ascent steps."),
            Param("lr", "Step size", "float", 0.02, 0.001, 0.5, 0.005, 3, help=STEP_SIZE),
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
            Param("steps", "Steps per octave", "int", 10, 1, 100, help="Steps at each scale."),
            Param(
                "octaves",
                "Octaves",
                "int",
                3,
                1,
                6,
                help="Scales from small to full size (networks of one fixed input size dream at one scale).",
                any_size=True,
            ),
            Param("lr", "Step size", "float", 0.02, 0.001, 0.2, 0.005, 3, help=STEP_SIZE),
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
        style=True,
        iterative=True,
        params=(
            Param("steps", "Steps", "int", 100, 1, 1000, 10, help="Optimizer steps."),
            Param(
                "optimizer",
                "Optimizer",
                "choice",
                "lbfgs",
                choices=(("lbfgs", "L-BFGS"), ("adam", "Adam")),
                help="L-BFGS converges in fewer steps; Adam takes cheaper ones.",
            ),
            Param(
                "init",
                "Start from",
                "choice",
                "content",
                choices=(("content", "the input"), ("noise", "noise")),
                help="The image the optimization starts from.",
            ),
            Param("style_weight", "Style weight", "float", 100.0, 0.0, 1e6, 10.0, 1, help="Weight of the style loss."),
            Param(
                "content_weight", "Content weight", "float", 1.0, 0.0, 1e4, 0.5, 2, help="Weight of the content loss."
            ),
            Param(
                "tv_weight",
                "Smoothness (TV)",
                "float",
                1.0,
                0.0,
                1e4,
                0.5,
                2,
                help="Weight of the total variation: higher gives a smoother picture.",
            ),
            Param(
                "lr",
                "Step size",
                "float",
                None,
                0.0001,
                10.0,
                0.01,
                4,
                help="The optimizer's learning rate (input units).",
                auto="1 for L-BFGS, 5 % of the pixel range for Adam",
            ),
            Param(
                "size",
                "Image size",
                "int",
                256,
                64,
                512,
                16,
                help="Shorter side of the result in pixels (larger is much slower).",
                any_size=True,
            ),
            SEED,
        ),
    ),
    Method(
        "fgsm",
        "FGSM attack",
        "One step along the sign of the loss gradient: an invisible change that can flip the prediction.",
        target="Class to attack",
        params=(EPSILON, SIZE),
    ),
    Method(
        "pgd",
        "PGD attack",
        "Many small FGSM steps, each kept within ε of the input: a stronger attack.",
        target="Class to attack",
        iterative=True,
        params=(EPSILON, Param("steps", "Steps", "int", 20, 1, 200, help="Projected gradient steps."), SEED, SIZE),
    ),
)
BY_KEY = {m.key: m for m in METHODS}
STYLE_DEFAULT = "mosaic"  # the bundled style image methods start with


def find_method(key: str) -> Method:
    """The method called ``key``, or a :class:`VizError` listing them."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise VizError(f"unknown visualization method '{key}' (methods: {', '.join(BY_KEY)}).") from None
