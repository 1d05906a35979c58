"""The step-by-step backprop checked against PyTorch's autograd: the same sample, the same weights, float64.

For every node: its value in the forward pass, the upstream gradient dL/d(output) the walk arrived with, and
the gradients of its parameters; for the Input, dL/dx. Errors are relative, as ``playground gradcheck``
measures them (:func:`~playground.core.training.gradcheck.max_relative_error`).
"""

from __future__ import annotations

import numpy as np

from ..project import Project
from ..shapes import infer, token_vocabulary
from ..training.gradcheck import max_relative_error
from .backprop_steps import BackpropTrace

TOLERANCE = 1e-6


def autograd_errors(project: Project, trace: BackpropTrace) -> dict[str, float]:
    """The largest relative error of each node of ``trace`` (made from ``project``) against autograd."""
    # deferred: torch takes seconds to import and only this check needs it
    import torch

    from ..backends.torch.capture import capture
    from ..backends.torch.compile import compile_graph, module_name
    from ..backends.torch.losses import LOSSES as TORCH_LOSSES

    graph = project.graph
    net = compile_graph(graph, infer(graph), trace.params).double().eval()
    x = trace.forward[0].output[None]
    tokens = bool(token_vocabulary(graph.nodes_of_type("Input")[0]))
    xt = torch.tensor(x, dtype=torch.int64) if tokens else torch.tensor(x, dtype=torch.float64, requires_grad=True)
    target = torch.from_numpy(np.asarray(trace.target)[None])
    names = [s.node for s in trace.forward[1:-1]]
    with capture(net, names, gradients=True) as cap:
        loss = TORCH_LOSSES[trace.loss_name](net(xt), target)
        loss.backward()
    errors = {"loss": max_relative_error(np.array(trace.loss), loss.detach().numpy())}
    input_name = trace.forward[0].node
    if not tokens:  # token ids have no gradient, on either side
        assert xt.grad is not None
        errors[input_name] = max_relative_error(trace.gradient(input_name), xt.grad.numpy()[0])
    for step in trace.backward[1:-1]:
        reference = cap.gradients.get(step.node)
        errs = [
            max_relative_error(trace.value(step.node), cap.activations[step.node].numpy()[0]),
            max_relative_error(step.upstream, reference.numpy()[0]) if reference is not None else np.inf,
        ]
        module = net.get_submodule(module_name(step.node))
        for pname, p in module.named_parameters(recurse=False):
            errs.append(max_relative_error(step.params[pname], p.grad.numpy()) if p.grad is not None else np.inf)
        errors[step.node] = float(max(errs))
    return errors
