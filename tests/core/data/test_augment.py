"""Augmentation: each change does what it says, keeps shapes and labels' meaning, and is seeded."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.config import AugmentationConfig
from playground.core.data import augment as aug


def _batch(n: int = 4, c: int = 3, h: int = 8, w: int = 8) -> np.ndarray:
    rng = np.random.default_rng(1)
    return rng.uniform(0, 1, (n, c, h, w)).astype(np.float32)


def test_crop_shifts_the_image_by_at_most_the_padding() -> None:
    x = np.zeros((50, 1, 6, 6), np.float32)
    x[:, 0, 2, 3] = 1.0  # one bright pixel
    out = aug.random_crop(x, 2, np.random.default_rng(0))
    assert out.shape == x.shape
    seen = set()
    for image in out[:, 0]:
        ys, xs = np.nonzero(image)
        assert len(ys) == 1  # the pixel moved or left, nothing else appeared
        dy, dx = int(ys[0]) - 2, int(xs[0]) - 3
        assert abs(dy) <= 2 and abs(dx) <= 2
        seen.add((dy, dx))
    assert len(seen) > 5  # offsets really vary


def test_flip_mirrors_about_half_the_images() -> None:
    x = _batch(n=200, c=1)
    out = aug.random_flip(x, 3, np.random.default_rng(0))
    mirrored = [np.array_equal(o, i[..., ::-1]) for o, i in zip(out, x, strict=True)]
    kept = [np.array_equal(o, i) for o, i in zip(out, x, strict=True)]
    assert all(m or k for m, k in zip(mirrored, kept, strict=True))
    assert 70 < sum(mirrored) < 130


def test_affine_without_change_is_the_identity_and_rotation_turns_quarter() -> None:
    x = _batch()
    same = aug.random_affine(x, 0.0, 0.0, 0.0, np.random.default_rng(0))
    np.testing.assert_allclose(same, x, atol=1e-5)
    # Sampling at coordinates turned by exactly 90° gives np.rot90.
    square = np.arange(25, dtype=np.float32).reshape(1, 1, 5, 5)
    turned = aug.bilinear(square, *_rotated_coords(5, np.pi / 2))
    assert np.allclose(turned[0, 0], np.rot90(square[0, 0], k=-1)) or np.allclose(
        turned[0, 0], np.rot90(square[0, 0], k=1)
    )


def _rotated_coords(side: int, angle: float) -> tuple[np.ndarray, np.ndarray]:
    c = (side - 1) / 2
    gy, gx = np.meshgrid(np.arange(side) - c, np.arange(side) - c, indexing="ij")
    src_y = np.cos(angle) * gy - np.sin(angle) * gx + c
    src_x = np.sin(angle) * gy + np.cos(angle) * gx + c
    return src_y[None], src_x[None]


def test_affine_fills_outside_with_zeros() -> None:
    x = np.ones((1, 1, 9, 9), np.float32)
    out = aug.random_affine(x, 45.0, 0.0, 0.0, np.random.default_rng(3))
    assert out.min() == 0.0 and out[0, 0, 4, 4] == pytest.approx(1.0)


def test_colour_jitter_stays_in_range_and_grey_images_keep_one_channel() -> None:
    x = _batch(n=20)
    out = aug.colour_jitter(x, 0.5, 0.5, 0.5, np.random.default_rng(0))
    assert out.shape == x.shape and out.min() >= x.min() and out.max() <= x.max()
    assert not np.allclose(out, x)
    grey = _batch(n=5, c=1)
    assert aug.colour_jitter(grey, 0.0, 0.0, 0.9, np.random.default_rng(0)).shape == grey.shape


def test_blur_keeps_the_mean_and_lowers_the_variation() -> None:
    x = _batch(n=64, c=1, h=16, w=16)
    out = aug.gaussian_blur(x, 2.0, np.random.default_rng(0))
    changed = [not np.allclose(o, i) for o, i in zip(out, x, strict=True)]
    assert 15 < sum(changed) < 50
    for o, i, c in zip(out, x, changed, strict=True):
        assert o.mean() == pytest.approx(i.mean(), abs=0.02)
        if c:
            assert o.std() < i.std()


def test_cutout_zeroes_a_square_of_the_given_side() -> None:
    x = np.ones((30, 2, 12, 12), np.float32)
    out = aug.cutout(x, 4, np.random.default_rng(0))
    holes = (out[:, 0] == 0).sum(axis=(1, 2))
    assert holes.max() == 16 and holes.min() >= 4  # whole inside, or cut by the border
    assert np.array_equal(out[:, 0] == 0, out[:, 1] == 0)  # every channel


def test_augment_is_seeded_and_off_by_default() -> None:
    x = _batch(n=8)
    config = AugmentationConfig(
        crop_padding=2, flip_horizontal=True, rotation=15, brightness=0.3, blur_sigma=1.0, cutout=3
    )
    a = aug.augment(x, config, np.random.default_rng(7))
    b = aug.augment(x, config, np.random.default_rng(7))
    c = aug.augment(x, config, np.random.default_rng(8))
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    assert a.dtype == np.float32 and a.shape == x.shape
    assert aug.augment(x, AugmentationConfig(), np.random.default_rng(0)) is x


def test_augmentation_of_non_images_is_refused_with_the_shape() -> None:
    with pytest.raises(ValueError, match="samples are 2"):
        aug.check_augmentation(AugmentationConfig(flip_horizontal=True), (2,))
    aug.check_augmentation(AugmentationConfig(), (2,))


def test_project_files_keep_augmentation_only_when_on(tmp_path) -> None:
    from playground.core.io.project_file import load_project, project_to_dict, save_project
    from tests.paths import EXAMPLES

    project = load_project(EXAMPLES / "shapes_cnn.json")
    assert "augmentation" not in project_to_dict(project)["dataset"]
    project.dataset.augmentation = AugmentationConfig(flip_horizontal=True, cutout=6)
    assert project_to_dict(project)["dataset"]["augmentation"] == {"flip_horizontal": True, "cutout": 6}
    save_project(project, tmp_path / "p.json")
    assert load_project(tmp_path / "p.json").dataset.augmentation == project.dataset.augmentation
