"""Formulas of x and y as small trees that evaluate on NumPy arrays and differentiate themselves.

The optimizer race needs a function's gradient and, for Newton's method, its Hessian: both come from
differentiating the tree (the chain rule, node by node), so they are exact, not finite differences. The
constructors fold constants and drop zeros and ones, so derivatives stay readable and quick to evaluate.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

Values = Mapping[str, np.ndarray | float]


class Expr:
    def evaluate(self, values: Values) -> np.ndarray:
        """The value at ``values`` (arrays broadcast); NaN or ±inf where the formula is undefined or overflows."""
        with np.errstate(all="ignore"):  # once per evaluation: numpy's error state is slow to switch
            return np.asarray(self.value_at(values), dtype=float)

    def value_at(self, values: Values) -> np.ndarray | float:
        raise NotImplementedError

    def diff(self, name: str) -> Expr:
        raise NotImplementedError


@dataclass(frozen=True)
class Const(Expr):
    value: float

    def value_at(self, values: Values) -> np.ndarray | float:
        return self.value

    def diff(self, name: str) -> Expr:
        return ZERO

    def __str__(self) -> str:
        return f"{self.value:g}"


@dataclass(frozen=True)
class Var(Expr):
    name: str

    def value_at(self, values: Values) -> np.ndarray | float:
        return values[self.name]

    def diff(self, name: str) -> Expr:
        return ONE if name == self.name else ZERO

    def __str__(self) -> str:
        return self.name


ZERO, ONE = Const(0.0), Const(1.0)

_BINARY: dict[str, Callable[[Any, Any], Any]] = {  # on arrays or floats
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": np.divide,
    "**": np.power,
}


@dataclass(frozen=True)
class Binary(Expr):
    op: str
    left: Expr
    right: Expr

    def value_at(self, values: Values) -> np.ndarray | float:
        return _BINARY[self.op](self.left.value_at(values), self.right.value_at(values))

    def diff(self, name: str) -> Expr:
        a, b = self.left, self.right
        da, db = a.diff(name), b.diff(name)
        if self.op == "+":
            return add(da, db)
        if self.op == "-":
            return sub(da, db)
        if self.op == "*":
            return add(mul(da, b), mul(a, db))
        if self.op == "/":
            return div(sub(mul(da, b), mul(a, db)), power(b, Const(2.0)))
        if isinstance(b, Const):  # a**c: c·a**(c−1)·a'
            return mul(mul(b, power(a, Const(b.value - 1))), da)
        # a**b = exp(b·log a): a**b · (b'·log a + b·a'/a)
        return mul(self, add(mul(db, call("log", a)), div(mul(b, da), a)))

    def __str__(self) -> str:
        return f"({self.left} {self.op} {self.right})"


@dataclass(frozen=True)
class Call(Expr):
    function: str
    arg: Expr

    def value_at(self, values: Values) -> np.ndarray | float:
        return FUNCTIONS[self.function](self.arg.value_at(values))

    def diff(self, name: str) -> Expr:
        a = self.arg
        return mul(_DERIVATIVES[self.function](a), a.diff(name))

    def __str__(self) -> str:
        return f"{self.function}({self.arg})"


FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "abs": np.abs,
    "sign": np.sign,  # the derivative of abs
}

# d f(a) / da for each function f
_DERIVATIVES: dict[str, Callable[[Expr], Expr]] = {
    "sin": lambda a: call("cos", a),
    "cos": lambda a: neg(call("sin", a)),
    "tan": lambda a: add(ONE, power(call("tan", a), Const(2.0))),
    "exp": lambda a: call("exp", a),
    "log": lambda a: div(ONE, a),
    "sqrt": lambda a: div(Const(0.5), call("sqrt", a)),
    "tanh": lambda a: sub(ONE, power(call("tanh", a), Const(2.0))),
    "abs": lambda a: call("sign", a),
    "sign": lambda a: ZERO,
}


def _constant(function: Callable[..., Any], *args: Const) -> Const:
    """``function`` of constants, folded to one constant (NaN or ±inf where it is undefined or overflows)."""
    with np.errstate(all="ignore"):
        return Const(float(function(*(np.asarray(a.value) for a in args))))


def _binary(op: str, a: Expr, b: Expr) -> Expr:
    """``a op b``, folded to a constant when both sides are constants."""
    if isinstance(a, Const) and isinstance(b, Const):
        return _constant(_BINARY[op], a, b)
    return Binary(op, a, b)


def add(a: Expr, b: Expr) -> Expr:
    if a == ZERO:
        return b
    if b == ZERO:
        return a
    return _binary("+", a, b)


def sub(a: Expr, b: Expr) -> Expr:
    if b == ZERO:
        return a
    if a == ZERO:
        return neg(b)
    return _binary("-", a, b)


def mul(a: Expr, b: Expr) -> Expr:
    if ZERO in (a, b):
        return ZERO
    if a == ONE:
        return b
    if b == ONE:
        return a
    return _binary("*", a, b)


def div(a: Expr, b: Expr) -> Expr:
    if a == ZERO:
        return ZERO
    if b == ONE:
        return a
    return _binary("/", a, b)


def power(a: Expr, b: Expr) -> Expr:
    if b == ZERO:
        return ONE
    if b == ONE:
        return a
    return _binary("**", a, b)


def neg(a: Expr) -> Expr:
    if isinstance(a, Const):
        return Const(-a.value)
    return mul(Const(-1.0), a)


def call(function: str, a: Expr) -> Expr:
    if isinstance(a, Const):
        return _constant(FUNCTIONS[function], a)
    return Call(function, a)
