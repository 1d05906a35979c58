"""The formula reader: what it accepts, what it refuses (naming the token and its column), and exact derivatives."""

from __future__ import annotations

import numpy as np
import pytest

from playground.core.lab.expression import ExpressionError, parse


@pytest.mark.parametrize(
    ("text", "x", "y", "value"),
    [
        ("x**2 + 10*y**2", 1.5, -2.0, 42.25),
        ("x^2 - -y", 3.0, 2.0, 11.0),
        ("sin(x)*cos(y) + exp(0) + log(e) + sqrt(4) + tanh(0) + abs(-x)", np.pi / 2, 0.0, 1 + 1 + 1 + 2 + np.pi / 2),
        ("pi * +x / 2", 2.0, 0.0, np.pi),
    ],
)
def test_formulas_evaluate(text, x, y, value):
    assert float(parse(text).evaluate({"x": x, "y": y})) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("x + foo", 5, "unknown name 'foo'"),
        ("  x + 3y", 7, "near '3y'"),
        ("x ^ 2 + y^", 11, "at the end"),
        ("__import__('os').system('ls')", 1, "is not a known function"),
        ("x.real", 1, "'x.real' is not allowed"),
        ("sin(x, y)", 1, "exactly one argument"),
        ("y * sin", 5, "a function needs parentheses"),
        ("x + 'a'", 5, "'a'' is not a number"),
        ("[x][0]", 1, "is not allowed"),
        ("x if y else 2", 1, "is not allowed"),
        ("lambda: 1", 1, "is not allowed"),
        ("", None, "empty"),
    ],
)
def test_bad_formulas_name_the_token_and_its_column(text, column, words):
    with pytest.raises(ExpressionError) as err:
        parse(text)
    assert err.value.column == column
    assert words in str(err.value)
    if column is not None:
        assert str(err.value).startswith(f"column {column}:")


def test_derivatives_match_central_differences():
    expr = parse("(1.5 - x + x*y)^2 + sin(x*y) / (2 + cos(y)) + exp(-x^2) * sqrt(1 + y^2) + tanh(x - y) + x^y")
    point = {"x": 1.3, "y": 0.7}
    h = 1e-6
    for name in ("x", "y"):
        plus, minus = dict(point), dict(point)
        plus[name] += h
        minus[name] -= h
        numeric = (float(expr.evaluate(plus)) - float(expr.evaluate(minus))) / (2 * h)
        assert float(expr.diff(name).evaluate(point)) == pytest.approx(numeric, rel=1e-6)


def test_formulas_evaluate_on_grids():
    xs, ys = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-2, 2, 4))
    np.testing.assert_allclose(parse("x*y + 1").evaluate({"x": xs, "y": ys}), xs * ys + 1)
