"""Inside own_generator a model is built without drawing from torch's global generator, on this thread only."""

from __future__ import annotations

import threading

import torch
from torch import nn

from playground.core.backends.torch.compile import compile_graph
from playground.core.backends.torch.own_generator import own_generator
from tests.core.viz.test_sequence_views import transformer


def test_building_every_kind_of_layer_leaves_the_global_generator_alone():
    torch.manual_seed(3)
    before = torch.get_rng_state()
    with own_generator(0):
        compile_graph(transformer(kind="learned"))
        nn.Sequential(nn.Linear(4, 5), nn.Conv2d(1, 2, 3), nn.LSTM(3, 4), nn.GRU(3, 4), nn.RNN(3, 4))
        nn.init.orthogonal_(torch.empty(4, 4))
        torch.randn(3), torch.randperm(5)
    assert torch.equal(torch.get_rng_state(), before)
    plain = nn.Linear(4, 5)  # outside, the usual: the global generator moves
    assert not torch.equal(torch.get_rng_state(), before) and plain.weight.abs().sum() > 0


def test_the_same_seed_gives_the_same_start():
    with own_generator(7):
        first = nn.Linear(6, 6).weight.detach().clone()
    with own_generator(7):
        assert torch.equal(nn.Linear(6, 6).weight, first)


def test_another_thread_building_models_leaves_this_threads_random_numbers_as_seeded():
    torch.manual_seed(1)
    expected = torch.rand(20_000)
    stop = threading.Event()
    built = []

    def build() -> None:
        with own_generator(0):
            while not stop.is_set():
                built.append(compile_graph(transformer()))

    torch.manual_seed(1)
    thread = threading.Thread(target=build)
    thread.start()
    try:
        drawn = [torch.rand(100) for _ in range(200)]
        while not built:
            drawn.append(torch.rand(0))
    finally:
        stop.set()
        thread.join()
    assert built and torch.equal(torch.cat(drawn), expected)
