"""The ``load_data()`` of an exported script for character text: it reads the same ``.txt`` file (or the default
corpus, the same modules of this Python's standard library), turns it into character ids over the vocabulary the
app built and cuts it into the same windows of T characters, so the script trains on exactly the app's arrays.
The vocabulary is written into the script: a token id means the same character in the app, in the script and in
the weights either saves. The windows are split by position, as in the app (see ``ORDERED_SPLIT`` in
:mod:`.script_training`)."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..config import DatasetConfig
from ..data import text

_READ_FILE = '''

def read_text():
    """The UTF-8 text of TEXT_FILE with its line ends made '\\\\n', as the app reads it."""
    path = Path(TEXT_FILE)
    if not path.is_file():
        raise SystemExit(f"{TEXT_FILE} is missing: the network was built for this text (its vocabulary below)")
    return path.read_bytes().decode("utf-8-sig").replace("\\r\\n", "\\n").replace("\\r", "\\n")
'''

_READ_CORPUS = '''

def read_text():
    """The default corpus: these modules of the Python standard library one after the other, a tab made four
    spaces and any character outside the vocabulary '?' (another Python version may have edited the files)."""
    import sysconfig

    folder = Path(sysconfig.get_path("stdlib"))
    missing = [name for name in CORPUS_FILES if not (folder / name).is_file()]
    if missing:
        raise SystemExit(f"the default corpus reads {folder / missing[0]}, which this Python does not have")
    corpus = "".join((folder / name).read_text(encoding="utf-8") for name in CORPUS_FILES).replace("\\t", "    ")
    return "".join(c if c in VOCABULARY else "?" for c in corpus)
'''

_LOADER = '''
{source}
STEPS = {steps}  # T: characters in each window
MAX_CHARS = {max_chars}  # only the text's first characters (0: all of it)
VOCABULARY = {vocabulary!r}  # token id i is the character VOCABULARY[i]
{reader}

{windows}

def load_data():
    """Windows of STEPS character ids (x) and the ids that follow each character (y, a class per step)."""
    chars = read_text()
    if MAX_CHARS:
        chars = chars[:MAX_CHARS]
    unknown = sorted(set(chars) - set(VOCABULARY))
    if unknown:
        raise SystemExit(f"the text holds characters the network has no token for: {{unknown[:20]}} (edited since?)")
    index = {{c: i for i, c in enumerate(VOCABULARY)}}
    ids = np.fromiter((index[c] for c in chars), np.int64, len(chars))
    return windows(ids, STEPS)
'''


def text_source(config: DatasetConfig, params: Mapping[str, Any]) -> str | None:
    """The script's ``load_data()`` for the character-text dataset; None for any other dataset."""
    if config.name != "text":
        return None
    path, steps, max_chars = str(params["file"] or ""), int(params["steps"]), int(params["max_chars"])
    _x, _y, vocab, _about = text.char_text(path, steps, max_chars)  # the app's checks, and its vocabulary
    if path:
        source = f"TEXT_FILE = {str(Path(path).expanduser().resolve())!r}"
        reader = _READ_FILE
    else:
        source = f"CORPUS_FILES = {text.DEFAULT_CORPUS_FILES!r}"
        reader = _READ_CORPUS
    return _LOADER.format(
        source=source,
        steps=steps,
        max_chars=max_chars,
        vocabulary="".join(vocab),
        reader=reader,
        windows=inspect.getsource(text.windows),
    )
