"""Functions of two parameters to race optimizers on: the classic test functions and the student's own formula.

Each is a formula read by :mod:`~playground.core.lab.expression`, so the built-in ones and the student's are the
same kind of object: the value, the gradient and the Hessian (for Newton's method) all come from differentiating
the formula exactly, and all evaluate on whole grids for the contour plot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .expression import parse
from .symbolic import Expr

Range = tuple[float, float]


@dataclass(frozen=True)
class Surface:
    key: str
    title: str
    formula: str
    x_range: Range = (-2.0, 2.0)
    y_range: Range = (-2.0, 2.0)
    start: tuple[float, float] = (-1.5, 1.5)
    minimum: tuple[float, float] | None = None  # where the global minimum is, when known
    note: str = ""
    log_contours: bool = False  # contour levels on a log scale (values spanning many decades)
    lrs: Mapping[str, float] = field(default_factory=dict)  # learning rates that suit this function, by optimizer
    expr: Expr = field(init=False, repr=False, compare=False)
    _grad: tuple[Expr, Expr] = field(init=False, repr=False, compare=False)
    _hess: tuple[tuple[Expr, Expr], tuple[Expr, Expr]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        expr = parse(self.formula)
        dx, dy = expr.diff("x"), expr.diff("y")
        object.__setattr__(self, "expr", expr)
        object.__setattr__(self, "_grad", (dx, dy))
        object.__setattr__(self, "_hess", ((dx.diff("x"), dx.diff("y")), (dy.diff("x"), dy.diff("y"))))

    def value(self, x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
        """f(x, y), elementwise over arrays (a grid for the contours)."""
        return np.broadcast_to(self.expr.evaluate({"x": x, "y": y}), np.broadcast(x, y).shape).astype(float)

    def __call__(self, point: np.ndarray) -> float:
        return float(self.value(point[0], point[1]))

    def gradient(self, point: np.ndarray) -> np.ndarray:
        values = {"x": float(point[0]), "y": float(point[1])}
        return np.array([float(d.evaluate(values)) for d in self._grad])

    def hessian(self, point: np.ndarray) -> np.ndarray:
        values = {"x": float(point[0]), "y": float(point[1])}
        return np.array([[float(d.evaluate(values)) for d in row] for row in self._hess])

    def grid(self, n: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """xs (n), ys (n) and f on the grid, ``z[i, j] = f(xs[i], ys[j])`` (non-finite values become NaN)."""
        xs = np.linspace(*self.x_range, n)
        ys = np.linspace(*self.y_range, n)
        z = self.value(xs[:, None], ys[None, :])
        return xs, ys, np.where(np.isfinite(z), z, np.nan)


def _lrs(**by_optimizer: float) -> dict[str, float]:
    return {"newton": 1.0, **by_optimizer}


SURFACES: dict[str, Surface] = {
    s.key: s
    for s in (
        Surface(
            "rosenbrock",
            "Rosenbrock",
            "(1 - x)**2 + 100*(y - x**2)**2",
            (-2.0, 2.0),
            (-1.0, 3.0),
            (-1.5, 2.5),
            (1.0, 1.0),
            "a long curved valley: easy to fall into, slow to follow to (1, 1)",
            log_contours=True,
            lrs=_lrs(gd=5e-4, momentum=1e-3, nesterov=1e-3, rmsprop=0.01, adagrad=0.1, adam=0.1, adamw=0.1),
        ),
        Surface(
            "beale",
            "Beale",
            "(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2",
            (-4.5, 4.5),
            (-4.5, 4.5),
            (0.5, -1.5),
            (3.0, 0.5),
            "flat plateaus and steep walls; the minimum is at (3, 0.5)",
            log_contours=True,
            lrs=_lrs(gd=0.01, momentum=3e-3, nesterov=3e-3, rmsprop=0.1, adagrad=0.3, adam=0.3, adamw=0.3),
        ),
        Surface(
            "saddle",
            "Saddle",
            "x**2 - y**2 + y**4/4",
            (-2.0, 2.0),
            (-2.5, 2.5),
            (-1.8, 0.01),
            (0.0, 1.4142135623730951),
            "a saddle point at (0, 0) between two valleys at y = ±√2: who escapes it?",
            lrs=_lrs(gd=0.05, momentum=0.02, nesterov=0.02, rmsprop=0.05, adagrad=0.3, adam=0.1, adamw=0.1),
        ),
        Surface(
            "quadratic",
            "Ill-conditioned quadratic",
            "0.5*(x**2 + 25*y**2)",
            (-3.0, 3.0),
            (-2.0, 2.0),
            (-2.5, 1.5),
            (0.0, 0.0),
            "curvature 25× steeper along y than along x: gradient descent zig-zags",
            lrs=_lrs(gd=0.07, momentum=0.01, nesterov=0.01, rmsprop=0.05, adagrad=0.5, adam=0.1, adamw=0.1),
        ),
    )
}


def custom_surface(formula: str, x_range: Range = (-3.0, 3.0), y_range: Range = (-3.0, 3.0)) -> Surface:
    """The student's own function (ExpressionError, naming the column, if it cannot be read)."""
    for name, (low, high) in (("x", x_range), ("y", y_range)):
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(f"the {name} range must be two finite numbers, the first smaller, not {low}..{high}")
    start = (x_range[0] + 0.8 * (x_range[1] - x_range[0]) / 2, y_range[0] + 1.6 * (y_range[1] - y_range[0]) / 2)
    return Surface("custom", "Your function", formula, x_range, y_range, start)
