"""Regenerate the example projects in examples/ from code (run: python tools/make_examples.py)."""

from __future__ import annotations

from pathlib import Path

from make_thinking_machines import project as thinking_machines
from make_thinking_machines import save_weights_file

from playground.core.config import (
    DatasetConfig,
    OptimizerConfig,
    ScheduleConfig,
    TrainingConfig,
)
from playground.core.graph import Graph
from playground.core.io.project_file import save_project
from playground.core.layout import auto_layout
from playground.core.project import Project

OUT = Path(__file__).resolve().parent.parent / "examples"


class Builder:
    """Chain layers with ``add``; ``tap`` remembers a node for a skip connection."""

    def __init__(self) -> None:
        self.graph = Graph()
        self.last: str | None = None

    def add(self, type_: str, name: str | None = None, inputs: list[str] | None = None, **params) -> str:
        node = self.graph.add_node(type_, name, params)
        for src in inputs if inputs is not None else ([self.last] if self.last else []):
            self.graph.connect(src, node.id)
        self.last = node.id
        return node.id

    def conv_block(self, name: str, out: int, kernel: int = 3, act: str = "ReLU", **kw) -> str:
        self.add("Conv2d", name, out_channels=out, kernel=kernel, padding="same", **kw)
        return self.add(act, f"{name}_relu")


def save(project: Project, filename: str) -> None:
    auto_layout(project.graph)
    save_project(project, OUT / filename)
    print("wrote", filename)


def mlp(sizes: list[int], act: str, n_in: int, n_out: int, loss: str = "cross_entropy") -> Graph:
    b = Builder()
    b.add("Input", "input", shape=[n_in])
    for i, units in enumerate(sizes, 1):
        b.add("Dense", f"hidden{i}", units=units)
        b.add(act, f"{act.lower()}{i}")
    b.add("Dense", "scores", units=n_out)
    b.add("Output", "output", loss=loss)
    return b.graph


def spiral_features() -> Project:
    b = Builder()
    b.add("Input", "input", shape=[2])
    b.add("Features", "features")  # all seven switched on
    for i in (1, 2):
        b.add("Dense", f"hidden{i}", units=8)
        b.add("Tanh", f"tanh{i}")
    b.add("Dense", "scores", units=2)
    b.add("Output", "output")
    return Project(
        b.graph,
        DatasetConfig(name="spiral", params={"n_samples": 500, "noise": 0.0}),
        TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=0.01), batch_size=10, epochs=100),
        name="Spiral from features",
        description="TensorFlow Playground's spiral from its seven input features: Features → 2×8 Tanh → 2.",
    )


