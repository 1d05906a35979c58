"""Training and dataset settings, validated by pydantic (they are also part of the project file)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .layers import INIT_SCHEMES

OptimizerName = Literal["sgd", "rmsprop", "adagrad", "adam", "adamw"]
ScheduleName = Literal["constant", "step", "exponential", "cosine"]
BackendName = Literal["torch", "numpy"]

# Learning rates a run starts from when none is given: the course's Adam default (001 §3.3.4) and
# PyTorch's for the others.
DEFAULT_LR: dict[str, float] = {"sgd": 0.01, "rmsprop": 0.01, "adagrad": 0.01, "adam": 1e-3, "adamw": 1e-3}

OPTIMIZER_HELP = {
    "sgd": "θ ← θ − α·g, with momentum μ: g ← ∇L + μ·g (001 §3.3.1)",
    "rmsprop": "divide by a running RMS of the gradient: s ← βs + (1−β)g² (001 §3.3.2)",
    "adagrad": "divide by the root of the summed squared gradients (001 §3.3.3)",
    "adam": "momentum + RMSProp with bias correction (001 §3.3.4)",
    "adamw": "Adam with weight decay applied to the weights directly, not through the gradient",
}


# Every number here ends up in a float32 tensor or a C integer: larger values are refused with the field named
# (pydantic's message names it), as are NaN and infinity.
FLOAT32_MAX = 3.4e38
SEED_MAX = 2**32 - 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class OptimizerConfig(_Strict):
    name: OptimizerName = "adam"
    lr: float = Field(1e-3, gt=0, le=1e9, description="learning rate α")
    momentum: float = Field(0.0, ge=0, lt=1, description="SGD/RMSProp momentum μ")
    nesterov: bool = False
    beta1: float = Field(0.9, ge=0, lt=1, description="Adam β₁ (first-moment decay)")
    beta2: float = Field(0.999, ge=0, lt=1, description="Adam β₂ (second-moment decay)")
    eps: float = Field(1e-8, gt=0, le=1, description="ε added to the denominator")
    alpha: float = Field(0.99, ge=0, lt=1, description="RMSProp decay β of the squared-gradient average")

    @model_validator(mode="after")
    def _nesterov_needs_momentum(self) -> OptimizerConfig:
        if self.nesterov and (self.name != "sgd" or self.momentum <= 0):
            raise ValueError("nesterov needs the sgd optimizer with a momentum above 0")
        return self


class ScheduleConfig(_Strict):
    name: ScheduleName = "constant"
    step_size: int = Field(10, ge=1, le=1_000_000, description="step: epochs between decays")
    gamma: float = Field(0.5, gt=0, le=1, description="step/exponential: factor applied per decay")
    min_lr: float = Field(0.0, ge=0, le=1e9, description="cosine: the learning rate reached at the last epoch")


class TrainingConfig(_Strict):
    optimizer: OptimizerConfig = Field(default_factory=OptimizerConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    batch_size: int = Field(32, ge=1, le=1_000_000)
    epochs: int = Field(10, ge=1, le=1_000_000)
    weight_decay: float = Field(0.0, ge=0, le=1e6, description="L2 penalty on Dense/conv weights")
    l1: float = Field(0.0, ge=0, le=1e6, description="L1 penalty λ·Σ|w| on Dense/conv weights")
    clip_value: float | None = Field(None, gt=0, le=FLOAT32_MAX, description="clip each gradient element to ±c")
    clip_norm: float | None = Field(None, gt=0, le=FLOAT32_MAX, description="rescale the whole gradient to norm ≤ c")
    seed: int = Field(0, ge=0, le=SEED_MAX)
    init: Literal["per_layer", *INIT_SCHEMES] = "per_layer"  # type: ignore[valid-type]
    backend: BackendName = "torch"
    device: Literal["cpu", "cuda", "mps", "auto"] = "cpu"


class AugmentationConfig(_Strict):
    """Random changes to training images (see :mod:`playground.core.data.augment`); every one is off at 0."""

    crop_padding: int = Field(0, ge=0, le=64, description="random crop: pad by p pixels, cut at a random offset")
    flip_horizontal: bool = False
    flip_vertical: bool = False
    rotation: float = Field(0.0, ge=0, le=180, description="rotate by up to ± this many degrees")
    translate: float = Field(0.0, ge=0, le=0.5, description="shift by up to this share of the side")
    scale: float = Field(0.0, ge=0, lt=1, description="zoom by a factor from [1 − s, 1 + s]")
    brightness: float = Field(0.0, ge=0, le=1, description="multiply by a factor from [1 − b, 1 + b]")
    contrast: float = Field(0.0, ge=0, le=1, description="contrast factor from [1 − c, 1 + c]")
    saturation: float = Field(0.0, ge=0, le=1, description="saturation factor from [1 − s, 1 + s] (RGB only)")
    blur_sigma: float = Field(0.0, ge=0, le=10, description="blur half the images with σ up to this")
    cutout: int = Field(0, ge=0, le=1024, description="zero a square of this side at a random place")

    @property
    def active(self) -> bool:
        return self != AugmentationConfig()


class DatasetConfig(_Strict):
    name: str = "spiral"
    params: dict[str, Any] = Field(default_factory=dict)
    val_fraction: float = Field(0.2, ge=0, lt=1)
    test_fraction: float = Field(0.2, ge=0, lt=1)
    seed: int = Field(0, ge=0, le=SEED_MAX)
    augmentation: AugmentationConfig = Field(default_factory=AugmentationConfig)

    @model_validator(mode="after")
    def _fractions(self) -> DatasetConfig:
        if self.val_fraction + self.test_fraction >= 0.95:
            raise ValueError("val_fraction + test_fraction must leave at least 5 % of the data for training")
        return self
