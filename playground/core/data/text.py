"""Character-level text for language models (000 'RNN Language Model'; 004 'Autoregressive modeling').

A text becomes a sequence of character ids over its vocabulary (the sorted set of its characters), cut by
position into windows of T characters; the target at step t is the character that follows step t, so a
network that reads a window predicts every next character at once (a per-step cross-entropy). Windows do
not overlap and are split by position: validation reads a later stretch of text, never one it trained on.

The default corpus needs no download: the source of a fixed list of modules of the Python standard library,
present in every CPython since 3.0 (``DEFAULT_CORPUS_FILES``, read in that order from ``sysconfig``'s
stdlib folder). Its vocabulary is fixed too, the 96 characters of ``DEFAULT_ALPHABET`` (newline and printable
ASCII): a tab becomes four spaces and any other character '?', so a model built for it fits on every Python
version, even where a release edits those files.
"""

from __future__ import annotations

import math
import sysconfig
from collections import Counter
from pathlib import Path

import numpy as np

from .registry import DatasetError

DEFAULT_CORPUS_FILES = (
    "abc.py",
    "bisect.py",
    "colorsys.py",
    "copy.py",
    "fnmatch.py",
    "glob.py",
    "heapq.py",
    "numbers.py",
    "queue.py",
    "string.py",
    "textwrap.py",
)
DEFAULT_ALPHABET = "\n" + "".join(chr(c) for c in range(32, 127))
DEFAULT_CORPUS_NAME = "the Python standard library's " + ", ".join(DEFAULT_CORPUS_FILES)
MIN_WINDOWS = 4
_SHOWN = {"\n": "⏎", " ": "␣", "\t": "⇥", "\r": "␍"}


class TextFileError(DatasetError):
    """A text that cannot be read: the message names the file and what is wrong with it."""


def default_corpus() -> str:
    """The default corpus: the modules of ``DEFAULT_CORPUS_FILES`` one after the other, in ``DEFAULT_ALPHABET``."""
    folder = Path(sysconfig.get_path("stdlib"))
    parts = []
    for name in DEFAULT_CORPUS_FILES:
        path = folder / name
        try:
            parts.append(path.read_text(encoding="utf-8"))
        except OSError:
            raise TextFileError(
                f"the default corpus reads the Python standard library's {path}, which this Python installation "
                "does not have: choose a .txt file instead"
            ) from None
    text = "".join(parts).replace("\t", "    ")
    allowed = set(DEFAULT_ALPHABET)
    return "".join(c if c in allowed else "?" for c in text)


def read_text_file(path: str | Path) -> str:
    """A UTF-8 text file's characters with its line ends made '\\n', or :class:`TextFileError` naming the file."""
    path = Path(path).expanduser()
    if not path.exists():
        raise TextFileError(f"text file '{path}' does not exist")
    if path.is_dir():
        raise TextFileError(f"'{path}' is a folder, not a text file")
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise TextFileError(f"text file '{path}' cannot be read: {err.strerror or err}") from None
    if not raw.strip():
        raise TextFileError(f"text file '{path}' is empty" + (" (only blanks)" if raw else ""))
    zero = raw.find(b"\x00")
    if zero >= 0:
        raise TextFileError(f"'{path}' is not a text file: it holds a zero byte at offset {zero} (a binary file?)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise TextFileError(
            f"'{path}' is not UTF-8 text: byte {err.start} ({raw[err.start]:#04x}) is not a character; "
            "save it as UTF-8 or choose another file"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def vocabulary(text: str) -> list[str]:
    """The characters of ``text``, sorted: character id i is ``vocabulary(text)[i]``."""
    return sorted(set(text))


def encode(text: str, vocab: list[str]) -> np.ndarray:
    """Character ids (int64) of ``text``; every character must be in ``vocab``."""
    index = {c: i for i, c in enumerate(vocab)}
    missing = sorted(set(text) - index.keys())
    if missing:
        raise ValueError(f"characters outside the vocabulary: {show_characters(missing)}")
    return np.fromiter((index[c] for c in text), np.int64, len(text))


def windows(ids: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive, non-overlapping windows: x (n, steps) float32 ids and y (n, steps) int64 the next ids."""
    n = (len(ids) - 1) // steps
    x = ids[: n * steps].reshape(n, steps)
    y = ids[1 : n * steps + 1].reshape(n, steps)
    return x.astype(np.float32), y.astype(np.int64)


def unigram_bits(ids: np.ndarray, size: int) -> float:
    """Entropy in bits per character of the characters' frequencies: what a model that ignores the context
    scores at best (its cross-entropy on text with these frequencies)."""
    p = np.bincount(ids.ravel(), minlength=size) / ids.size
    p = p[p > 0]
    return float(-(p * np.log2(p)).sum())


def nats_to_bits(nats: float) -> float:
    return nats / math.log(2)


def show_characters(chars: list[str], limit: int = 120) -> str:
    """Characters for a person: blanks and line ends made visible, a long list cut short."""
    shown = "".join(_SHOWN.get(c, c) for c in chars[:limit])
    return shown + (f" … ({len(chars) - limit} more)" if len(chars) > limit else "")


def describe_text(vocab: list[str], text: str, source: str, steps: int, n_windows: int) -> str:
    common = ", ".join(f"'{show_characters([c])}' {k / len(text):.0%}" for c, k in Counter(text).most_common(3))
    return (
        f"{len(vocab)} characters in the vocabulary: {show_characters(vocab)} (most common: {common}). "
        f"{len(text):,} characters of {source}, cut into {n_windows:,} windows of {steps}."
    )


def char_text(path: str, steps: int, max_chars: int = 0) -> tuple[np.ndarray, np.ndarray, list[str], str]:
    """Windows of ``steps`` characters of the file at ``path`` (empty: the default corpus), the vocabulary and
    a description. ``max_chars`` > 0 keeps only the text's beginning."""
    fixed: list[str] | None = None
    if path:
        text, source = read_text_file(path), f"'{Path(path).expanduser().name}'"
    else:
        text, fixed, source = default_corpus(), list(DEFAULT_ALPHABET), DEFAULT_CORPUS_NAME
    if max_chars:
        text = text[:max_chars]
    needed = MIN_WINDOWS * steps + 1
    if len(text) < needed:
        where = f"text file '{path}'" if path else "the default corpus"
        raise TextFileError(
            f"{where} has only {len(text):,} characters: windows of {steps} need at least {needed:,} "
            f"({MIN_WINDOWS} windows); choose a shorter window or a longer text"
        )
    vocab = fixed or vocabulary(text)
    x, y = windows(encode(text, vocab), steps)
    return x, y, vocab, describe_text(vocab, text, source, steps, len(x))