def main() -> None:
    save(
        Project(
            mlp([16, 16], "ReLU", 2, 2),
            DatasetConfig(name="spiral", params={"n_samples": 500, "noise": 0.0}),
            TrainingConfig(optimizer=OptimizerConfig(name="sgd", lr=0.01, momentum=0.9), batch_size=10, epochs=150),
            name="Spiral",
            description="TensorFlow-Playground-style MLP on the two-arm spiral: 2 → 16 → 16 → 2 with ReLU.",
        ),
        "spiral.json",
    )

    save(spiral_features(), "spiral_features.json")

    save(
        Project(
            mlp([4], "Tanh", 2, 2),
            DatasetConfig(name="xor", params={"n_samples": 500, "noise": 0.0}),
            TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=0.03), batch_size=10, epochs=40),
            name="XOR",
            description="One hidden layer of four tanh units is enough for exclusive-or.",
        ),
        "xor.json",
    )

    save(
        Project(
            mlp([16, 16], "Tanh", 2, 1, loss="mse"),
            DatasetConfig(name="multi_gaussian", params={"n_samples": 1000, "noise": 0.0}),
            TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=0.01), batch_size=16, epochs=60),
            name="Regression",
            description="Fit a landscape of six Gaussian bumps with mean squared error.",
        ),
        "regression.json",
    )

    b = Builder()
    b.add("Input", "pixels", shape=[64])
    b.add("Dense", "hidden", units=256)
    b.add("ReLU", "relu")
    b.add("Dropout", "dropout", p=0.3)
    b.add("Dense", "scores", units=10)
    b.add("Output", "output")
    save(
        Project(
            b.graph,
            DatasetConfig(name="digits", val_fraction=0.2, test_fraction=0.2),
            TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=1e-3), batch_size=32, epochs=60),
            name="Digits MLP",
            description="scikit-learn's 8×8 digits as 64 inputs, 256 ReLUs with dropout, 10 scores.",
        ),
        "digits_mlp.json",
    )

    b = Builder()
    b.add("Input", "image", shape=[3, 32, 32])
    b.conv_block("conv1", 16)
    b.add("MaxPool2d", "pool1")
    b.conv_block("conv2", 32)
    b.add("MaxPool2d", "pool2")
    b.conv_block("conv3", 64)
    b.add("MaxPool2d", "pool3")
    b.add("Flatten", "flatten")
    b.add("Dense", "fc1", units=64)
    b.add("ReLU", "fc1_relu")
    b.add("Dense", "scores", units=4)
    b.add("Output", "output")
    save(
        Project(
            b.graph,
            DatasetConfig(name="shapes", params={"n_samples": 3000}),
            TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=1e-3), batch_size=32, epochs=8),
            name="Shapes CNN",
            description="Three conv–ReLU–pool stages classify circles, squares, triangles and crosses.",
        ),
        "shapes_cnn.json",
    )

    b = Builder()
    b.add("Input", "image", shape=[1, 28, 28])
    b.add("Conv2d", "c1", out_channels=6, kernel=5, padding=2)
    b.add("Tanh", "c1_tanh")
    b.add("AvgPool2d", "s2")
    b.add("Conv2d", "c3", out_channels=16, kernel=5)
    b.add("Tanh", "c3_tanh")
    b.add("AvgPool2d", "s4")
    b.add("Flatten", "flatten")
    b.add("Dense", "f5", units=120)
    b.add("Tanh", "f5_tanh")
    b.add("Dense", "f6", units=84)
    b.add("Tanh", "f6_tanh")
    b.add("Dense", "scores", units=10)
    b.add("Output", "output")
    save(
        Project(
            b.graph,
            DatasetConfig(name="digits", params={"size": 28}),
            TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=1e-3), batch_size=64, epochs=15),
            name="LeNet-5",
            description="LeCun's LeNet-5 (28×28×1 input, padded first conv) on the digits resampled to 28×28.",
        ),
        "lenet5.json",
    )

    b = Builder()
    b.add("Input", "image", shape=[3, 224, 224])
    b.add("Conv2d", "conv1", out_channels=96, kernel=11, stride=4, padding=2)
    b.add("ReLU", "relu1")
    b.add("MaxPool2d", "pool1", kernel=3, stride=2)
    b.add("Conv2d", "conv2", out_channels=256, kernel=5, padding=2)
    b.add("ReLU", "relu2")
    b.add("MaxPool2d", "pool2", kernel=3, stride=2)
    b.add("Conv2d", "conv3", out_channels=384, kernel=3, padding=1)
    b.add("ReLU", "relu3")
    b.add("Conv2d", "conv4", out_channels=384, kernel=3, padding=1)
    b.add("ReLU", "relu4")
    b.add("Conv2d", "conv5", out_channels=256, kernel=3, padding=1)
    b.add("ReLU", "relu5")
    b.add("MaxPool2d", "pool3", kernel=3, stride=2)
    b.add("Flatten", "flatten")
    b.add("Dropout", "drop6")
    b.add("Dense", "fc6", units=4096)
    b.add("ReLU", "relu6")
    b.add("Dropout", "drop7")
    b.add("Dense", "fc7", units=4096)
    b.add("ReLU", "relu7")
    b.add("Dense", "fc8", units=1000)
    b.add("Output", "output")
    save(
        Project(
            b.graph,
            DatasetConfig(name="none"),
            TrainingConfig(),
            name="AlexNet",
            description="AlexNet as one stream (the original split it over two GPUs); for inspection.",
        ),
        "alexnet.json",
    )

    b = Builder()
    b.add("Input", "image", shape=[3, 224, 224])
    for stage, (width, convs) in enumerate([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)], 1):
        for i in range(1, convs + 1):
            b.conv_block(f"conv{stage}_{i}", width)
        b.add("MaxPool2d", f"pool{stage}")
    b.add("Flatten", "flatten")
    b.add("Dense", "fc6", units=4096)
    b.add("ReLU", "relu6")
    b.add("Dropout", "drop6")
    b.add("Dense", "fc7", units=4096)
    b.add("ReLU", "relu7")
    b.add("Dropout", "drop7")
    b.add("Dense", "fc8", units=1000)
    b.add("Output", "output")
    save(
        Project(
            b.graph,
            DatasetConfig(name="none"),
            TrainingConfig(),
            name="VGG-16",
            description="VGG-16 (configuration D): 13 3×3 convolutions and 3 dense layers, 138 M parameters.",
        ),
        "vgg16.json",
    )

    b = Builder()
    b.add("Input", "image", shape=[3, 32, 32])
    b.add("Conv2d", "stem", out_channels=16, kernel=3, padding=1, bias=False)
    b.add("BatchNorm", "stem_bn")
    x = b.add("ReLU", "stem_relu")
    for block, (width, stride) in enumerate([(16, 1), (32, 2), (64, 2)], 1):
        b.add(
            "Conv2d", f"b{block}_conv1", inputs=[x], out_channels=width, kernel=3, stride=stride, padding=1, bias=False
        )
        b.add("BatchNorm", f"b{block}_bn1")
        b.add("ReLU", f"b{block}_relu1")
        b.add("Conv2d", f"b{block}_conv2", out_channels=width, kernel=3, padding=1, bias=False)
        main = b.add("BatchNorm", f"b{block}_bn2")
        skip = x
        if stride != 1:
            b.add("Conv2d", f"b{block}_down", inputs=[x], out_channels=width, kernel=1, stride=stride, bias=False)
            skip = b.add("BatchNorm", f"b{block}_down_bn")
        b.add("Add", f"b{block}_add", inputs=[main, skip])
        x = b.add("ReLU", f"b{block}_out")
    b.add("GlobalAvgPool", "gap", inputs=[x])
    b.add("Dense", "scores", units=4)
    b.add("Output", "output")
    save(
        Project(
            b.graph,
            DatasetConfig(name="shapes", params={"n_samples": 3000}),
            TrainingConfig(optimizer=OptimizerConfig(name="adam", lr=2e-3), batch_size=32, epochs=6),
            name="Mini ResNet",
            description="Three residual blocks (conv–BN–ReLU–conv–BN + skip, then ReLU); 1×1 convs match shapes.",
        ),
        "mini_resnet.json",
    )

    b = Builder()
    b.add("Input", "image", shape=[3, 32, 32])
    b.conv_block("enc1a", 16)
    skip1 = b.conv_block("enc1b", 16)
    b.add("MaxPool2d", "down1")
    b.conv_block("enc2a", 32)
    skip2 = b.conv_block("enc2b", 32)
    b.add("MaxPool2d", "down2")
    b.conv_block("bottom", 64)
    up2 = b.add("ConvTranspose2d", "up2", out_channels=32, kernel=2, stride=2)
    b.add("Concat", "cat2", inputs=[up2, skip2])
    b.conv_block("dec2", 32)
    up1 = b.add("ConvTranspose2d", "up1", out_channels=16, kernel=2, stride=2)
    b.add("Concat", "cat1", inputs=[up1, skip1])
    b.conv_block("dec1", 16)
    b.add("Conv2d", "pixel_scores", out_channels=5, kernel=1)
    b.add("Output", "output")
    save(
        Project(
            b.graph,
            DatasetConfig(name="shapes", params={"n_samples": 1500, "task": "segmentation"}),
            TrainingConfig(
                optimizer=OptimizerConfig(name="adam", lr=2e-3),
                batch_size=16,
                epochs=4,
                schedule=ScheduleConfig(name="constant"),
            ),
            name="Mini U-Net",
            description="Encoder–decoder with transposed convolutions and Concat skips; labels every pixel.",
        ),
        "mini_unet.json",
    )
    save(thinking_machines(), "thinking_machines.json")
    save_weights_file(OUT)


if __name__ == "__main__":
    main()
