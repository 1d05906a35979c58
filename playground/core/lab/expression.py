"""Read a formula of x and y that a student types, safely: never ``eval``.

The text is parsed by Python's own parser into a syntax tree, and only a whitelist of nodes is turned into a
:mod:`~playground.core.lab.symbolic` tree: numbers, ``x`` and ``y``, the constants ``pi`` and ``e``, ``+ - * /``,
``**`` (also written ``^``), unary minus and plus, and one-argument calls of sin, cos, tan, exp, log, sqrt, tanh
and abs. Anything else (names, attributes, indexing, keywords, strings, several arguments…) is refused with a
message that names the offending token and its column (1 = the first character).
"""

from __future__ import annotations

import ast
import math

from .symbolic import FUNCTIONS, Const, Expr, Var, add, call, div, mul, neg, power, sub

MAX_LENGTH = 400  # characters: a formula, not a program
VARIABLES = ("x", "y")
CONSTANTS = {"pi": math.pi, "e": math.e}
ALLOWED_FUNCTIONS = tuple(f for f in FUNCTIONS if f != "sign")
_OPERATORS = {ast.Add: add, ast.Sub: sub, ast.Mult: mul, ast.Div: div, ast.Pow: power}
KNOWN = ", ".join(ALLOWED_FUNCTIONS)
ALLOWED = "numbers, x, y, pi, e, + - * / ** (or ^), parentheses and " + ", ".join(ALLOWED_FUNCTIONS)


class ExpressionError(ValueError):
    """A formula that cannot be read; ``column`` (from 1) is where the problem starts."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message if column is None else f"column {column}: {message}")
        self.column = column


def parse(text: str) -> Expr:
    """The formula ``text`` as a tree, or :class:`ExpressionError` naming the bad token and its column."""
    if not text.strip():
        raise ExpressionError("the formula is empty: type a function of x and y, e.g. x**2 + 10*y**2")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"the formula is {len(text)} characters long; at most {MAX_LENGTH} are read")
    source = text.replace("^", "**")  # as students write powers; same length as '**' minus one: fix columns
    shift = [i + text[:i].count("^") for i in range(len(text) + 1)]
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as err:
        if not err.offset:  # the parser ran out of text: something is missing at the end
            column = len(text.rstrip()) + 1
        else:
            column = _original_column(err.offset - 1 + len(source) - len(source.lstrip()), shift)
        near = text[column - 1 : column + 9].strip() if column <= len(text) else ""
        what = f" near '{near}'" if near else " at the end (something is missing)"
        raise ExpressionError(f"cannot read the formula{what}", column) from None
    return _Reader(source, text, shift).read(tree.body)


def _original_column(offset: int, shift: list[int]) -> int:
    """1-based column in the student's text of a 0-based offset in the text with '^' written as '**'."""
    for i, s in enumerate(shift):
        if s >= offset:
            return i + 1
    return len(shift)


class _Reader:
    def __init__(self, source: str, text: str, shift: list[int]):
        self.lead = len(source) - len(source.lstrip())
        self.source, self.text, self.shift = source, text, shift

    def fail(self, node: ast.AST, message: str) -> ExpressionError:
        offset = getattr(node, "col_offset", 0) + self.lead
        end = getattr(node, "end_col_offset", None)
        start = _original_column(offset, self.shift)
        stop = _original_column(end + self.lead, self.shift) if end is not None else start
        token = self.text[start - 1 : stop - 1] or self.text[start - 1 : start]
        return ExpressionError(message.format(token=token), start)

    def read(self, node: ast.AST) -> Expr:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                raise self.fail(node, "'{token}' is not a number (allowed: " + ALLOWED + ")")
            return Const(float(node.value))
        if isinstance(node, ast.Name):
            if node.id in VARIABLES:
                return Var(node.id)
            if node.id in CONSTANTS:
                return Const(CONSTANTS[node.id])
            hint = " (a function needs parentheses)" if node.id in ALLOWED_FUNCTIONS else ""
            raise self.fail(node, "unknown name '{token}'" + hint + "; allowed: " + ALLOWED)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](self.read(node.left), self.read(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = self.read(node.operand)
            return neg(inner) if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.Call):
            return self.read_call(node)
        raise self.fail(node, "'{token}' is not allowed in a formula (allowed: " + ALLOWED + ")")

    def read_call(self, node: ast.Call) -> Expr:
        if not isinstance(node.func, ast.Name) or node.func.id not in ALLOWED_FUNCTIONS:
            raise self.fail(
                node.func, "'{token}' is not a known function (known: " + ", ".join(ALLOWED_FUNCTIONS) + ")"
            )
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise self.fail(node, "{token}: a function takes exactly one argument")
        return call(node.func.id, self.read(node.args[0]))
