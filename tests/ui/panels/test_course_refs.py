"""The doctor cites the course by topic, never by note and section numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playground.core.training import doctor, network_checks
from playground.ui.panels.course_refs import topics


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("000/002 Training Tips and Tricks; 001 §4.5 Gradient clipping", "Training Tips and Tricks; Gradient clipping"),
        ("000 Activation functions: ReLU; 001 §4.4.3; 004 Kaiming initialization",
         "Activation functions: ReLU; Bias initialization; Kaiming initialization"),
        ("000/002 Training Tips and Tricks; 001 §2.2–2.3",
         "Training Tips and Tricks; Bias–variance trade-off; Regularization"),
    ],
)  # fmt: skip
def test_references_name_the_topic(source, shown):
    assert topics(source) == shown


def test_no_reference_the_doctor_gives_keeps_a_number():
    text = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (doctor, network_checks))
    cited = re.findall(r'"((?:\{TIPS\}; )?0\d\d[^"]*)"', text)
    assert cited, "the doctor cites the course"
    for source in cited:
        shown = topics(source.replace("{TIPS}", doctor.TIPS))
        assert not re.search(r"\d{3}|§", shown), (source, shown)
