"""Course references as a reader wants them: by topic ("Gradient clipping"), not by note and section number
("001 §4.5"). The doctor's diagnoses cite the notes by number; the panel shows the topics."""

from __future__ import annotations

import re

# Sections of the course notes (note 001) the doctor cites, by number.
SECTIONS = {
    "2.2": "Bias–variance trade-off",
    "2.3": "Regularization",
    "4.3": "Batch normalization",
    "4.4": "Weight initialization",
    "4.4.3": "Bias initialization",
    "4.5": "Gradient clipping",
    "4.6.4": "Dropout",
}
_NOTE = re.compile(r"\b\d{3}(?:/\d{3})*\s*")  # "001 ", "000/002 "
_SECTION = re.compile(r"§\s*(\d+(?:\.\d+)*)(?:\s*[–-]\s*(\d+(?:\.\d+)*))?")


def _sections(match: re.Match[str]) -> str:
    first, last = match.group(1), match.group(2)
    if last is None:
        return SECTIONS.get(first, "")
    keys = list(SECTIONS)
    if first in keys and last in keys:
        return ", ".join(SECTIONS[k] for k in keys[keys.index(first) : keys.index(last) + 1] if k.count(".") == 1)
    return ", ".join(t for t in (SECTIONS.get(first), SECTIONS.get(last)) if t)


def topics(source: str) -> str:
    """``source`` with note numbers dropped and section numbers replaced by their topics, duplicates once."""
    seen: list[str] = []
    for part in re.split(r"\s*;\s*", source):
        plain = _NOTE.sub("", part)
        named = _SECTION.sub("", plain).lower()  # a section cited with its own title ("§4.5 Gradient clipping")
        text = _SECTION.sub(lambda m, named=named: "" if _sections(m).lower() in named else _sections(m), plain)
        for piece in re.split(r"\s*,\s*", text.strip(" ,")):
            if piece and piece.lower() not in (s.lower() for s in seen):
                seen.append(piece)
    return "; ".join(seen)
