"""Character text: the default corpus from the standard library, a user's file, windows with next-character
targets, the vocabulary shown, and a clear message for every file that cannot be used."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.data import load_dataset, split
from playground.core.data.text import DEFAULT_ALPHABET, DEFAULT_CORPUS_FILES, default_corpus, unigram_bits


def test_the_default_corpus_is_a_fixed_slice_of_the_standard_library():
    text = default_corpus()
    assert text == default_corpus()  # deterministic
    assert len(text) > 50_000 and set(text) <= set(DEFAULT_ALPHABET)
    assert "def dedent(text):" in text and "def bisect_left(" in text  # textwrap.py and bisect.py are in it
    assert len(DEFAULT_CORPUS_FILES) == len(set(DEFAULT_CORPUS_FILES))


def test_windows_predict_the_next_character():
    data = load_dataset("text", {"steps": 32})
    assert data.task == "classification" and data.ordered
    assert data.class_names == list(DEFAULT_ALPHABET) and data.num_classes == 96
    text = default_corpus()
    x, y = data.x.astype(np.int64), data.y
    assert x.shape == y.shape and x.shape == (len(x), 32) and len(x) == (len(text) - 1) // 32
    decoded = "".join(data.class_names[i] for i in x[:3].ravel())
    assert decoded == text[: 3 * 32]
    np.testing.assert_array_equal(y[:, :-1], x[:, 1:])  # the target is the input shifted by one
    np.testing.assert_array_equal(y[:-1, -1], x[1:, 0])  # across a window's end too
    assert "96 characters in the vocabulary" in data.description and "textwrap.py" in data.description
    # Python source: most characters are blanks and lower-case letters, not a uniform 6.6 bits
    assert 4.0 < unigram_bits(y, 96) < 5.0


def test_a_text_is_split_by_position():
    data = load_dataset("text", {"steps": 16, "max_chars": 16_001})
    assert len(data) == 1000
    parts = split(data, 0.1, 0.1, seed=3)
    np.testing.assert_array_equal(parts.train.x, data.x[:800])
    np.testing.assert_array_equal(parts.val.x, data.x[800:900])
    np.testing.assert_array_equal(parts.test.x, data.x[900:])


def test_a_chosen_file_builds_its_own_vocabulary(tmp_path):
    path = tmp_path / "poem.txt"
    path.write_text("the cat sat on the mat\r\n" * 20, encoding="utf-8")
    data = load_dataset("text", {"file": str(path), "steps": 8})
    assert data.class_names == ["\n", " ", "a", "c", "e", "h", "m", "n", "o", "s", "t"]  # '\r\n' read as '\n'
    assert "11 characters in the vocabulary: ⏎␣acehmnost" in data.description and "'poem.txt'" in data.description
    assert len(data) == (23 * 20 - 1) // 8


@pytest.mark.parametrize(
    "content,message",
    [
        (None, r"text file '.*missing\.txt' does not exist"),
        (b"", r"text file '.*missing\.txt' is empty"),
        (b"  \n\n ", r"is empty \(only blanks\)"),
        (b"GIF89a\x00\x01\x02", r"'.*missing\.txt' is not a text file: it holds a zero byte at offset 6"),
        (b"caf\xe9 au lait " * 10, r"'.*missing\.txt' is not UTF-8 text: byte 3 \(0xe9\)"),
        (b"too short", r"text file '.*missing\.txt' has only 9 characters: windows of 64 need at least 257"),
    ],
)
def test_files_that_cannot_be_used_are_named_with_the_reason(tmp_path, content, message):
    path = tmp_path / "missing.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ValueError, match=message):
        load_dataset("text", {"file": str(path)})


def test_a_folder_is_not_a_text_file(tmp_path):
    with pytest.raises(ValueError, match=r"is a folder, not a text file"):
        load_dataset("text", {"file": str(tmp_path)})


def test_the_editor_reports_a_missing_text_file_as_a_dataset_problem(tmp_path):
    from playground.core.config import DatasetConfig
    from playground.core.io.project_file import load_project
    from playground.core.shapes import infer
    from playground.core.training.data_fit import data_fit_problem
    from tests.paths import EXAMPLES

    project = load_project(EXAMPLES / "char_lstm.json")
    report = infer(project.graph)
    assert data_fit_problem(project.graph, report, project.dataset) is None  # the default corpus fits
    missing = DatasetConfig(name="text", params={"file": str(tmp_path / "gone.txt")})
    problem = data_fit_problem(project.graph, report, missing)
    assert problem is not None and "gone.txt' does not exist" in problem.message
