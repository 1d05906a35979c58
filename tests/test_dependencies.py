"""pyproject.toml declares exactly what playground/ imports: every third-party module the package imports comes
from a declared dependency, and every declared dependency is imported somewhere."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.paths import ROOT


def imported_modules() -> set[str]:
    """Top-level names of the modules imported anywhere in playground/ (at any depth of the code)."""
    names = set()
    for path in (ROOT / "playground").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {"playground", "__future__"}


def test_dependencies_match_imports():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = {canonicalize_name(Requirement(r).name) for r in config["project"]["dependencies"]}
    providers = packages_distributions()
    used = {}
    for module in imported_modules():
        assert module in providers, f"playground imports {module}, which no installed distribution provides"
        used[module] = {canonicalize_name(d) for d in providers[module]}
    undeclared = {m: d for m, d in used.items() if not d & declared}
    assert not undeclared, f"imported but not declared in pyproject.toml: {undeclared}"
    unused = declared - set().union(*used.values())
    assert not unused, f"declared in pyproject.toml but never imported by playground: {sorted(unused)}"
