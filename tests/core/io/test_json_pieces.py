"""Large records written as JSON in slices: the same text a reader expects, never one long json.dumps call."""

from __future__ import annotations

import json
import math

from playground.core.io import json_pieces
from playground.core.io.json_pieces import PIECE, dumps_in_pieces


def test_the_text_reads_back_as_the_record_with_non_finite_numbers_as_null():
    record = {
        "steps": {"loss": [0.5 * i for i in range(3 * PIECE + 7)], "accuracy": [None, math.nan] * PIECE},
        "probes": [{"norms": [1.5, math.inf, -math.inf], "note": "NaN, not a number"}, {"empty": []}],
        "labels": ["NaN", "Infinity", math.nan, True, None],
        "last": -math.inf,
        "count": 3,
    }
    back = json.loads(dumps_in_pieces(record))
    assert back["steps"]["loss"] == record["steps"]["loss"]
    assert back["steps"]["accuracy"] == [None, None] * PIECE
    assert back["probes"] == [{"norms": [1.5, None, None], "note": "NaN, not a number"}, {"empty": []}]
    assert back["labels"] == ["NaN", "Infinity", None, True, None]  # strings that spell a token stay strings
    assert back["last"] is None and back["count"] == 3


def test_no_single_call_of_json_dumps_gets_more_than_a_piece_of_a_long_list(monkeypatch):
    longest = []
    dumps = json.dumps

    def measuring(value, *args, **kwargs):
        longest.append(len(value) if isinstance(value, list) else 1)
        return dumps(value, *args, **kwargs)

    monkeypatch.setattr(json_pieces.json, "dumps", measuring)
    dumps_in_pieces({"loss": [0.1] * (10 * PIECE), "lr": [0.01] * (4 * PIECE)})
    assert max(longest) == PIECE and len(longest) >= 14
