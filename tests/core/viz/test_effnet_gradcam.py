"""EfficientNet-Lite0 recognises skimage's cat, and Grad-CAM finds it."""

from __future__ import annotations

import numpy as np

from playground.core.viz import bundled_image, gradcam
from playground.core.viz.images import resize

CATS = {281, 282, 285}  # tabby, tiger cat, Egyptian cat


def test_chelsea_is_a_cat_and_the_gradcam_peak_is_on_it(effnet):
    photo = bundled_image("chelsea")
    assert photo.shape == (300, 451, 3)
    att = gradcam(effnet, photo)
    assert att.layer == effnet.default_layer == "_act_head"
    assert att.top_classes[0][0] in CATS and att.target == att.top_classes[0][0]
    x, y = att.peak_in(photo.shape[:2])
    # Measured by hand on the photo: the head and chest fill x 20–390, y 0–300; the right strip is
    # the blanket behind.
    assert 20 <= x < 390 and 0 <= y < 300, (x, y)


def test_gradcam_finds_the_cat_in_a_larger_empty_picture(effnet):
    """Paste a smaller cat into the lower right of a plain noisy canvas: the peak must follow it."""
    rng = np.random.default_rng(0)
    canvas = np.clip(rng.normal(150, 12, (300, 450, 3)), 0, 255).astype(np.uint8)
    cat = resize(bundled_image("chelsea"), (150, 225))
    canvas[140:290, 215:440] = cat
    att = gradcam(effnet, canvas)
    assert att.top_classes[0][0] in CATS
    x, y = att.peak_in(canvas.shape[:2])
    assert 215 <= x < 440 and 140 <= y < 290, (x, y)
