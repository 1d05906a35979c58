"""The numbers beside a visualization, as short HTML: top classes with their probabilities, the peak of a
map, the losses of an iterative method, what an attack changed."""

from __future__ import annotations

from html import escape
from typing import Any

from ...core.viz.methods import find_method

TOP = 5
VARIANTS = {"guided_gradcam": "Guided Grad-CAM", "smoothgrad": "SmoothGrad saliency"}


def result_title(method: str, data: dict[str, Any]) -> str:
    """What made the picture: the method's title, or the variant it ran ("Guided Grad-CAM")."""
    return VARIANTS.get(data.get("method", ""), find_method(method).title)


def steps_text(data: dict[str, Any]) -> str:
    """How many steps an iterative method took, all octaves of Deep Dream together."""
    steps, octaves = data.get("steps", 0), data.get("octaves", 1)
    if octaves > 1:
        return f"{steps} steps ({octaves} octaves of {steps // octaves})"
    return f"{steps} steps"


def _classes(rows: list, title: str) -> str:
    items = "".join(
        f"<tr><td>{escape(str(name))}</td><td align='right'>&nbsp;{100 * p:.1f} %</td></tr>"
        for _i, name, p in rows[:TOP]
    )
    return f"<b>{title}</b><table cellspacing='0' cellpadding='1'>{items}</table>" if items else ""


def _value(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return escape(str(v))


def _values(values: dict[str, float]) -> str:
    return " · ".join(f"{escape(k.replace('_', ' '))} {_value(v)}" for k, v in values.items())


def outcome_html(method: str, data: dict[str, Any]) -> str:
    """What a finished result says, for the caption under the picture, headed by what made it."""
    parts: list[str] = [f"<b>{escape(result_title(method, data))}</b>"]
    if "top_classes" in data:
        target = data.get("target")
        name = target[1] if isinstance(target, list) else target
        parts.append(f"<b>Explains</b> {escape(str(name))} (score {data.get('score', 0.0):.4g})")
        if data.get("layer"):
            parts.append(f"at layer <b>{escape(data['layer'])}</b>")
        peak = data.get("peak")
        if peak:
            parts.append(f"Peak at x = {peak[0]}, y = {peak[1]}")
        parts.append(_classes(data["top_classes"], "Top classes"))
    elif "before" in data:
        verdict = "the prediction changed" if data.get("flipped") else "the prediction held"
        parts.append(
            f"ε = {255 * data['epsilon']:.3g}/255 · largest pixel change {255 * data['linf']:.3g}/255 · "
            f"<b>{verdict}</b>"
        )
        parts.append(_classes(data["before"], "Before"))
        parts.append(_classes(data["after"], "After"))
    elif method == "filters":
        shape = "×".join(str(s) for s in data.get("shape", ()))
        kind = "colour tiles (first layer)" if data.get("rgb") else "one grey tile per input channel"
        parts.append(f"<b>{escape(data.get('layer', ''))}</b>: weights {shape}, shown as {kind}; grey = 0")
    elif method == "activations":
        shape = "×".join(str(s) for s in data.get("shape", ()))
        strongest = ", ".join(str(c) for c in data.get("strongest", [])[:5])
        parts.append(
            f"<b>{escape(data.get('layer', ''))}</b> {shape} ({data.get('backend', 'torch')}) · "
            f"mean {data.get('mean', 0.0):.3g} · max {data.get('max', 0.0):.3g}"
        )
        if strongest:
            parts.append(f"Strongest channels: {strongest}")
    elif method == "toppatches":
        scores = ", ".join(f"{p['score']:.3g}" for p in data.get("patches", [])[:9])
        rf = data.get("receptive_field")
        seen = f"sees {rf['size'][0]}×{rf['size'][1]} pixels" if rf else "sees the whole image"
        parts.append(f"<b>{escape(data.get('layer', ''))}</b> channel {data.get('channel')}: each unit {seen}")
        parts.append(f"Strongest activations: {scores}")
    else:
        if "target" in data:
            parts.append(f"<b>{escape(str(data['target']))}</b>")
        if "layer" in data:
            parts.append(f"layer <b>{escape(str(data['layer']))}</b>")
        if data.get("objective_first") is not None:
            parts.append(f"objective {data['objective_first']:.4g} → {data.get('objective_last') or 0.0:.4g}")
        if data.get("first") and data.get("last"):
            parts.append(
                f"loss {data['first'].get('loss', 0.0):.4g} → {data['last'].get('loss', 0.0):.4g}"
                f" ({_values({k: v for k, v in data['last'].items() if k != 'loss'})})"
            )
        if data.get("values"):
            parts.append(_values(data["values"]))
        if "steps" in data:
            parts.append(steps_text(data))
    return "<br>".join(p for p in parts if p)


def progress_text(step: int, total: int, values: dict[str, float], stage: str = "") -> str:
    head = f"{stage} · " if stage else ""
    return f"{head}step {step}/{total}" + (f" · {_values(values)}" if values else "")


def prompt_html(method: str, shown: str | None) -> str:
    """The caption of a method that has no picture yet; ``shown``: the method whose picture is still there."""
    text = f"<b>{escape(find_method(method).title)}</b>: press Run (Ctrl+Return)."
    if shown is not None and shown != method:
        text += f"<br>The picture above is the last {escape(find_method(shown).title)}."
    return text


def running_html(method: str, layer: str | None) -> str:
    where = f" of <b>{escape(layer)}</b>" if layer else ""
    return f"<b>{escape(find_method(method).title)}</b>{where}: computing…"
