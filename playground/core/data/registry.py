"""Every built-in dataset, with its options described as data (the same Param type layers use)."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..layers.spec import Param, ParamError
from . import sequences, toy2d
from .dataset import Dataset, Task
from .shapes import CLASS_NAMES as SHAPE_NAMES
from .shapes import make_shapes


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    title: str
    task: Task
    help: str
    params: tuple[Param, ...]
    build: Callable[[Mapping[str, Any], int], Dataset]
    # Where the dataset picker lists it: "Built-in", "Classic", "Image folder", "Table", "Text"…
    group: str = "Built-in"
    # A quick build with the same task, sample shape and classes from a few samples, for checking that a network
    # fits the data while it is edited (a folder of photos is not decoded for that); None: build with the fewest
    # samples the options allow.
    sample: Callable[[Mapping[str, Any], int], Dataset] | None = None

    def resolve(self, given: Mapping[str, Any] | None) -> dict[str, Any]:
        given = dict(given or {})
        known = {p.name for p in self.params}
        for name in given:
            if name not in known:
                raise ParamError(
                    f"dataset '{self.name}' has no option '{name}' (it has: {', '.join(sorted(known)) or 'none'})", name
                )
        return {p.name: (p.coerce(given[p.name]) if p.name in given else p.default) for p in self.params}


_TOY = (
    Param("n_samples", "int", 500, "Number of points", minimum=20, maximum=20000),
    Param("noise", "float", 0.0, "How far points are pushed around (0–0.5)", minimum=0.0, maximum=0.5),
)


def _toy_classifier(name: str):
    def build(p: Mapping[str, Any], seed: int) -> Dataset:
        x, y = toy2d.CLASSIFIERS[name](p["n_samples"], p["noise"], np.random.default_rng(seed))
        return Dataset(name, "classification", x.astype(np.float32), y, ["orange", "blue"])

    return build


def _toy_regressor(name: str):
    def build(p: Mapping[str, Any], seed: int) -> Dataset:
        x, y = toy2d.REGRESSORS[name](p["n_samples"], p["noise"], np.random.default_rng(seed))
        return Dataset(name, "regression", x.astype(np.float32), y.astype(np.float32))

    return build


def _digits(p: Mapping[str, Any], _seed: int) -> Dataset:
    from sklearn.datasets import load_digits  # deferred: scikit-learn takes about a second to import

    bunch = load_digits()
    images = (bunch.images / 16.0).astype(np.float32)[:, None]
    if p["size"] != 8:
        from scipy.ndimage import zoom  # deferred: only resized digits need SciPy

        factor = p["size"] / 8.0
        images = np.clip(zoom(images, (1, 1, factor, factor), order=1), 0, 1).astype(np.float32)
    return Dataset("digits", "classification", images, bunch.target.astype(np.int64), [str(d) for d in range(10)])


def _shapes(p: Mapping[str, Any], seed: int) -> Dataset:
    images, labels, boxes, masks = make_shapes(p["n_samples"], p["size"], seed, p["noise"])
    if p["task"] == "segmentation":
        pixel_class = np.where(masks, labels[:, None, None] + 1, 0).astype(np.int64)
        return Dataset("shapes", "segmentation", images, pixel_class, ["background", *SHAPE_NAMES], boxes)
    return Dataset("shapes", "classification", images, labels, list(SHAPE_NAMES), boxes)


DATASETS: dict[str, DatasetInfo] = {}
# The modules that register the other built-in datasets: imported on the first look-up (see known), so that a
# process using one of this package's modules (an image-decoding worker) does not load them all.
REGISTERING = ("classic", "folder_dataset", "sequence_datasets", "table_dataset")
_registered = False


def register(info: DatasetInfo) -> None:
    DATASETS[info.name] = info


def known() -> dict[str, DatasetInfo]:
    """Every dataset by name, the built-in ones all registered."""
    global _registered
    if not _registered:  # marked only once all are in: another thread asking meanwhile imports (waits) too
        for module in REGISTERING:
            importlib.import_module(f".{module}", __package__)
        _registered = True
    return DATASETS


for _name, _title, _help in (
    ("circle", "Circle", "Blue points inside a disc, orange ones around it."),
    ("xor", "Exclusive or", "Blue where x and y have the same sign: no straight line separates it."),
    ("gaussians", "Two Gaussians", "Two blobs; linearly separable unless the noise is high."),
    ("spiral", "Spiral", "Two interleaved spiral arms: needs several hidden layers."),
):
    register(DatasetInfo(_name, _title, "classification", _help, _TOY, _toy_classifier(_name)))
for _name, _title, _help in (
    ("plane", "Plane (regression)", "The target rises linearly from one corner to the other."),
    ("multi_gaussian", "Multi-Gaussian (regression)", "Six positive and negative bumps."),
):
    register(DatasetInfo(_name, _title, "regression", _help, _TOY, _toy_regressor(_name)))

register(
    DatasetInfo(
        "digits",
        "Digits 8×8",
        "classification",
        "1,797 handwritten digits from scikit-learn (8×8 grey); size 28 resamples them for LeNet-style nets.",
        (Param("size", "choice", 8, "Image side in pixels", choices=(8, 16, 28, 32)),),
        _digits,
    )
)
register(
    DatasetInfo(
        "shapes",
        "Shapes 32×32",
        "classification",
        "Synthetic RGB images of circles, squares, triangles and crosses; boxes and masks kept.",
        (
            Param("n_samples", "int", 3000, "Number of images", minimum=50, maximum=50000),
            Param("size", "int", 32, "Image side in pixels", minimum=16, maximum=128),
            Param("noise", "float", 0.05, "Pixel noise standard deviation", minimum=0.0, maximum=0.5),
            Param(
                "task",
                "choice",
                "classification",
                "Predict the shape's class, or every pixel's class",
                choices=("classification", "segmentation"),
            ),
        ),
        _shapes,
    )
)


def _sequences(
    name: str, task: Task, generate: Callable[..., tuple[np.ndarray, np.ndarray]], classes: tuple[str, ...] = ()
) -> Callable[[Mapping[str, Any], int], Dataset]:
    """The build function of a sequence dataset: ``n_samples`` sequences of ``steps`` steps from ``generate``."""

    def build(p: Mapping[str, Any], seed: int) -> Dataset:
        x, y = generate(p["n_samples"], p["steps"], np.random.default_rng(seed))
        return Dataset(name, task, x, y, list(classes))

    return build


register(
    DatasetInfo(
        "adding",
        "Adding problem (sequences)",
        "regression",
        "T steps of (value, marker); the target is the sum of the two marked values: a test of long-range memory. "
        "Predicting the mean gives an MSE of 0.167.",
        (
            Param("n_samples", "int", 6000, "Number of sequences", minimum=20, maximum=100000),
            Param("steps", "int", 50, "T: the length of each sequence", minimum=2, maximum=1000),
        ),
        _sequences("adding", "regression", sequences.adding_problem),
    )
)


register(
    DatasetInfo(
        "reverse",
        "Reverse digits (sequences)",
        "classification",
        "T random digits as token ids (an Input with vocabulary 10); the target is the same string reversed, "
        "a class per time step.",
        (
            Param("n_samples", "int", 4000, "Number of strings", minimum=20, maximum=100000),
            Param("steps", "int", 6, "T: the length of each string", minimum=1, maximum=1000),
        ),
        _sequences("reverse", "classification", sequences.reverse_digits, tuple(str(d) for d in range(10))),
    )
)


register(
    DatasetInfo(
        "brackets",
        "Balanced brackets (sequences)",
        "classification",
        "Strings of T brackets as token ids (an Input with vocabulary 2): is every bracket closed, in order? "
        "One class per string.",
        (
            Param("n_samples", "int", 4000, "Number of strings", minimum=20, maximum=100000),
            Param("steps", "int", 12, "T: the length of each string (even)", minimum=2, maximum=1000),
        ),
        _sequences("brackets", "classification", sequences.balanced_brackets, ("unbalanced", "balanced")),
    )
)


class DatasetError(ValueError):
    pass


# A project for inspecting an architecture only (VGG-16, AlexNet) names no dataset.
NO_DATASET = "none"


def get_dataset_info(name: str) -> DatasetInfo:
    if name == NO_DATASET:
        raise DatasetError(
            "this project has no dataset: it is for inspecting the architecture. Choose a dataset to train it."
        )
    datasets = known()
    try:
        return datasets[name]
    except KeyError:
        raise DatasetError(f"unknown dataset '{name}' (known: {', '.join(datasets)})") from None


def check_dataset_config(name: str, params: Mapping[str, Any] | None) -> None:
    """Raise :class:`DatasetError` if the name is unknown or an option is wrong ('none' is allowed)."""
    if name == NO_DATASET:
        return
    try:
        get_dataset_info(name).resolve(params)
    except ParamError as err:
        raise DatasetError(str(err)) from None


def load_dataset(name: str, params: Mapping[str, Any] | None = None, seed: int = 0) -> Dataset:
    info = get_dataset_info(name)
    try:
        resolved = info.resolve(params)
    except ParamError as err:
        raise DatasetError(str(err)) from None
    return info.build(resolved, seed)
