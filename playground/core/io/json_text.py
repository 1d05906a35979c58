"""JSON text that can always be written and is read within fixed bounds.

Reading (:func:`read_json`) refuses, before any of it reaches the program: text over a size limit, numbers
with more digits than any setting needs, NaN and Infinity, nesting deeper than any project uses, and
strings holding lone UTF-16 surrogates (text that could not be saved again). Every check is one pass over
the text or the parsed value, so the time is linear in the size of the file.

Writing (:func:`dumps_json`) is one linear pass too: indented JSON with short lists of plain values kept on
one line (``"position": [0.0, 130.0]``); characters that cannot be encoded become U+FFFD (�), so a save never
fails on text.
"""

from __future__ import annotations

import json
import math
import re
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import Any

MAX_TEXT_CHARS = 64 * 1024 * 1024
MAX_DEPTH = 40
MAX_NUMBER_DIGITS = 40
# Halves of UTF-16 pairs: Python strings may hold them, UTF-8 cannot encode them.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class JsonLimitError(ValueError):
    """JSON text that breaks one of the bounds; the message names the bound and where it was broken."""


def _parse_int(literal: str) -> int:
    if len(literal.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise JsonLimitError(
            f"a whole number with {len(literal.lstrip('-'))} digits is far larger than any setting allows "
            f"(at most {MAX_NUMBER_DIGITS} digits)"
        )
    return int(literal)


def _parse_float(literal: str) -> float:
    mantissa = literal.lstrip("-").split("e")[0].split("E")[0]
    if len(mantissa) > MAX_NUMBER_DIGITS + 1:
        raise JsonLimitError(f"a number with {len(mantissa)} digits is longer than any setting needs")
    value = float(literal)
    if not math.isfinite(value):
        raise JsonLimitError(f"the number {literal[:20]} is too large to be stored")
    return value


def _no_constant(name: str) -> Any:
    raise JsonLimitError(f"{name} is not a number a project can hold: use a finite number")


def read_json(text: str, what: str = "the file") -> Any:
    """Parse ``text`` within the bounds above; raises :class:`JsonLimitError` or :class:`json.JSONDecodeError`."""
    if len(text) > MAX_TEXT_CHARS:
        raise JsonLimitError(
            f"{what} holds {len(text) / 2**20:.0f} MB of text; a project file may hold at most "
            f"{MAX_TEXT_CHARS // 2**20} MB"
        )
    try:
        data = json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_no_constant)
    except RecursionError:
        raise JsonLimitError(f"{what} is nested too deeply (at most {MAX_DEPTH} levels)") from None
    # Text decoded from UTF-8 cannot hold a lone surrogate: only a \ud800-style escape can make one.
    check_value(data, strings=_SURROGATE_ESCAPE.search(text) is not None)
    return data


def check_value(data: Any, strings: bool = True) -> None:
    """Walk ``data`` once, without recursion: the nesting depth and (if ``strings``) text that cannot be
    encoded. The message names the top-level field where the problem is."""
    if not isinstance(data, dict | list):
        if strings and isinstance(data, str):
            _check_text(data, "the file")
        return
    stack: list[tuple[Any, int, Any]] = [(data, 0, None)]
    while stack:
        value, depth, top = stack.pop()
        if depth >= MAX_DEPTH:
            raise JsonLimitError(f"{top or 'the file'} is nested too deeply (at most {MAX_DEPTH} levels)")
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            where = key if top is None else top
            if isinstance(item, dict | list):
                stack.append((item, depth + 1, where))
            elif strings and isinstance(item, str):
                _check_text(item, where)
            if strings and isinstance(key, str):
                _check_text(key, where)


def _check_text(text: str, where: Any) -> None:
    if text.isascii() or _SURROGATE.search(text) is None:
        return
    bad = _SURROGATE.search(text)
    assert bad is not None
    raise JsonLimitError(
        f"{where}: holds a character that is not valid text (\\u{ord(bad.group()):04x}, half of a UTF-16 pair)"
    )


def _scalar(value: Any) -> str:
    """One JSON scalar, written as ``json.dumps`` would (without its per-call overhead)."""
    if isinstance(value, str):
        if not value.isascii():
            value = _SURROGATE.sub("\ufffd", value)
        return encode_basestring(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return float.__repr__(value) if math.isfinite(value) else "null"  # JSON has no NaN; refused when read
    return json.dumps(value, ensure_ascii=False)


def dumps_json(data: Any, indent: int = 2) -> str:
    """Indented JSON in one linear pass; lists of plain values stay on one line."""
    out: list[str] = []
    # Work items: a value to write at a depth, or a literal piece of text.
    stack: list[tuple[Any, int] | str] = [(data, 0)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        value, depth = item
        pad, inner = " " * (indent * depth), " " * (indent * (depth + 1))
        if isinstance(value, dict) and value:
            parts: list[tuple[Any, int] | str] = ["{"]
            for i, (key, child) in enumerate(value.items()):
                parts.append(("," if i else "") + "\n" + inner + _scalar(str(key)) + ": ")
                parts.append((child, depth + 1))
            parts.append("\n" + pad + "}")
            stack.extend(reversed(parts))
        elif isinstance(value, list | tuple) and value and any(isinstance(v, dict | list | tuple) for v in value):
            parts = ["["]
            for i, child in enumerate(value):
                parts.append(("," if i else "") + "\n" + inner)
                parts.append((child, depth + 1))
            parts.append("\n" + pad + "]")
            stack.extend(reversed(parts))
        elif isinstance(value, list | tuple):
            out.append("[" + ", ".join(_scalar(v) for v in value) + "]")
        elif isinstance(value, dict):
            out.append("{}")
        else:
            out.append(_scalar(value))
    return "".join(out)
