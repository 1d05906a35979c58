"""Export a project as a standalone PyTorch script: model class, data, training loop.

The script needs only torch and NumPy (plus scikit-learn/SciPy for the digits set) and runs with
``python script.py``. The model's ``__init__`` is written from the same recipes that build the model
in the app, and ``forward`` is the readable code of the compiled torch.fx graph, so the exported
network is the one the app trains.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..backends.torch import compile_graph
from ..backends.torch.compile import module_name
from ..backends.torch.layers import CUSTOM_MODULES, RECIPES
from ..backends.torch.losses import hinge
from ..data import sequences, toy2d
from ..data import shapes as shapes_module
from ..data.registry import NO_DATASET, get_dataset_info, load_dataset
from ..layers import Tensors
from ..project import Project
from ..shapes import infer
from ..targets import loss_setup
from .export_augment import augmentation_lines, augmentation_source
from .export_classic import classic_source
from .export_own_data import own_data_source
from .export_text import text_source
from .project_file import atomic_write
from .script_training import IMPORTS, TRAIN_TEMPLATE, split_source, threads_line


class ExportError(ValueError):
    pass


def _model_source(project: Project) -> tuple[str, list[str]]:
    graph = project.graph
    report = infer(graph)
    if not report.ok:
        raise ExportError(f"The network has problems: {report.errors[0].message}")
    gm = compile_graph(graph, report)
    lines = ["class Network(nn.Module):", "    def __init__(self):", "        super().__init__()"]
    custom: list[str] = []
    init_lines: list[str] = []
    for node in report.order:
        if node.type == "Input":
            continue
        ins = [report.shape(e.source) for e in graph.in_edges(node.id)]
        recipe = RECIPES[node.type](node, ins, report.shape(node.id))  # type: ignore[arg-type]
        if recipe.cls in CUSTOM_MODULES and recipe.cls.__name__ not in custom:
            custom.append(recipe.cls.__name__)
        name = module_name(node.name)
        lines.append(f"        self.{name} = {recipe.code()}")
        if node.spec.weighted:
            init_lines.extend(_init_code(name, node.params, report.nodes[node.id].tensors))
    forward = textwrap.indent(readable_forward(gm.code), "    ")
    lines.append("")
    lines.extend(forward.splitlines())
    sources = [inspect.getsource(cls) for cls in CUSTOM_MODULES if cls.__name__ in custom]
    parts = [*sources, "\n".join(lines)]
    if init_lines:  # every layer on PyTorch's default initialisation: no function to call
        init = ["def init_weights(model):", '    """The per-layer initialisation chosen in the app."""']
        parts.append("\n".join([*init, "    with torch.no_grad():", *init_lines]))
    return "\n\n\n".join(parts), custom


def readable_forward(code: str) -> str:
    """torch.fx's ``forward`` as a person would write it: without the ``x = None`` statements fx adds to free
    each intermediate tensor as early as possible."""
    kept = []
    for line in code.strip("\n").splitlines():
        line = _FREE.sub("", line)
        if not _ONLY_FREE.fullmatch(line):
            kept.append(line)
    return "\n".join(kept)


_FREE = re.compile(r";\s*\w+ = None")
_ONLY_FREE = re.compile(r"\s*\w+ = None\s*")


def _init_code(name: str, p: dict, tensors: Tensors) -> list[str]:
    """One init call per weight the scheme draws and one constant per bias (an LSTM has several of each)."""
    scheme = p["init"]
    if scheme == "default":
        return []
    out = []
    for key, tensor in tensors.items():
        w = f"model.{name}.{key}"
        if tensor.init == "bias":
            out.append(f"        nn.init.constant_({w}, {p['bias_init']!r})")
            continue
        if tensor.init != "weight":
            continue
        call = {
            "normal": f"nn.init.normal_({w}, 0.0, {p['init_std']!r})",
            "lecun_normal": f"nn.init.kaiming_normal_({w}, nonlinearity='linear')",
            "xavier_uniform": f"nn.init.xavier_uniform_({w})",
            "xavier_normal": f"nn.init.xavier_normal_({w})",
            "kaiming_normal": f"nn.init.kaiming_normal_({w}, nonlinearity='relu')",
            "kaiming_uniform": f"nn.init.kaiming_uniform_({w}, nonlinearity='relu')",
            "orthogonal": f"nn.init.orthogonal_({w})",
        }[scheme]
        out.append(f"        {call}")
    return out


def _data_source(project: Project) -> str:
    ds = project.dataset
    info = get_dataset_info(ds.name)
    params = info.resolve(ds.params)
    if ds.name in toy2d.CLASSIFIERS or ds.name in toy2d.REGRESSORS:
        fn = toy2d.CLASSIFIERS.get(ds.name) or toy2d.REGRESSORS[ds.name]
        body = inspect.getsource(fn)
        y_conv = "y.astype(np.int64)" if info.task == "classification" else "y.astype(np.float32)"
        return (
            f"RADIUS = {toy2d.RADIUS!r}\n\n\n{body}\n\n"
            f"def load_data():\n"
            f"    x, y = {fn.__name__}({params['n_samples']!r}, {params['noise']!r}, "
            f"np.random.default_rng({ds.seed}))\n"
            f"    return x.astype(np.float32), {y_conv}\n"
        )
    if ds.name == "digits":
        zoom = ""
        if params["size"] != 8:
            zoom = (
                f"    from scipy.ndimage import zoom\n"
                f"    f = {params['size']} / 8.0\n"
                f"    x = np.clip(zoom(x, (1, 1, f, f), order=1), 0, 1).astype(np.float32)\n"
            )
        return (
            "def load_data():\n"
            "    from sklearn.datasets import load_digits\n"
            "    bunch = load_digits()\n"
            "    x = (bunch.images / 16.0).astype(np.float32)[:, None]\n"
            f"{zoom}"
            "    return x, bunch.target.astype(np.int64)\n"
        )
    if ds.name == "shapes":
        src = inspect.getsource(shapes_module._masks) + "\n\n" + inspect.getsource(shapes_module.make_shapes)
        src = src.replace("CLASS_NAMES", repr(shapes_module.CLASS_NAMES))
        if params["task"] == "segmentation":
            ret = "    return images, np.where(masks, labels[:, None, None] + 1, 0).astype(np.int64)\n"
        else:
            ret = "    return images, labels\n"
        return (
            f"{src}\n\ndef load_data():\n"
            f"    images, labels, _boxes, masks = make_shapes({params['n_samples']}, {params['size']}, "
            f"{ds.seed}, {params['noise']!r})\n{ret}"
        )
    if ds.name == "brackets":
        parts = (sequences._balanced, sequences.is_balanced, sequences._unbalanced, sequences.balanced_brackets)
        src = "\n\n".join(inspect.getsource(fn) for fn in parts)
        return (
            f"{src}\n\ndef load_data():\n    return balanced_brackets({params['n_samples']}, {params['steps']}, "
            f"np.random.default_rng({ds.seed}))\n"
        )
    generators: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
        "reverse": sequences.reverse_digits,
        "adding": sequences.adding_problem,
        "copy": sequences.copy_digits,
        "sort": sequences.sort_digits,
        "sine": sequences.sine_forecast,
    }
    if ds.name in generators:
        fn = generators[ds.name]
        extra = "".join(f", {k}={params[k]!r}" for k in ("horizon", "noise") if k in params)
        return (
            f"{inspect.getsource(fn)}\n\ndef load_data():\n    return {fn.__name__}({params['n_samples']}, "
            f"{params['steps']}, np.random.default_rng({ds.seed}){extra})\n"
        )
    # read from the files the project names (or the default text corpus)
    own = own_data_source(ds, params) or classic_source(ds, params) or text_source(ds, params)
    if own is not None:
        return own
    raise ExportError(f"exporting the '{ds.name}' dataset is not supported")


def export_script(project: Project) -> str:
    """The text of a standalone Python script that builds and trains ``project``."""
    model_src, _ = _model_source(project)
    alone = project.dataset.name == NO_DATASET  # a network to look at: no training, one process
    run = "python this_file.py" + (
        "" if alone else "\nor on several processes: torchrun --nproc_per_node 2 this_file.py"
    )
    imports = "import numpy as np\nimport torch\nimport torch.nn.functional as F  # noqa: F401\nfrom torch import nn\n"
    header = (
        f'"""{project.name}: a network built in Playground, exported as a standalone PyTorch script.\n\n'
        f'{textwrap.fill(project.description, 100)}\n\nRun it with:  {run}\n"""\n\n{imports if alone else IMPORTS}'
    )
    if alone:
        inp = project.graph.nodes_of_type("Input")[0]
        main = (
            f'\n\nif __name__ == "__main__":\n    model = Network()\n    init_weights(model)\n'
            f"    out = model(torch.zeros(1, *{list(inp.params['shape'])!r}))\n"
            f"    print('parameters:', sum(p.numel() for p in model.parameters()), 'output:', tuple(out.shape))\n"
        )
        script = header + "\n\n" + model_src + main
    else:
        script = header + "\n\n" + _data_source(project) + "\n\n" + model_src + "\n\n" + _training_source(project)
    if "def init_weights" not in model_src:
        script = script.replace("    init_weights(model)\n", "")
    return script


