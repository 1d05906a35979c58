"""The dataset preview while its dataset loads says so ("Loading Spiral…") instead of showing empty axes and blank
feature pickers or the plots of the dataset chosen before; a load that fails says why, in the error colour."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor

from playground.core.config import DatasetConfig
from playground.core.data import DATASETS, load_dataset
from playground.ui import theme
from playground.ui.training.dataset_form import DatasetForm


def _form(qtbot) -> tuple[DatasetForm, list[DatasetConfig]]:
    """A form whose loads are answered by the test, when it chooses (the worker's job in the app)."""
    form = DatasetForm()
    qtbot.addWidget(form)
    asked: list[DatasetConfig] = []
    form.preview_requested.connect(asked.append)
    form.resize(420, 900)
    form.show()
    return form, asked


def _answer(form: DatasetForm, config: DatasetConfig) -> None:
    form.show_preview((config, load_dataset(config.name, config.params, config.seed), ""))


def _summary_colour(form: DatasetForm) -> str:
    return form.summary.palette().color(form.summary.foregroundRole()).name()


def test_while_loading_the_preview_says_so_and_shows_no_plots(qtbot):
    form, asked = _form(qtbot)
    spiral = DatasetConfig(name="spiral")
    form.load(spiral)
    preview = form.preview
    assert asked == [spiral]
    assert preview.loading and preview.isVisibleTo(form)
    assert preview.message.text() == f"Loading {DATASETS['spiral'].title}…" == "Loading Spiral…"
    assert preview.message.isVisibleTo(form)
    assert not preview.tabs.isVisibleTo(form) and not preview.axes_row.isVisibleTo(form)
    assert not preview.scatter_view.isVisibleTo(form)
    assert form.summary.text() == ""  # no second "loading" line above it

    _answer(form, spiral)
    assert not preview.loading and not preview.message.isVisibleTo(form)
    assert preview.scatter_view.isVisibleTo(form) and len(preview.scatter.getData()[0]) > 0
    assert "points · 2 inputs · 2 classes" in form.summary.text()

    gaussians = DatasetConfig(name="gaussians")
    form.load(gaussians)  # another dataset: the spiral's plots go while it loads
    assert preview.loading and preview.data is None
    assert preview.message.text() == f"Loading {DATASETS['gaussians'].title}…"
    assert not preview.scatter_view.isVisibleTo(form)
    _answer(form, gaussians)
    assert not preview.loading and preview.data is not None


def test_a_failed_load_says_why_in_the_error_colour(qtbot):
    form, asked = _form(qtbot)
    config = DatasetConfig(name="table", params={"file": "/nowhere/data.csv"})
    form.load(config)
    assert asked == [config] and form.preview.loading
    with pytest.raises(ValueError) as failure:  # what the worker catches and hands back
        load_dataset(config.name, config.params, config.seed)
    form.show_preview((config, None, failure.value))
    assert form.summary.text() == "no file at /nowhere/data.csv: check the 'File' option"
    assert not form.preview.isVisibleTo(form)  # no loading message left behind, no empty plots
    assert _summary_colour(form) == QColor(theme.current().error).name()
    spiral = DatasetConfig(name="spiral")
    form.load(spiral)
    _answer(form, spiral)
    assert _summary_colour(form) == QColor(theme.current().muted).name()
    assert form.preview.isVisibleTo(form) and not form.preview.loading
