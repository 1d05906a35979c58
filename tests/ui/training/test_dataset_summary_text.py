"""The dataset summary under the picker shows a text's vocabulary, and says nothing extra for other sets."""

from __future__ import annotations

import pytest

from playground.core.data import load_dataset
from playground.ui.training.dataset_form import describe


def test_a_text_summary_shows_its_vocabulary(tmp_path):
    path = tmp_path / "song.txt"
    path.write_text("la la land\n" * 30, encoding="utf-8")
    lines = describe(load_dataset("text", {"file": str(path), "steps": 10})).splitlines()
    assert lines[0] == "32 sequences · 10 steps · 6 classes at each step"
    assert lines[1].startswith("6 characters in the vocabulary: ⏎␣adln (most common: ")


def test_other_summaries_keep_one_line_and_say_what_a_sample_is():
    assert describe(load_dataset("sort", {"n_samples": 50})) == "50 sequences · 6 steps · 10 classes at each step"
    assert describe(load_dataset("sine", {"n_samples": 50})) == "50 sequences · 30×1 (time × features) · regression"
    assert describe(load_dataset("brackets", {"n_samples": 50})) == "50 samples · 12 inputs · 2 classes"
    assert describe(load_dataset("spiral", {"n_samples": 50})) == "50 points · 2 inputs · 2 classes"


@pytest.mark.parametrize("name", ["text", "reverse", "sort"])
def test_a_class_per_time_step_previews_without_a_scatter(qtbot, name):
    """Token ids with a class at every step are no table of features: the preview shows no scatter."""
    from playground.core.config import DatasetConfig
    from tests.ui.training.test_own_data import previewed_form

    form = previewed_form(qtbot, DatasetConfig(name=name, params={} if name == "text" else {"n_samples": 50}))
    qtbot.waitUntil(lambda: form.preview_loads >= 1)
    assert "classes at each step" in form.summary.text()
    assert not form.preview.tabs.isTabVisible(0)
