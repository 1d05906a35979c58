"""Building a torch model without drawing from torch's global random generator.

    with own_generator(seed):
        model = compile_graph(graph, report, params)   # the weights copied in: the random start is thrown away

A module's constructor gives its weights a random start from torch's global generator, the one a training run
draws its dropout masks from. A panel that builds a copy of a live run's network on a thread of its own would
move that generator between two of the run's steps, and a run with a fixed seed would no longer repeat. Inside
``own_generator`` every random operation of this thread draws from a generator of its own instead. The
redirection is a torch function mode, which PyTorch keeps per thread: the training thread is not affected.
(``torch.random.fork_rng`` would not do: it saves the global state and puts it back afterwards, undoing
whatever the training thread drew in between.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

# the random operations that take a ``generator``, called without one: in-place fills and factories
RANDOM_OPS = frozenset(
    {
        "uniform_",
        "normal_",
        "bernoulli_",
        "random_",
        "exponential_",
        "cauchy_",
        "log_normal_",
        "geometric_",
        "rand",
        "randn",
        "randint",
        "randperm",
        "normal",
        "bernoulli",
        "multinomial",
        "poisson",
    }
)


def own_generator(seed: int = 0) -> OwnGenerator:
    """``with own_generator(seed):`` random operations on this thread draw from a generator seeded with
    ``seed``, not from the global one."""
    return OwnGenerator(seed)


class OwnGenerator(TorchFunctionMode):
    """Gives a generator of its own to every call on this thread that takes one and was given none."""

    def __init__(self, seed: int = 0):
        super().__init__()
        self.generator = torch.Generator().manual_seed(seed)

    def __torch_function__(
        self, func: Callable[..., Any], types: Any, args: tuple = (), kwargs: dict[str, Any] | None = None
    ) -> Any:
        kwargs = dict(kwargs or {})
        # nn.init's functions reach the mode themselves (with generator=None), and run without it inside
        takes_one = "generator" in kwargs or getattr(func, "__name__", "") in RANDOM_OPS
        if takes_one and kwargs.get("generator") is None:
            kwargs["generator"] = self.generator
        return func(*args, **kwargs)
