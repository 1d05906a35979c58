"""The training part of the exported PyTorch script: one process, or many under torchrun.

    python net.py                               # one process (a GPU when there is one)
    torchrun --nproc_per_node 4 net.py          # four processes on this machine, gradients averaged
    torchrun --nnodes 2 --node_rank 0 --nproc_per_node 4 --rdzv_backend c10d --rdzv_endpoint HOST:29500 net.py

The same file runs both ways. Under torchrun each process takes a share of every batch (DistributedSampler's
order, batch size ÷ processes) and DistributedDataParallel averages the gradients, so N processes with 1/N of the
batch take the step one process takes with the whole batch: the weights agree to rounding (without dropout,
whose masks differ, or BatchNorm, which sees each process's share). Only rank 0 evaluates, prints and saves.
"""

from __future__ import annotations

import numpy as np

from ..backends.torch.threads import is_large, work_per_step
from ..shapes import ShapeReport

IMPORTS = (
    "import argparse\nimport math  # noqa: F401\nimport os\nimport sys\nfrom pathlib import Path\n\n"
    "import numpy as np\nimport torch\nimport torch.distributed as dist\n"
    "import torch.nn.functional as F  # noqa: F401\nfrom torch import nn\n"
    "from torch.nn.parallel import DistributedDataParallel\n"
    "from torch.utils.data import DistributedSampler, TensorDataset\n"
)

ONE_THREAD = """    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(1)  # a network this small runs fastest on one thread: more would wait on each other
"""


def threads_line(report: ShapeReport, batch_size: int) -> str:
    """One thread for a small network, as in the app (backends/torch/threads.py); PyTorch's choice otherwise."""
    weights: dict[str, dict[str, np.ndarray]] = {}
    pixels: dict[str, int] = {}
    for node in report.order:
        weight = report.nodes[node.id].tensors.get("weight")
        if weight is None:
            continue
        weights[node.name] = {"weight": np.broadcast_to(np.float32(0), weight.shape)}  # its size, no memory
        shape = report.shape(node.id)
        if len(weight.shape) > 2 and shape and len(shape) > 1:
            pixels[node.name] = int(np.prod(shape[1:]))
    return "" if is_large(work_per_step(weights, pixels, batch_size)) else ONE_THREAD


SHUFFLED_SPLIT = """
def split(n, val_fraction, test_fraction, seed):
    order = np.random.default_rng(seed).permutation(n)
    n_test, n_val = round(n * test_fraction), round(n * val_fraction)
    return np.sort(order[n_test + n_val:]), np.sort(order[n_test:n_test + n_val]), np.sort(order[:n_test])
"""

# samples that are consecutive pieces of one whole (the windows of a text) are split as the app splits them
ORDERED_SPLIT = '''
def split(n, val_fraction, test_fraction, seed):
    """By position: the first windows train, the next validate, the last test (``seed`` unused: the text is
    not shuffled, so validation reads a stretch of it the network never trained on)."""
    n_test, n_val = round(n * test_fraction), round(n * val_fraction)
    n_train = n - n_val - n_test
    return np.arange(n_train), np.arange(n_train, n - n_test), np.arange(n - n_test, n)
'''


def split_source(ordered: bool) -> str:
    """The script's ``split()``: by position for ``ordered`` samples, else shuffled once with the data's seed."""
    return ORDERED_SPLIT if ordered else SHUFFLED_SPLIT


