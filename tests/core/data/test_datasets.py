import numpy as np
import pytest

from playground.core.data import DatasetError, batches, load_dataset, split
from playground.core.data.shapes import make_shapes


@pytest.mark.parametrize("name", ["circle", "xor", "gaussians", "spiral"])
def test_toy_classification_sets(name):
    d = load_dataset(name, {"n_samples": 300, "noise": 0.1}, seed=1)
    assert d.x.shape == (300, 2) and d.x.dtype == np.float32
    assert set(np.unique(d.y)) == {0, 1} and abs(d.y.mean() - 0.5) < 0.2
    assert np.abs(d.x).max() < 8


def test_regression_sets_and_noise():
    for name in ("plane", "multi_gaussian"):
        d = load_dataset(name, {"n_samples": 200})
        assert d.task == "regression" and d.y.shape == (200, 1) and np.abs(d.y).max() <= 1
    clean = load_dataset("spiral", {"noise": 0.0}, seed=3)
    noisy = load_dataset("spiral", {"noise": 0.5}, seed=3)
    assert not np.allclose(clean.x, noisy.x)


def test_shapes_boxes_enclose_the_object():
    images, labels, boxes, masks = make_shapes(200, seed=2)
    assert images.shape == (200, 3, 32, 32) and set(np.unique(labels)) == {0, 1, 2, 3}
    for mask, (x0, y0, x1, y1) in zip(masks, boxes):
        ys, xs = np.nonzero(mask)
        assert (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) == (x0, y0, x1, y1)


def test_segmentation_variant():
    d = load_dataset("shapes", {"n_samples": 50, "task": "segmentation"})
    assert d.task == "segmentation" and d.y.shape == (50, 32, 32) and d.num_classes == 5


def test_digits_resampled():
    d = load_dataset("digits", {"size": 28})
    assert d.x.shape == (1797, 1, 28, 28) and d.x.min() >= 0 and d.x.max() <= 1


def test_split_is_disjoint_and_seeded():
    d = load_dataset("spiral", {"n_samples": 100, "noise": 0.2})  # noise: the two arms both start at 0
    s = split(d, 0.2, 0.1, seed=4)
    assert (len(s.train), len(s.val), len(s.test)) == (70, 20, 10)
    rows = {tuple(r) for part in (s.train, s.val, s.test) for r in part.x.round(6)}
    assert len(rows) == 100
    again = split(d, 0.2, 0.1, seed=4)
    np.testing.assert_array_equal(s.val.x, again.val.x)


def test_an_ordered_split_cuts_by_position():
    d = load_dataset("copy", {"n_samples": 100})
    s = split(d, 0.2, 0.1, seed=4, ordered=True)
    np.testing.assert_array_equal(s.train.x, d.x[:70])
    np.testing.assert_array_equal(s.val.x, d.x[70:90])
    np.testing.assert_array_equal(s.test.x, d.x[90:])
    d.ordered = True  # a dataset of windows of one text asks for it itself
    np.testing.assert_array_equal(split(d, 0.2, 0.1, seed=9).val.x, d.x[70:90])
    assert not np.array_equal(split(d, 0.2, 0.1, seed=9, ordered=False).val.x, d.x[70:90])


def test_batches_cover_everything_once():
    seen = np.concatenate(list(batches(23, 5, np.random.default_rng(0))))
    assert sorted(seen) == list(range(23))


def test_bad_dataset_options():
    with pytest.raises(DatasetError, match="unknown dataset 'mnistt'"):
        load_dataset("mnistt")
    with pytest.raises(DatasetError, match="noise"):
        load_dataset("spiral", {"noise": 2})
