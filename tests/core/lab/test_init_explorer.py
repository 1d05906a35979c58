"""The initialization explorer reproduces 001 §4.4: tanh with N(0, 0.01) collapses, Xavier keeps the spread,
He keeps it for ReLU."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.lab.init_explorer import explore


def test_tanh_with_a_tiny_normal_collapses_and_xavier_does_not():
    tiny = explore("normal", "tanh", depth=10, width=100, std=0.01)
    stds = tiny.activation_stds
    assert stds[-1] < 0.01 * stds[0]
    # each layer multiplies the spread by about σ·√width = 0.1 (tanh is the identity near 0)
    np.testing.assert_allclose(stds[1:] / stds[:-1], 0.1, rtol=0.1)
    xavier = explore("xavier", "tanh", depth=10, width=100)
    assert xavier.activation_stds[-1] > 0.2 * xavier.activation_stds[0]
    assert xavier.gradient_stds.min() > 1e6 * tiny.gradient_stds.max()  # gradients vanish with the activations


def test_he_keeps_relu_activations_where_xavier_halves_them_layer_after_layer():
    he = explore("he", "relu", depth=10, width=200)
    xavier = explore("xavier", "relu", depth=10, width=200)
    assert 0.5 < he.activation_stds[-1] / he.activation_stds[0] < 2
    assert xavier.activation_stds[-1] / xavier.activation_stds[0] < 0.1  # about (1/√2)^9


def test_histograms_share_their_edges_and_count_every_value():
    e = explore("normal", "tanh", depth=6, width=50, std=0.01, samples=64)
    counts, edges = e.histograms("activations")
    assert counts.shape == (6, len(edges) - 1)
    assert (counts.sum(axis=1) == 64 * 50).all()
    middle = np.searchsorted(edges, 0.0) - 1
    assert counts[-1, middle] == 64 * 50  # the last layer's activations have all shrunk to ~0
    g_counts, g_edges = e.histograms("gradients")
    assert (g_counts.sum(axis=1) == 50 * 50).all() and g_edges[0] == -g_edges[-1]


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="unknown init scheme 'zeros'"):
        explore("zeros", "tanh")
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        explore("xavier", "gelu")
    with pytest.raises(ValueError, match="depth must be between 1 and 100"):
        explore("xavier", "tanh", depth=0)
    with pytest.raises(ValueError, match="σ must be a positive number"):
        explore("normal", "tanh", std=0.0)


def test_relu_zeros_can_be_left_out_of_the_histograms():
    e = explore("he", "relu", depth=3, width=64, samples=64)
    zeros = [layer.zero_fraction for layer in e.layers]
    assert all(0.3 < z < 0.7 for z in zeros)  # about half the units are off for each sample
    counts, edges = e.histograms("activations", skip_zeros=True)
    assert edges[0] > 0 or counts[:, 0].sum() < 0.1 * counts.sum()
    np.testing.assert_allclose(counts.sum(axis=1), [(1 - z) * 64 * 64 for z in zeros])