# each loss as the script writes it
LOSS_CODE = {
    "cross_entropy": "F.cross_entropy",
    "mse": "F.mse_loss",
    "bce": "F.binary_cross_entropy_with_logits",
    "hinge": "hinge",
}


def _training_source(project: Project) -> str:
    report = infer(project.graph)
    ds = project.dataset
    info = get_dataset_info(ds.name)  # a quick stand-in when there is one: only the kind of data matters here
    data = info.sample(info.resolve(ds.params), ds.seed) if info.sample else load_dataset(ds.name, ds.params, ds.seed)
    setup = loss_setup(project.graph, report, data)
    t = project.training
    o = t.optimizer
    loss_fn = LOSS_CODE[setup.loss]
    prelude = f"loss_fn = {loss_fn}\n"
    per_step = len(setup.output_shape) == 2 and setup.loss in ("cross_entropy", "hinge")
    if per_step:  # scores per time step (N, T, K): PyTorch wants the classes on axis 1
        prelude = f"def loss_fn(out, y):\n    return {loss_fn}(out.transpose(1, 2), y)\n"
    if setup.loss == "hinge":
        prelude = inspect.getsource(hinge) + "\n\n" + prelude
    if setup.task == "regression":
        target_body, correct_body, labels_expr = "    return y.astype(np.float32)", "    return 0", "None"
    else:
        labels_expr = "torch.from_numpy(y)"
        if setup.loss in ("cross_entropy", "hinge"):
            target_body = "    return y"
        elif setup.accuracy in ("threshold_logit", "threshold_half"):
            target_body = "    return y[:, None].astype(np.float32)"
        else:
            target_body = f"    return np.eye({setup.num_classes}, dtype=np.float32)[y]"
        correct_body = {
            "argmax": f"    return int((out.argmax({2 if per_step else 1}) == labels).sum())",
            "threshold_logit": "    return int(((out[:, 0] > 0).long() == labels).sum())",
            "threshold_half": "    return int(((out[:, 0] > 0.5).long() == labels).sum())",
        }[setup.accuracy or "argmax"]
    s = t.schedule
    lr_body = {
        "constant": f"    return {o.lr!r}",
        "step": f"    return {o.lr!r} * {s.gamma!r} ** (epoch // {s.step_size})",
        "exponential": f"    return {o.lr!r} * {s.gamma!r} ** epoch",
        "cosine": (
            f"    import math\n    progress = min(epoch, {t.epochs - 1}) / max({t.epochs - 1}, 1)\n"
            f"    return {s.min_lr!r} + ({o.lr!r} - {s.min_lr!r}) * (1 + math.cos(math.pi * progress)) / 2"
        ),
    }[s.name]
    optimizer = {
        "sgd": f"torch.optim.SGD(groups, lr={o.lr!r}, momentum={o.momentum!r}, nesterov={o.nesterov!r})",
        "rmsprop": f"torch.optim.RMSprop(groups, lr={o.lr!r}, alpha={o.alpha!r}, eps={o.eps!r}, "
        f"momentum={o.momentum!r})",
        "adagrad": f"torch.optim.Adagrad(groups, lr={o.lr!r}, eps={o.eps!r})",
        "adam": f"torch.optim.Adam(groups, lr={o.lr!r}, betas=({o.beta1!r}, {o.beta2!r}), eps={o.eps!r})",
        "adamw": f"torch.optim.AdamW(groups, lr={o.lr!r}, betas=({o.beta1!r}, {o.beta2!r}), eps={o.eps!r})",
    }[o.name]
    l1_line = f"            loss = loss + {t.l1!r} * sum(w.abs().sum() for w in decayed)\n" if t.l1 > 0 else ""
    clip = ""
    if t.clip_value is not None:
        clip += f"            torch.nn.utils.clip_grad_value_(model.parameters(), {t.clip_value!r})\n"
    if t.clip_norm is not None:
        clip += f"            torch.nn.utils.clip_grad_norm_(model.parameters(), {t.clip_norm!r})\n"
    names = {module_name(n.name): n.name for n in project.graph.nodes if module_name(n.name) != n.name}
    body = TRAIN_TEMPLATE.format(
        split_source=split_source(data.ordered),
        layer_names=names,
        lr_body=lr_body,
        target_body=target_body,
        correct_body=correct_body,
        seed=t.seed,
        input_shape=tuple(setup.input_shape),
        val_fraction=ds.val_fraction,
        test_fraction=ds.test_fraction,
        data_seed=ds.seed,
        labels_expr=labels_expr,
        weight_decay=t.weight_decay,
        optimizer=optimizer,
        epochs=t.epochs,
        batch_size=t.batch_size,
        l1_line=l1_line,
        clip_lines=clip,
        augment_lines=augmentation_lines(ds.augmentation, t.seed),
        threads_line=threads_line(report, t.batch_size),
    )
    return prelude + augmentation_source(ds.augmentation) + body


def export_to_file(project: Project, path: str | Path) -> Path:
    path = Path(path)
    atomic_write(path, export_script(project))
    return path
