"""How much do the visualization generators cost over a bare PyTorch loop doing the same work?

    .venv/bin/python benchmarks/bench_viz.py [--quick]

Prints one line per figure:
  * Deep Dream, seconds per step: ours (``deep_dream``) and a minimal hand-written loop (the same
    jitter, forward to the layer, δ = a, normalized step, clamp) on EfficientNet-Lite0, same image;
  * style transfer, seconds per L-BFGS step: ours (``style_transfer``) and a minimal loop (same layers,
    Gram matrices, losses, TV, clamp);
  * the wall time of a 128-px, 300-step L-BFGS style transfer (the PyTorch tutorial's CPU setting) on
    EfficientNet-Lite0, and on VGG-19 (the tutorial's network; random weights, as its 548 MB file
    is not downloaded for a benchmark: the arithmetic is the same).

The two sides of each ratio run alternately, several rounds, and the median per-step time of each is
compared. The ratio uses the CPU time of this process (other work on a shared machine stretches wall
time at random); the wall-clock ratio is printed beside it. Goal: ratio ≤ 1.1.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from playground.core.viz import VizModel, bundled_image, deep_dream, style_transfer
from playground.core.viz.ops import gram, resize, total_variation
from playground.core.zoo import IMAGENET_MEAN, IMAGENET_STD, VGG, imagenet_classes, load_zoo_model


def _effnet_prefix(net, last_block: int):
    """EfficientNet-Lite0 written out up to block ``last_block`` (what a hand-made loop would do)."""

    def forward(x, keep=()):
        out = {}
        x = net._act_stem(net._bn0(net._conv_stem(x)))
        out["_act_stem"] = x
        for i, block in enumerate(net._blocks[: last_block + 1]):
            x = block(x)
            out[f"_blocks.{i}"] = x
        return x, out

    return forward


def bare_dream(model: VizModel, x: torch.Tensor, steps: int, lr: float = 0.02, jitter: int = 16, seed: int = 0):
    prefix = _effnet_prefix(model.module, 10)
    lo, hi = model.bounds()
    scale = model.pixel_scale()
    gen = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        dy, dx = torch.randint(-jitter, jitter + 1, (2,), generator=gen).tolist()
        xj = torch.roll(x, (dy, dx), (2, 3)).requires_grad_(True)
        a, _ = prefix(xj)
        (g,) = torch.autograd.grad(0.5 * (a * a).mean(), xj)
        with torch.no_grad():
            g = torch.roll(g, (-dy, -dx), (2, 3))
            x = torch.maximum(torch.minimum(x + lr * scale * g / (g.abs().mean() + 1e-12), hi), lo)
    return x


def bare_style(
    model: VizModel, content: torch.Tensor, style: torch.Tensor, steps: int, forward, sw: float = 100.0, tw: float = 1.0
):
    layers = model.style_layers
    content_layer = model.content_layer
    with torch.no_grad():
        _, fc = forward(content)
        _, fs = forward(style)
    target_c = fc[content_layer]
    norm_c = target_c.pow(2).sum()
    grams = {n: gram(fs[n]) for n in layers}
    norms = {n: g.pow(2).sum() for n, g in grams.items()}
    lo, hi = model.bounds()
    x = content.clone().requires_grad_(True)
    opt = torch.optim.LBFGS([x], lr=1.0, max_iter=1, history_size=50)

    def closure():
        opt.zero_grad()
        _, f = forward(x)
        loss = (f[content_layer] - target_c).pow(2).sum() / norm_c
        for n, w in layers.items():
            loss = loss + sw * w * (gram(f[n]) - grams[n]).pow(2).sum() / norms[n]
        loss = loss + tw * total_variation(x)
        loss.backward()
        return loss

    for _ in range(steps):
        opt.step(closure)
        with torch.no_grad():
            x.copy_(torch.maximum(torch.minimum(x, hi), lo))
    return x


def _timed(fn, clock=time.perf_counter) -> float:
    start = clock()
    fn()
    return clock() - start


def _both(fn) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one call."""
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def _ratio(ours, bare, steps: int, rounds: int) -> tuple[float, float, float]:
    """Median seconds per step (CPU) of ours and bare, and the wall-clock ratio."""
    ours(1), bare(1)  # warm-up
    a, b = [], []
    for _ in range(rounds):
        a.append(_both(lambda: ours(steps)))
        b.append(_both(lambda: bare(steps)))
    cpu_a, cpu_b = (statistics.median(t[0] for t in side) / steps for side in (a, b))
    wall = statistics.median(t[1] for t in a) / statistics.median(t[1] for t in b)
    return cpu_a, cpu_b, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and steps (a rough figure)")
    args = parser.parse_args()
    rounds, steps = (2, 4) if args.quick else (5, 10)
    torch.manual_seed(0)
    model = load_zoo_model("efficientnet-lite0")
    photo = bundled_image("chelsea")

    x = model.preprocess(photo, (224, 224))
    layer = "_blocks.10"

    def ours_dream(n):
        for _ in deep_dream(model, x, layer=layer, steps=n, octaves=1):
            pass

    t_ours, t_bare, wall = _ratio(ours_dream, lambda n: bare_dream(model, x, n), steps, rounds)
    print(
        f"deep dream 224x224 EfficientNet-Lite0 {layer}: {t_ours:.4f} CPU s/step ours, {t_bare:.4f} bare loop, "
        f"ratio {t_ours / t_bare:.3f} (wall-clock ratio {wall:.3f})",
        flush=True,
    )

    content = resize(model.preprocess(photo), (128, 192))
    style = resize(model.preprocess(bundled_image("mosaic")), (128, 128))
    forward = _effnet_prefix(model.module, 10)

    def ours_style(n):
        for _ in style_transfer(model, content, style, steps=n):
            pass

    t_ours, t_bare, wall = _ratio(ours_style, lambda n: bare_style(model, content, style, n, forward), steps, rounds)
    print(
        f"style transfer 128x192 EfficientNet-Lite0 L-BFGS: {t_ours:.4f} CPU s/step ours, {t_bare:.4f} bare "
        f"loop, ratio {t_ours / t_bare:.3f} (wall-clock ratio {wall:.3f})",
        flush=True,
    )

    total = 30 if args.quick else 300
    square = resize(model.preprocess(photo), (128, 128))
    seconds = _timed(lambda: [None for _ in style_transfer(model, square, style, steps=total)])
    print(f"style transfer 128x128 {total} L-BFGS steps EfficientNet-Lite0: {seconds:.1f} s wall", flush=True)

    relu = {f"features.{i}": 1.0 for i in (1, 6, 11, 20, 29)}  # relu1_1 … relu5_1, as in Gatys et al.
    vgg = VizModel(
        VGG("vgg19"),
        name="VGG-19 (random weights)",
        class_names=list(imagenet_classes()),
        mean=IMAGENET_MEAN,
        std=IMAGENET_STD,
        style_layers=relu,
        content_layer="features.22",
    )
    seconds = _timed(lambda: [None for _ in style_transfer(vgg, square, style, steps=total)])
    print(f"style transfer 128x128 {total} L-BFGS steps VGG-19: {seconds:.1f} s wall", flush=True)


if __name__ == "__main__":
    main()
