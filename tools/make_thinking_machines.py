"""The course's self-attention worked example as a project and its weights (run: python tools/make_examples.py).

Two tokens, "Thinking" (id 0) and "Machines" (id 1), one head with d_k = 64 (000 'Self-Attention';
004 'Multi-headed attention'). The weights are set, not trained, so that the first token's query meets the
two keys with q1·k1 = 112 and q1·k2 = 96: divided by √64 = 8 that is 14 and 12, and the softmax gives
0.88 and 0.12. Every weight is a whole number or a quarter, so float32 holds them and the scores exactly.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from playground.core.config import DatasetConfig, TrainingConfig
from playground.core.graph import Graph
from playground.core.io.checkpoint import save_weights
from playground.core.project import Project

D_K, DIM, SEED = 64, 4, 2017
SCORES = (112, 96)  # q1·k1, q1·k2


def graph() -> Graph:
    g = Graph()
    ids = [
        g.add_node("Input", "tokens", {"shape": [2], "vocabulary": 2, "token_names": "Thinking Machines"}).id,
        g.add_node("Embedding", "embedding", {"vocabulary": 2, "dim": DIM}).id,
        g.add_node("MultiHeadAttention", "self_attention", {"heads": 1, "d_k": D_K, "bias": False}).id,
        g.add_node("Output", "output", {"loss": "mse"}).id,
    ]
    for a, b in itertools.pairwise(ids):
        g.connect(a, b)
    return g


def _key_with_score(q: np.ndarray, target: int, rng: np.random.Generator) -> np.ndarray:
    """Small whole numbers k with q·k = target: start at random, then step the entries where q is 1."""
    k = rng.integers(0, 3, q.size).astype(np.float64)
    ones = np.flatnonzero(q == 1)
    while (gap := int(target - q @ k)) != 0:
        k[rng.choice(ones)] += np.sign(gap)
    return k


def weights() -> dict[str, dict[str, np.ndarray]]:
    rng = np.random.default_rng(SEED)
    embedding = np.eye(2, DIM)  # x1 and x2: the rows of the two tokens
    q1 = rng.integers(1, 3, D_K).astype(np.float64)  # 1s and 2s
    k1, k2 = (_key_with_score(q1, s, rng) for s in SCORES)
    w_q = np.zeros((D_K, DIM))
    w_q[:, 0], w_q[:, 1] = q1, rng.integers(0, 3, D_K)
    w_k = np.zeros((D_K, DIM))
    w_k[:, 0], w_k[:, 1] = k1, k2
    w_v = np.round(rng.normal(size=(D_K, DIM)) * 4) / 4
    w_o = np.round(rng.normal(size=(DIM, D_K)) * 4) / 16
    f32 = np.float32
    return {
        "embedding": {"weight": embedding.astype(f32)},
        "self_attention": {
            "q_weight": w_q.astype(f32),
            "k_weight": w_k.astype(f32),
            "v_weight": w_v.astype(f32),
            "out_weight": w_o.astype(f32),
        },
    }


def project() -> Project:
    return Project(
        graph(),
        DatasetConfig(name="none"),
        TrainingConfig(),
        name="Thinking Machines",
        description="The course's self-attention example: the tokens 'Thinking' (id 0) and 'Machines' (id 1), "
        "one head with d_k = 64, and weights (thinking_machines.safetensors) set so that q1·k1 = 112 and "
        "q1·k2 = 96. Divided by √d_k = 8: 14 and 12; softmax: 0.88 and 0.12. "
        "See it: playground viz attention --project thinking_machines.json --weights thinking_machines.safetensors",
    )


def save_weights_file(folder: Path) -> None:
    save_weights(weights(), folder / "thinking_machines.safetensors")
    print("wrote thinking_machines.safetensors")
