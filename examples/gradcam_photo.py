"""Where does a pretrained network look? Grad-CAM of EfficientNet-Lite0 on a bundled photo.

    .venv/bin/python examples/gradcam_photo.py [PHOTO] [OUT.png]

PHOTO is one of the bundled photos (chelsea, astronaut, coffee, rocket, …) or an image file. The picture
saved shows the photo, the class-activation map of the predicted class and both overlaid.
"""

from __future__ import annotations

import sys

from playground.core.viz import bundled_image, bundled_names, gradcam, load_image, save_png
from playground.core.zoo import load_zoo_model


def main(photo: str = "chelsea", out: str = "gradcam.png") -> tuple[list, tuple[int, int]]:
    model = load_zoo_model("efficientnet-lite0")  # ships with the install: no download
    image = bundled_image(photo) if photo in bundled_names() else load_image(photo)
    cam = gradcam(model, image)
    for index, name, probability in cam.top_classes[:3]:
        print(f"{probability:6.1%}  {name} ({index})")
    print(f"the map peaks at x = {cam.peak[0]}, y = {cam.peak[1]}; picture saved to {save_png(cam.picture(), out)}")
    return cam.top_classes, cam.peak


if __name__ == "__main__":
    main(*sys.argv[1:3])
