"""JSON text of large records made in pieces, so that another thread is never kept waiting long.

``json.dumps`` runs in C and holds Python's interpreter lock until it is done: 90 ms for the curves of a run of
15,000 steps, during which the app's interface, on its own thread, can neither draw nor answer. Here long lists
are written a slice at a time, one ``json.dumps`` of :data:`PIECE` values each, and the lock changes hands between
slices. Non-finite floats are written as null (JSON has no NaN), as the run history reads them back.
"""

from __future__ import annotations

import json
import math
from typing import Any

PIECE = 1000  # list items per json.dumps call: well under a millisecond each

_NOT_FINITE = (("-Infinity", "null"), ("Infinity", "null"), ("NaN", "null"))


def dumps_in_pieces(value: Any) -> str:
    """``json.dumps(value)`` with NaN and infinities as null, made in slices of at most PIECE list items."""
    out: list[str] = []
    _write(value, out)
    return "".join(out)


def _write(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(("," if i else "") + json.dumps(str(key)) + ":")
            _write(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        if value and isinstance(value[0], dict | list | tuple):
            for i, item in enumerate(value):
                if i:
                    out.append(",")
                _write(item, out)
        else:
            out.append(",".join(_scalars(value[start : start + PIECE]) for start in range(0, len(value), PIECE)))
        out.append("]")
    elif isinstance(value, float) and not math.isfinite(value):
        out.append("null")
    else:
        out.append(json.dumps(value))


def _scalars(items: list | tuple) -> str:
    """The items of a list of numbers, strings, booleans or None, without the brackets."""
    text = json.dumps(list(items))
    if '"' in text:  # strings among them: a NaN token could be inside one, so clean item by item
        text = json.dumps([None if isinstance(v, float) and not math.isfinite(v) else v for v in items])
    else:
        for token, null in _NOT_FINITE:
            text = text.replace(token, null)
    return text[1:-1]