TRAIN_TEMPLATE = """{split_source}

def learning_rate(epoch):
{lr_body}


def make_targets(y):
{target_body}


def count_correct(out, labels):
{correct_body}


def evaluate(model, x, y, labels, device, batch_size=512):
    model.eval()
    total, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(x), batch_size):
            out = model(x[start:start + batch_size].to(device))
            total += loss_fn(out, y[start:start + batch_size].to(device)).item() * len(out)
            if labels is not None:
                correct += count_correct(out.cpu(), labels[start:start + batch_size])
    accuracy = correct / labels.numel() if labels is not None else None
    return total / max(len(x), 1), accuracy


# The app's names of the layers whose PyTorch attribute had to differ (the weights file uses the app's names).
LAYER_NAMES = {layer_names!r}


def save_weights(model, path):
    \"\"\"The trained weights as safetensors, named as in Playground (its --weights options read the file).\"\"\"
    try:
        from safetensors.torch import save_file
    except ImportError:
        print("safetensors is not installed: the weights were not saved", file=sys.stderr)
        return
    tensors = {{}}
    for name, value in model.state_dict().items():
        module, _, key = name.rpartition(".")
        if key != "num_batches_tracked":
            tensors[f"{{LAYER_NAMES.get(module, module)}}.{{key}}"] = value.detach().cpu().contiguous()
    save_file(tensors, str(path))
    print(f"weights saved to {{path}}", file=sys.stderr)


def start_processes():
    \"\"\"(rank, number of processes, device). Under torchrun (it sets LOCAL_RANK) this process joins the others:
    nccl between GPUs, gloo between CPU processes.\"\"\"
    cuda = torch.cuda.is_available()
    if "LOCAL_RANK" not in os.environ:
        return 0, 1, torch.device("cuda" if cuda else "cpu")
    local_rank = int(os.environ["LOCAL_RANK"])
    device = torch.device("cuda", local_rank) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    dist.init_process_group("nccl" if cuda else "gloo")
    return dist.get_rank(), dist.get_world_size(), device


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", default=str(Path(__file__).with_suffix(".safetensors")), help="weights file")
    args = parser.parse_args()
{threads_line}    rank, world, device = start_processes()
    batch_size = {batch_size}
    if batch_size % world:
        raise SystemExit(f"the batch size {{batch_size}} does not split over {{world}} processes: use a divisor of it")
    share = batch_size // world  # this process's part of each batch
    torch.manual_seed({seed})  # the same initial weights in every process
    x, y = load_data()
    x = x.reshape(len(x), *{input_shape!r})
    train_i, val_i, test_i = split(len(x), {val_fraction!r}, {test_fraction!r}, {data_seed})
    x, targets = torch.from_numpy(x), torch.from_numpy(make_targets(y))
    labels = {labels_expr}
    model = Network()
    init_weights(model)
    model.to(device)
    decayed = [m.weight for m in model.modules() if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d))]
    decayed_ids = {{id(p) for p in decayed}}
    others = [p for p in model.parameters() if id(p) not in decayed_ids]
    groups = [{{"params": decayed, "weight_decay": {weight_decay!r}}}]
    if others:
        groups.append({{"params": others, "weight_decay": 0.0}})
    optimizer = {optimizer}
    device_ids = [device.index] if device.type == "cuda" else None
    net = model if world == 1 else DistributedDataParallel(model, device_ids=device_ids)
    torch.manual_seed({seed} + rank)  # dropout masks differ between processes
    if rank == 0 and world > 1:
        print(f"{{world}} processes ({{dist.get_backend()}}), {{share}} samples of each batch in each")
    x_train, t_train = x[train_i], targets[train_i]
    sampler = DistributedSampler(TensorDataset(x_train), num_replicas=world, rank=rank, shuffle=True, seed={seed})
    val_loss, val_acc = float("nan"), None  # rank 0 evaluates
    for epoch in range({epochs}):
        sampler.set_epoch(epoch)  # a new order each epoch, the same in every process
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(epoch)
        net.train()
        order = torch.tensor(list(sampler))  # this process's samples, in the epoch's order
        for start in range(0, len(order), share):
            index = order[start:start + share]  # a whole batch at once (a DataLoader would stack sample by sample)
            batch = x_train[index]
{augment_lines}            optimizer.zero_grad()
            loss = loss_fn(net(batch.to(device)), t_train[index].to(device))
{l1_line}            loss.backward()  # under torchrun: the gradients are averaged over the processes here
{clip_lines}            optimizer.step()
        if rank == 0:
            val_loss, val_acc = evaluate(model, x[val_i], targets[val_i], None if labels is None else labels[val_i],
                                         device)
            shown = "" if val_acc is None else f"  val accuracy {{val_acc:.3f}}"
            print(f"epoch {{epoch + 1:3d}}  val loss {{val_loss:.4f}}{{shown}}", flush=True)
    if rank == 0:
        save_weights(model, args.save)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return val_loss, val_acc


if __name__ == "__main__":
    main()
"""
