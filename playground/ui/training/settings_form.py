"""The training settings as a form: optimizer and its parameters, schedule, batch size, epochs,
regularization, clipping, initialization and seed.

Each setting is described as a :class:`~playground.core.layers.Param` (the same editors the inspector
uses) with the path of the :class:`~playground.core.config.TrainingConfig` field it edits.
The form never changes the project itself: it emits ``edited(path, value)`` and the dock turns that into
an undoable command.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from ...core.config import DEFAULT_LR, OPTIMIZER_HELP, TrainingConfig
from ...core.layers import INIT_HELP, INIT_SCHEMES, Param, ParamError
from ..panels.param_editors import ParamEditor, editor_for

# Settings a running run picks up at its next step (RunControl.set_hyperparameters); the rest apply to the
# next run.
LIVE = {
    "optimizer.lr": "lr",
    "optimizer.momentum": "momentum",
    "optimizer.nesterov": "nesterov",
    "optimizer.beta1": "beta1",
    "optimizer.beta2": "beta2",
    "optimizer.eps": "eps",
    "optimizer.alpha": "alpha",
    "weight_decay": "weight_decay",
}


@dataclass(frozen=True)
class Setting:
    path: str  # "optimizer.lr", "batch_size", …
    param: Param
    # shown only for these optimizers / schedules (None: always)
    optimizers: tuple[str, ...] | None = None
    schedules: tuple[str, ...] | None = None
    off_is_none: bool = False  # 0 in the form means None in the config (clipping off)


def _choice_help(title: str, helps: dict[str, str]) -> str:
    return title + ": " + "; ".join(f"{k}: {v}" for k, v in helps.items())


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "optimizer.name",
        Param(
            "name",
            "choice",
            "adam",
            _choice_help("Optimizer", OPTIMIZER_HELP),
            choices=tuple(OPTIMIZER_HELP),
            label="Optimizer",
        ),
    ),
    Setting(
        "optimizer.lr",
        Param(
            "lr",
            "float",
            1e-3,
            "Learning rate α, the size of each step. Jagged loss → "
            "decrease it; slow, straight loss → increase it (course: Training Tips)",
            minimum=1e-9,
            maximum=1e9,
            label="Learning rate",
        ),
    ),
    Setting(
        "optimizer.momentum",
        Param(
            "momentum",
            "float",
            0.0,
            "Momentum μ: how much of the previous step carries over (001 §3.3.1)",
            minimum=0.0,
            maximum=0.999,
            label="Momentum",
        ),
        optimizers=("sgd", "rmsprop"),
    ),
    Setting(
        "optimizer.nesterov",
        Param("nesterov", "bool", False, "Nesterov momentum (needs momentum > 0)", label="Nesterov"),
        optimizers=("sgd",),
    ),
    Setting(
        "optimizer.beta1",
        Param(
            "beta1",
            "float",
            0.9,
            "Adam β₁: decay of the running mean of the gradient",
            minimum=0.0,
            maximum=0.999999,
            label="β₁",
        ),
        optimizers=("adam", "adamw"),
    ),
    Setting(
        "optimizer.beta2",
        Param(
            "beta2",
            "float",
            0.999,
            "Adam β₂: decay of the running mean of the squared gradient",
            minimum=0.0,
            maximum=0.999999,
            label="β₂",
        ),
        optimizers=("adam", "adamw"),
    ),
    Setting(
        "optimizer.alpha",
        Param(
            "alpha",
            "float",
            0.99,
            "RMSProp decay β of the squared-gradient average (001 §3.3.2)",
            minimum=0.0,
            maximum=0.999999,
            label="Decay β",
        ),
        optimizers=("rmsprop",),
    ),
    Setting(
        "optimizer.eps",
        Param(
            "eps",
            "float",
            1e-8,
            "ε added to the denominator to avoid dividing by 0",
            minimum=1e-12,
            maximum=1.0,
            label="ε",
        ),
        optimizers=("rmsprop", "adagrad", "adam", "adamw"),
    ),
    Setting(
        "schedule.name",
        Param(
            "name",
            "choice",
            "constant",
            "Learning-rate schedule, per epoch: constant; "
            "step: × γ every few epochs; exponential: × γ every epoch; cosine: down to a "
            "minimum along a half cosine (004 Learning Rate Decay)",
            choices=("constant", "step", "exponential", "cosine"),
            label="LR schedule",
        ),
    ),
    Setting(
        "schedule.step_size",
        Param("step_size", "int", 10, "Epochs between two decays", minimum=1, maximum=100000, label="Every (epochs)"),
        schedules=("step",),
    ),
    Setting(
        "schedule.gamma",
        Param("gamma", "float", 0.5, "Factor applied at each decay", minimum=1e-6, maximum=1.0, label="Factor γ"),
        schedules=("step", "exponential"),
    ),
    Setting(
        "schedule.min_lr",
        Param(
            "min_lr",
            "float",
            0.0,
            "Learning rate reached at the last epoch",
            minimum=0.0,
            maximum=1e9,
            label="Minimum LR",
        ),
        schedules=("cosine",),
    ),
    Setting(
        "batch_size",
        Param(
            "batch_size",
            "int",
            32,
            "Samples per mini-batch (001 §3.4.3)",
            minimum=1,
            maximum=1_000_000,
            label="Batch size",
        ),
    ),
    Setting(
        "epochs",
        Param("epochs", "int", 10, "Passes over the training set", minimum=1, maximum=1_000_000, label="Epochs"),
    ),
    Setting(
        "weight_decay",
        Param(
            "weight_decay",
            "float",
            0.0,
            "L2 regularization λ on Dense/conv weights: more of it narrows the train–validation gap (001 §2.3)",
            minimum=0.0,
            maximum=1e6,
            label="Weight decay (L2)",
        ),
    ),
    Setting(
        "l1", Param("l1", "float", 0.0, "L1 penalty λ·Σ|w| on Dense/conv weights", minimum=0.0, maximum=1e6, label="L1")
    ),
    Setting(
        "clip_norm",
        Param(
            "clip_norm",
            "float",
            0.0,
            "Rescale the whole gradient to at most this norm; 0 = off (001 §4.5)",
            minimum=0.0,
            maximum=1e9,
            label="Clip norm",
        ),
        off_is_none=True,
    ),
    Setting(
        "clip_value",
        Param(
            "clip_value",
            "float",
            0.0,
            "Clip each gradient element to ±c; 0 = off (001 §4.5)",
            minimum=0.0,
            maximum=1e9,
            label="Clip value",
        ),
        off_is_none=True,
    ),
    Setting(
        "init",
        Param(
            "init",
            "choice",
            "per_layer",
            _choice_help(
                "Weight initialization for every layer (per_layer: each layer's own choice)",
                {"per_layer": "each layer's own setting", **INIT_HELP},
            ),
            choices=("per_layer", *INIT_SCHEMES),
            label="Init",
        ),
    ),
    Setting(
        "seed",
        Param(
            "seed",
            "int",
            0,
            "Random seed: initial weights, batch order and dropout",
            minimum=0,
            maximum=2**31 - 1,
            label="Seed",
        ),
    ),
)


def get_value(config: TrainingConfig, path: str) -> Any:
    obj: Any = config
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def with_value(config: TrainingConfig, path: str, value: Any) -> TrainingConfig:
    """A validated copy of ``config`` with ``path`` set (raises pydantic's ValidationError)."""
    data = config.model_dump()
    target = data
    *parents, last = path.split(".")
    for part in parents:
        target = target[part]
    target[last] = value
    if path == "optimizer.name" and value != config.optimizer.name:
        data["optimizer"]["lr"] = DEFAULT_LR.get(value, data["optimizer"]["lr"])
        if value != "sgd":
            data["optimizer"]["nesterov"] = False
    if path == "optimizer.momentum" and not value:
        data["optimizer"]["nesterov"] = False
    return TrainingConfig.model_validate(data)


class TrainingSettingsForm(QWidget):
    edited = Signal(str, object)  # path, value (None for a setting switched off)
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, ParamEditor] = {}
        self.labels: dict[str, QLabel] = {}
        self.settings = {s.path: s for s in SETTINGS}
        for s in SETTINGS:
            editor = editor_for(s.param)
            editor.committed.connect(lambda value, s=s: self._commit(s, value))
            editor.invalid.connect(self.invalid)
            label = QLabel(s.param.title)
            label.setToolTip(s.param.help)
            self.form.addRow(label, editor)
            self.editors[s.path] = editor
            self.labels[s.path] = label
        self.config = TrainingConfig()

    def _commit(self, s: Setting, value: Any) -> None:
        try:
            value = s.param.coerce(value)
        except ParamError as err:
            self.invalid.emit(f"{s.param.title}: {err}")
            self.editors[s.path].set_value(self.editors[s.path].value)
            return
        if s.off_is_none and not value:
            value = None
        self.edited.emit(s.path, value)

    def load(self, config: TrainingConfig) -> None:
        """Show ``config`` (after an edit, an undo, or a new project)."""
        self.config = config
        for path, editor in self.editors.items():
            value = get_value(config, path)
            s = self.settings[path]
            editor.set_value(0.0 if s.off_is_none and value is None else value)
            visible = (s.optimizers is None or config.optimizer.name in s.optimizers) and (
                s.schedules is None or config.schedule.name in s.schedules
            )
            editor.setVisible(visible)
            self.labels[path].setVisible(visible)
